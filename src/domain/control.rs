//! Operational controls: the recurring tasks an audit asks to see done — a DR drill, a
//! backup restore test, an access review, a licence reconciliation, a vendor review —
//! each with an owner, a cadence and the day it is next due. Each occurrence is done
//! (with its checklist, its evidence and, for drills and restores, the RTO and RPO
//! measured against the service's targets) or waived with a reason; what it found
//! becomes findings tracked like review actions.

use super::Timestamp;
use chrono::{Months, NaiveDate};
use serde::Serialize;

crate::string_enum! {
    pub enum ControlKind ("control kind") {
        DrDrill => "dr_drill",
        BackupRestore => "backup_restore",
        AccessReview => "access_review",
        LicenceReconciliation => "licence_reconciliation",
        VendorReview => "vendor_review",
        Other => "other",
    }
}

impl ControlKind {
    /// Drills and restore tests measure how long recovery took and how much was lost.
    pub fn measures_recovery(self) -> bool {
        matches!(self, ControlKind::DrDrill | ControlKind::BackupRestore)
    }
}

crate::string_enum! {
    pub enum Cadence ("cadence") {
        Once => "once",
        Weekly => "weekly",
        Monthly => "monthly",
        Quarterly => "quarterly",
        HalfYearly => "half_yearly",
        Yearly => "yearly",
    }
}

impl Cadence {
    /// The occurrence after the one due on `due`; none for a one-off. A monthly control
    /// due on the 31st is next due on the last day of a shorter month.
    pub fn next(self, due: NaiveDate) -> Option<NaiveDate> {
        let months = match self {
            Cadence::Once => return None,
            Cadence::Weekly => return due.checked_add_days(chrono::Days::new(7)),
            Cadence::Monthly => 1,
            Cadence::Quarterly => 3,
            Cadence::HalfYearly => 6,
            Cadence::Yearly => 12,
        };
        due.checked_add_months(Months::new(months))
    }
}

crate::string_enum! {
    /// Where a control stands: its next occurrence due (or overdue), or — a one-off
    /// finished — done or waived.
    pub enum ControlState ("control state") {
        Due => "due",
        Overdue => "overdue",
        Done => "done",
        Waived => "waived",
    }
}

crate::string_enum! {
    pub enum RunOutcome ("outcome") {
        Done => "done",
        Waived => "waived",
    }
}

crate::string_enum! {
    pub enum EvidenceKind ("evidence kind") {
        Text => "text",
        Link => "link",
        File => "file",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Control {
    /// `CTL-n`; 0 until written.
    pub number: i64,
    pub title: String,
    pub kind: ControlKind,
    /// A person's login.
    pub owner: String,
    pub service: Option<String>,
    pub cadence: Cadence,
    /// The day the next occurrence is due; none once a one-off is finished.
    pub due_on: Option<NaiveDate>,
    /// What doing it means, step by step.
    pub checklist: Vec<String>,
    /// How the last occurrence ended, if any has.
    pub last_outcome: Option<RunOutcome>,
    pub version: i64,
}

impl Control {
    pub fn key(&self) -> String {
        format!("CTL-{}", self.number)
    }

    /// Where it stands on `today` (in the business-hours zone).
    pub fn state(&self, today: NaiveDate) -> ControlState {
        match (self.due_on, self.last_outcome) {
            (Some(due), _) if due < today => ControlState::Overdue,
            (Some(_), _) => ControlState::Due,
            (None, Some(RunOutcome::Waived)) => ControlState::Waived,
            (None, _) => ControlState::Done,
        }
    }

    /// Days past its due day on `today`; none when not overdue.
    pub fn days_overdue(&self, today: NaiveDate) -> Option<i64> {
        self.due_on
            .filter(|due| *due < today)
            .map(|due| (today - due).num_days())
    }
}

/// One piece of evidence: a text, a link, or a file kept whole with its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub kind: EvidenceKind,
    /// The text, the URL, or the file's name.
    pub text: String,
    pub sha256: Option<String>,
    pub size: Option<i64>,
    /// A file's bytes, base64; left out of JSON.
    #[serde(skip)]
    pub content: Option<String>,
}

/// Largest file kept as evidence.
pub const MAX_EVIDENCE_FILE: usize = 8 * 1024 * 1024;

impl Evidence {
    pub fn text(text: &str) -> Result<Evidence, String> {
        let text = super::sanitize_text(text).trim().to_string();
        if text.is_empty() {
            return Err("an evidence text must not be empty".into());
        }
        Ok(Evidence {
            kind: EvidenceKind::Text,
            text,
            sha256: None,
            size: None,
            content: None,
        })
    }

    /// A link to where the evidence lives: http or https, one line.
    pub fn link(url: &str) -> Result<Evidence, String> {
        let url = url.trim();
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() <= 2000
            && url.chars().all(|c| c.is_ascii_graphic());
        if !ok {
            return Err(format!(
                "'{}' is not an http(s) link",
                super::sanitize_line(url)
            ));
        }
        Ok(Evidence {
            kind: EvidenceKind::Link,
            text: url.to_string(),
            sha256: None,
            size: None,
            content: None,
        })
    }

    /// A file kept whole, under its name, with its SHA-256.
    pub fn file(name: &str, bytes: &[u8]) -> Result<Evidence, String> {
        use base64::Engine;
        use sha2::Digest;
        if bytes.len() > MAX_EVIDENCE_FILE {
            return Err(format!(
                "{name}: larger than {} MiB",
                MAX_EVIDENCE_FILE >> 20
            ));
        }
        let name = super::sanitize_line(name);
        let safe = name
            .chars()
            .all(|c| c.is_alphanumeric() || "._- ".contains(c));
        if name.is_empty() || name.starts_with('.') || !safe {
            return Err(format!(
                "'{name}': an evidence file's name is letters, digits, spaces, dots, dashes and underscores"
            ));
        }
        Ok(Evidence {
            kind: EvidenceKind::File,
            text: name,
            sha256: Some(super::page_link::hex(&sha2::Sha256::digest(bytes))),
            size: Some(bytes.len() as i64),
            content: Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
        })
    }

    /// A file's bytes as kept.
    pub fn bytes(&self) -> Option<Vec<u8>> {
        use base64::Engine;
        let content = self.content.as_deref()?;
        base64::engine::general_purpose::STANDARD
            .decode(content)
            .ok()
    }
}

/// One occurrence done or waived.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlRun {
    pub id: i64,
    pub control: i64,
    /// The occurrence it was: the day it was due.
    pub due_on: NaiveDate,
    pub outcome: RunOutcome,
    pub at: Timestamp,
    pub actor: String,
    /// Why it was waived, or a note on how it went.
    pub reason: String,
    /// The checklist items confirmed.
    pub checked: Vec<String>,
    pub recovery: Recovery,
    pub evidence: Vec<Evidence>,
}

