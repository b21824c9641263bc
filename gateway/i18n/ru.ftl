# Портал EDU24, русский язык.

site-tagline = Высшее образование Кыргызской Республики
site-description = EDU24: открытый каталог вузов, образовательных программ и лицензий Кыргызской Республики.
skip-to-content = Перейти к содержимому
nav-label = Главное меню
nav-language = Язык
nav-catalogue = Вузы
nav-me = Моя страница
nav-login = Войти
notice-language-unsupported = Язык «{ $asked }» недоступен. Страница показана на языке: { $shown }.
footer-ministry = Министерство науки, высшего образования и инноваций Кыргызской Республики
footer-api = Открытые данные (API)

home-title = Найдите свой вуз
home-lead = Все лицензированные вузы и программы Кыргызстана в одном месте: лицензии, уровни, формы и языки обучения.
home-by-level = По уровню образования
search-label = Поиск по названию, городу или коду
search-placeholder = например: Ош, медицина, КНУ, Манас
search-button = Найти
stat-institutions = вузы
stat-programmes = программы
stat-licences = действующие лицензии
stat-contingent = места по лицензиям
chart-institutions-by-region = Вузы по регионам
chart-programmes-by-field = Программы по областям образования

catalogue-title = Вузы Кыргызстана
filters-label = Фильтры поиска
filter-region = Регион
filter-ownership = Форма собственности
filter-level = Уровень
filter-specialty = Специальность
filter-any = Все
filter-reset = Сбросить фильтры
filters-more = { $count ->
    [0] Дополнительные фильтры
   *[other] Дополнительные фильтры (выбрано: { $count })
}
search-found = { $count ->
    [one] Найдено { $count } учебное заведение
    [few] Найдено { $count } учебных заведения
    [many] Найдено { $count } учебных заведений
   *[other] Найдено { $count } учебных заведений
}
search-nothing = Ничего не найдено. Попробуйте ввести меньше слов или сбросьте фильтры.
founded-in = год основания: { $year }
programme-count = { $count ->
    [one] { $count } программа
    [few] { $count } программы
    [many] { $count } программ
   *[other] { $count } программ
}
special-status = Особый статус
pager-label = Страницы
pager-prev = ← Назад
pager-next = Вперёд →
pager-position = Страница { $page } из { $pages }

ownership-state = Государственный
ownership-private = Частный
ownership-intergovernmental = Межгосударственный
ownership-unknown = Форма собственности не подтверждена
status-active = Действует
status-merged = Присоединён к другому вузу
status-suspended = Деятельность приостановлена
status-closed = Закрыт

fact-status = Статус
fact-region = Регион
fact-city = Город
fact-ownership = Форма собственности
fact-founded = Год основания
fact-website = Сайт
fact-special-status = Особый статус
fact-institution = Вуз
fact-credits = Кредиты
fact-field = Область образования
fact-admission = Приём
admission-barred = Приём на эту форму обучения в этом году приостановлен
unknown = неизвестно
yes = да
no = нет

programmes-heading = Программы ({ $count })
programmes-caption = Образовательные программы вуза
programmes-none = Программы не зарегистрированы.
licences-heading = Лицензии ({ $count })
licences-caption = Лицензии вуза
licences-none = Лицензии не зарегистрированы.
col-specialty = Специальность
col-level = Уровень
col-form = Форма обучения
col-language = Язык обучения
col-duration = Срок обучения
col-licence = Лицензия
col-contingent = Мест по лицензии
col-valid = Срок действия
col-document = Документ
col-status = Статус
valid-indefinite = бессрочно
duration-years = { $years ->
    [one] { $years } год
    [few] { $years } года
    [many] { $years } лет
   *[other] { $years } лет
}
duration-months = { $months ->
    [one] { $months } месяц
    [few] { $months } месяца
    [many] { $months } месяцев
   *[other] { $months } месяцев
}
credits = { $credits ->
    [one] { $credits } кредит
    [few] { $credits } кредита
    [many] { $credits } кредитов
   *[other] { $credits } кредитов
}
licence-active = Действует
licence-suspended = Приостановлена
licence-revoked = Отозвана
licence-expired = Срок истёк
licence-not-yet = Ещё не вступила в силу
licence-none = Нет лицензии
licence-summary = № { $number }, мест по лицензии: { $contingent }, действует с { $from }
programme-more-soon = Стоимость обучения, число бюджетных (грантовых) и контрактных мест, проходные баллы и данные о трудоустройстве выпускников по этой программе пока неизвестны.

language-ky = Кыргызский
language-ru = Русский
language-en = Английский
language-tr = Турецкий
language-de = Немецкий
language-zh = Китайский

login-title = Вход в EDU24
login-login = Логин
login-password = Пароль
login-submit = Войти
login-help = Студентам и преподавателям: логин и первый пароль указаны на карточке, которую выдал ваш вуз. Потеряли её? Новую выдаст учебный отдел (офис регистратора) вашего вуза.
login-refused = Неверный логин или пароль.
login-throttled = Слишком много неудачных попыток. { $seconds ->
    [one] Попробуйте снова через { $seconds } секунду.
    [few] Попробуйте снова через { $seconds } секунды.
    [many] Попробуйте снова через { $seconds } секунд.
   *[other] Попробуйте снова через { $seconds } секунд.
}
logout = Выйти

me-title = Здравствуйте, { $name }
me-login = Логин
me-since = Учётная запись создана
me-roles = Ваши роли
me-no-roles = У вас пока нет ролей.
role-ministry_admin = Администратор министерства
role-ministry_analyst = Аналитик министерства
role-institution_admin = Администратор вуза
role-registrar = Регистратор
role-teacher = Преподаватель
role-student = Студент
role-graduate = Выпускник
role-employer = Работодатель
role-applicant = Абитуриент
scope-ministry = Всё министерство
scope-personal = Личная роль
scope-institution = Вуз

error-home = На главную
error-not-found = Страница не найдена
error-not-found-detail = Такой страницы нет. Возможно, она переехала — попробуйте найти нужное в каталоге.
error-institution-not-found = В каталоге нет вуза с таким адресом.
error-programme-not-found = В каталоге нет программы с таким адресом.
error-bad-request = Не удалось понять запрос
error-forbidden = Доступ запрещён
error-csrf = Форма устарела или была отправлена с другого сайта. Откройте страницу заново и отправьте форму ещё раз.
error-internal = Что-то пошло не так
error-internal-detail = Ошибка записана. Пожалуйста, попробуйте ещё раз через минуту.
error-unavailable = Временно недоступно
error-unavailable-detail = Часть EDU24 сейчас не отвечает. Пожалуйста, попробуйте ещё раз через минуту.
param-too-long = Адрес слишком длинный.
param-malformed = В адресе есть символы, которые не удаётся прочитать.
param-number = Параметр «{ $parameter }» должен быть целым числом в допустимых пределах.
param-text-long = Текст поиска слишком длинный (не более 200 символов).
param-region = В параметре «{ $parameter }» указан неизвестный регион.
param-ownership = Параметр «{ $parameter }» может принимать значения state, private или intergovernmental (государственный, частный, межгосударственный).
param-level = Параметр «{ $parameter }» может принимать значения bachelor, master, specialist или phd (бакалавриат, магистратура, специалитет, PhD).
param-specialty = Параметр «{ $parameter }» должен содержать 6-значный код специальности.

## Собственная безопасность и администрирование учётных записей (идентификация и доступ)
security-title = Безопасность моей учётной записи
password-title = Смена пароля
accounts-title = Учётные записи
password-forced = Вы вошли с одноразовым паролем с карточки. Чтобы продолжить, придумайте собственный пароль.
password-current = Текущий пароль (или пароль с карточки)
password-new = Новый пароль
password-rules = Не менее 15 символов. Легче всего запомнить несколько не связанных между собой слов, например «гора река зелёный чайник». Не используйте свой логин или имя.
password-repeat = Новый пароль ещё раз
password-submit = Сохранить новый пароль
password-mismatch = Новые пароли не совпадают. Введите один и тот же пароль дважды.
password-current-wrong = Текущий пароль введён неверно.
password-too-short = Новый пароль слишком короткий: нужно не менее 15 символов.
password-too-long = Новый пароль слишком длинный: допускается не более 128 символов.
password-contains-login = Новый пароль не должен содержать ваш логин или имя.
password-guessable = Этот пароль слишком легко угадать. Используйте несколько не связанных между собой слов.
password-same = Новый пароль должен отличаться от текущего.
password-rejected = Этот пароль нельзя использовать. Выберите другой.
sessions-title = Где выполнен вход в вашу учётную запись
sessions-lead = Каждая строка — браузер или устройство, с которого выполнен вход в вашу учётную запись. Завершите сеансы, которые вы не узнаёте, а затем смените пароль.
sessions-device = Браузер или устройство
sessions-address = Адрес
sessions-started = Вход выполнен
sessions-seen = Последняя активность
sessions-action = Действие
sessions-this = Это устройство
sessions-end = Завершить этот сеанс
access-title = Кто просматривал или изменял вашу учётную запись
access-lead = Каждый вход, каждое изменение и каждый просмотр вашей учётной записи сотрудниками вуза или министерства записываются здесь, и изменить эти записи нельзя.
access-none = Пока ничего не записано.
access-when = Когда
access-who = Кто
access-what = Что
audit-account-created = Учётная запись создана
audit-role-granted = Роль назначена
audit-role-removed = Роль снята
audit-login-failed = Неудачная попытка входа
audit-login-succeeded = Вход в систему
audit-logout = Выход из системы
audit-password-changed = Пароль изменён
audit-password-reissued = Выдана новая карточка с паролем
audit-session-ended = Сеанс завершён
audit-sessions-ended = Все сеансы завершены
audit-account-viewed = Учётная запись просмотрена сотрудником
audit-account-disabled = Учётная запись отключена
audit-account-enabled = Учётная запись включена
done-password = Новый пароль сохранён. Остальные сеансы завершены.
done-session = Сеанс завершён.
done-disabled = Учётная запись отключена, все её сеансы завершены.
done-enabled = Учётная запись снова включена.
done-sessions = Все сеансы учётной записи завершены.
done-role = Роль назначена.
accounts-search = ФИО, логин, ПИН или номер студенческого билета
accounts-lead = Найдите студента или коллегу, чтобы выдать новую карточку с паролем, завершить его сеансы или изменить его роли.
accounts-none = Среди учётных записей, которыми вы управляете, совпадений нет.
accounts-query-short = Введите не менее 2 символов.
account-disabled = Отключена
account-active = Активна
account-one-time = Одноразовый пароль ещё не сменён
account-ticket = Студенческий билет
account-programme = Программа
account-year = { $year } курс
reissue-title = Выдача новой карточки с паролем
reissue-lead = Старый пароль сразу перестаёт действовать, а все сеансы завершаются. Распечатайте карточку и передайте её владельцу, проверив его студенческий билет или паспорт.
reissue-submit = Выдать и распечатать карточку
disable-title = Отключение учётной записи
enable-title = Включение учётной записи
disable-submit = Отключить учётную запись
enable-submit = Включить учётную запись
end-sessions-title = Завершение всех сеансов
end-sessions-submit = { $count ->
    [one] Завершить { $count } сеанс
    [few] Завершить { $count } сеанса
    [many] Завершить { $count } сеансов
   *[other] Завершить { $count } сеансов
}
role-grant-title = Назначение роли
role-grant-role = Роль и вуз
role-grant-submit = Назначить роль
reason-label = Причина (сохраняется в журнале аудита)
reason-note = Комментарий (необязательно)
reason-lost-card = Утеряна карточка
reason-forgot = Забыт пароль
reason-compromised = Пароль мог стать известен постороннему
reason-left = Уход из вуза
reason-other = Другое
reason-missing = Укажите причину — она сохраняется в журнале аудита.
role-invalid = Выберите роль из списка.
error-account-not-found = Среди учётных записей, которыми вы управляете, такой нет.
error-bad-request-detail = В форме что-то заполнено неправильно. Вернитесь назад, проверьте её и попробуйте ещё раз.
error-forbidden-detail = У вашей учётной записи нет роли, дающей доступ к этой странице.
error-too-many = Слишком много запросов
error-too-many-detail = Пожалуйста, подождите немного и попробуйте ещё раз.

