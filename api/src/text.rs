//! Building blocks for validating text that people type.

use crate::error::{ErrorCode, FieldError};
use crate::personal::Phone;

/// Trims surrounding whitespace and checks a one-line value: present, within `max`
/// characters (not bytes: 汉字 count as one), and free of control characters.
pub fn required_line(field: &'static str, value: &str, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, ErrorCode::Required));
    }
    check_line(field, value, max)?;
    Ok(value.to_owned())
}

/// Like [`required_line`], but an empty or missing value is `None`.
pub fn optional_line(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => {
            check_line(field, value, max)?;
            Ok(Some(value.to_owned()))
        }
    }
}

/// Checks multi-line text: present, within `max` characters, no control characters
/// other than line breaks and tabs. Line endings are normalised to `\n`.
pub fn required_text(field: &'static str, value: &str, max: usize) -> Result<String, FieldError> {
    let value = value.replace("\r\n", "\n");
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, ErrorCode::Required));
    }
    if value.chars().count() > max {
        return Err(FieldError::with_limit(field, ErrorCode::TooLong, max));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(FieldError::new(field, ErrorCode::InvalidCharacters));
    }
    Ok(value.to_owned())
}

fn check_line(field: &'static str, value: &str, max: usize) -> Result<(), FieldError> {
    if value.chars().count() > max {
        return Err(FieldError::with_limit(field, ErrorCode::TooLong, max));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::new(field, ErrorCode::InvalidCharacters));
    }
    Ok(())
}

/// A mainland China mobile number: 11 digits starting with 1 and a second digit 3–9.
/// Spaces and dashes people type between groups are dropped; a leading +86 is accepted.
pub fn parse_mobile(field: &'static str, value: &str) -> Result<Phone, FieldError> {
    let digits: String = value
        .trim()
        .trim_start_matches("+86")
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if digits.is_empty() {
        return Err(FieldError::new(field, ErrorCode::Required));
    }
    if is_mainland_mobile(&digits) {
        Ok(Phone::new_unchecked(digits))
    } else {
        Err(FieldError::new(field, ErrorCode::InvalidPhone))
    }
}

pub fn is_mainland_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_trimmed_and_counted_in_characters() {
        assert_eq!(required_line("t", "  社区通知 ", 4).unwrap(), "社区通知");
        let err = required_line("t", "社区通知公告", 4).unwrap_err();
        assert_eq!((err.code, err.limit), (ErrorCode::TooLong, Some(4)));
    }

    #[test]
    fn blank_is_required_and_control_characters_are_refused() {
        assert_eq!(
            required_line("t", "   ", 10).unwrap_err().code,
            ErrorCode::Required
        );
        assert_eq!(
            required_line("t", "a\u{0}b", 10).unwrap_err().code,
            ErrorCode::InvalidCharacters
        );
        assert_eq!(
            required_text("b", "line\u{7}", 10).unwrap_err().code,
            ErrorCode::InvalidCharacters
        );
        assert_eq!(required_text("b", "a\r\nb", 10).unwrap(), "a\nb");
    }

    #[test]
    fn optional_lines_treat_blank_as_absent() {
        assert_eq!(optional_line("o", Some("  "), 5).unwrap(), None);
        assert_eq!(optional_line("o", None, 5).unwrap(), None);
        assert_eq!(
            optional_line("o", Some(" x "), 5).unwrap(),
            Some("x".into())
        );
    }

    #[test]
    fn mobiles_accept_common_spellings_only() {
        assert_eq!(
            parse_mobile("p", "138 0013 8000").unwrap().as_str(),
            "13800138000"
        );
        assert_eq!(
            parse_mobile("p", "+86 13800138000").unwrap().as_str(),
            "13800138000"
        );
        for bad in ["12800138000", "1380013800", "138001380001", "1380013800a"] {
            assert_eq!(
                parse_mobile("p", bad).unwrap_err().code,
                ErrorCode::InvalidPhone,
                "{bad}"
            );
        }
    }
}
