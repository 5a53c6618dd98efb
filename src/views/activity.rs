//! A ticket's activity history for people to read: comments, and every audited change
//! described field by field, with who and when.

use crate::domain::Timestamp;
use crate::domain::field_changes::describe_changes_except;
use crate::domain::sanitize_line;
use crate::domain::ticket::{TicketComment, TicketTransition};
use crate::store::AuditEntry;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityLine {
    pub at: Timestamp,
    pub who: String,
    pub text: String,
}

/// Fields the activity history tells from the state transitions, or that follow from them.
const FROM_TRANSITIONS: &[&str] = &[
    "state",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "reopen_count",
    "reassignment_count",
];

/// State changes, comments and other audited changes, oldest first.
pub fn ticket_activity(
    transitions: &[TicketTransition],
    audit: &[AuditEntry],
    comments: &[TicketComment],
) -> Vec<ActivityLine> {
    let mut lines: Vec<ActivityLine> = transitions
        .iter()
        .map(|t| ActivityLine {
            at: t.at,
            who: sanitize_line(&t.actor),
            text: match t.from {
                None => "opened the ticket".to_string(),
                Some(from) => format!("state {from} → {}", t.to),
            },
        })
        .collect();
    lines.extend(comments.iter().map(|c| ActivityLine {
        at: c.at,
        who: sanitize_line(&c.author),
        text: format!("commented: {}", sanitize_line(&c.text)),
    }));
    for entry in audit {
        let verb = entry.action.rsplit('.').next().unwrap_or(&entry.action);
        let text = match (&entry.before, &entry.after) {
            (Some(before), Some(after)) => {
                let changes = describe_changes_except(before, after, FROM_TRANSITIONS);
                if changes.is_empty() {
                    continue;
                }
                format!("{verb}: {}", changes.join(", "))
            }
            _ => continue,
        };
        // One action is one line: the state change it made and the fields it set,
        // said by the audit's actor (`ops (as dana)`), not twice by two names.
        let transition = lines
            .iter_mut()
            .take(transitions.len())
            .find(|l| l.at == entry.at && l.text.starts_with("state "));
        match transition {
            Some(line) => {
                line.text = format!("{} · {text}", line.text);
                line.who = sanitize_line(&entry.actor);
            }
            None => lines.push(ActivityLine {
                at: entry.at,
                who: sanitize_line(&entry.actor),
                text,
            }),
        }
    }
    lines.sort_by_key(|l| l.at);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TicketKey;
    use crate::domain::clock::from_epoch_seconds;
    use serde_json::json;

    #[test]
    fn activity_merges_transitions_comments_and_changes_in_time_order() {
        use crate::domain::TicketState;
        let t = |s: i64| from_epoch_seconds(1_800_000_000 + s);
        let audit = vec![AuditEntry {
            at: t(120),
            actor: "ops (as bob)".into(),
            entity: "TKT-1".into(),
            action: "ticket.take".into(),
            before: Some(json!({"state": "new", "assignee": null})),
            after: Some(json!({"state": "in_progress", "assignee": "bob"})),
        }];
        let comments = vec![TicketComment {
            ticket: TicketKey(1),
            at: t(60),
            author: "alice".into(),
            text: "looking\u{1b}[2J".into(),
        }];
        let transition = |at, from, to, actor: &str| TicketTransition {
            ticket: TicketKey(1),
            at,
            from,
            to,
            actor: actor.into(),
        };
        let transitions = vec![
            transition(t(0), None, TicketState::New, "alice"),
            transition(
                t(120),
                Some(TicketState::New),
                TicketState::InProgress,
                "bob",
            ),
        ];
        let lines = ticket_activity(&transitions, &audit, &comments);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "opened the ticket",
                "commented: looking",
                "state new → in_progress · take: assignee - → bob"
            ],
            "one action, one line"
        );
        assert_eq!(
            lines[2].who, "ops (as bob)",
            "the audit's actor, the fuller name"
        );
    }
}