## Учётные записи, выдаваемые массово по списку (ведомости) студентов
issuance-title = Выдача учётных записей по списку студентов
issuance-lead = Загрузите список студентов (CSV или Excel). Сначала EDU24 проверяет каждую строку; если хотя бы в одной строке есть ошибка, учётные записи не выдаются, а все ошибки перечисляются. Затем вы распечатываете карточки с паролями.
issuance-institution = Вуз
issuance-file = Файл со списком студентов (CSV или XLSX)
issuance-columns = Столбцы: ПИН, фамилия, имя, отчество (необязательно), номер студенческого билета, программа, курс. Заголовки могут быть на кыргызском, русском или английском языке.
issuance-template = Скачать шаблон
issuance-check = Проверить список
issuance-recent = Последние выдачи учётных записей
issuance-progress = Выдано учётных записей: { $done } из { $total }
issuance-state-running = Идёт выдача
issuance-state-done = Готово к печати
issuance-state-closed = Закрыта
issuance-preview = Проверка списка студентов
roster-problems = { $count ->
    [one] Ничего не выдано: сначала нужно исправить { $count } ошибку.
    [few] Ничего не выдано: сначала нужно исправить { $count } ошибки.
    [many] Ничего не выдано: сначала нужно исправить { $count } ошибок.
   *[other] Ничего не выдано: сначала нужно исправить { $count } ошибок.
}
roster-row = Строка
roster-column = Столбец
roster-problem = Ошибка
roster-col-pin = ПИН
roster-col-surname = Фамилия
roster-col-given-name = Имя
roster-col-patronymic = Отчество
roster-col-ticket-no = Студенческий билет
roster-col-programme = Программа
roster-col-year = Курс
roster-file-too-large = Файл больше 8 МБ.
roster-file-unreadable = Файл не удаётся прочитать как CSV или XLSX.
roster-file-empty = В файле нет строк.
roster-file-not-utf8 = Сохраните CSV-файл в кодировке UTF-8.
roster-file-too-many-cells = В таблице слишком много строк или столбцов (не больше 100 000 строк и 64 столбцов); удалите ячейки далеко за пределами таблицы.
roster-too-many-rows = В списке может быть не более 20 000 строк; разделите его на части.
roster-column-missing = Этого столбца нет в строке заголовков.
roster-pin-invalid = ПИН состоит из 14 цифр: 1 или 2, дата рождения (ДДММГГГГ), затем ещё 5 цифр.
roster-name-invalid = Используйте буквы, пробелы, дефисы или апострофы (от 1 до 100 символов).
roster-ticket-invalid = Используйте латинские буквы, цифры или дефисы (от 3 до 32 символов).
roster-programme-invalid = Укажите название программы (не более 200 символов).
roster-year-invalid = Курс — это число от 1 до 7.
roster-ticket-repeated = Тот же студенческий билет, что и в строке { $row }.
roster-pin-repeated = Тот же ПИН, что и в строке { $row }.
roster-ticket-taken = Этот студенческий билет в этом вузе принадлежит другому человеку.
roster-pin-other-ticket = У этого человека уже есть учётная запись в этом вузе с другим студенческим билетом.
roster-login-taken = Учётная запись с таким логином уже существует.
issuance-nothing-new = У всех из этого списка уже есть учётные записи ({ $already }). Выдавать нечего.
issuance-rows = строки
issuance-new = новые учётные записи
issuance-already = уже есть учётная запись
issuance-sample = Как будут выглядеть карточки
issuance-password-on-card = Одноразовый пароль
issuance-confirm-lead = { $count ->
    [one] Будет выдана { $count } учётная запись. Каждый пароль будет виден только на своей распечатанной карточке.
    [few] Будут выданы { $count } учётные записи. Каждый пароль будет виден только на своей распечатанной карточке.
    [many] Будет выдано { $count } учётных записей. Каждый пароль будет виден только на своей распечатанной карточке.
   *[other] Будет выдано { $count } учётных записей. Каждый пароль будет виден только на своей распечатанной карточке.
}
issuance-confirm = Выдать учётные записи
issuance-stale = Список студентов больше не соответствует учётным записям (за это время их кто-то выдал). Загрузите его заново.
issuance-running = Идёт выдача… Страница обновляется сама. Её можно закрыть: выдача продолжится.
issuance-done = Все учётные записи выданы. Скачайте и распечатайте карточки, раздайте их, а затем закройте выдачу.
issuance-download = Скачать карточки (PDF)
issuance-close-lead = При закрытии удаляются данные, из которых формируются пароли: карточки больше никогда нельзя будет распечатать. Потерянные карточки после этого выдаются заново по одной.
issuance-close = Закрыть выдачу
issuance-closed = Эта выдача закрыта: её карточки больше нельзя распечатать.

## Двухэтапный вход
twofa-title = Двухэтапный вход
twofa-login-title = Введите код
twofa-code = Шестизначный код из приложения
twofa-code-help = Откройте приложение-аутентификатор и введите код, который оно показывает для EDU24. Потеряли телефон? Вместо него введите один из резервных кодов.
twofa-continue = Продолжить
twofa-wrong = Код неверный или уже использован. Дождитесь следующего кода и попробуйте ещё раз.
twofa-wrong-setup = Код не совпадает. Проверьте время на телефоне и попробуйте ещё раз со следующим кодом.
twofa-on = Двухэтапный вход включён: после ввода пароля EDU24 запрашивает код из приложения.
twofa-code-or-recovery = Код из приложения или резервный код
twofa-disable = Отключить двухэтапный вход
twofa-lead = При двухэтапном входе одного украденного пароля недостаточно, чтобы войти в вашу учётную запись. Сотрудникам вузов и министерства следует его включить.
twofa-step-app = Установите на телефон приложение-аутентификатор (например, FreeOTP, Aegis, Google Authenticator или Microsoft Authenticator).
twofa-step-scan = В приложении добавьте учётную запись и отсканируйте этот код.
twofa-manual = Или введите этот ключ:
twofa-step-code = Введите шестизначный код, который показывает приложение.
twofa-enable = Включить двухэтапный вход
twofa-enabled = Двухэтапный вход включён.
twofa-recovery-title = Ваши резервные коды
twofa-recovery-lead = Каждый код позволяет один раз войти, если вы потеряете телефон. Распечатайте или запишите их и храните в надёжном месте: они показываются только сейчас.
issuance-skipped = { $count ->
    [one] { $count } строка отложена: её логин тем временем занят другой учётной записью. Проверьте её и выдайте снова.
    [few] { $count } строки отложены: их логины тем временем заняты другими учётными записями. Проверьте их и выдайте снова.
    [many] { $count } строк отложено: их логины тем временем заняты другими учётными записями. Проверьте их и выдайте снова.
   *[other] { $count } строки отложено: их логины тем временем заняты другими учётными записями. Проверьте их и выдайте снова.
}
twofa-due = Для вашей роли нужен двухэтапный вход. Настройте его до { $date }: после этой даты откроется только страница настройки.
twofa-overdue = Для вашей роли нужен двухэтапный вход: настройте его, чтобы продолжить.

## Запросы доступа студентов, зачисленных до EDU24
request-link = Учитесь здесь с тех пор, когда EDU24 ещё не было, и нет карточки? Запросите доступ.
request-title = Запрос доступа к EDU24
request-lead = Если вы были зачислены до того, как ваш вуз подключился к EDU24, заполните эту форму. Учебный отдел сверит её со студенческим билетом и выдаст карточку с паролем.
request-choose = Выберите свой вуз.
request-contact = Телефон или e-mail
request-contact-invalid = Укажите телефон или адрес e-mail, чтобы учебный отдел мог вас пригласить.
request-submit = Отправить запрос
request-sent = Запрос отправлен. Учебный отдел вашего вуза свяжется с вами; возьмите студенческий билет, чтобы получить карточку с паролем.
request-pending = Запрос с этим студенческим билетом уже ожидает решения учебного отдела.
requests-title = Запросы доступа
requests-lead = Студенты, зачисленные до EDU24, запрашивают доступ. Сверьте каждый запрос со своими записями; одобрение сразу выдаёт учётную запись и печатает карточку.
requests-none = Нет ожидающих запросов.
requests-default-reason = Сверено со студенческим билетом
requests-approve = Одобрить и напечатать карточку
requests-reject = Отклонить
requests-conflict = Этот запрос уже рассмотрен, или учётная запись с этим студенческим билетом уже есть.
account-new-title = Создать учётную запись
account-new-lead = Для нового сотрудника или отдельного студента. Учётная запись получит выбранную роль и одноразовый пароль, напечатанный на карточке.
account-new-name = ФИО полностью
account-new-submit = Создать и напечатать карточку
account-new-login-invalid = Логин — от 3 до 64 латинских букв, цифр, точек, дефисов или подчёркиваний.
account-new-name-invalid = Укажите ФИО полностью.

