//! Whether what an alert opened was worth someone's attention: "actionable" (it was
//! right to open it) or "noise" (with the reason), answered when the record is closed.
//! Counted by alert rule, it says which rules to tune first.

use super::clock::Timestamp;
use serde::Serialize;

crate::string_enum! {
    pub enum Actionable ("verdict") {
        Yes => "yes",
        Noise => "noise",
    }
}

/// What someone answered about one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub actionable: Actionable,
    /// Why it was noise (required then): flapping, a threshold too low, a duplicate …
    pub reason: String,
}

impl Verdict {
    /// A verdict as a form or the command line gives it: noise needs its reason.
    pub fn new(actionable: Actionable, reason: &str) -> Result<Verdict, String> {
        let reason = super::sanitize_line(reason).trim().to_string();
        if actionable == Actionable::Noise && reason.is_empty() {
            return Err(
                "noise needs a reason: what made it noise (flapping, threshold too low, duplicate …)"
                    .into(),
            );
        }
        if reason.chars().count() > 500 {
            return Err("the reason is longer than 500 characters".into());
        }
        Ok(Verdict { actionable, reason })
    }
}

/// A verdict as the store keeps it, on the record it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlertVerdict {
    pub entity: String,
    pub actionable: Actionable,
    pub reason: String,
    pub judged_by: String,
    pub judged_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_needs_a_reason_and_actionable_does_not() {
        assert!(Verdict::new(Actionable::Noise, "  ").is_err());
        assert_eq!(
            Verdict::new(Actionable::Noise, " flapping\u{1b}[31m ")
                .unwrap()
                .reason,
            "flapping",
            "escape sequences are stripped"
        );
        assert!(Verdict::new(Actionable::Yes, "").is_ok());
        assert!(Verdict::new(Actionable::Yes, &"x".repeat(501)).is_err());
    }
}
