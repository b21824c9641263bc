-- catalogue: the national education framework, institutions, programmes, licences.
-- Portable types: ids TEXT (UUID), instants BIGINT epoch ms, booleans 0/1, dates TEXT YYYY-MM-DD.

CREATE TABLE level (
    code TEXT PRIMARY KEY,
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    nominal_credits BIGINT NOT NULL,
    nominal_years BIGINT NOT NULL,
    ord BIGINT NOT NULL
);
INSERT INTO level VALUES
    ('bachelor', 'Бакалавриат', 'Бакалавриат', 'Bachelor', 240, 4, 1),
    ('master', 'Магистратура', 'Магистратура', 'Master', 120, 2, 2),
    ('specialist', 'Адистик (специалитет)', 'Специалитет', 'Specialist', 300, 5, 3),
    ('phd', 'Докторантура (PhD)', 'Докторантура (PhD)', 'Doctorate (PhD)', 180, 3, 4);

CREATE TABLE study_form (
    code TEXT PRIMARY KEY,
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    ord BIGINT NOT NULL
);
INSERT INTO study_form VALUES
    ('full_time', 'Күндүзгү', 'Очная', 'Full-time', 1),
    ('part_time', 'Сырттан', 'Заочная', 'Part-time', 2),
    ('evening', 'Кечки', 'Очно-заочная (вечерняя)', 'Evening', 3),
    ('distance', 'Аралыктан', 'Дистанционная', 'Distance', 4);

CREATE TABLE region (
    code TEXT PRIMARY KEY,
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    ord BIGINT NOT NULL
);
INSERT INTO region VALUES
    ('bishkek', 'Бишкек шаары', 'г. Бишкек', 'Bishkek city', 1),
    ('osh_city', 'Ош шаары', 'г. Ош', 'Osh city', 2),
    ('batken', 'Баткен облусу', 'Баткенская область', 'Batken Region', 3),
    ('jalal_abad', 'Жалал-Абад облусу', 'Джалал-Абадская область', 'Jalal-Abad Region', 4),
    ('issyk_kul', 'Ысык-Көл облусу', 'Иссык-Кульская область', 'Issyk-Kul Region', 5),
    ('naryn', 'Нарын облусу', 'Нарынская область', 'Naryn Region', 6),
    ('osh', 'Ош облусу', 'Ошская область', 'Osh Region', 7),
    ('talas', 'Талас облусу', 'Таласская область', 'Talas Region', 8),
    ('chuy', 'Чүй облусу', 'Чуйская область', 'Chuy Region', 9);

CREATE TABLE isced_field (
    code TEXT PRIMARY KEY,
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL
);
INSERT INTO isced_field VALUES
    ('00', 'Жалпы программалар', 'Общие программы', 'Generic programmes and qualifications'),
    ('01', 'Билим берүү', 'Образование', 'Education'),
    ('02', 'Искусство жана гуманитардык илимдер', 'Искусство и гуманитарные науки', 'Arts and humanities'),
    ('03', 'Социалдык илимдер, журналистика жана маалымат', 'Социальные науки, журналистика и информация', 'Social sciences, journalism and information'),
    ('04', 'Бизнес, башкаруу жана укук', 'Бизнес, администрирование и право', 'Business, administration and law'),
    ('05', 'Табигый илимдер, математика жана статистика', 'Естественные науки, математика и статистика', 'Natural sciences, mathematics and statistics'),
    ('06', 'Маалыматтык-коммуникациялык технологиялар', 'Информационно-коммуникационные технологии', 'Information and communication technologies'),
    ('07', 'Инженерия, өндүрүш жана курулуш', 'Инженерия, обрабатывающая промышленность и строительство', 'Engineering, manufacturing and construction'),
    ('08', 'Айыл, токой, балык чарбасы жана ветеринария', 'Сельское, лесное, рыбное хозяйство и ветеринария', 'Agriculture, forestry, fisheries and veterinary'),
    ('09', 'Саламаттыкты сактоо жана социалдык камсыздоо', 'Здравоохранение и социальное обеспечение', 'Health and welfare'),
    ('10', 'Кызмат көрсөтүү', 'Услуги', 'Services');

CREATE TABLE specialty (
    code TEXT NOT NULL,
    level TEXT NOT NULL REFERENCES level (code),
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    isced_f_broad TEXT NOT NULL REFERENCES isced_field (code),
    verified BIGINT NOT NULL,
    barred_forms TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (code, level)
);

CREATE TABLE institution (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    region TEXT NOT NULL,
    city_ky TEXT NOT NULL,
    city_ru TEXT NOT NULL,
    city_en TEXT NOT NULL,
    ownership TEXT NOT NULL,
    status TEXT NOT NULL,
    founded BIGINT,
    website TEXT NOT NULL,
    special_status BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE programme (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institution (id),
    specialty_code TEXT NOT NULL,
    level TEXT NOT NULL REFERENCES level (code),
    form TEXT NOT NULL REFERENCES study_form (code),
    language TEXT NOT NULL,
    duration_months BIGINT NOT NULL,
    credits BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (institution_id, specialty_code, level, form, language),
    FOREIGN KEY (specialty_code, level) REFERENCES specialty (code, level)
);
CREATE INDEX programme_institution ON programme (institution_id);

CREATE TABLE licence (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institution (id),
    specialty_code TEXT NOT NULL,
    level TEXT NOT NULL REFERENCES level (code),
    form TEXT NOT NULL REFERENCES study_form (code),
    contingent BIGINT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    document_no TEXT NOT NULL,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    FOREIGN KEY (specialty_code, level) REFERENCES specialty (code, level)
);
CREATE INDEX licence_institution ON licence (institution_id);

-- Transactional outbox and consumer inbox (see edu24-shared).
CREATE TABLE outbox (
    event_id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    envelope BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_pending ON outbox (event_id) WHERE sent_at IS NULL;

CREATE TABLE inbox (
    consumer TEXT NOT NULL,
    event_id TEXT NOT NULL,
    processed_at BIGINT NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