## Самостоятельная регистрация и проверка работодателей
register-link = Впервые здесь? Зарегистрируйтесь как абитуриент или работодатель.
register-title = Регистрация
register-lead = Абитуриенты могут пользоваться учётной записью сразу. Работодателей проверяет министерство, прежде чем они смогут видеть сведения о студентах.
register-kind = Я
register-employer-fields = Для работодателей
register-organisation = Организация
register-tax-id = ИНН (14 цифр)
register-tax-id-invalid = ИНН состоит из 14 цифр.
register-organisation-invalid = Укажите организацию (не более 300 символов).
register-submit = Зарегистрироваться
register-done-applicant = Учётная запись готова. Войдите со своим логином и паролем.
register-done-employer = Учётная запись создана. Министерство проверяет работодателей; до проверки вы можете входить, но не видите сведений о студентах.
employer-pending = Министерство ещё не проверило вашу организацию.
employer-rejected = Министерство не подтвердило вашу организацию. Уточните причину в министерстве.
employers-title = Работодатели на проверку
employers-lead = Проверьте каждую организацию (ИНН, контакт), прежде чем она сможет видеть сведения о студентах.
employers-default-reason = Проверено по реестру юридических лиц
employers-verify = Подтвердить работодателя

## Адрес e-mail и сброс пароля
email-title = E-mail для сброса пароля
email-lead = С подтверждённым адресом вы сможете сами сбросить забытый пароль по ссылке, которая действует один раз и 30 минут.
email-address = Адрес e-mail
email-save = Сохранить и отправить ссылку для подтверждения
email-confirmed = подтверждён
email-unconfirmed = ожидает подтверждения
email-invalid = Укажите адрес e-mail, например name@example.kg.
email-verified = Ваш адрес e-mail подтверждён.
done-email = Мы отправили ссылку для подтверждения. Откройте её в течение 24 часов.
link-invalid = Ссылка неверна, уже использована или устарела. Запросите новую.
reset-link = Забыли пароль?
reset-title = Сброс пароля
reset-lead = Введите логин. Если у учётной записи есть подтверждённый e-mail, мы отправим ссылку для нового пароля. Студентам без e-mail новую карточку выдаёт учебный отдел.
reset-send = Отправить ссылку
reset-sent = Если у этого логина есть подтверждённый e-mail, ссылка уже в пути. Она действует один раз, 30 минут.
reset-done = Новый пароль сохранён, все сеансы завершены. Войдите с новым паролем.
audit-email-set = Указан адрес e-mail
audit-email-verified = Адрес e-mail подтверждён
audit-password-reset-requested = Отправлена ссылка для сброса пароля
audit-password-reset = Пароль сброшен по ссылке из письма
audit-other = Другое изменение
audit-login-second_factor_required = Пароль принят, запрошен код
audit-login-second_factor_failed = Неверный код входа
audit-second_factor-enabled = Двухэтапный вход включён
audit-second_factor-disabled = Двухэтапный вход выключен
audit-account-issued = Учётная запись выдана
audit-account-registered = Учётная запись зарегистрирована
audit-employer-verified = Работодатель подтверждён министерством
audit-employer-rejected = Работодатель не подтверждён министерством

## Issue 4: programmes, comparison, licensing, classifier, open data
nav-programmes = Программы
programmes-title = Поиск образовательной программы
programme-search-label = Специальность, вуз или город
programme-search-placeholder = например: экономика Ош
programmes-found = { $count ->
    [one] Найдена { $count } программа
    [few] Найдено { $count } программы
    [many] Найдено { $count } программ
   *[other] Найдено { $count } программ
}
search-link = Ссылка на этот поиск
filter-field = Область образования
filter-city = Город
filter-language = Язык обучения
filter-form = Форма обучения
filter-fee = Стоимость обучения в год, сом
filter-fee-min = От
filter-fee-max = До
filter-grant = Только с грантовыми местами
filter-accredited = Только аккредитованные
sort-label = Сортировка
sort-name = По названию
sort-fee_asc = По стоимости: сначала дешевле
sort-fee_desc = По стоимости: сначала дороже
sort-score_desc = По проходному баллу: сначала выше
sort-grant_desc = По числу грантовых мест: сначала больше
fee-per-year = { $fee } сом в год
not-yet-known = Пока неизвестно
passing-score = Проходной балл: { $score }
passing-score-in = { $score } (приём { $year } года)
places-summary = Грантовых мест: { $grant }, контрактных: { $contract }
outcomes-heading = Выпускники
outcomes-employed = Трудоустроены { $percent }% выпускников { $year } года (всего выпускников: { $graduates })
outcomes-too-few = Менее 5 выпускников: сведения не публикуются в целях защиты их персональных данных
admission-heading = Приём { $year } года
fact-places = Места
fact-fee-citizen = Стоимость обучения для граждан КР
fact-fee-foreign = Стоимость обучения для иностранных граждан
fact-passing-score = Проходной балл ОРТ в прошлом году
fact-outcomes = Трудоустройство выпускников
fact-accreditation = Аккредитация
fact-address = Адрес
fact-phone = Телефон
fact-email = E-mail
fact-rector = Ректор
fact-languages = Языки обучения
accredited = Аккредитовано
not-accredited = Нет аккредитации
accreditation-accredited = Аккредитовано
accreditation-conditional = Аккредитовано с условиями
accreditation-denied = В аккредитации отказано
accreditation-withdrawn = Аккредитация отозвана
accreditation-institution = вуз в целом, { $agency }, до { $to }
accreditation-programme = программа, { $agency }, до { $to }
compare-pick = Сравнить
compare-button = Сравнить выбранные (не более { $max })
compare-title = Сравнение программ
compare-how-many = Для сравнения выберите от 1 до { $max } программ; выбрано: { $count }.
compare-start = Сравнить с другими
programme-same-elsewhere = Эта же специальность в других вузах
logo-of = Логотип: { $name }
photo-of = Фотография: { $name }
language-uz = Узбекский
language-ar = Арабский
language-fr = Французский
language-ko = Корейский
language-ja = Японский
framework-title = Классификатор специальностей
framework-as-of = Классификатор на дату
framework-show = Показать
framework-today = Сегодня
framework-count = Записей на { $date }: { $count }
col-code = Код
col-barred = Приём приостановлен
col-version = Версия
col-recorded = Внесено
col-fill = Заполненность
col-row = Строка
col-column = Столбец
col-problem = Что исправить
unverified = не проверено
not-valid-on-date = не действует на эту дату
history-caption = Все сохранённые версии, сначала новые
download-csv = Скачать CSV
download-xlsx = Скачать Excel (XLSX)
licensing-title = Лицензии: контроль в реальном времени
licensing-title-institution = { $name }: лицензии
licensing-live = Данные на { $date } в реальном времени: зачисления и зарезервированные места учитываются сразу.
licensing-own = Лицензии моего вуза
licensing-all-clear = Ни одна лицензия не близка к предельному контингенту, срок ни одной не истекает в ближайшие 90 дней, и все программы лицензированы.
licensing-near-full = Лицензии, заполненные на 90% и более
licensing-near-full-caption = Сначала наиболее заполненные
licensing-expiring = Лицензии, истекающие в ближайшие 90 дней
licensing-expiring-caption = Сначала истекающие раньше всех
licensing-unlicensed = Программы без действующей лицензии
licensing-unlicensed-caption = Программы, обучение по которым ведётся без действующей лицензии
stat-enrolled = учтённые студенты
stat-full = лицензии заполнены на 100%
chart-fill-bands = Лицензии по заполненности
chart-expiring-by-month = Истечение лицензий по месяцам
fill-band-low = менее 50%
fill-band-mid = 50–89%
fill-band-high = 90–99%
fill-band-full = 100% и более
fill-detail = (зачислено: { $enrolled }, в резерве: { $held }, контингент по лицензии: { $contingent })
alerts-heading = Уведомления о лицензиях: { $name }
alert-full = { $count ->
    [one] { $count } лицензия заполнена полностью
    [few] { $count } лицензии заполнены полностью
    [many] { $count } лицензий заполнено полностью
   *[other] { $count } лицензий заполнено полностью
}
alert-near-full = { $count ->
    [one] { $count } лицензия заполнена на 90% и более
    [few] { $count } лицензии заполнены на 90% и более
    [many] { $count } лицензий заполнено на 90% и более
   *[other] { $count } лицензий заполнено на 90% и более
}
alert-expiring = { $count ->
    [one] { $count } лицензия истекает в ближайшие 90 дней
    [few] { $count } лицензии истекают в ближайшие 90 дней
    [many] { $count } лицензий истекают в ближайшие 90 дней
   *[other] { $count } лицензий истекают в ближайшие 90 дней
}
alert-unlicensed = { $count ->
    [one] { $count } программа не имеет действующей лицензии
    [few] { $count } программы не имеют действующей лицензии
    [many] { $count } программ не имеют действующей лицензии
   *[other] { $count } программ не имеют действующей лицензии
}
alerts-open = Открыть лицензии
framework-admin-title = Ведение классификатора
framework-admin-lead = Загрузите классификатор в формате CSV или Excel. Сначала проверяется каждая строка: если хотя бы в одной строке есть ошибка, ничего не изменяется, а все ошибочные строки перечисляются. Каждое изменение сохраняется как новая версия.
import-file-label = Файл классификатора (CSV или XLSX)
import-file-hint = Столбцы (в любом порядке, названия указываются в первой строке):
import-button = Проверить и импортировать
import-done = Импорт выполнен: изменено — { $changed }, без изменений — { $unchanged }.
import-refused = { $count ->
    [one] В { $count } строке есть ошибка. Ничего не импортировано.
    [few] В { $count } строках есть ошибки. Ничего не импортировано.
    [many] В { $count } строках есть ошибки. Ничего не импортировано.
   *[other] В { $count } строках есть ошибки. Ничего не импортировано.
}
import-errors-caption = Строки, которые нужно исправить
import-file-too-large = Файл слишком большой (не более 8 MiB).
import-file_too_large = Файл слишком большой (не более 8 MiB).
import-file_unreadable = Файл не удаётся прочитать: сохраните его в формате CSV (UTF-8) или XLSX.
import-file_too_many_cells = В таблице слишком много строк или столбцов (не больше 100 000 строк и 64 столбцов); удалите ячейки далеко за пределами таблицы.
import-file_empty = Файл пуст.
import-file_not_utf8 = CSV-файл сохранён не в кодировке UTF-8: сохраните его как «CSV UTF-8».
import-missing_columns = В первой строке нет этих столбцов.
open-data-title = Открытые данные
open-data-lead = Общедоступный каталог, который можно свободно скачивать и использовать повторно: все вузы, программы и лицензии. Сведения о группах менее 5 человек не публикуются.
open-data-institutions = Вузы
open-data-programmes = Программы
open-data-licences = Лицензии
open-data-licence = Обновляется непрерывно. Также доступно в формате JSON через API, с постраничной выдачей и ETag.
institution-admin-link = Управление: { $name }
institution-admin-title = { $name }: профиль и программы
public-page = Публичная страница
profile-heading = Профиль
field-name = Название
field-address = Адрес
field-phone = Телефон
field-email = E-mail
field-rector = Ректор
field-founded = Год основания
field-website = Сайт
field-languages = Языки обучения
field-reason = Причина
field-agency = Агентство
field-result = Результат
field-valid_from = Действует с
field-valid_to = Действует до (если пусто — бессрочно)
field-duration_months = Срок обучения, месяцев
field-admission_year = Год приёма
field-grant_places = Грантовые места
field-contract_places = Контрактные места
field-specialty_code = Специальность
field-form = Форма обучения
field-language = Язык
field-contingent = Контингент по лицензии
field-document_no = Номер документа
field-credits = Кредиты
field-fee_citizen = Стоимость обучения для граждан КР
field-fee_foreign = Стоимость обучения для иностранных граждан
field-image = Изображение
field-isced_f_broad = Область по ISCED-F
field-code = Код
images-heading = Логотип и фотографии
image-kind = Тип изображения
image-file = Файл изображения
image-hint = PNG, JPEG или WebP, не более 2 MiB, от 16 до 8000 пикселей по каждой стороне.
logo = Логотип
photo = Фотография
upload = Загрузить
remove = Удалить
save = Сохранить
saved = Сохранено.
back = Назад
programme-add = Добавить программу
programme-edit = Изменить программу
programme-results-hint = Проходные баллы и данные о трудоустройстве выпускников поступают из результатов приёма и опросов выпускников; вводить их здесь вручную нельзя.
licence-add = Выдать лицензию
licence-edit = Изменить лицензию
licence-status-active = Действует
licence-status-suspended = Приостановлена
licence-status-revoked = Отозвана
reason-hint = Обязательно при приостановлении или отзыве лицензии; публикуется в открытом доступе.
accreditation-add = Внести решение об аккредитации
accreditation-of = Объект аккредитации
accreditation-whole = Вуз в целом
ministry-owns = Лицензии и аккредитация вносятся министерством; здесь они доступны только для просмотра.
problem-image_too_large = Изображение больше 2 MiB.
problem-image_type = Файл не является изображением PNG, JPEG или WebP.
problem-image_dimensions = Каждая сторона изображения должна быть от 16 до 8000 пикселей.
problem-too_many_photos = Уже загружено 12 фотографий: сначала удалите одну из них.
problem-programme_exists = У вуза уже есть программа с такими же специальностью, уровнем, формой и языком обучения.
param-date = Дата указывается в формате 2025-09-01 ({ $parameter }).
param-fee = Стоимость указывается целым числом сомов, не меньше 0 ({ $parameter }).
param-fee-range = Максимальная стоимость меньше минимальной ({ $parameter }).
param-field = Выберите область образования из списка ({ $parameter }).
param-form = Выберите форму обучения из списка ({ $parameter }).
param-language = Выберите язык из списка ({ $parameter }).
param-sort = Выберите порядок сортировки из списка ({ $parameter }).
entry-heading = Добавить или изменить одну запись
entry-hint = Сохраняется как новая версия записи, с теми же проверками, что и при загрузке файла.
entry-verified = Сверено с открытым источником
entry-edit = Изменить запись (министерство)
problem-field = Проверьте поле «{ $field }».

