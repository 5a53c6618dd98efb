//! Audiences: who hears from us when something happens — "all staff", "finance leads",
//! the payments team's channel. Each is a set of addresses (mail, a mailing list, chat
//! webhooks) subscribed to some services or to all, from a severity up; a status update
//! goes to the audiences its incident concerns, through the same outbox as pages.

use super::contact::{ContactKind, ContactMethod};
use super::incident::Severity;
use super::org::FieldProblem;
use serde::Serialize;

/// Most addresses one audience may have.
pub const MAX_TARGETS: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Audience {
    /// Lower case, digits and `-` / `_` / `.`: `all-staff`, `finance-leads`.
    pub name: String,
    pub description: String,
    /// Where its messages go: mail addresses and chat webhooks, each once.
    pub targets: Vec<ContactMethod>,
    /// The services it hears about; empty: every service.
    pub services: Vec<String>,
    /// It hears about incidents of this severity or worse; `None`: all of them.
    pub min_severity: Option<Severity>,
    pub archived: bool,
}

impl Audience {
    pub fn new(name: impl Into<String>) -> Audience {
        Audience {
            name: name.into(),
            description: String::new(),
            targets: Vec::new(),
            services: Vec::new(),
            min_severity: None,
            archived: false,
        }
    }

    /// Whether an incident on these services at this severity concerns it.
    pub fn concerned_by(&self, services: &[String], severity: Severity) -> bool {
        !self.archived
            && self.min_severity.is_none_or(|least| severity <= least)
            && (self.services.is_empty() || self.services.iter().any(|s| services.contains(s)))
    }

    /// Its own rules: a name of the allowed shape, at least one address, each of a kind
    /// an audience can be sent to and listed once, and no wait before sending.
    pub fn check(&self) -> Result<(), FieldProblem> {
        check_name(&self.name).map_err(|m| problem("name", m))?;
        if self.targets.is_empty() {
            return Err(problem(
                "to",
                "an audience needs at least one address (email:… or a chat webhook)",
            ));
        }
        if self.targets.len() > MAX_TARGETS {
            return Err(problem("to", format!("more than {MAX_TARGETS} addresses")));
        }
        for t in &self.targets {
            if matches!(t.kind, ContactKind::Command | ContactKind::Console) {
                return Err(problem(
                    "to",
                    format!("a {} method reaches a person, not an audience", t.kind),
                ));
            }
            if t.after_minutes > 0 {
                return Err(problem(
                    "to",
                    format!("{t}: an audience is sent to at once (no 'after')"),
                ));
            }
        }
        super::contact::check_methods(&self.targets).map_err(|e| problem("to", e))?;
        if self.description.chars().count() > 500 {
            return Err(problem("description", "is longer than 500 characters"));
        }
        Ok(())
    }

    /// As the directory keeps it: the description on one line, services sorted once.
    pub fn normalised(mut self) -> Audience {
        self.description = super::sanitize_line(&self.description).trim().to_string();
        self.services.sort();
        self.services.dedup();
        self
    }
}

fn problem(field: &'static str, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field,
        message: message.into(),
    }
}

/// An audience's name: 1 to 64 of lower-case letters, digits, `-`, `_` and `.`,
/// starting with a letter or digit.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{}' is not an audience name (lower-case letters, digits, '-', '_' and '.', like all-staff)",
            super::display::truncate(&name.escape_debug().to_string(), 40)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finance() -> Audience {
        let mut a = Audience::new("finance-leads");
        a.targets = vec!["email:finance-leads@example.org".parse().unwrap()];
        a.services = vec!["payments-gateway".into()];
        a.min_severity = Some(Severity::Sev2);
        a
    }

    #[test]
    fn an_audience_hears_of_its_services_from_its_severity_up() {
        let a = finance();
        let payments = ["payments-gateway".to_string()];
        assert!(a.concerned_by(&payments, Severity::Sev1));
        assert!(a.concerned_by(&payments, Severity::Sev2));
        assert!(!a.concerned_by(&payments, Severity::Sev3));
        assert!(!a.concerned_by(&["sso".to_string()], Severity::Sev1));
        let mut everyone = Audience::new("all-staff");
        everyone.targets = a.targets.clone();
        assert!(everyone.concerned_by(&[], Severity::Sev4));
        everyone.archived = true;
        assert!(!everyone.concerned_by(&[], Severity::Sev1));
    }

    #[test]
    fn bad_audiences_are_refused_with_the_reason() {
        assert!(finance().check().is_ok());
        let mut a = finance();
        a.name = "Finance Leads".into();
        assert!(
            a.check()
                .unwrap_err()
                .message
                .contains("not an audience name")
        );
        let mut a = finance();
        a.targets.clear();
        assert!(
            a.check()
                .unwrap_err()
                .message
                .contains("at least one address")
        );
        let mut a = finance();
        a.targets.push("console".parse().unwrap());
        assert!(a.check().unwrap_err().message.contains("reaches a person"));
        let mut a = finance();
        a.targets = vec!["email:x@example.org after 5m".parse().unwrap()];
        assert!(a.check().unwrap_err().message.contains("at once"));
        let mut a = finance();
        a.targets.push(a.targets[0].clone());
        assert!(a.check().unwrap_err().message.contains("twice"));
    }
}
