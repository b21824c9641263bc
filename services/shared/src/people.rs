//! Rules of the facts that identify people, shared by every service that takes them:
//! the personal identification number (PIN), names, student tickets.

/// A Kyrgyz PIN: 14 digits, the first the sex (1 female, 2 male), then the birth date
/// DDMMYYYY, then 5 digits (no public checksum, DOMAIN.md).
pub fn valid_pin(pin: &str) -> bool {
    pin_birth_date(pin).is_some()
}

/// The birth date a PIN carries, when the PIN has the shape and the date is real.
pub fn pin_birth_date(pin: &str) -> Option<time::Date> {
    if pin.len() != 14 || !pin.bytes().all(|b| b.is_ascii_digit()) || !matches!(&pin[..1], "1" | "2") {
        return None;
    }
    let (d, m, y) = (&pin[1..3], &pin[3..5], &pin[5..9]);
    let (Ok(d), Ok(m), Ok(y)) = (d.parse::<u8>(), m.parse::<u8>(), y.parse::<i32>()) else { return None };
    let month = time::Month::try_from(m).ok()?;
    if !(1900..=2020).contains(&y) {
        return None;
    }
    time::Date::from_calendar_date(y, month, d).ok()
}

/// `female` or `male`, from the first digit of a valid PIN.
pub fn pin_sex(pin: &str) -> Option<&'static str> {
    valid_pin(pin).then(|| if pin.starts_with('1') { "female" } else { "male" })
}

/// A name part: letters of any script, spaces, hyphens, apostrophes and dots; 1 to 100.
pub fn valid_name(s: &str) -> bool {
    let n = s.chars().count();
    (1..=100).contains(&n) && s.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.'))
}

/// A student ticket number: 3 to 32 letters, digits or hyphens.
pub fn valid_ticket(s: &str) -> bool {
    (3..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A name for comparing people: lower case, `ё` as `е`, spaces squeezed.
pub fn name_key(s: &str) -> String {
    s.trim().to_lowercase().replace('ё', "е").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_carry_sex_and_a_real_birth_date() {
        assert!(valid_pin("21503200512345"));
        assert_eq!(pin_sex("21503200512345"), Some("male"));
        assert_eq!(pin_sex("11503200512345"), Some("female"));
        assert_eq!(pin_birth_date("21503200512345").unwrap().to_string(), "2005-03-15");
        for bad in ["2150320051234", "31503200512345", "23102200512345", "21503180012345", "2150320051234x"] {
            assert!(!valid_pin(bad), "{bad}");
        }
        assert_eq!(name_key("  Токтосунова   Айпери "), "токтосунова айпери");
        assert_eq!(name_key("Алёна"), "алена");
        assert!(valid_name("Жумабеков") && !valid_name("R2D2"));
        assert!(valid_ticket("CL-2026-01") && !valid_ticket("a b"));
    }
}