## Учебные планы и государственные образовательные стандарты (issue 5)

level-bachelor = Бакалавриат
level-master = Магистратура
level-specialist = Специалитет
level-phd = Докторантура (PhD)
form-full_time = Очная
form-part_time = Заочная
form-evening = Очно-заочная (вечерняя)
form-distance = Дистанционная
filter-apply = Показать
cell-label = { $column }, строка { $row }
col-assessment = Форма контроля
col-block = Блок
col-choice-group = Группа выбора
col-component = Компонент
col-contact-hours = Аудиторные часы
col-course = Дисциплина
col-credits = Кредиты
col-delete = Удалить
col-hours = Часы
col-independent = Самостоятельная работа (СРС)
col-independent-short = СРС
col-intake = Год приёма
col-kind = Вид
col-labs = Лабораторные работы
col-labs-short = Лаб.
col-lectures = Лекции
col-lectures-short = Лек.
col-limits = Допустимые кредиты
col-mandatory = Обязательная
col-max-credits = Максимум кредитов
col-min-credits = Минимум кредитов
col-name-en = Название (на английском)
col-name-ky = Название (на кыргызском)
col-name-ru = Название (на русском)
col-note = Примечание
col-practicals = Практические (семинарские) занятия
col-practicals-short = Пр.
col-prerequisites = Пререквизиты
col-programme = Программа
col-recommended = Рекомендуемые кредиты
col-semester = Семестр
col-semester-short = Сем.
col-semesters = Число семестров
col-since = Действует с
col-total = Итого
col-valid-from = Действует с
col-weekly = Часов в неделю
assessment-exam = Экзамен
assessment-credit_test = Зачёт
assessment-coursework = Курсовая работа
assessment-state_exam = Государственный экзамен
assessment-thesis = Защита выпускной квалификационной работы
component-state = Государственный компонент
component-institution = Вузовский компонент
component-state-short = гос.
block-kind-general = Общеобразовательный
block-kind-science = Математический и естественнонаучный
block-kind-professional = Профессиональный
block-kind-physical = Физическая культура
block-kind-internship = Практики
block-kind-research = Научно-исследовательская работа
block-kind-final_attestation = Итоговая государственная аттестация
severity-error = Ошибка
severity-warning = Предупреждение
stat-curricula = учебные планы
stat-with-errors = не соответствуют стандарту
stat-without-approved = { $count ->
    [one] из { $count } программы без утверждённого учебного плана
   *[other] из { $count } программ без утверждённого учебного плана
}
chart-weekly-load = Часов в неделю по семестрам
chart-weekly-load-hint = (линия — предел по стандарту: { $max } ч в неделю; семестр — { $weeks } нед.)
chart-curricula-status = Учебные планы по статусу
chart-rules-broken = Чаще всего нарушаемые требования (число учебных планов)
chart-compare-credits = Кредиты по блокам
chart-compare-contact = Аудиторные часы по блокам (лекции, практические занятия, лабораторные работы)

standards-title = Государственные образовательные стандарты
standards-lead = Учебный план каждой программы должен соответствовать государственному образовательному стандарту её специальности и уровня, действующему на момент приёма студентов: по общему числу кредитов и кредитам по блокам, обязательным дисциплинам, нагрузке и доле государственного компонента.
standards-caption = { $count ->
    [one] { $count } стандарт
    [few] { $count } стандарта
    [many] { $count } стандартов
   *[other] { $count } стандартов
}
standard-valid-from = действует с { $date }
standard-new = Внести стандарт
standard-edit = Изменить стандарт
standard-new-version = Внести новую редакцию этого стандарта
standard-facts = Сведения о стандарте
standard-blocks = Блоки и их кредиты
standard-courses = Обязательные дисциплины
standard-courses-hint = Для национальных дисциплин (коды GE-…) название указывать не нужно: его берут из национального каталога. Блок дисциплины должен быть одним из блоков, указанных выше.
standard-hours-per-credit = 1 кредит = { $hours } ч
standard-hours-per-credit-label = Часов в одном кредите
standard-weeks = { $weeks ->
    [one] по { $weeks } неделе
    [few] по { $weeks } недели
    [many] по { $weeks } недель
   *[other] по { $weeks } недель
}
standard-weeks-label = Недель в семестре
standard-max-weekly = Максимальная нагрузка, часов в неделю
standard-state-share = Минимальная доля государственного компонента, %
standard-in-use = По стандарту утверждены учебные планы
standard-in-use-yes = да: он больше не изменяется
standard-in-use-no = пока нет
standard-title-ky = Название (на кыргызском)
standard-title-ru = Название (на русском)
standard-title-en = Название (на английском)
error-standard-not-found = Такого стандарта нет.
national-courses-title = Национальный каталог общеобразовательных дисциплин
national-courses-lead = Учебные планы ссылаются на эти дисциплины по коду, чтобы одна и та же дисциплина называлась и учитывалась одинаково во всех вузах.
national-course-form = Добавить или изменить национальную дисциплину
national-course-code-hint = GE- и затем буквы, например GE-MANAS. Если такой код уже есть, дисциплина изменяется.
national-course-saved = Дисциплина { $code } сохранена; учебные планы, в которых она используется, проверены заново.

curricula-title = Учебные планы
curricula-title-institution = { $name }: учебные планы
curricula-lead = У каждой программы есть учебный план на каждый год приёма. Черновик проверяется при каждом сохранении; соответствующий стандарту направляется на утверждение; утверждённый больше не изменяется, а любое изменение оформляется как новая версия.
curricula-caption = { $count ->
    [one] { $count } программа (по годам приёма)
    [few] { $count } программы (по годам приёма)
    [many] { $count } программ (по годам приёма)
   *[other] { $count } программ (по годам приёма)
}
curricula-new-heading = Новый учебный план
curricula-copy-from = Взять за основу
curricula-copy-none = пустой план
curricula-copy-hint = Быстрее всего начать с копии утверждённого плана (другого года или другой программы); копия становится новым черновиком.
curricula-new-button = Создать черновик
curricula-back = Все учебные планы вуза
curricula-missing = без утверждённого учебного плана
curricula-national-title = Учебные планы: соответствие стандартам по республике
curricula-national-lead = Все учебные планы набора { $year } года, проверенные по действующему для них стандарту.
curricula-by-institution = По вузам
curricula-queue = { $count ->
    [one] { $count } учебный план ожидает утверждения
    [few] { $count } учебных плана ожидают утверждения
    [many] { $count } учебных планов ожидают утверждения
   *[other] { $count } учебных планов ожидают утверждения
}
curricula-queue-empty = Нет учебных планов, ожидающих утверждения.
curricula-failing = { $count ->
    [one] { $count } учебный план не соответствует стандарту
    [few] { $count } учебных плана не соответствуют стандарту
    [many] { $count } учебных планов не соответствуют стандарту
   *[other] { $count } учебных планов не соответствуют стандарту
}
curricula-failing-none = Все учебные планы соответствуют своим стандартам.
curricula-programme-heading = Учебные планы
curricula-programme-none = Для этой программы пока не опубликовано ни одного утверждённого учебного плана.
curricula-programme-intake = Набор { $year } года
recheck-button = Заново проверить все учебные планы
recheck-last = последняя проверка: { $date } UTC
recheck-done = Проверено учебных планов: { $curricula } за { $seconds } с. Результат изменился: { $changed }; не соответствуют стандарту: { $errors }.
delegations-title = Утверждение учебных планов вузами
delegations-lead = Министерство может передать утверждение учебных планов вуза администратору этого вуза (например, вузам с особым статусом). Тот, кто направил учебный план на утверждение, никогда не утверждает его сам.
delegation-form = Передать или отозвать полномочие
delegation-saved = Сохранено: { $name }.
delegated-yes = утверждает свои учебные планы сам
delegated-no = утверждает министерство

