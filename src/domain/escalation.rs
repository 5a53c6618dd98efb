//! Escalation: policies of ordered levels (functional), and the management chain
//! (hierarchical).

use super::clock::Timestamp;
use chrono::Duration;
use serde::Serialize;
use std::fmt;

/// Whom a level pages: a team's current on-call, or a named person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationTarget {
    Team(String),
    Person(String),
}

impl fmt::Display for EscalationTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EscalationTarget::Team(t) => write!(f, "{t} on-call"),
            EscalationTarget::Person(p) => f.write_str(p),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyLevel {
    pub target: EscalationTarget,
    /// Minutes without acknowledgement before the next level is paged.
    pub delay_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EscalationPolicy {
    pub name: String,
    pub levels: Vec<PolicyLevel>,
    /// How many times the whole list is run again after its last level.
    pub repeat: u32,
}

impl EscalationPolicy {
    /// The n-th level paged (0 = the first), counting repeats; `None` past the end.
    pub fn level(&self, n: usize) -> Option<&PolicyLevel> {
        if self.levels.is_empty() || n >= self.levels.len() * (self.repeat as usize + 1) {
            return None;
        }
        self.levels.get(n % self.levels.len())
    }

    /// When level `n` is due, counting from `start` (declaration or opening): the
    /// delays of every level before it.
    pub fn due_at(&self, start: Timestamp, n: usize) -> Option<Timestamp> {
        self.level(n)?;
        let minutes: i64 = (0..n)
            .filter_map(|i| self.level(i))
            .map(|l| i64::from(l.delay_minutes))
            .sum();
        Some(start + Duration::minutes(minutes))
    }
}

/// After `done` escalations, the last at `since` (or, before any, the moment the
/// clock started), whether the next level is due at `now` — the current level's delay
/// has passed — and which it is.
pub fn escalation_due(
    policy: &EscalationPolicy,
    since: Timestamp,
    done: usize,
    now: Timestamp,
) -> Option<(usize, &PolicyLevel)> {
    let current = policy.level(done)?;
    let next = policy.level(done + 1)?;
    (since + Duration::minutes(i64::from(current.delay_minutes)) <= now).then_some((done + 1, next))
}

crate::string_enum! {
    pub enum EscalationKind ("escalation kind") {
        Functional => "functional",
        Hierarchical => "hierarchical",
    }
}

/// One escalation as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Escalation {
    pub entity: String,
    pub kind: EscalationKind,
    pub level: Option<i64>,
    pub target: String,
    pub team: Option<String>,
    pub person: Option<String>,
    pub reason: String,
    pub actor: String,
    pub at: Timestamp,
}

crate::string_enum! {
    /// Ranks of the management chain, lowest first.
    pub enum Rank ("rank") {
        None => "none",
        TeamLead => "team_lead",
        Manager => "manager",
        Director => "director",
    }
}

/// The next person up the chain, at most `highest`, not yet raised.
/// `chain` runs from the person nearest the work upward: (login, role).
pub fn next_up_the_chain<'a>(
    chain: &'a [(String, String)],
    raised: &[String],
    highest: Rank,
) -> Option<&'a str> {
    chain
        .iter()
        .filter_map(|(login, role)| role.parse::<Rank>().ok().map(|rank| (login, rank)))
        .filter(|(_, rank)| *rank != Rank::None && *rank <= highest)
        .find(|(login, _)| !raised.contains(login))
        .map(|(login, _)| login.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::from_epoch_seconds;

    fn policy() -> EscalationPolicy {
        EscalationPolicy {
            name: "checkout".into(),
            levels: vec![
                PolicyLevel {
                    target: EscalationTarget::Team("payments".into()),
                    delay_minutes: 15,
                },
                PolicyLevel {
                    target: EscalationTarget::Person("lead".into()),
                    delay_minutes: 30,
                },
            ],
            repeat: 1,
        }
    }

    #[test]
    fn levels_progress_and_repeat_then_stop() {
        let p = policy();
        let targets: Vec<String> = (0..5)
            .map(|n| p.level(n).map(|l| l.target.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(
            targets,
            ["payments on-call", "lead", "payments on-call", "lead", ""]
        );
        let t0 = from_epoch_seconds(1_800_000_000);
        assert_eq!(p.due_at(t0, 0), Some(t0));
        assert_eq!(p.due_at(t0, 1), Some(t0 + Duration::minutes(15)));
        assert_eq!(p.due_at(t0, 2), Some(t0 + Duration::minutes(45)));
        assert_eq!(p.due_at(t0, 3), Some(t0 + Duration::minutes(60)));
        assert_eq!(p.due_at(t0, 4), None);
    }

    #[test]
    fn an_escalation_is_due_once_the_current_levels_delay_passed() {
        let p = policy();
        let t0 = from_epoch_seconds(1_800_000_000);
        assert_eq!(escalation_due(&p, t0, 0, t0 + Duration::minutes(14)), None);
        let (n, level) = escalation_due(&p, t0, 0, t0 + Duration::minutes(15)).unwrap();
        assert_eq!((n, level.target.to_string()), (1, "lead".to_string()));
        // Escalated at +15: the lead's level waits its own 30 minutes from then.
        let at = t0 + Duration::minutes(15);
        assert_eq!(escalation_due(&p, at, 1, at + Duration::minutes(29)), None);
        assert!(escalation_due(&p, at, 1, at + Duration::minutes(30)).is_some());
        assert!(
            escalation_due(&p, t0, 3, t0 + Duration::days(1)).is_none(),
            "no levels left"
        );
    }

    #[test]
    fn the_chain_is_climbed_as_far_as_the_severity_allows() {
        let chain: Vec<(String, String)> = [
            ("eve", "engineer"),
            ("tom", "team_lead"),
            ("mia", "manager"),
            ("dan", "director"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(next_up_the_chain(&chain, &[], Rank::Manager), Some("tom"));
        assert_eq!(
            next_up_the_chain(&chain, &["tom".into()], Rank::Manager),
            Some("mia")
        );
        assert_eq!(
            next_up_the_chain(&chain, &["tom".into(), "mia".into()], Rank::Manager),
            None
        );
        assert_eq!(
            next_up_the_chain(&chain, &["tom".into(), "mia".into()], Rank::Director),
            Some("dan")
        );
        assert_eq!(next_up_the_chain(&chain, &[], Rank::None), None);
    }
}
