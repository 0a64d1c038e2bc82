//! Collecting every refused field of a form at once.
//!
//! A validator written with `?` stops at the first refusal, which is right for the server
//! (it answers with one error) but wrong for a form: the person then fixes one field per
//! tap on submit. Validators instead run each check through [`Checks`], which keeps every
//! refusal, and offer both answers from the same rules: `validate` (the first refusal)
//! and `errors` (all of them, in the form's order).

use crate::error::{ErrorCode, FieldError};

/// Every refusal found so far, in the order the checks ran (the form's order).
#[derive(Debug, Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    /// Keeps the value when the check accepted it, the refusal otherwise.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(error);
                None
            }
        }
    }

    /// Records a refusal found by a plain condition.
    pub fn refuse(&mut self, field: &'static str, code: ErrorCode) {
        self.0.push(FieldError::new(field, code));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The valid value when nothing was refused, every refusal otherwise. `build` reads
    /// the values the checks kept; it returns `None` only when one of them was refused.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, Vec<FieldError>> {
        if !self.0.is_empty() {
            return Err(self.0);
        }
        // Every `None` comes from a recorded refusal, so this is unreachable; it still
        // answers with an error rather than a panic.
        build().ok_or_else(|| vec![FieldError::new("form", ErrorCode::InvalidValue)])
    }
}

/// The first refusal, as the server answers with one.
pub fn first<T>(result: Result<T, Vec<FieldError>>) -> Result<T, FieldError> {
    result.map_err(|errors| {
        errors
            .into_iter()
            .next()
            .unwrap_or_else(|| FieldError::new("form", ErrorCode::InvalidValue))
    })
}

/// Every refusal, empty when the value is valid.
pub fn all<T>(result: Result<T, Vec<FieldError>>) -> Vec<FieldError> {
    result.err().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::required_line;

    fn two_fields(a: &str, b: &str) -> Result<(String, String), Vec<FieldError>> {
        let mut c = Checks::default();
        let a = c.check(required_line("a", a, 3));
        let b = c.check(required_line("b", b, 3));
        c.finish(|| Some((a?, b?)))
    }

    #[test]
    fn every_refusal_is_kept_in_order() {
        let errors = all(two_fields("", "toolong"));
        let found: Vec<_> = errors.iter().map(|e| (e.field, e.code, e.limit)).collect();
        assert_eq!(
            found,
            [
                ("a", ErrorCode::Required, None),
                ("b", ErrorCode::TooLong, Some(3))
            ]
        );
        assert_eq!(first(two_fields("", "toolong")).unwrap_err().field, "a");
    }

    #[test]
    fn a_valid_form_has_no_errors() {
        assert_eq!(
            first(two_fields("x", "y")).unwrap(),
            ("x".into(), "y".into())
        );
        assert!(all(two_fields("x", "y")).is_empty());
    }
}