curriculum-title = Учебный план: { $specialty }, набор { $year } года
curriculum-edit-title = Редактирование учебного плана: { $specialty }, набор { $year } года
curriculum-status-draft = черновик
curriculum-status-submitted = на утверждении
curriculum-status-approved = утверждён
curriculum-status-superseded = заменён
curriculum-errors = { $count ->
    [one] { $count } ошибка
    [few] { $count } ошибки
    [many] { $count } ошибок
   *[other] { $count } ошибок
}
curriculum-warnings = { $count ->
    [one] { $count } предупреждение
    [few] { $count } предупреждения
    [many] { $count } предупреждений
   *[other] { $count } предупреждений
}
curriculum-compliant = соответствует стандарту
curriculum-no-findings = План соответствует всем требованиям своего стандарта.
curriculum-lines = строки
curriculum-approved-on = Дата утверждения
curriculum-fingerprint = Контрольная сумма (SHA-256)
curriculum-returned-note = Замечание при возврате
curriculum-standard = Применяется стандарт
curriculum-programme-page = Программа
curriculum-edit = Редактировать черновик
curriculum-view = Учебный план
curriculum-submit = Направить на утверждение
curriculum-submit-hint = План с ошибками направить нельзя; предупреждения этому не мешают.
curriculum-new-version = Создать новую версию
curriculum-decide-heading = Утвердить или вернуть
curriculum-decide-note = Замечание для вуза
curriculum-decide-hint = Обязательно при возврате: укажите, что нужно исправить.
curriculum-approve = Утвердить
curriculum-return = Вернуть в вуз
curriculum-compliance-heading = Соответствие стандарту
curriculum-checked-against-current = Проверено по стандарту, действующему сейчас; план был утверждён по стандарту, указанному выше.
curriculum-blocks-caption = Кредиты по блокам
curriculum-plan-heading = План по семестрам
curriculum-semester = Семестр { $semester }
curriculum-credits = кредитов: { $credits }
curriculum-choice = выбор { $group }
curriculum-versions = Версии
curriculum-figures = Кредиты по блокам и недельная нагрузка
curriculum-edit-hint = Одна строка — одна дисциплина в одном семестре (дисциплина, которая изучается два семестра, занимает две строки). Пустые строки пропускаются; чтобы удалить строку, отметьте «Удалить». Названия национальных дисциплин (GE-…) берутся из каталога. В кредитах допускается один знак после запятой (4,5). Каждое сохранение сразу проверяется, и ничего не теряется: устаревшее или ошибочное сохранение ничего не меняет.
curriculum-save = Сохранить и проверить
curriculum-saved = Сохранено и проверено.
curriculum-more-rows = Добавить 20 пустых строк
curriculum-file-heading = Весь план в виде электронной таблицы
curriculum-import-label = Файл плана (CSV или XLSX)
curriculum-import-hint = В первой строке — названия столбцов в любом порядке; файл заменяет все строки черновика, а если хотя бы одна строка ошибочна, ничего не меняется. Столбцы:
curriculum-import-button = Проверить и заменить план
curriculum-discard = Удалить черновик
curriculum-discard-confirm = Да, удалить этот черновик
curriculum-rows-refused = { $count ->
    [one] В строках ниже найдена { $count } ошибка. Ничего не сохранено.
    [few] В строках ниже найдено { $count } ошибки. Ничего не сохранено.
    [many] В строках ниже найдено { $count } ошибок. Ничего не сохранено.
   *[other] В строках ниже найдено { $count } ошибок. Ничего не сохранено.
}
curriculum-file-refused = { $count ->
    [one] В файле найдена { $count } ошибка. Ничего не изменено.
    [few] В файле найдено { $count } ошибки. Ничего не изменено.
    [many] В файле найдено { $count } ошибок. Ничего не изменено.
   *[other] В файле найдено { $count } ошибок. Ничего не изменено.
}
error-curriculum-not-found = Такого учебного плана нет, или он не опубликован.

curriculum-row-semester_range = Семестр — число от 1 до 20.
curriculum-row-code_format = Код дисциплины начинается с буквы и состоит из букв, цифр и знаков - . _ (не более 24 символов).
curriculum-row-name_required = Укажите название дисциплины хотя бы на одном языке.
curriculum-row-too_long = Текст слишком длинный.
curriculum-row-block_code = Укажите блок: код одного из блоков стандарта.
curriculum-row-credits_range = В одной строке — от 0 до 60 кредитов.
curriculum-row-credits_number = Кредиты указываются числом, например 4 или 4,5.
curriculum-row-hours_range = Часы — от 0 до 3000.
curriculum-row-number = Введите целое число.
curriculum-row-assessment_unknown = Выберите форму контроля: экзамен, зачёт, курсовая работа, государственный экзамен или защита выпускной квалификационной работы.
curriculum-row-component_unknown = Компонент — государственный или вузовский.
curriculum-row-prerequisite_format = Пререквизиты — коды дисциплин через пробел.
curriculum-row-prerequisite_self = Дисциплина не может быть пререквизитом самой себя.
curriculum-row-choice_group_format = Группа выбора — не более 16 букв или цифр.
curriculum-row-duplicate_line = Эта дисциплина уже есть в этом семестре.
curriculum-row-too_many_lines = В плане слишком много строк (не более 600).
curriculum-row-missing_columns = В первой строке нет этих столбцов.
curriculum-row-file_empty = Файл пуст.
curriculum-row-file_unreadable = Файл не удаётся прочитать: сохраните его в формате CSV (UTF-8) или XLSX.
curriculum-row-file_too_many_cells = В таблице слишком много строк или столбцов (не больше 100 000 строк и 64 столбцов); удалите ячейки далеко за пределами таблицы.
curriculum-row-file_not_utf8 = CSV-файл сохранён не в кодировке UTF-8: сохраните его как «CSV UTF-8».
curriculum-row-file_too_large = Файл слишком большой (не более 8 MiB).

curriculum-problem-not_compliant = План не соответствует стандарту: сначала исправьте ошибки, перечисленные ниже.
curriculum-problem-not_draft = Изменять можно только черновик. Чтобы изменить утверждённый учебный план, создайте новую версию.
curriculum-problem-not_submitted = Утвердить или вернуть можно только учебный план, направленный на утверждение.
curriculum-problem-not_approved = Новая версия создаётся на основе действующего утверждённого учебного плана.
curriculum-problem-stale_revision = Кто-то сохранил этот черновик после того, как вы его открыли. Ничего не сохранено: откройте черновик заново и повторите изменение.
curriculum-problem-open_version_exists = Для этой программы и года приёма уже готовится новая версия: сначала завершите или удалите её.
curriculum-problem-four_eyes = Этот учебный план направили на утверждение вы, поэтому утверждает его другой сотрудник.
curriculum-problem-note_required = При возврате учебного плана укажите, что нужно исправить.
curriculum-problem-intake_range = Год приёма — от 1990 до 2100.
curriculum-problem-programme_unknown = Эта программа пока неизвестна; попробуйте ещё раз через минуту.
curriculum-problem-confirm_required = Поставьте отметку для подтверждения.
curriculum-problem-standard_in_use = По этому стандарту утверждён учебный план, поэтому стандарт больше не изменяется: внесите новую редакцию с более поздней датой вступления в силу.
curriculum-problem-standard_exists = Стандарт этой специальности и уровня с такой датой уже есть: измените его.
curriculum-problem-standard_key = Специальность и уровень стандарта изменить нельзя.
curriculum-problem-specialty_unknown = Выберите специальность из классификатора.
curriculum-problem-blocks_total = Пределы блоков не согласуются с общим числом кредитов.
curriculum-problem-block_limits = Пределы блока должны удовлетворять условию 0 ≤ минимум ≤ максимум ≤ общее число кредитов.
curriculum-problem-block_unknown = Для обязательной дисциплины указан блок, которого нет в стандарте.
curriculum-problem-name_required = Укажите все названия.
curriculum-problem-credits_number = Кредиты указываются числом, например 4 или 4,5.
curriculum-problem-number = Введите целые числа.
curriculum-problem-national_code_format = Код национальной дисциплины — GE- и затем буквы, например GE-MANAS.
curriculum-problem-date_format = Укажите дату в формате YYYY-MM-DD.
curriculum-problem-specialty_code_format = Код специальности — 6 цифр, например 580100.
curriculum-problem-document_no = Укажите утверждающий документ (не более 120 символов).
curriculum-problem-too_long = Текст слишком длинный.
curriculum-problem-credits_range = Число кредитов вне допустимых пределов.
curriculum-problem-hours_per_credit = Кредит — от 10 до 60 часов.
curriculum-problem-semesters_range = От 1 до 20 семестров.
curriculum-problem-weeks_range = Семестр — от 10 до 30 недель.
curriculum-problem-weekly_range = Предельная недельная нагрузка — от 10 до 80 часов.
curriculum-problem-percent_range = Государственный компонент — от 0 до 100 %.
curriculum-problem-blocks_count = В стандарте от 1 до 20 блоков.
curriculum-problem-block_code = Код блока — от 1 до 12 букв, цифр или -.
curriculum-problem-block_duplicate = Блок указан дважды.
curriculum-problem-courses_count = Не более 100 обязательных дисциплин.
curriculum-problem-code_format = Код дисциплины начинается с буквы и состоит из букв, цифр, - . _ (не более 24).
curriculum-problem-course_duplicate = Дисциплина указана дважды.
curriculum-problem-institution_unknown = Такого вуза нет.

rule-empty = пустой план
rule-no_standard = нет стандарта
rule-total_credits = общее число кредитов
rule-block_unknown = неизвестный блок
rule-block_min = блок ниже минимума
rule-block_max = блок выше максимума
rule-mandatory_missing = нет обязательной дисциплины
rule-mandatory_credits = мало кредитов у обязательной дисциплины
rule-mandatory_block = обязательная дисциплина не в том блоке
rule-mandatory_elective = обязательная дисциплина по выбору
rule-mandatory_component = обязательная дисциплина вне государственного компонента
rule-semester_range = семестр вне стандарта
rule-semester_empty = пустой семестр
rule-semester_credits = нагрузка семестра
rule-weekly_load = недельная нагрузка
rule-hours_credits = часы и кредиты
rule-state_share = доля государственного компонента
rule-attestation_block = итоговая аттестация вне своего блока
rule-attestation_last = итоговая аттестация не в последнем семестре
rule-choice_single = выбор из одной дисциплины
rule-choice_mismatch = неравноценные альтернативы
rule-prerequisite_unknown = неизвестный пререквизит
rule-prerequisite_order = пререквизит слишком поздно
rule-prerequisite_cycle = циклические пререквизиты
rule-national_unknown = неизвестная национальная дисциплина
rule-national_credits = кредиты национальной дисциплины

