//! What a form or question is for, named by the component that owns it: the app opens
//! and saves a form by asking its owner, so each pane's forms live with the pane.
//! Each carries the records and versions it was opened on, so saving can tell when
//! someone else changed them meanwhile.

use crate::domain::change::ChangeState;
use crate::domain::{ChangeKey, IncidentKey, ReviewKey, TicketKey};
use crate::workflow::ReviewField;

#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    Ticket(TicketForm),
    Incident(IncidentForm),
    Escalation(EscalationForm),
    OnCall(OnCallForm),
    Change(ChangeForm),
    Review(ReviewForm),
    Metrics(MetricsForm),
    Directory(DirectoryForm),
}

/// The Directory pane's forms and its one question (archiving).
#[derive(Debug, Clone, PartialEq)]
pub enum DirectoryForm {
    New(crate::domain::org::RecordKind),
    /// The record by name, at the version the pane read.
    Edit(crate::domain::org::RecordKind, String, i64),
    /// Archive (deactivate), or bring back when `restore`.
    Archive {
        kind: crate::domain::org::RecordKind,
        name: String,
        restore: bool,
    },
}

/// The ticket queue's forms and its one question (closing).
#[derive(Debug, Clone, PartialEq)]
pub enum TicketForm {
    Triage(Vec<(TicketKey, i64)>),
    Assign(Vec<(TicketKey, i64)>),
    Comment(TicketKey),
    Pending(TicketKey, i64),
    Resolve(TicketKey, i64),
    Close(TicketKey, i64),
    Reopen(TicketKey, i64),
    Duplicate(TicketKey, i64),
    New,
}

/// The bridge's forms, and declaring (from anywhere, or from a ticket).
#[derive(Debug, Clone, PartialEq)]
pub enum IncidentForm {
    Declare {
        from_ticket: Option<TicketKey>,
    },
    StakeholderUpdate(IncidentKey),
    CanUpdate(IncidentKey),
    Severity(IncidentKey, i64),
    Role(IncidentKey, i64),
    State(IncidentKey, i64),
    Resolve(IncidentKey, i64),
    LinkTicket(IncidentKey),
    /// Tick one of the runbook steps the bridge shows.
    TickStep(IncidentKey),
    /// The question before `m`: mitigation fixes the moment MTTR is measured to.
    Mitigate(IncidentKey, i64),
}

/// What an escalation key applies to: the ticket or the incident in front of the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Ticket(TicketKey, i64),
    Incident(IncidentKey, i64),
}

impl Subject {
    pub fn key(&self) -> crate::domain::RecordKey {
        match *self {
            Subject::Ticket(k, _) => k.into(),
            Subject::Incident(k, _) => k.into(),
        }
    }
}

/// `e` (to a team or person, the policy's next level first), `h` (up the chain), and
/// the question before `E` pages the policy's next level.
#[derive(Debug, Clone, PartialEq)]
pub enum EscalationForm {
    Escalate(Subject),
    Raise(Subject),
    Next(Subject),
}

/// The on-call view's forms, on one team's rotation.
#[derive(Debug, Clone, PartialEq)]
pub enum OnCallForm {
    Override {
        team: String,
        rotation: String,
    },
    /// `confirmed` once the user has said yes to a rotation that changes who is on
    /// call now.
    Rotation {
        team: String,
        rotation: String,
        confirmed: bool,
    },
}

/// The change calendar's forms, and an incident's cause.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeForm {
    Decision(ChangeKey, i64, bool),
    AckConflict(ChangeKey),
    Outcome(ChangeKey, i64, ChangeState),
    New,
    /// An incident's cause, the proposed change filled in.
    CausedBy(IncidentKey, Option<ChangeKey>),
    /// What the change's users are told, at the version read.
    Impact(ChangeKey, i64),
}

/// The Reviews pane's forms, and its questions before lasting one-key actions.
#[derive(Debug, Clone, PartialEq)]
pub enum ReviewForm {
    Edit(ReviewKey, i64, ReviewField),
    NewAction(ReviewKey),
    Publish(ReviewKey, i64),
    /// An action item marked done.
    CloseAction(i64),
    /// `X` over a file already written.
    Export(ReviewKey),
}

