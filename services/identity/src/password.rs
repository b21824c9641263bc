//! Password rules, after NIST SP 800-63B rev. 4 and the OWASP cheat sheets: length
//! rather than composition rules; at least 15 characters when the password is the only
//! factor, 8 when a second factor protects the account; up to 128; any characters;
//! refused when it is a known-bad password (zxcvbn's dictionaries of common passwords,
//! names and words, keyboard patterns and repeats) or contains the login or name.

pub const MIN_SINGLE_FACTOR: usize = 15;
pub const MIN_WITH_SECOND_FACTOR: usize = 8;
pub const MAX: usize = 128;

/// Why a new password is refused; each maps to a translated message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort { min: usize },
    TooLong,
    ContainsLogin,
    Guessable,
    SameAsBefore,
}

impl PasswordProblem {
    /// Stable reason code (also the suffix of the message id `password-...`).
    pub fn reason(self) -> &'static str {
        match self {
            PasswordProblem::TooShort { .. } => "password_too_short",
            PasswordProblem::TooLong => "password_too_long",
            PasswordProblem::ContainsLogin => "password_contains_login",
            PasswordProblem::Guessable => "password_guessable",
            PasswordProblem::SameAsBefore => "password_same_as_before",
        }
    }

    pub fn english(self) -> String {
        match self {
            PasswordProblem::TooShort { min } => format!("the password must have at least {min} characters"),
            PasswordProblem::TooLong => format!("the password must have at most {MAX} characters"),
            PasswordProblem::ContainsLogin => "the password must not contain your login or name".into(),
            PasswordProblem::Guessable => "the password is too easy to guess; use a few unrelated words".into(),
            PasswordProblem::SameAsBefore => "the new password must differ from the current one".into(),
        }
    }
}

/// Checks a new password for an account with `login` and `name`.
pub fn check(password: &str, login: &str, name: &str, second_factor: bool) -> Result<(), PasswordProblem> {
    let n = password.chars().count();
    let min = if second_factor { MIN_WITH_SECOND_FACTOR } else { MIN_SINGLE_FACTOR };
    if n < min {
        return Err(PasswordProblem::TooShort { min });
    }
    if n > MAX {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    let mut context: Vec<String> = vec![login.to_lowercase()];
    context.extend(name.to_lowercase().split_whitespace().filter(|w| w.chars().count() >= 3).map(str::to_owned));
    if context.iter().any(|c| c.chars().count() >= 3 && lower.contains(c.as_str())) {
        return Err(PasswordProblem::ContainsLogin);
    }
    let inputs: Vec<&str> = context.iter().map(String::as_str).chain(["edu24", "kyrgyzstan", "manas"]).collect();
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    // zxcvbn scores: 2 resists online guessing (10^8 guesses), 3 offline slow-hash
    // guessing (10^10). A password that is the only factor must reach 3.
    let needed = if second_factor { 2 } else { 3 };
    if (estimate.score() as u8) < needed {
        return Err(PasswordProblem::Guessable);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_comes_first_and_depends_on_the_second_factor() {
        assert_eq!(check("short", "a", "B", false), Err(PasswordProblem::TooShort { min: 15 }));
        assert_eq!(check("Tk9#vQ2m", "a", "B", false), Err(PasswordProblem::TooShort { min: 15 }));
        assert_eq!(check("Tk9#vQ2m", "a", "B", true), Ok(()));
        assert_eq!(check(&"x".repeat(129), "a", "B", true), Err(PasswordProblem::TooLong));
    }

    #[test]
    fn known_bad_and_personal_passwords_are_refused() {
        for bad in ["passwordpassword", "123456789012345", "qwertyuiopasdfgh", "aaaaaaaaaaaaaaaa", "iloveyouiloveyou"] {
            assert_eq!(check(bad, "student1", "Айпери Токтосунова", false), Err(PasswordProblem::Guessable), "{bad}");
        }
        assert_eq!(
            check("cl2400123 is my login ok", "cl2400123", "Айпери Токтосунова", false),
            Err(PasswordProblem::ContainsLogin)
        );
        assert_eq!(
            check("токтосунова-2026-жыл!", "cl2400123", "Айпери Токтосунова", false),
            Err(PasswordProblem::ContainsLogin)
        );
    }

    #[test]
    fn passphrases_pass_without_composition_rules() {
        assert_eq!(check("кызыл алма тоодо жашайт", "cl2400123", "Айпери Токтосунова", false), Ok(()));
        assert_eq!(check("correct horse battery staple", "knu.registrar", "Нургүл Асанова", false), Ok(()));
    }
}
