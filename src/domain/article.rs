//! Knowledge articles: runbooks, how-tos, known errors and FAQs, in Markdown, each
//! naming what it applies to — services, alert names, ticket categories, problems — so
//! the bridge and the ticket detail can bring the right one up. A runbook's numbered
//! steps are its checklist.

use super::clock::Timestamp;
use super::keys::{ArticleKey, ProblemKey};
use chrono::NaiveDate;
use serde::Serialize;

crate::string_enum! {
    pub enum ArticleKind ("article kind") {
        Runbook => "runbook",
        HowTo => "how_to",
        KnownError => "known_error",
        Faq => "faq",
    }
}

crate::string_enum! {
    pub enum ArticleState ("article state") {
        Draft => "draft",
        Published => "published",
        Retired => "retired",
    }
}

/// The longest title and body accepted.
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 200_000;

/// What an article says and applies to: the part a person writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleDraft {
    pub title: String,
    pub body: String,
    pub kind: ArticleKind,
    pub state: ArticleState,
    pub owner: Option<String>,
    pub review_by: Option<NaiveDate>,
    pub services: Vec<String>,
    pub alerts: Vec<String>,
    pub categories: Vec<String>,
    pub problems: Vec<ProblemKey>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    pub key: ArticleKey,
    #[serde(flatten)]
    pub draft: ArticleDraft,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One kept edit: the title and body as they were at that version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleVersion {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub edited_by: String,
    pub edited_at: Timestamp,
}

/// A runbook step ticked during an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunbookStep {
    pub incident: super::keys::IncidentKey,
    pub article: ArticleKey,
    /// 1 for the first step.
    pub step: i64,
    pub note: String,
    pub done_by: String,
    pub done_at: Timestamp,
}

impl ArticleDraft {
    pub fn new(title: impl Into<String>, kind: ArticleKind) -> ArticleDraft {
        ArticleDraft {
            title: title.into(),
            body: String::new(),
            kind,
            state: ArticleState::Draft,
            owner: None,
            review_by: None,
            services: Vec::new(),
            alerts: Vec::new(),
            categories: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// The draft with outside text made safe and lists in order, or what is wrong.
    pub fn checked(mut self) -> Result<ArticleDraft, String> {
        self.title = super::sanitize_line(&self.title).trim().to_string();
        self.body = super::sanitize_text(&self.body).trim_end().to_string();
        if self.title.is_empty() {
            return Err("the title is empty".into());
        }
        if self.title.chars().count() > MAX_TITLE_CHARS {
            return Err(format!(
                "the title is longer than {MAX_TITLE_CHARS} characters"
            ));
        }
        if self.body.chars().count() > MAX_BODY_CHARS {
            return Err(format!(
                "the body is longer than {MAX_BODY_CHARS} characters"
            ));
        }
        for list in [&mut self.services, &mut self.alerts, &mut self.categories] {
            for item in list.iter_mut() {
                *item = super::sanitize_line(item).trim().to_string();
            }
            list.retain(|i| !i.is_empty());
            list.sort();
            list.dedup();
        }
        self.problems.sort();
        self.problems.dedup();
        self.owner = self
            .owner
            .map(|o| super::sanitize_line(&o).trim().to_string())
            .filter(|o| !o.is_empty());
        Ok(self)
    }
}

impl Article {
    /// The runbook's checklist: its numbered lines ("1. Fail over to the standby"), in
    /// order, without their numbers.
    pub fn steps(&self) -> Vec<String> {
        steps(&self.draft.body)
    }

    /// Whether its review date has passed at `today`.
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        self.draft.state == ArticleState::Published
            && self.draft.review_by.is_some_and(|d| d < today)
    }
}

/// The numbered steps of a Markdown body: lines like `1. text` or `2) text`, outside
/// code blocks.
pub fn steps(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code || line.len() - trimmed.len() > 3 {
            continue;
        }
        let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || digits > 3 {
            continue;
        }
        let rest = &trimmed[digits..];
        if let Some(text) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            let text = text.trim();
            if !text.is_empty() {
                out.push(text.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_lines_are_the_steps_and_code_blocks_are_not() {
        let body = "# Fail over\n\nIntro.\n\n1. Page the DBA\n2) Promote the standby\n\n```\n3. not a step\n```\n   10. Check the lag\n- a bullet\n1.not a step\n";
        assert_eq!(
            steps(body),
            ["Page the DBA", "Promote the standby", "Check the lag"]
        );
    }

    #[test]
    fn a_draft_is_cleaned_and_checked() {
        let mut d = ArticleDraft::new("  Fail over \u{1b}[2J the database ", ArticleKind::Runbook);
        d.services = vec!["db".into(), " db ".into(), String::new()];
        d.body = "line\u{1b}]52;c;x\u{7}\nnext".into();
        let d = d.checked().unwrap();
        assert_eq!(d.title, "Fail over  the database");
        assert_eq!(d.services, ["db"]);
        assert!(!d.body.contains('\u{1b}'));
        assert!(ArticleDraft::new(" ", ArticleKind::Faq).checked().is_err());
        assert!(
            ArticleDraft::new("x".repeat(201), ArticleKind::Faq)
                .checked()
                .is_err()
        );
    }
}
