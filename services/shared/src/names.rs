//! Names in the three languages of EDU24, and the small closed vocabularies (codes)
//! that several services share.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A name in the three languages of EDU24.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct Localized {
    pub ky: String,
    pub ru: String,
    pub en: String,
}

impl Localized {
    pub fn new(ky: &str, ru: &str, en: &str) -> Self {
        Self { ky: ky.to_owned(), ru: ru.to_owned(), en: en.to_owned() }
    }

    /// The name in `lang`, falling back to Russian, Kyrgyz, then English when a
    /// translation is missing.
    pub fn get(&self, lang: &str) -> &str {
        let first = match lang {
            "ky" => &self.ky,
            "ru" => &self.ru,
            _ => &self.en,
        };
        [first, &self.ru, &self.ky, &self.en].into_iter().find(|s| !s.is_empty()).map(String::as_str).unwrap_or("")
    }

    pub fn is_blank(&self) -> bool {
        self.ky.is_empty() && self.ru.is_empty() && self.en.is_empty()
    }

    /// Each language trimmed.
    pub fn trimmed(&self) -> Localized {
        Localized { ky: self.ky.trim().to_owned(), ru: self.ru.trim().to_owned(), en: self.en.trim().to_owned() }
    }

    /// The longest of the three, in characters.
    pub fn max_chars(&self) -> usize {
        [&self.ky, &self.ru, &self.en].iter().map(|s| s.chars().count()).max().unwrap_or(0)
    }
}

/// Namespace of EDU24's deterministic ids.
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6564_7532_345f_4b47_8000_0000_0000_0001);

/// A Cyrillic name (Kyrgyz, Russian, and the Uzbek, Kazakh and Tatar letters common in
/// the south) in Latin letters as Kyrgyz passports usually write it: based on ICAO 9303
/// (Ж zh, Х kh, Ц ts, Ч ch, Ш sh, Щ shch, Ы y, Й i), but with Ю, Я, Ё as yu, ya, yo and
/// Ъ dropped (ICAO: iu, ia, e, ie); Ң, Ө, Ү as n, o, u; each word capitalised
/// ("Абдыкадыров" → "Abdykadyrov"). Only ASCII comes out: Latin letters with marks lose
/// them, anything else that is not a letter, space, hyphen or apostrophe is dropped.
pub fn latin(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(s.len());
    let mut word_start = true;
    for ch in s.nfc() {
        let lower: String = ch.to_lowercase().collect();
        let t = match lower.as_str() {
            "а" => "a",
            "б" => "b",
            "в" => "v",
            "г" => "g",
            "д" => "d",
            "е" | "э" => "e",
            "ё" => "yo",
            "ж" => "zh",
            "з" => "z",
            "и" | "й" => "i",
            "к" => "k",
            "л" => "l",
            "м" => "m",
            "н" | "ң" => "n",
            "ғ" => "g",
            "қ" => "q",
            "ҳ" | "һ" => "h",
            "ә" => "a",
            "і" => "i",
            "ў" | "ұ" => "u",
            "җ" => "zh",
            "о" | "ө" => "o",
            "п" => "p",
            "р" => "r",
            "с" => "s",
            "т" => "t",
            "у" | "ү" => "u",
            "ф" => "f",
            "х" => "kh",
            "ц" => "ts",
            "ч" => "ch",
            "ш" => "sh",
            "щ" => "shch",
            "ы" => "y",
            "ъ" | "ь" => "",
            "ю" => "yu",
            "я" => "ya",
            _ if ch.is_ascii_alphabetic() => {
                out.push(ch);
                word_start = false;
                continue;
            }
            _ if matches!(ch, ' ' | '-' | '\'') => {
                out.push(ch);
                word_start = true;
                continue;
            }
            _ => {
                // A Latin letter with a mark keeps its letter; anything else goes.
                let base: String = ch.to_string().nfd().filter(char::is_ascii_alphabetic).collect();
                if !base.is_empty() {
                    if word_start {
                        out.push_str(&base.to_uppercase());
                    } else {
                        out.push_str(&base);
                    }
                    word_start = false;
                }
                continue;
            }
        };
        if word_start {
            let mut c = t.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
                word_start = false;
            }
        } else {
            out.push_str(t);
        }
    }
    out
}

