//! A ticket's history beyond its row: state transitions and reassignments (what SLA
//! clocks are computed from) and comments.

use super::db::{Db, params};
use super::row::secs;
use super::{Store, StoreError, WriteTx};
use crate::domain::sla::SlaEvent;
use crate::domain::ticket::{TicketComment, TicketTransition};
use crate::domain::{TicketKey, Timestamp};

fn sla_events(conn: &Db, key: TicketKey) -> Result<Vec<SlaEvent>, StoreError> {
    let mut events = conn.query_map(
        "SELECT at, to_state FROM ticket_transitions WHERE ticket_id = ?1 ORDER BY at, id",
        params![key.0],
        |r| {
            Ok(SlaEvent::State {
                at: r.ts(0)?,
                to: r.parsed(1)?,
            })
        },
    )?;
    events.extend(conn.query_map(
        "SELECT at FROM ticket_reassignments WHERE ticket_id = ?1 ORDER BY at, id",
        params![key.0],
        |r| Ok(SlaEvent::Reassigned { at: r.ts(0)? }),
    )?);
    // A wait on a vendor that does not pause the ticket's SLA: its clock runs meanwhile.
    for case in super::vendors::ticket_cases(conn, key)?
        .into_iter()
        .filter(|c| !c.pauses_sla)
    {
        events.push(SlaEvent::PendingRuns {
            at: case.opened_at,
            runs: true,
        });
        if let Some(at) = case.ended_at {
            events.push(SlaEvent::PendingRuns { at, runs: false });
        }
    }
    events.sort_by_key(|e| e.at());
    Ok(events)
}

impl Store {
    pub fn ticket_sla_events(&self, key: TicketKey) -> Result<Vec<SlaEvent>, StoreError> {
        sla_events(&self.db, key)
    }

    pub fn ticket_transitions(&self, key: TicketKey) -> Result<Vec<TicketTransition>, StoreError> {
        self.db.query_map(
            "SELECT at, from_state, to_state, actor FROM ticket_transitions WHERE ticket_id = ?1 ORDER BY at, id",
        params![key.0], |r| {
            Ok(TicketTransition {
                ticket: key,
                at: r.ts(0)?,
                from: r.opt_parsed(1)?,
                to: r.parsed(2)?,
                actor: r.get(3)?,
            })
        })
    }

    pub fn ticket_comments(&self, key: TicketKey) -> Result<Vec<TicketComment>, StoreError> {
        self.db.query_map(
            "SELECT at, author, text FROM ticket_comments WHERE ticket_id = ?1 ORDER BY at, id",
            params![key.0],
            |r| {
                Ok(TicketComment {
                    ticket: key,
                    at: r.ts(0)?,
                    author: r.get(1)?,
                    text: r.get(2)?,
                })
            },
        )
    }

    pub fn person_exists(&self, login: &str) -> Result<bool, StoreError> {
        Ok(self
            .db
            .query_opt(
                "SELECT 1 FROM people WHERE login = ?1",
                params![login],
                |_| Ok(()),
            )?
            .is_some())
    }

    /// Whether a known person is active (a deactivated one is never paged).
    pub fn person_active(&self, login: &str) -> Result<bool, StoreError> {
        Ok(self
            .db
            .query_opt(
                "SELECT 1 FROM people WHERE login = ?1 AND deactivated_at IS NULL",
                params![login],
                |_| Ok(()),
            )?
            .is_some())
    }

    /// The team a person belongs to, if the person is known.
    pub fn team_of(&self, login: &str) -> Result<Option<String>, StoreError> {
        self.db.query_opt(
            "SELECT t.name FROM people p JOIN teams t ON t.id = p.team_id WHERE p.login = ?1",
            params![login],
            |r| r.get(0),
        )
    }
}

impl WriteTx<'_> {
    pub fn ticket_sla_events(&self, key: TicketKey) -> Result<Vec<SlaEvent>, StoreError> {
        sla_events(self.tx, key)
    }

    pub fn record_reassignment(
        &self,
        key: TicketKey,
        at: Timestamp,
        from_group: Option<&str>,
        to_group: Option<&str>,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .execute(
                "INSERT INTO ticket_reassignments (ticket_id, at, from_group, to_group, actor) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key.0, secs(at), from_group, to_group, actor])?;
        Ok(())
    }

    pub fn add_ticket_comment(&self, comment: &TicketComment) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO ticket_comments (ticket_id, at, author, text) VALUES (?1, ?2, ?3, ?4)",
            params![
                comment.ticket.0,
                secs(comment.at),
                comment.author,
                comment.text
            ],
        )?;
        Ok(())
    }

    pub fn person_exists(&self, login: &str) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .query_opt(
                "SELECT 1 FROM people WHERE login = ?1",
                params![login],
                |_| Ok(()),
            )?
            .is_some())
    }
}
