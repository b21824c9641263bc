//! The printed diploma and its supplement (A4, Kyrgyz and Russian side by side; the
//! supplement also in English on request), drawn from the issued content only, with the
//! QR code of the verification page.

use edu24_shared::names::Localized;
use edu24_shared::pdf::{Document, Font, Page};

use crate::domain::{Content, SupplementLine};

/// A name of the holder as written on the diploma: family, given, patronymic.
fn full(n: &edu24_records::domain::PersonName) -> String {
    [n.family.as_str(), n.given.as_str(), n.patronymic.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The level's qualification as written on the diploma.
pub fn qualification(level: &str, specialty: &Localized) -> Localized {
    let (ky, ru, en) = match level {
        "master" => ("магистр", "магистр", "Master"),
        "specialist" => ("адис", "специалист", "Specialist"),
        _ => ("бакалавр", "бакалавр", "Bachelor"),
    };
    Localized {
        ky: format!("{ky} — {}", specialty.get("ky")),
        ru: format!("{ru} по направлению «{}»", specialty.get("ru")),
        en: format!("{en} in {}", specialty.get("en")),
    }
}

fn title(level: &str, lang: &str) -> &'static str {
    match (level, lang) {
        ("master", "ky") => "МАГИСТРДИН ДИПЛОМУ",
        ("master", "ru") => "ДИПЛОМ МАГИСТРА",
        ("master", _) => "MASTER'S DIPLOMA",
        ("specialist", "ky") => "АДИСТИН ДИПЛОМУ",
        ("specialist", "ru") => "ДИПЛОМ СПЕЦИАЛИСТА",
        ("specialist", _) => "SPECIALIST'S DIPLOMA",
        (_, "ky") => "БАКАЛАВРДЫН ДИПЛОМУ",
        (_, "ru") => "ДИПЛОМ БАКАЛАВРА",
        _ => "BACHELOR'S DIPLOMA",
    }
}

fn honours_text(lang: &str) -> &'static str {
    match lang {
        "ky" => "артыкчылык менен",
        "ru" => "с отличием",
        _ => "with honours",
    }
}

/// The grade in words.
pub fn grade_words(l: &SupplementLine, lang: &str) -> String {
    if l.assessment == "credit_test" {
        return match (l.passed, lang) {
            (true, "ky") => "эсепке алынды",
            (true, "ru") => "зачтено",
            (true, _) => "pass",
            (false, "ky") => "эсепке алынган жок",
            (false, "ru") => "не зачтено",
            (false, _) => "fail",
        }
        .into();
    }
    match (l.five, lang) {
        (5, "ky") => "эң жакшы",
        (5, "ru") => "отлично",
        (5, _) => "excellent",
        (4, "ky") => "жакшы",
        (4, "ru") => "хорошо",
        (4, _) => "good",
        (3, "ky") => "канааттандырарлык",
        (3, "ru") => "удовлетворительно",
        (3, _) => "satisfactory",
        (_, "ky") => "канааттандырарлык эмес",
        (_, "ru") => "неудовлетворительно",
        _ => "fail",
    }
    .into()
}

fn credits(tenths: i32) -> String {
    edu24_curriculum::domain::credits_text(tenths)
}

fn gpa_text(gpa: Option<i32>) -> String {
    gpa.map(|g| format!("{}.{:02}", g / 100, g % 100)).unwrap_or_else(|| "—".into())
}

/// The date as people write it: 30.06.2026.
fn date(d: &str) -> String {
    let p: Vec<&str> = d.split('-').collect();
    if p.len() == 3 { format!("{}.{}.{}", p[2], p[1], p[0]) } else { d.to_owned() }
}