/// A deterministic id (UUIDv5) of a record of `kind` with natural key `key`: seeded
/// records are named the same way on every installation.
pub fn stable_id(kind: &str, key: &str) -> String {
    uuid::Uuid::new_v5(&NAMESPACE, format!("{kind}:{key}").as_bytes()).to_string()
}

/// A deterministic id shaped like the UUIDv7 ids of new records: `at_ms` (when the record
/// came into being) first, then 12 bits of `group`, then the UUIDv5 bits of `kind:key`.
/// Records seeded in bulk, group by group, land next to each other in the indexes
/// instead of all over them, and sort by time like the ones made at run time.
pub fn stable_id_at(kind: &str, key: &str, at_ms: i64, group: &str) -> String {
    let v5 = uuid::Uuid::new_v5(&NAMESPACE, format!("{kind}:{key}").as_bytes()).as_u128();
    let g = uuid::Uuid::new_v5(&NAMESPACE, group.as_bytes()).as_u128() >> 116;
    let ts = (at_ms.max(0) as u128) & ((1 << 48) - 1);
    let bits = (ts << 80) | (0x7 << 76) | (g << 64) | (0b10 << 62) | (v5 & ((1 << 62) - 1));
    uuid::Uuid::from_u128(bits).to_string()
}

/// A closed set of codes as an enum: `as_str`, `parse`, `ALL`, `Display`, and serde
/// and OpenAPI in snake case. The crate using it depends on serde and utoipa.
#[macro_export]
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $s),+ } }
            pub fn parse(s: &str) -> Option<$name> { match s { $($s => Some($name::$variant),)+ _ => None } }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

code_enum!(
    /// Level of higher education.
    Level { Bachelor = "bachelor", Master = "master", Specialist = "specialist", Phd = "phd" }
);

#[cfg(test)]
mod tests {
    #[test]
    fn names_in_latin_letters_as_passports_write_them() {
        assert_eq!(super::latin("Абдыкадыров Бекзат Талантбекович"), "Abdykadyrov Bekzat Talantbekovich");
        assert_eq!(super::latin("Айгүл Өмүрбекова-Ташиева"), "Aigul Omurbekova-Tashieva");
        assert_eq!(super::latin("Жоробекова Чолпон Юрьевна"), "Zhorobekova Cholpon Yurevna");
        assert_eq!(super::latin("Ыйманалиев Шаршенбек"), "Yimanaliev Sharshenbek");
        assert_eq!(super::latin("Smith"), "Smith");
        assert_eq!(super::latin("Ғайратжон Қодиров"), "Gairatzhon Qodirov");
        assert_eq!(super::latin("Ра\u{438}\u{306}са"), "Raisa", "a decomposed й");
        assert_eq!(super::latin("Müller (Мюллер)"), "Muller Myuller");
        assert!(super::latin("Әлия Ўринбоева").is_ascii());
    }

    use super::*;

    #[test]
    fn names_fall_back_and_codes_round_trip() {
        let n = Localized::new("", "Экономика", "Economics");
        assert_eq!(n.get("ky"), "Экономика");
        assert_eq!(n.get("en"), "Economics");
        assert!(Localized::default().is_blank());
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Some(*l));
        }
        assert_eq!(Level::parse("college"), None);
    }

    #[test]
    fn time_shaped_ids_are_version_7_ordered_by_time_and_group_and_deterministic() {
        let a = stable_id_at("sheet", "x", 1_700_000_000_000, "knu");
        let b = stable_id_at("sheet", "y", 1_700_000_000_001, "knu");
        assert_eq!(a, stable_id_at("sheet", "x", 1_700_000_000_000, "knu"));
        assert!(a < b, "{a} {b}");
        let u = uuid::Uuid::parse_str(&a).expect("a uuid");
        assert_eq!(u.get_version_num(), 7);
        assert_eq!(u.get_variant(), uuid::Variant::RFC4122);
        let (c, d) = (stable_id_at("sheet", "x", 5, "knu"), stable_id_at("sheet", "z", 5, "knu"));
        assert_eq!(c[..19], d[..19], "the same time and group share the prefix");
        assert_ne!(c, d);
    }
}