/// A drill's or restore's measured recovery, with the service's targets then.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Recovery {
    pub rto_minutes: Option<i64>,
    pub rpo_minutes: Option<i64>,
    pub rto_target: Option<i64>,
    pub rpo_target: Option<i64>,
}

impl Recovery {
    /// What missed its target: `("RTO", measured, target)`.
    pub fn missed(&self) -> Vec<(&'static str, i64, i64)> {
        [
            ("RTO", self.rto_minutes, self.rto_target),
            ("RPO", self.rpo_minutes, self.rpo_target),
        ]
        .into_iter()
        .filter_map(|(name, measured, target)| match (measured, target) {
            (Some(m), Some(t)) if m > t => Some((name, m, t)),
            _ => None,
        })
        .collect()
    }

    /// `RTO 45m (target 1h00m) · RPO 10m (target 15m)`, or empty when nothing was
    /// measured.
    pub fn shown(&self) -> String {
        let one = |name: &str, measured: Option<i64>, target: Option<i64>| {
            measured.map(|m| {
                let target = target.map_or_else(
                    || " (no target)".to_string(),
                    |t| {
                        let verdict = if m > t { "MISSED" } else { "met" };
                        format!(" ({verdict}, target {})", minutes(t))
                    },
                );
                format!("{name} {}{target}", minutes(m))
            })
        };
        [
            one("RTO", self.rto_minutes, self.rto_target),
            one("RPO", self.rpo_minutes, self.rpo_target),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    }
}

/// A span in minutes, short: `45m`, `2h05m`, `3d4h`.
pub fn minutes(m: i64) -> String {
    super::display::short_duration(m * 60)
}

/// A span as typed: `45m`, `4h`, `2d`, `1h30m`, or plain minutes; at most a year.
pub fn parse_minutes(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let wrong = || format!("'{t}' is not a span like 45m, 4h, 1h30m or 2d");
    if let Ok(n) = t.parse::<i64>() {
        return (0..=525_600).contains(&n).then_some(n).ok_or_else(wrong);
    }
    let mut total: i64 = 0;
    let mut number = String::new();
    for c in t.chars() {
        match c {
            '0'..='9' if number.len() < 7 => number.push(c),
            'm' | 'h' | 'd' if !number.is_empty() => {
                let scale = match c {
                    'm' => 1,
                    'h' => 60,
                    _ => 1440,
                };
                total += number.parse::<i64>().map_err(|_| wrong())? * scale;
                number.clear();
            }
            _ => return Err(wrong()),
        }
    }
    if !number.is_empty() || t.is_empty() || total > 525_600 {
        return Err(wrong());
    }
    Ok(total)
}

/// A finding is due this long after it is found, unless given a day.
pub const FINDING_DAYS: i64 = 30;

/// A finding of a control: an action item with an owner and a due day, open until done
/// or judged not worth doing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub id: i64,
    pub control: i64,
    pub run: Option<i64>,
    pub title: String,
    pub owner: Option<String>,
    pub state: super::review::ActionItemState,
    pub due_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub wont_do_reason: Option<String>,
    pub created_at: Timestamp,
}