/// Text wrapped to lines of at most `width` mm.
fn wrap(doc: &Document, font: Font, size: f32, width: f32, text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if doc.text_width(font, size, &candidate) > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` (measured `doc_width` mm wide) centred in the column (`x`, `width`) at `y`.
fn centred(page: &mut Page<'_>, doc_width: f32, (font, size): (Font, f32), (x, width): (f32, f32), y: f32, text: &str) {
    let x = x + ((width - doc_width) / 2.0).max(0.0);
    page.text_fit(font, size, x, y, width, text);
}

/// The diploma: one A4 page, Kyrgyz on the left half, Russian on the right.
pub fn diploma_pdf(c: &Content, verify_url: &str) -> Vec<u8> {
    let mut doc = Document::new(&format!("{} {}", title(&c.level, "ru"), c.number));
    let qr = doc.qr(verify_url).ok();
    // Measures first (the page borrows the document).
    let mut blocks = Vec::new();
    for (lang, x) in [("ky", 12.0f32), ("ru", 111.0f32)] {
        let w = 87.0;
        let widths = |f: Font, s: f32, t: &str| doc.text_width(f, s, t);
        let state = if lang == "ky" {
            "КЫРГЫЗ РЕСПУБЛИКАСЫ"
        } else {
            "КЫРГЫЗСКАЯ РЕСПУБЛИКА"
        };
        let t = title(&c.level, lang);
        let inst = wrap(&doc, Font::Bold, 11.0, w, c.institution.get(lang));
        let year = &c.issued_on[..4.min(c.issued_on.len())];
        let studied = if lang == "ky" {
            format!("{}–{year} жылдары окуп, бүтүрдү:", c.intake_year)
        } else {
            format!("в том, что он(а) в {}–{year} гг. обучался(ась) и окончил(а)", c.intake_year)
        };
        let studied = wrap(&doc, Font::Regular, 10.0, w, &studied);
        let qual = wrap(&doc, Font::Regular, 10.5, w, c.qualification.get(lang));
        blocks.push((
            lang,
            x,
            w,
            state,
            widths(Font::Bold, 12.0, state),
            t,
            widths(Font::Bold, 18.0, t),
            inst,
            qual,
            studied,
        ));
    }
    let mut page = doc.page();
    page.outline(6.0, 6.0, 198.0, 285.0, false).outline(8.0, 8.0, 194.0, 281.0, false);
    page.line(105.0, 16.0, 105.0, 250.0, 0.5, 0.7);
    for (lang, x, w, state, state_w, t, t_w, inst, qual, studied) in &blocks {
        let (x, w) = (*x, *w);
        centred(&mut page, *state_w, (Font::Bold, 12.0), (x, w), 26.0, state);
        centred(&mut page, *t_w, (Font::Bold, 18.0), (x, w), 44.0, t);
        if c.honours {
            page.text(Font::Bold, 12.0, x + 28.0, 52.0, honours_text(lang));
        }
        page.text(Font::Mono, 11.0, x + 22.0, 62.0, &format!("{} № {:08}", c.form_series, c.form_number));
        let mut y = 78.0;
        let (given, this) = if *lang == "ky" {
            ("Бул диплом", "берилди")
        } else {
            ("Настоящий диплом выдан", "")
        };
        page.text(Font::Regular, 10.0, x, y, given);
        y += 9.0;
        page.text_fit(Font::Bold, 13.0, x, y, w, &full(&c.holder));
        y += 6.0;
        page.line(x, y - 4.0, x + w, y - 4.0, 0.4, 0.6);
        y += 4.0;
        for l in studied {
            page.text(Font::Regular, 10.0, x, y, l);
            y += 5.5;
        }
        y += 1.5;
        for l in inst {
            page.text(Font::Bold, 11.0, x, y, l);
            y += 5.5;
        }
        y += 4.0;
        page.text(
            Font::Regular,
            10.0,
            x,
            y,
            if *lang == "ky" {
                "жана ага квалификация ыйгарылды:"
            } else {
                "и ему (ей) присвоена квалификация:"
            },
        );
        y += 7.0;
        for l in qual {
            page.text(Font::Regular, 10.5, x, y, l);
            y += 5.5;
        }
        if !this.is_empty() {
            page.text(Font::Regular, 10.0, x, y + 2.0, this);
        }
        let sig = if *lang == "ky" {
            ["Мамлекеттик аттестациялык комиссиянын төрагасы", "Ректор", "Катталган номери", "Берилген күнү"]
        } else {
            ["Председатель государственной аттестационной комиссии", "Ректор", "Регистрационный номер", "Дата выдачи"]
        };
        let mut y = 196.0;
        page.text_fit(Font::Regular, 8.5, x, y, w, sig[0]);
        page.line(x, y + 8.0, x + 60.0, y + 8.0, 0.5, 0.3);
        y += 16.0;
        page.text(Font::Regular, 8.5, x, y, sig[1]);
        page.line(x, y + 8.0, x + 60.0, y + 8.0, 0.5, 0.3);
        y += 16.0;
        page.text(Font::Regular, 8.5, x, y, &format!("{}: {}", sig[2], c.number));
        page.text(Font::Regular, 8.5, x, y + 5.0, &format!("{}: {}", sig[3], date(&c.issued_on)));
        page.text(Font::Regular, 7.5, x + 64.0, 213.0, "М.П. / М.О.");
    }
    if let Some(qr) = &qr {
        page.form(qr, 90.0, 246.0, 30.0);
    }
    page.text(Font::Regular, 7.0, 14.0, 284.0, &format!("Текшерүү / Проверка / Verify: {verify_url}"));
    if c.duplicate_of.is_some() {
        page.text(Font::Bold, 12.0, 88.0, 14.0, "ДУБЛИКАТ");
    }
    page.finish();
    doc.finish()
}

/// The supplement in two languages of `langs` (ky+ru), or in English alone.
pub fn supplement_pdf(c: &Content, verify_url: &str, english: bool) -> Vec<u8> {
    let langs: &[&str] = if english { &["en"] } else { &["ky", "ru"] };
    let heading = if english {
        "DIPLOMA SUPPLEMENT".to_owned()
    } else {
        "ДИПЛОМГО ТИРКЕМЕ / ПРИЛОЖЕНИЕ К ДИПЛОМУ".to_owned()
    };
    let mut doc = Document::new(&format!("{heading} {}", c.number));
    let qr = doc.qr(verify_url).ok();
    let holder = if english { full(&c.holder_latin) } else { full(&c.holder) };
    let label = |ky: &'static str, ru: &'static str, en: &'static str| -> String {
        if english { en.into() } else { format!("{ky} / {ru}") }
    };
    let rows: Vec<(String, String)> = vec![
        (label("Аты-жөнү", "Фамилия, имя, отчество", "Holder"), holder),
        (label("Туулган күнү", "Дата рождения", "Date of birth"), date(&c.birth_date)),
        (
            label("Жогорку окуу жайы", "Высшее учебное заведение", "Institution"),
            langs.iter().map(|l| c.institution.get(l).to_owned()).collect::<Vec<_>>().join(" / "),
        ),
        (
            label("Квалификация", "Квалификация", "Qualification"),
            langs.iter().map(|l| c.qualification.get(l).to_owned()).collect::<Vec<_>>().join(" / "),
        ),
        (label("Диплом", "Диплом", "Diploma"), format!("{} № {:08}, {}", c.form_series, c.form_number, c.number)),
        (label("Буйрук", "Приказ", "Order"), format!("№ {} ({})", c.order_no, date(&c.order_signed_on))),
        (
            label("Кредиттер, GPA", "Кредиты, GPA", "Credits, GPA"),
            format!("{} / {}", credits(c.credits_tenths), gpa_text(c.gpa)),
        ),
    ];
    let cols = if english {
        ["No", "Course", "Sem.", "Credits", "Score", "Grade"]
    } else {
        ["№", "Дисциплина / Дисциплина", "Сем.", "Кредит", "Балл", "Баа / Оценка"]
    };
    // Lay out lines first: each course takes as many rows as its name needs.
    struct Row {
        no: usize,
        name: Vec<String>,
        l: SupplementLine,
    }
    let name_w = 80.0;
    let table: Vec<Row> = c
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let text = langs.iter().map(|g| l.course.get(g).to_owned()).collect::<Vec<_>>().join(" / ");
            Row { no: i + 1, name: wrap(&doc, Font::Regular, 8.0, name_w, &text), l: l.clone() }
        })
        .collect();
    let label_rows: Vec<(Vec<String>, Vec<String>)> = rows
        .iter()
        .map(|(k, v)| (wrap(&doc, Font::Regular, 8.0, 52.0, k), wrap(&doc, Font::Bold, 9.0, 120.0, v)))
        .collect();
    let xs = [14.0f32, 22.0, 104.0, 115.0, 128.0, 140.0];
    // Where the table starts on the first page and on the others, and how many pages the
    // rows take (the same rule as the layout below: a row that does not fit goes on).
    let head_y = 26.0 + label_rows.iter().map(|(k, v)| k.len().max(v.len()) as f32 * 4.2 + 1.5).sum::<f32>() + 3.0;
    let row_h = |r: &Row| r.name.len() as f32 * 3.8 + 1.2;
    let pages_hint = {
        let (mut pages, mut y) = (1, head_y + 6.0);
        for r in &table {
            if y + row_h(r) > 262.0 {
                pages += 1;
                y = 26.0 + 6.0;
            }
            y += row_h(r);
        }
        pages
    };
    let mut i = 0;
    let mut first = true;
    let mut page_no = 0;
    while first || i < table.len() {
        page_no += 1;
        let mut page = doc.page();
        page.text(Font::Bold, 12.0, 14.0, 16.0, &heading);
        page.text(Font::Regular, 8.0, 160.0, 16.0, &format!("{} — {page_no}/{pages_hint}", c.number));
        let mut y = 26.0;
        if first {
            for (k, v) in &label_rows {
                let h = k.len().max(v.len()) as f32 * 4.2;
                for (j, t) in k.iter().enumerate() {
                    page.text(Font::Regular, 8.0, 14.0, y + j as f32 * 4.2, t);
                }
                for (j, t) in v.iter().enumerate() {
                    page.text(Font::Bold, 9.0, 70.0, y + j as f32 * 4.2, t);
                }
                y += h + 1.5;
            }
            y += 3.0;
            first = false;
        }
        for (x, t) in xs.iter().zip(cols.iter()) {
            page.text(Font::Bold, 8.0, *x, y, t);
        }
        page.line(14.0, y + 1.5, 196.0, y + 1.5, 0.6, 0.3);
        y += 6.0;
        while i < table.len() {
            let r = &table[i];
            let h = row_h(r);
            if y + h > 262.0 {
                break;
            }
            page.text(Font::Regular, 8.0, xs[0], y, &r.no.to_string());
            for (j, t) in r.name.iter().enumerate() {
                page.text(Font::Regular, 8.0, xs[1], y + j as f32 * 3.8, t);
            }
            page.text(Font::Regular, 8.0, xs[2], y, &r.l.semester.to_string());
            page.text(Font::Regular, 8.0, xs[3], y, &credits(r.l.credits_tenths));
            page.text(Font::Regular, 8.0, xs[4], y, &r.l.score.map(|s| s.to_string()).unwrap_or_default());
            let words = langs.iter().map(|g| grade_words(&r.l, g)).collect::<Vec<_>>().join(" / ");
            page.text_fit(Font::Regular, 8.0, xs[5], y, 56.0, &format!("{} {}", r.l.letter, words));
            page.line(14.0, y + h - 2.6, 196.0, y + h - 2.6, 0.2, 0.8);
            y += h;
            i += 1;
        }
        if i >= table.len() {
            let total =
                if english { "Total credits" } else { "Бардык кредиттер / Всего кредитов" };
            page.text(
                Font::Bold,
                9.0,
                xs[1],
                y + 3.0,
                &format!("{total}: {}   GPA: {}", credits(c.credits_tenths), gpa_text(c.gpa)),
            );
            let sign = if english {
                ["Rector", "Registrar"]
            } else {
                ["Ректор", "Каттоо бөлүмү / Учебный отдел"]
            };
            page.text(Font::Regular, 8.5, 14.0, 272.0, sign[0]);
            page.line(14.0, 280.0, 74.0, 280.0, 0.5, 0.3);
            page.text(Font::Regular, 8.5, 84.0, 272.0, sign[1]);
            page.line(84.0, 280.0, 144.0, 280.0, 0.5, 0.3);
            if let Some(qr) = &qr {
                page.form(qr, 170.0, 262.0, 26.0);
            }
        }
        page.text(Font::Regular, 6.5, 14.0, 290.0, verify_url);
        page.finish();
    }
    doc.finish()
}
