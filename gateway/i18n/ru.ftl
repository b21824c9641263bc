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
me-since = Аккаунт создан
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
