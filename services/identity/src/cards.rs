//! Password cards: what a student or a member of staff receives from the university, in
//! Kyrgyz and Russian, with the portal's address and a QR code to the login page. Eight
//! cards to an A4 page, with dashed guides for cutting. The one-time password exists
//! only on the card: it is never stored or shown again.

use edu24_shared::pdf::{Document, Font};

use crate::domain::Localized;

/// What one card shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub login: String,
    pub display_name: String,
    pub password: String,
    pub institution: Option<Localized>,
}

const CARD_W: f32 = 95.0;
const CARD_H: f32 = 66.0;
const COLS: usize = 2;
const ROWS: usize = 4;
const LEFT: f32 = (210.0 - CARD_W * COLS as f32) / 2.0;
const TOP: f32 = (297.0 - CARD_H * ROWS as f32) / 2.0;

/// The login page address printed on cards and encoded in their QR code.
pub fn login_url(portal: &str) -> String {
    format!("{}/ky/login", portal.trim_end_matches('/'))
}

/// The cards as one PDF, eight to a page, in the given order.
pub fn cards_pdf(cards: &[Card], portal: &str, title: &str) -> Vec<u8> {
    let mut doc = Document::new(title);
    let url = login_url(portal);
    // A public address too long for a QR code leaves the cards without one, not a panic.
    let qr = doc.qr(&url).map_err(|e| tracing::warn!(error = ?e, "login URL does not fit a QR code")).ok();
    let shown_url = url.trim_start_matches("https://").trim_start_matches("http://").to_owned();
    for chunk in cards.chunks(COLS * ROWS) {
        let mut page = doc.page();
        for (i, card) in chunk.iter().enumerate() {
            let x = LEFT + (i % COLS) as f32 * CARD_W;
            let y = TOP + (i / COLS) as f32 * CARD_H;
            page.outline(x, y, CARD_W, CARD_H, true);
            // Header band.
            page.fill_rgb(0.043, 0.325, 0.58).fill_rect(x + 3.0, y + 3.0, CARD_W - 6.0, 9.0);
            page.fill_rgb(1.0, 1.0, 1.0).text(Font::Bold, 11.0, x + 6.0, y + 9.3, "EDU24");
            let inst = card.institution.as_ref().map(|n| if n.ky.is_empty() { n.ru.clone() } else { n.ky.clone() });
            if let Some(name) = inst {
                page.text_fit(Font::Regular, 6.5, x + 22.0, y + 9.0, CARD_W - 28.0, &name);
            }
            page.fill_rgb(0.0, 0.0, 0.0);
            let text_w = CARD_W - 6.0 - 26.0 - 5.0;
            page.text_fit(Font::Bold, 10.5, x + 6.0, y + 18.5, text_w, &card.display_name);
            page.fill_rgb(0.3, 0.3, 0.3).text(Font::Regular, 6.5, x + 6.0, y + 24.5, "Логин / Логин");
            page.fill_rgb(0.0, 0.0, 0.0).text_fit(Font::Mono, 12.0, x + 6.0, y + 30.0, text_w, &card.login);
            page.fill_rgb(0.3, 0.3, 0.3).text(
                Font::Regular,
                6.5,
                x + 6.0,
                y + 36.0,
                "Бир жолку сырсөз / Одноразовый пароль",
            );
            page.fill_rgb(0.0, 0.0, 0.0).text(Font::Mono, 12.5, x + 6.0, y + 42.0, &card.password);
            if let Some(qr) = &qr {
                page.form(qr, x + CARD_W - 3.0 - 26.0, y + 14.0, 24.0);
            }
            page.fill_rgb(0.15, 0.15, 0.15);
            page.text_fit(
                Font::Regular,
                6.3,
                x + 6.0,
                y + 49.5,
                CARD_W - 12.0,
                &format!("Кирүү: {shown_url} — биринчи киргенде сырсөздү алмаштырыңыз."),
            );
            page.text_fit(
                Font::Regular,
                6.3,
                x + 6.0,
                y + 53.5,
                CARD_W - 12.0,
                &format!("Вход: {shown_url} — при первом входе смените пароль."),
            );
            page.fill_rgb(0.55, 0.1, 0.1);
            page.text_fit(
                Font::Regular,
                6.0,
                x + 6.0,
                y + 59.5,
                CARD_W - 12.0,
                "Карточканы эч кимге көрсөтпөңүз. / Никому не показывайте эту карточку.",
            );
            page.fill_rgb(0.0, 0.0, 0.0);
        }
        page.finish();
    }
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_cards_make_two_pages() {
        let card = Card {
            login: "cl2400123".into(),
            display_name: "Токтосунова Айпери Бакытовна".into(),
            password: "k7pm-4xtq-9hcw-2rdn".into(),
            institution: Some(Localized {
                ky: "Ош мамлекеттик университети".into(),
                ru: String::new(),
                en: String::new(),
            }),
        };
        let pdf = cards_pdf(&vec![card; 9], "https://edu24.kg", "cards");
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 2"));
        // An absurdly long portal address prints cards without a QR code instead of failing.
        let long = format!("https://{}.kg", "x".repeat(5000));
        assert!(
            cards_pdf(
                &[Card { login: "a".into(), display_name: "B".into(), password: "c".into(), institution: None }],
                &long,
                "t"
            )
            .starts_with(b"%PDF-")
        );
        if let Ok(dir) = std::env::var("EDU24_DOC_PREVIEW_DIR") {
            std::fs::write(format!("{dir}/cards.pdf"), &pdf).unwrap();
        }
    }
}