finding-empty = В плане пока нет дисциплин.
finding-no_standard = Для этой специальности и уровня на этот год приёма нет действующего государственного образовательного стандарта.
finding-total_credits = В плане кредитов: { $actual }; стандарт требует { $required }.
finding-block_unknown = В стандарте нет блока { $block }.
finding-block_min = В блоке { $block } ({ $block_name }) кредитов: { $actual }; стандарт требует не менее { $min }.
finding-block_max = В блоке { $block } ({ $block_name }) кредитов: { $actual }; стандарт допускает не более { $max }.
finding-mandatory_missing = Нет обязательной дисциплины { $code } ({ $course }; кредитов не менее { $min }; блок { $block }).
finding-mandatory_credits = У обязательной дисциплины { $code } ({ $course }) кредитов: { $actual }; стандарт требует не менее { $min }.
finding-mandatory_block = Обязательная дисциплина { $code } ({ $course }) должна быть в блоке { $block } ({ $block_name }).
finding-mandatory_elective = Обязательная дисциплина { $code } ({ $course }) предлагается только как альтернатива по выбору.
finding-mandatory_component = Обязательная дисциплина { $code } ({ $course }) входит в государственный компонент: отметьте это.
finding-semester_range = Стандарт предусматривает семестров: { $semesters }; эти строки выходят за их пределы.
finding-semester_empty = В семестре { $semester } нет дисциплин.
finding-semester_credits = В семестре { $semester } кредитов: { $actual }; обычно в семестре { $nominal }.
finding-weekly_load = Семестр { $semester }: { $hours } ч за { $weeks } нед. — это { $weekly } ч в неделю; стандарт допускает { $max }.
finding-hours_credits = { $code } ({ $course }): указано { $hours } ч, но { $credits } кред. × { $per_credit } ч = { $expected } ч.
finding-state_share = На государственный компонент приходится { $state } из { $total } кредитов ({ $share } %); стандарт требует не менее { $required } %.
finding-attestation_block = { $code } ({ $course }): государственный экзамен и защита выпускной квалификационной работы относятся к блоку итоговой государственной аттестации.
finding-attestation_last = { $code } ({ $course }) стоит в семестре { $semester }; итоговая государственная аттестация проводится в последнем семестре ({ $last }).
finding-choice_single = В группе выбора { $group } семестра { $semester } только одна дисциплина: выбирать не из чего.
finding-choice_mismatch = У альтернатив группы выбора { $group } (семестр { $semester }) должны совпадать кредиты, часы и блок.
finding-prerequisite_unknown = { $code } ({ $course }): пререквизита { $prerequisite } нет в плане.
finding-prerequisite_order = { $code } (семестр { $semester }): пререквизит { $prerequisite } начинается только в семестре { $prerequisite_semester }.
finding-prerequisite_cycle = Пререквизиты замыкаются в круг: { $cycle }.
finding-national_unknown = { $code } нет в национальном каталоге общеобразовательных дисциплин (коды GE- зарезервированы за ним).
finding-national_credits = У { $code } ({ $course }) кредитов: { $actual }; национальный каталог рекомендует { $recommended }, чтобы дисциплина везде засчитывалась одинаково.

compare-curricula-title = Сравнение учебных планов одной специальности
compare-curricula-lead = Утверждённые учебные планы одной специальности и уровня по вузам: сколько кредитов и часов каждый из них отводит на каждый блок стандарта.
compare-show = Сравнить
compare-none = Нет утверждённых учебных планов этой специальности, уровня и года приёма.
compare-caption = { $count ->
    [one] { $count } утверждённый учебный план
    [few] { $count } утверждённых учебных плана
    [many] { $count } утверждённых учебных планов
   *[other] { $count } утверждённых учебных планов
}
compare-hours = { $hours } ч, из них аудиторных { $contact }
curriculum-done-submitted = Отправлен на утверждение. Он больше не меняется, пока его не вернут.
curriculum-done-approved = Утверждён: теперь это действующий учебный план программы для этого года приёма.
curriculum-done-returned = Возвращён вузу с вашим замечанием.

# Студенты и приказы (records)
students-title = Студенты { $code }
students-admit-one = Зачислить студента
students-admit-roster = Зачислить набор по списку
students-search = ФИО, ПИН или номер студенческого
students-found = { $count ->
    [one] { $count } студент
    [few] { $count } студента
    [many] { $count } студентов
   *[other] { $count } студента
}
students-back = Студенты
students-admit-button = Внести и зачислить
students-count = Студенты { $name }: { $count }
col-student = Студент
col-ticket = Студенческий билет
col-group = Группа
col-year = Курс
col-funding = Финансирование
col-pin = ПИН
funding-grant = Бюджет (грант)
funding-contract = Контракт
enrolment-status-active = Учится
enrolment-status-academic_leave = В академическом отпуске
enrolment-status-expelled = Отчислен(а)
enrolment-status-graduated = Окончил(а)
enrolment-status-transferred_out = Переведён(а)
order-kind-admission = Зачисление
order-kind-group_transfer = Перевод в другую группу
order-kind-programme_transfer = Перевод на другую программу
order-kind-academic_leave = Академический отпуск
order-kind-return = Выход из академического отпуска
order-kind-expulsion = Отчисление
order-kind-reinstatement = Восстановление
order-kind-graduation = Выпуск
order-legend = Подписанный приказ
order-number = Номер приказа
order-signed-on = Дата подписания
order-effective-on = Вступает в силу
order-signatory = Подписал(а)
order-reason = Основание
order-reason-hint = Для отпуска, отчисления и восстановления укажите основание; оно хранится с приказом навсегда.
order-new = Издать приказ
order-what = Что делает приказ
order-kind = Вид приказа
order-new-programme = Новая программа
order-new-programme-hint = Только для перевода на другую программу.
order-issue = Издать приказ
person-legend = Человек, как в паспорте
person-pin-hint = 14 цифр: 1 (женщина) или 2 (мужчина), дата рождения ДДММГГГГ, затем 5 цифр.
person-pin-exception = Нет ПИН? Укажите почему (например, иностранный гражданин)
person-family = Фамилия
person-given = Имя
person-patronymic = Отчество
person-birth-date = Дата рождения
person-sex = Пол
person-sex-from-pin = Как в ПИН
sex-female = Женский
sex-male = Мужской
person-citizenship = Гражданство (код страны)
person-no-pin = Без ПИН
person-merged-into = Объединён с записью
person-enrolments = Обучение
person-orders = Приказы
enrolment-since = С
year-of-study = { $year } курс
admission-legend = Куда зачисляется студент
records-duplicates = Человек с такими ФИО и датой рождения уже внесён. Если это тот же человек, откройте его запись и зачислите оттуда; если нет, отметьте флажок ниже и внесите заново.
records-confirm-distinct = Я проверил(а): это другой человек
records-person-kept = Человек внесён; откройте его запись, чтобы зачислить, когда ошибка будет исправлена.
records-order-done = Готово: приказ «{ $kind }» издан и внесён.
records-problem-name_required = Укажите фамилию и имя как в паспорте, только буквами.
records-problem-name_format = В отчестве только буквы.
records-problem-latin_format = Имя латиницей пишется только латинскими буквами.
records-problem-date_format = Пишите даты в виде ГГГГ-ММ-ДД.
records-problem-birth_date_range = По дате рождения возраст должен быть от 14 до 100 лет: проверьте год.
records-problem-citizenship_format = Гражданство — двухбуквенный код страны: KG, KZ, UZ, IN…
records-problem-pin_required = Укажите ПИН или объясните, почему его нет.
records-problem-sex_required = Без ПИН укажите пол.
records-problem-pin_format = ПИН — 14 цифр: 1 или 2, дата рождения ДДММГГГГ, затем 5 цифр.
records-problem-pin_birth_date = Дата рождения не совпадает с датой в ПИН: сверьте обе с паспортом.
records-problem-pin_sex = Пол не совпадает с ПИН (1 — женщина, 2 — мужчина).
records-problem-pin_exists = Человек с таким ПИН уже внесён.
records-problem-pin_repeated = Этот же ПИН есть в другой строке файла.
records-problem-possible_duplicate = Человек с такими ФИО и датой рождения уже внесён: зачислите эту строку вручную, из его записи.
records-problem-person_merged = Эта запись объединена с другой: используйте ту.
records-problem-person_repeated = Один и тот же человек дважды в списке.
records-problem-merge_self = Запись нельзя объединить саму с собой.
records-problem-merge_pins_differ = Два разных ПИН — два разных человека: их не объединяют.
records-problem-query_length = Для поиска введите от 2 до 100 знаков: ПИН или начало фамилии.
records-problem-order_kind = Выберите, что делает приказ.
records-problem-order_number = Укажите номер приказа (не больше 40 знаков).
records-problem-effective_before_signed = Приказ вступает в силу не раньше чем за год до подписания.
records-problem-signatory_required = Укажите, кто подписал приказ.
records-problem-reason_required = Для этого приказа нужно основание: заполните его.
records-problem-too_long = Основание — не больше 1000 знаков.
records-problem-group_format = Укажите группу: до 24 букв, цифр, - / или .
records-problem-funding = Финансирование — бюджет (грант) или контракт.
records-problem-ticket_format = Номер студенческого — от 3 до 32 букв, цифр или -.
records-problem-ticket_taken = Этот студенческий билет принадлежит другому студенту.
records-problem-ticket_repeated = Этот же студенческий билет есть в другой строке файла.
records-problem-programme_unknown = Выберите программу из каталога.
records-problem-programme_other_institution = Эта программа другого вуза.
records-problem-same_programme = Выберите программу, отличную от текущей.
records-problem-intake_range = Год набора — от 1990 до 2100.
records-problem-licence_missing = У программы нет лицензии: на неё нельзя зачислять.
records-problem-licence_not_in_force = Лицензия программы не действует: зачислять нельзя.
records-problem-licence_full = По лицензии на эту программу не осталось свободных мест.
records-problem-already_enrolled = Человек уже учится на этой программе.
records-problem-order_not_allowed = Этот приказ не применяется к студенту в таком состоянии.
records-problem-stale_enrolment = Запись студента тем временем изменилась: откройте её снова и проверьте.
records-problem-roster_size = В списке от 1 до 10 000 строк.
records-problem-missing_columns = В первой строке нет этих столбцов.
roster-admitted = Зачислено: { $admitted }, из них уже были внесены ранее: { $known }.
roster-refused = { $count ->
    [one] { $count } ошибка. Никто не зачислен: исправьте файл и отправьте снова.
    [few] { $count } ошибки. Никто не зачислен: исправьте файл и отправьте снова.
    [many] { $count } ошибок. Никто не зачислен: исправьте файл и отправьте снова.
   *[other] { $count } ошибки. Никто не зачислен: исправьте файл и отправьте снова.
}
roster-licence-full = Свободных мест по лицензии: { $free }.
roster-lead = Весь набор программы одним приказом: сначала проверяется каждая строка, и зачисляются либо все, либо никто.
roster-file = Список (CSV или XLSX)
roster-columns = Столбцы (в любом порядке, первая строка их называет):
roster-template = образец
roster-admit-button = Проверить и зачислить
error-person-not-found = Среди доступных вам записей такого человека нет.

