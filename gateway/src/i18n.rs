//! Translations: one Fluent file per language (`gateway/i18n/{ky,ru,en}.ftl`), compiled
//! into the binary. Kyrgyz is the state language and the default.

use std::borrow::Cow;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Ky,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ky, Lang::Ru, Lang::En];
    pub const DEFAULT: Lang = Lang::Ky;

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ky => "ky",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "ky" => Some(Lang::Ky),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's own name, for the language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ky => "Кыргызча",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    /// The best language for an `Accept-Language` header, if any is acceptable.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for part in header.split(',') {
            let mut it = part.trim().split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it.find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok())).unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            // "kg" is a common mistake for Kyrgyz (it is the country code).
            let lang = match primary {
                "kg" => Some(Lang::Ky),
                p => Lang::parse(p),
            };
            if let Some(l) = lang
                && q > 0.0
                && best.is_none_or(|(_, bq)| q > bq)
            {
                best = Some((l, q));
            }
        }
        best.map(|(l, _)| l)
    }
}

const SOURCES: [(Lang, &str); 3] = [
    (Lang::Ky, include_str!("../i18n/ky.ftl")),
    (Lang::Ru, include_str!("../i18n/ru.ftl")),
    (Lang::En, include_str!("../i18n/en.ftl")),
];

pub struct I18n {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
}

impl I18n {
    pub fn load() -> anyhow::Result<I18n> {
        let mut bundles = Vec::new();
        for (lang, src) in SOURCES {
            let res = FluentResource::try_new(src.to_owned())
                .map_err(|(_, errs)| anyhow::anyhow!("{}.ftl does not parse: {errs:?}", lang.code()))?;
            let id: unic_langid::LanguageIdentifier = lang.code().parse()?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            bundle.set_use_isolating(false);
            bundle.add_resource(res).map_err(|errs| anyhow::anyhow!("{}.ftl: {errs:?}", lang.code()))?;
            bundles.push((lang, bundle));
        }
        Ok(I18n { bundles })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        &self.bundles.iter().find(|(l, _)| *l == lang).expect("every language loaded").1
    }

    pub fn tr(&self, lang: Lang) -> Tr<'_> {
        Tr { bundle: self.bundle(lang), lang }
    }

    /// Message ids of a language, for completeness checks.
    pub fn ids(lang: Lang) -> Vec<String> {
        let src = SOURCES.iter().find(|(l, _)| *l == lang).expect("language").1;
        src.lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
            .collect()
    }
}

/// Translations for one request.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    bundle: &'a FluentBundle<FluentResource>,
    pub lang: Lang,
}

impl<'a> Tr<'a> {
    /// The message `id`; the id itself when missing (a test keeps that from happening).
    pub fn t(&self, id: &str) -> Cow<'a, str> {
        self.format(id, None)
    }

    /// Whether the language has the message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The message `id` with arguments.
    pub fn ta(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        self.format(id, Some(&fa)).into_owned()
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> Cow<'a, str> {
        let Some(msg) = self.bundle.get_message(id) else {
            tracing::warn!(id, lang = self.lang.code(), "missing translation");
            return Cow::Owned(id.to_owned());
        };
        let Some(pattern) = msg.value() else {
            return Cow::Owned(id.to_owned());
        };
        let mut errors = Vec::new();
        let out = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, ?errors, "translation formatting errors");
        }
        out
    }
}

/// A whole number with digits grouped as the language writes them: `113 525` in
/// Kyrgyz and Russian (narrow no-break space), `113,525` in English.
pub fn group_digits(n: u64, lang: Lang) -> String {
    let sep = if lang == Lang::En { "," } else { "\u{202f}" };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 8);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A number argument.
pub fn num(n: impl Into<f64>) -> FluentValue<'static> {
    FluentValue::from(n.into())
}

/// A text argument.
pub fn text(s: &str) -> FluentValue<'_> {
    FluentValue::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message_and_parses() {
        let i18n = I18n::load().expect("all ftl files parse");
        let en = I18n::ids(Lang::En);
        assert!(en.len() > 50, "en.ftl has {} messages", en.len());
        for lang in [Lang::Ky, Lang::Ru] {
            let ids = I18n::ids(lang);
            let missing: Vec<&String> = en.iter().filter(|id| !ids.contains(id)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            let extra: Vec<&String> = ids.iter().filter(|id| !en.contains(id)).collect();
            assert!(extra.is_empty(), "{} has unknown {extra:?}", lang.code());
            for id in &en {
                assert!(i18n.bundle(lang).get_message(id).is_some(), "{} cannot load {id}", lang.code());
            }
        }
    }

    #[test]
    fn translations_differ_between_languages() {
        let i18n = I18n::load().unwrap();
        assert_ne!(i18n.tr(Lang::Ky).t("nav-catalogue"), i18n.tr(Lang::En).t("nav-catalogue"));
        assert_ne!(i18n.tr(Lang::Ru).t("nav-catalogue"), i18n.tr(Lang::En).t("nav-catalogue"));
        assert_eq!(i18n.tr(Lang::En).ta("search-found", &[("count", num(1))]), "1 institution found");
        assert_eq!(i18n.tr(Lang::En).ta("search-found", &[("count", num(3))]), "3 institutions found");
    }

    #[test]
    fn digits_are_grouped_per_language() {
        assert_eq!(group_digits(113_525, Lang::En), "113,525");
        assert_eq!(group_digits(113_525, Lang::Ru), "113\u{202f}525");
        assert_eq!(group_digits(999, Lang::Ky), "999");
        assert_eq!(group_digits(1_000_000, Lang::En), "1,000,000");
    }

    #[test]
    fn accept_language_picks_the_preferred_known_language() {
        assert_eq!(Lang::from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"), Some(Lang::Ru));
        assert_eq!(Lang::from_accept_language("de-DE,de;q=0.9,en;q=0.5,ky;q=0.7"), Some(Lang::Ky));
        assert_eq!(Lang::from_accept_language("kg"), Some(Lang::Ky));
        assert_eq!(Lang::from_accept_language("de,fr"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }
}