/// The metrics pane's choices: not writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsForm {
    /// The service and team the pane is narrowed to.
    Scope,
    /// A period typed in full.
    Period,
}

impl Purpose {
    /// Whether saving writes to the store (refused on a read-only database).
    pub fn writes(&self) -> bool {
        !matches!(self, Purpose::Metrics(_))
    }
}

impl Purpose {
    /// The same purpose on its records as they are now: the versions read again, so a
    /// form refused as stale can be reopened and saved. A record gone keeps its old
    /// version (saving then says it no longer exists).
    pub fn current(&self, store: &crate::store::Store) -> Purpose {
        let ticket = |k: TicketKey, v: i64| {
            store
                .ticket(k)
                .ok()
                .flatten()
                .map_or((k, v), |t| (t.key, t.version))
        };
        let incident =
            |k: IncidentKey, v: i64| store.incident(k).ok().flatten().map_or(v, |i| i.version);
        let change = |k: ChangeKey, v: i64| store.change(k).ok().flatten().map_or(v, |c| c.version);
        let review = |k: ReviewKey, v: i64| store.review(k).ok().flatten().map_or(v, |r| r.version);
        let subject = |s: Subject| match s {
            Subject::Ticket(k, v) => {
                let (k, v) = ticket(k, v);
                Subject::Ticket(k, v)
            }
            Subject::Incident(k, v) => Subject::Incident(k, incident(k, v)),
        };
        match self.clone() {
            Purpose::Ticket(form) => Purpose::Ticket(match form {
                TicketForm::Triage(t) => {
                    TicketForm::Triage(t.into_iter().map(|(k, v)| ticket(k, v)).collect())
                }
                TicketForm::Assign(t) => {
                    TicketForm::Assign(t.into_iter().map(|(k, v)| ticket(k, v)).collect())
                }
                TicketForm::Pending(k, v) => TicketForm::Pending(k, ticket(k, v).1),
                TicketForm::Resolve(k, v) => TicketForm::Resolve(k, ticket(k, v).1),
                TicketForm::Close(k, v) => TicketForm::Close(k, ticket(k, v).1),
                TicketForm::Reopen(k, v) => TicketForm::Reopen(k, ticket(k, v).1),
                TicketForm::Duplicate(k, v) => TicketForm::Duplicate(k, ticket(k, v).1),
                other => other,
            }),
            Purpose::Incident(form) => Purpose::Incident(match form {
                IncidentForm::Severity(k, v) => IncidentForm::Severity(k, incident(k, v)),
                IncidentForm::Role(k, v) => IncidentForm::Role(k, incident(k, v)),
                IncidentForm::State(k, v) => IncidentForm::State(k, incident(k, v)),
                IncidentForm::Resolve(k, v) => IncidentForm::Resolve(k, incident(k, v)),
                IncidentForm::Mitigate(k, v) => IncidentForm::Mitigate(k, incident(k, v)),
                other => other,
            }),
            Purpose::Escalation(form) => Purpose::Escalation(match form {
                EscalationForm::Escalate(s) => EscalationForm::Escalate(subject(s)),
                EscalationForm::Raise(s) => EscalationForm::Raise(subject(s)),
                EscalationForm::Next(s) => EscalationForm::Next(subject(s)),
            }),
            Purpose::Change(form) => Purpose::Change(match form {
                ChangeForm::Decision(k, v, approve) => {
                    ChangeForm::Decision(k, change(k, v), approve)
                }
                ChangeForm::Outcome(k, v, to) => ChangeForm::Outcome(k, change(k, v), to),
                other => other,
            }),
            Purpose::Review(ReviewForm::Edit(k, v, field)) => {
                Purpose::Review(ReviewForm::Edit(k, review(k, v), field))
            }
            Purpose::Review(ReviewForm::Publish(k, v)) => {
                Purpose::Review(ReviewForm::Publish(k, review(k, v)))
            }
            Purpose::Directory(DirectoryForm::Edit(kind, name, v)) => {
                let now = store
                    .stamped_directory()
                    .ok()
                    .and_then(|d| d.version_of(kind, &name));
                Purpose::Directory(DirectoryForm::Edit(kind, name, now.unwrap_or(v)))
            }
            other => other,
        }
    }
}