impl Finding {
    pub fn is_open(&self) -> bool {
        use super::review::ActionItemState;
        matches!(
            self.state,
            ActionItemState::Open | ActionItemState::InProgress
        )
    }

    pub fn is_overdue(&self, now: Timestamp) -> bool {
        self.is_open() && self.due_at.is_some_and(|due| due < now)
    }
}

/// A control's key as typed: `CTL-3`, `ctl-3` or `3`.
pub fn parse_key(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let number = t
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("CTL-"))
        .map_or(t, |_| &t[4..]);
    number
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("'{t}' is not a control key (like CTL-3)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn each_cadence_moves_the_due_day_on_and_a_month_end_stays_a_month_end() {
        let due = day("2026-01-31");
        assert_eq!(Cadence::Once.next(due), None);
        assert_eq!(Cadence::Weekly.next(due), Some(day("2026-02-07")));
        assert_eq!(Cadence::Monthly.next(due), Some(day("2026-02-28")));
        assert_eq!(Cadence::Quarterly.next(due), Some(day("2026-04-30")));
        assert_eq!(Cadence::HalfYearly.next(due), Some(day("2026-07-31")));
        assert_eq!(
            Cadence::Yearly.next(day("2028-02-29")),
            Some(day("2029-02-28"))
        );
    }

    #[test]
    fn a_control_is_due_until_its_day_has_passed_and_a_finished_one_off_says_how() {
        let mut c = Control {
            number: 1,
            title: "DR drill".into(),
            kind: ControlKind::DrDrill,
            owner: "ana".into(),
            service: None,
            cadence: Cadence::Quarterly,
            due_on: Some(day("2026-12-15")),
            checklist: Vec::new(),
            last_outcome: None,
            version: 1,
        };
        assert_eq!(c.state(day("2026-12-01")), ControlState::Due);
        assert_eq!(c.state(day("2026-12-15")), ControlState::Due, "due today");
        assert_eq!(c.state(day("2026-12-16")), ControlState::Overdue);
        assert_eq!(c.days_overdue(day("2026-12-20")), Some(5));
        assert_eq!(c.days_overdue(day("2026-12-15")), None);
        c.due_on = None;
        c.last_outcome = Some(RunOutcome::Waived);
        assert_eq!(c.state(day("2026-12-20")), ControlState::Waived);
        c.last_outcome = Some(RunOutcome::Done);
        assert_eq!(c.state(day("2026-12-20")), ControlState::Done);
    }

    #[test]
    fn recovery_is_measured_against_its_targets_and_a_tie_meets_it() {
        let r = Recovery {
            rto_minutes: Some(95),
            rpo_minutes: Some(15),
            rto_target: Some(60),
            rpo_target: Some(15),
        };
        assert_eq!(r.missed(), vec![("RTO", 95, 60)]);
        assert_eq!(
            r.shown(),
            "RTO 1h35m (MISSED, target 1h00m) · RPO 15m (met, target 15m)"
        );
        let untargeted = Recovery {
            rto_minutes: Some(30),
            ..Recovery::default()
        };
        assert!(untargeted.missed().is_empty());
        assert_eq!(untargeted.shown(), "RTO 30m (no target)");
        assert_eq!(Recovery::default().shown(), "");
    }

    #[test]
    fn evidence_is_a_text_a_link_or_a_file_kept_whole_with_its_hash() {
        let file = Evidence::file("restore-log.txt", b"abc").unwrap();
        assert_eq!(
            file.sha256.as_deref(),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(file.size, Some(3));
        assert_eq!(file.bytes().unwrap(), b"abc");
        for bad in ["../etc/passwd", ".hidden", "a/b", ""] {
            assert!(Evidence::file(bad, b"x").is_err(), "{bad}");
        }
        assert!(Evidence::link("https://wiki.example.org/dr/2026-q4").is_ok());
        assert!(Evidence::link("javascript:alert(1)").is_err());
        assert!(Evidence::link("https://a.example/x y").is_err());
        assert!(Evidence::text("  ").is_err());
        assert_eq!(Evidence::text(" Restored ").unwrap().text, "Restored");
    }

    #[test]
    fn spans_read_as_typed_and_others_are_refused() {
        assert_eq!(parse_minutes("45m"), Ok(45));
        assert_eq!(parse_minutes("4h"), Ok(240));
        assert_eq!(parse_minutes("2d"), Ok(2880));
        assert_eq!(parse_minutes(" 90 "), Ok(90));
        assert_eq!(parse_minutes("1h30m"), Ok(90));
        assert_eq!(parse_minutes("2d4h"), Ok(3120));
        for bad in ["", "m", "-5m", "4x", "9999d", "1.5h", "1h30", "h1"] {
            assert!(parse_minutes(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_key("CTL-3"), Ok(3));
        assert_eq!(parse_key("ctl-12"), Ok(12));
        assert_eq!(parse_key("7"), Ok(7));
        assert!(parse_key("TKT-3").is_err() && parse_key("CTL-0").is_err());
    }
}