# Преподавание, ведомости, транскрипты (records)
records-problem-effective_before_previous = Предыдущий приказ студента вступает в силу позже: этот не может вступить в силу раньше него.
records-problem-department_required = Укажите кафедру (от 2 до 200 знаков).
records-problem-title_unknown = Выберите звание из списка.
records-problem-degree_unknown = Выберите степень из списка.
records-problem-teacher_exists = Этот человек уже преподаёт здесь.
records-problem-account_taken = Эта учётная запись принадлежит другому человеку.
records-problem-account_unknown = Учётной записи с таким логином нет.
records-problem-curriculum_missing = Для этой программы и года набора ещё нет утверждённого учебного плана: дисциплины назначаются из утверждённого плана.
records-problem-line_unknown = В учебном плане нет такой дисциплины в этом семестре.
records-problem-teacher_unknown = Выберите преподавателя вуза.
records-problem-assignment_exists = Эта дисциплина уже назначена этой группе в этом семестре.
records-problem-sheet_date_range = Дата ведомости — в пределах последнего года и не в будущем.
records-problem-sheet_exists = У этой дисциплины уже есть ведомость.
records-problem-sheet_open = У дисциплины есть незакрытая ведомость: сначала закройте её.
records-problem-no_closed_sheet = Пересдача следует за закрытой ведомостью.
records-problem-roster_empty = На эту дату в группе никто не учился, или пересдавать некому.
records-problem-teacher_only = Баллы вносит только преподаватель, назначенный на дисциплину.
records-problem-sheet_not_draft = Ведомость сдана или закрыта: баллы в неё не вносятся.
records-problem-not_on_sheet = Этого студента нет в ведомости.
records-problem-stale_sheet = Тем временем ведомость сохранил кто-то другой: откройте её снова и проверьте.
records-problem-sheet_incomplete = У некоторых студентов нет ни балла, ни отметки о неявке.
records-problem-note_required = Укажите, что исправить или почему.
records-problem-sheet_not_submitted = Закрыть или вернуть можно только сданную ведомость.
records-problem-flags_unconfirmed = У некоторых студентов есть балл, но нет посещаемости: подтвердите, что это верно, прежде чем закрыть.
records-problem-sheet_not_closed = Баллы открытой ведомости меняются сохранением.
records-problem-no_change = Действующий результат уже такой.
records-problem-correction_pending = Исправление этого результата уже ждёт решения.
records-problem-four_eyes = Исправление утверждает не тот, кто его запросил.
records-problem-correction_decided = По этому исправлению уже принято решение.
records-problem-semester_range = Семестр — от 1 до 16.
records-problem-scale_invalid = Шкала оценок непоследовательна: диапазоны от высшего балла вниз, последний начинается с 0.
records-problem-score_range = Балл — целое число от 0 до 100.
records-problem-absent_with_score = У неявившегося студента нет балла: уберите одно из двух.
records-problem-attendance_range = Посещаемость — целый процент от 0 до 100.
error-sheet-not-found = Среди доступных вам ведомостей такой нет.
col-teacher = Преподаватель
teachers-title = Преподаватели { $code }
teachers-title-short = Преподаватели
teachers-none = Преподаватели ещё не внесены.
teacher-new = Внести преподавателя
teacher-post = Должность
teacher-department = Кафедра
teacher-degree = Учёная степень
teacher-title = Звание
teacher-create = Внести преподавателя
teacher-created = Преподаватель внесён. Привяжите его учётную запись в его карточке, чтобы он мог заполнять ведомости.
degree-none = Нет
degree-candidate = Кандидат наук
degree-doctor = Доктор наук
degree-phd = PhD
title-none = Нет
title-assistant = Ассистент
title-lecturer = Преподаватель
title-senior_lecturer = Старший преподаватель
title-docent = Доцент
title-professor = Профессор
assignments-title = Дисциплины и преподаватели { $code }
assignments-title-short = Дисциплины и преподаватели
assignments-none = Дисциплины ещё не назначены.
assignment-new = Назначить дисциплину
assignment-choose-plan = Выберите выше программу и год набора: дисциплины берутся из их утверждённого учебного плана.
assignment-plan = Утверждённый учебный план, версия { $version } ({ $document })
assignment-line = Семестр { $semester } · { $code } { $course } · { $credits } кр.
assignment-create = Назначить
assignment-created = Дисциплина назначена.
person-account = Учётная запись
person-account-login = Логин учётной записи
person-account-link = Привязать
person-account-hint = Тогда человек видит свои оценки (студент) или заполняет свои ведомости (преподаватель). Пустой логин отвязывает.
person-account-linked = Учётная запись привязана.
person-account-unlinked = Учётная запись отвязана.
person-account-unknown = Учётной записи с таким логином нет.
person-account-taken = Эта учётная запись принадлежит другому человеку.
sheets-title = Ведомости
sheets-mine = Мои ведомости
sheets-none = Ведомостей пока нет.
sheets-to-open = Дисциплины без ведомости
sheet-heading = Ведомость
sheet-date = Дата ведомости
sheet-graded = Оценено
sheet-flagged-count = без посещаемости: { $count }
sheet-pending-count = исправлений ждут: { $count }
sheet-state-draft = Черновик
sheet-state-submitted = Сдана
sheet-state-closed = Закрыта
sheet-kind-retake = Пересдача
sheet-open-regular = Открыть ведомость
sheet-open-retake = Открыть ведомость пересдачи
sheet-open-failed = Ведомость не открыта
sheet-digest = Печать
sheet-pdf = Печать (PDF)
sheet-returned = Возвращена регистратором:
sheet-flag-note = У студентов ({ $count }) есть балл, но не отмечена посещаемость. Сверьте с журналом посещаемости.
sheet-flag-no_attendance = посещаемость не отмечена
sheet-fill-caption = Баллы (100-балльная шкала) и посещаемость (% занятий)
sheet-fill-hint = Сохраняйте сколько угодно раз; сдайте, когда у каждого студента есть балл или отметка о неявке. После сдачи регистратор закрывает ведомость, и она больше не меняется.
sheet-attendance = Посещаемость, %
sheet-score = Балл
sheet-absent = Не явился
sheet-absent-short = неявка
sheet-grade = Оценка
sheet-in-force = Действует
sheet-results-caption = Результаты
sheet-save = Сохранить черновик
sheet-submit = Сохранить и сдать
sheet-wait-registrar = Сдана: регистратор закрывает ведомость или возвращает её вам с замечанием.
sheet-close-heading = Закрыть или вернуть
sheet-confirm-flags = Я проверил(а) { $count } баллов без посещаемости: они верны
sheet-close-hint = Закрытая ведомость не меняется никогда: позже — только исправления с основанием, утверждённые вторым человеком.
sheet-close = Закрыть ведомость
sheet-return-note = Что преподавателю исправить
sheet-return = Вернуть преподавателю
sheet-row-at-fault = Строка:
sheet-done-saved = Сохранено.
sheet-done-submitted = Сдана регистратору.
sheet-done-closed = Закрыта: результаты действуют и видны в транскриптах студентов.
sheet-done-returned = Возвращена преподавателю с вашим замечанием.
sheet-done-correction_requested = Исправление запрошено: решение принимает другой регистратор.
sheet-done-correction_approved = Исправление утверждено: действует новый результат, прежний сохранён рядом.
sheet-done-correction_rejected = Исправление отклонено.
five-5 = отлично
five-4 = хорошо
five-3 = удовлетворительно
five-2 = неудовлетворительно
five-1 = неудовлетворительно
corrections-heading = Исправления
corrections-none = Исправлений нет.
correction-before = Было
correction-after = Стало
correction-state-pending = Ждёт решения
correction-state-approved = Утверждено
correction-state-rejected = Отклонено
correction-note = Замечание
correction-approve = Утвердить
correction-reject = Отклонить
correction-new = Запросить исправление
correction-hint = Укажите основание (апелляция, ошибка при переносе из журнала…): оно хранится с ведомостью навсегда.
correction-request = Запросить
sheet-pdf-title = Зачётно-экзаменационная ведомость
sheet-pdf-teacher = Преподаватель
sheet-pdf-registrar = Регистратор
sheet-pdf-signature = подпись, ФИО
sheet-pdf-date = дата
sheet-pdf-summary = Студентов: { $total }; оценено: { $graded }; не явились: { $absent }.
sheet-pdf-corrected = исправлено; было
sheet-pdf-not-closed = Не закрыта: черновик, а не документ.
grades-title = Мои оценки
grades-not-linked = Ваша учётная запись ещё не привязана к записи студента: обратитесь к регистратору вуза.
transcript-title = Транскрипт: { $name }
transcript-link = Транскрипт и GPA
transcript-credits = Кредиты
transcript-credits-of = Набрано { $earned } из { $required } кредитов учебного плана
transcript-gpa-hint = взвешенный по кредитам, по шкале вуза
transcript-chart = GPA по семестрам
transcript-chart-axis = (0–4)
transcript-empty = Закрытых ведомостей пока нет.
transcript-semester = Семестр { $semester }
transcript-not-in-gpa = не входит в GPA
transcript-corrected = исправлено
ranking-title = Студенты { $code } по GPA
ranking-title-short = Рейтинг по GPA
gradelog-title = Проверка журнала оценок
gradelog-heading = Журнал оценок { $code }
gradelog-lead = Каждая запись оценок скреплена печатью в цепочке. Проверка читает всю цепочку и сверяет с ней ведомости и результаты: оценка, изменённая в обход системы, или изменённая запись журнала обнаруживаются.
gradelog-run = Проверить сейчас
gradelog-intact = Цел: записей { $records }, и каждая оценка соответствует им.
gradelog-broken = Журнал оценок не сходится.
gradelog-first-broken = Цепочка рвётся на записи { $seq }.
gradelog-unexplained = Оценок не соответствуют журналу: { $count }

## Дипломы (issue 7)
nav-verify = Проверить диплом
verify-title = Проверка диплома
verify-lead = Любой может проверить кыргызстанский диплом здесь, без учётной записи: введите его номер и фамилию владельца или отсканируйте QR-код на дипломе.
verify-family-name = Фамилия владельца
verify-submit = Проверить
verify-another = Проверить другой диплом
verify-need-both = Введите и номер диплома, и фамилию владельца.
verify-throttled = Слишком много проверок с этого адреса. Подождите минуту и попробуйте снова.
verify-not-found-help = Диплома с таким номером и фамилией нет в реестре. Проверьте написание, как в дипломе.
verify-outcome-valid = Действителен: диплом есть в национальном реестре.
verify-outcome-revoked = Отозван: диплом больше не действителен.
verify-outcome-annulled = Аннулирован: диплом недействителен.
verify-outcome-replaced = Заменён дубликатом: этот оригинал больше не действителен.
verify-outcome-not_found = Не найден.
verify-credential-title = Проверка цифрового диплома (файл удостоверения)
verify-credential-lead = Вставьте файл удостоверения диплома (JSON). Подпись, издатель и статус проверяются по реестру.
verify-credential-json = Удостоверение (JSON)
verify-credential-submit = Проверить удостоверение
verify-credential-valid = Удостоверение подлинное и действует.
verify-credential-invalid = Удостоверение не прошло проверку:
verify-credential-issuer = Выдано: { $issuer }, диплом { $number }.
credential-error-not_json = Это не JSON.
credential-error-not_a_credential = Это не проверяемое удостоверение.
credential-error-context_unknown = В нём используются нестандартные контексты.
credential-error-context_invalid = Его содержимое не читается как связанные данные.
credential-error-proof_missing = В нём нет доказательства (подписи).
credential-error-proof_unsupported = Его доказательство — не Data Integrity.
credential-error-cryptosuite_unsupported = Его доказательство — не eddsa-rdfc-2022.
credential-error-proof_purpose_invalid = Его доказательство не для утверждения.
credential-error-verification_method_missing = В доказательстве не указан ключ.
credential-error-verification_method_unsupported = В доказательстве указан ключ, который не является did:key.
credential-error-proof_value_missing = В доказательстве нет значения подписи.
credential-error-proof_value_invalid = Значение подписи повреждено.
credential-error-signature_invalid = Подпись не соответствует содержимому: после подписания что-то изменено.
credential-error-issuer_key_mismatch = Оно подписано ключом, который не принадлежит его издателю.
credential-error-issuer_mismatch = Оно подписано ключом другого вуза.
credential-error-not_in_register = Такого диплома нет в реестре.
credential-error-content_differs = Оно отличается от выданного диплома.
credential-error-revoked = Диплом отозван.
credential-error-annulled = Диплом аннулирован.
credential-error-replaced = Диплом заменён дубликатом.
diploma-number = Номер диплома
diploma-holder = Владелец
diploma-qualification = Квалификация
diploma-institution = Вуз
diploma-issued-on = Дата выдачи
diploma-state-on = С даты
diploma-state-reason = Причина
diploma-duplicate = Дубликат диплома
diploma-honours = с отличием
diploma-form = Бланк
diploma-order = Приказ о выпуске
diploma-flagged = на проверке
diploma-title = Диплом { $number }
diploma-files = Документы
diploma-file-diploma-pdf = Диплом (PDF, на кыргызском и русском)
diploma-file-supplement-pdf = Приложение (PDF, на кыргызском и русском)
diploma-file-supplement-en-pdf = Приложение на английском (PDF)
diploma-file-credential-json = Цифровой диплом (проверяемое удостоверение, JSON)
diploma-flags = На проверке
flag-grade_corrected = Оценка исправлена после выдачи диплома
diploma-checks = Кто проверял
diploma-checks-none = Диплом ещё никто не проверял.
check-method-number = по номеру
check-method-qr = по QR-коду
check-method-credential = файлом удостоверения
check-method-share = по ссылке
diploma-status-change = Отозвать или аннулировать
diploma-status-submit = Изменить статус
diploma-state-pending = оформляется
diploma-state-valid = действителен
diploma-state-revoked = отозван
diploma-state-annulled = аннулирован
diploma-state-replaced = заменён
duplicate-title = Выдать дубликат
duplicate-reason = Почему дубликат (утерян, повреждён)
duplicate-submit = Выдать дубликат
diplomas-title = Дипломы { $code }
diplomas-register = Реестр дипломов
diplomas-groups = Выпускные группы
diplomas-groups-none = Ни одна группа не на последнем курсе.
diplomas-search = Номер или фамилия
diplomas-found = { $count ->
    [one] { $count } диплом
    [few] { $count } диплома
   *[other] { $count } дипломов
}
diplomas-flags = { $count ->
    [one] { $count } диплом на проверке: оценка изменена после выдачи.
    [few] { $count } диплома на проверке: оценки изменены после выдачи.
   *[other] { $count } дипломов на проверке: оценки изменены после выдачи.
}
diplomas-flags-show = Показать
group-title = Выпускная группа { $group }
group-rule = С отличием: не менее { $percent } % оценок «отлично», без «удовлетворительно», итоговая аттестация на «отлично».
group-summary = Диплом может быть выдан { $eligible } из { $total } студентов.
group-verdict = Диплом
group-eligible = может быть выдан
group-issue = Выдать { $count } дипломов с приказом о выпуске
blocker-missing_course = { $course } (семестр { $semester }): нет результата
blocker-failed_course = { $course } (семестр { $semester }): не сдано
blocker-missing_choice = Группа дисциплин по выбору { $course } (семестр { $semester }): ничего не сдано
blocker-attestation_missing = Итоговая государственная аттестация { $course }: нет результата
blocker-attestation_failed = Итоговая государственная аттестация { $course }: не сдана
blocker-credits_short = Кредиты: { $have } из { $need }
blocker-open_correction = Исправление оценки ждёт решения
blocker-not_active = Сейчас не обучается ({ $what })
blocker-no_curriculum = Нет утверждённого учебного плана набора
blocker-diploma_exists = Уже имеет диплом { $what }
blocker-level_without_diploma = На этом уровне диплом здесь не выдаётся
issue-order-no = Номер приказа о выпуске
issue-order-date = Дата приказа
issue-signatory = Подписал
issue-date = Дата дипломов
issue-series = Серия бланков
issue-series-hint = Оставьте пустым, чтобы взять наименьшие номера на складе.
issue-submit = Выдать дипломы
issue-refused = Дипломы не выданы
issue-back = Назад к группе
issued-title = Выдано дипломов: { $count }
issued-lead = Приказ о выпуске оформлен для { $count } студентов группы { $group }; их дипломы в реестре.
issue-error-order_missing = Укажите номер приказа о выпуске.
issue-error-date_invalid = Неверная дата.
issue-error-date_before_order = Дипломы не могут быть датированы раньше приказа.
issue-error-signatory_missing = Укажите, кто подписал приказ.
issue-error-series_invalid = Серия — от 1 до 6 заглавных букв или цифр.
issue-error-forms_short = Бланков этого вида на складе недостаточно. Сначала оформите поступление бланков.
issue-error-form_taken = Бланк тем временем занят. Попробуйте снова.
issue-error-not_eligible = Выбранному студенту пока нельзя выдать диплом.
issue-error-nobody_eligible = Никому в группе пока нельзя выдать диплом.
issue-error-diploma_exists = У студента уже есть диплом.
issue-error-level_without_diploma = На этом уровне диплом здесь не выдаётся.
issue-error-status_list_full = Список статусов вуза заполнен.
issue-error-not_valid = Диплом больше не действителен.
issue-error-reason_missing = Укажите причину (не менее 5 символов).
issue-error-state_unknown = Выберите «отозван» или «аннулирован».
issue-error-other = Запрос отклонён.
forms-title = Бланки строгой отчётности
forms-title-short = Бланки
forms-ledger = Учёт бланков
forms-kind = Вид бланка
forms-received = Получено
forms-in-stock = На складе
forms-used = Использовано
forms-spoiled = Испорчено
forms-returned = Возвращено
forms-receive = Оформить поступление бланков
forms-series = Серия
forms-first = С номера
forms-last = До номера
forms-document = Документ поставки
forms-received-on = Дата поступления
forms-receive-submit = Оформить поступление
forms-received-ok = Записано бланков серии { $series }: { $count }.
forms-move = Списать или вернуть бланки
forms-move-action = Что произошло
forms-reason = Причина или документ
forms-move-submit = Записать
forms-moved-ok = Записано бланков: { $count }.
forms-receipts = Поступления
forms-error-kind_unknown = Выберите вид бланка.
forms-error-series_invalid = Серия — от 1 до 6 заглавных букв или цифр, например БД.
forms-error-number_invalid = Первый номер — от 1 до 99999999.
forms-error-range_invalid = Последний номер не может быть меньше первого.
forms-error-range_too_long = В одном поступлении не более 20 000 бланков.
forms-error-document_missing = Укажите номер документа поставки.
forms-error-date_invalid = Неверная дата.
forms-error-form_exists = Часть этих номеров уже записана: номер существует один раз.
forms-error-action_unknown = Выберите «испорчен» или «возвращён».
forms-error-reason_missing = Укажите причину (от 3 до 500 символов).
forms-error-form_not_in_stock = Бланк из диапазона не на складе (использован, испорчен или возвращён).
forms-error-form_unknown = Бланк из диапазона не принадлежит этому вузу.
forms-error-other = Бланки не записаны.
form-kind-bachelor = Диплом бакалавра
form-kind-bachelor_honours = Диплом бакалавра с отличием
form-kind-master = Диплом магистра
form-kind-master_honours = Диплом магистра с отличием
form-kind-specialist = Диплом специалиста
form-kind-specialist_honours = Диплом специалиста с отличием
error-field = Поле: { $field }
share-title = Поделиться полной записью
share-days = Срок действия (дней)
share-submit = Создать ссылку
share-made = Любой, у кого есть эта ссылка, видит полную запись до { $date }:
share-back = Назад к диплому
share-days-invalid = Ссылка действует от 1 до 90 дней.
share-expired = Ссылка истекла или не существует.
my-diplomas-title = Мои дипломы
my-diplomas-none = Вам ещё не выдан диплом.
credential-error-undefined_term = В нём есть поля, не определённые стандартными контекстами (подпись бы их не покрывала).
diplomas-national-title = Дипломы и бланки страны
diplomas-national-total = Вся страна
