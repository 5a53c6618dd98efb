//! A ticket's history beyond its row: state transitions and reassignments (what SLA
//! clocks are computed from) and comments.

use super::row::{opt_parsed, parsed, secs, ts};
use super::{Store, StoreError, WriteTx};
use crate::domain::sla::SlaEvent;
use crate::domain::ticket::{TicketComment, TicketTransition};
use crate::domain::{TicketKey, Timestamp};
use rusqlite::Connection;

fn sla_events(conn: &Connection, key: TicketKey) -> Result<Vec<SlaEvent>, StoreError> {
    let mut events = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT at, to_state FROM ticket_transitions WHERE ticket_id = ?1 ORDER BY at, id",
    )?;
    for row in stmt.query_map([key.0], |r| {
        Ok(SlaEvent::State {
            at: ts(r, 0)?,
            to: parsed(r, 1)?,
        })
    })? {
        events.push(row?);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT at FROM ticket_reassignments WHERE ticket_id = ?1 ORDER BY at, id",
    )?;
    for row in stmt.query_map([key.0], |r| Ok(SlaEvent::Reassigned { at: ts(r, 0)? }))? {
        events.push(row?);
    }
    events.sort_by_key(|e| e.at());
    Ok(events)
}

impl Store {
    pub fn ticket_sla_events(&self, key: TicketKey) -> Result<Vec<SlaEvent>, StoreError> {
        sla_events(&self.conn, key)
    }

    pub fn ticket_transitions(&self, key: TicketKey) -> Result<Vec<TicketTransition>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, from_state, to_state, actor FROM ticket_transitions WHERE ticket_id = ?1 ORDER BY at, id",
        )?;
        let rows = stmt.query_map([key.0], |r| {
            Ok(TicketTransition {
                ticket: key,
                at: ts(r, 0)?,
                from: opt_parsed(r, 1)?,
                to: parsed(r, 2)?,
                actor: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn ticket_comments(&self, key: TicketKey) -> Result<Vec<TicketComment>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, author, text FROM ticket_comments WHERE ticket_id = ?1 ORDER BY at, id",
        )?;
        let rows = stmt.query_map([key.0], |r| {
            Ok(TicketComment {
                ticket: key,
                at: ts(r, 0)?,
                author: r.get(1)?,
                text: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn person_exists(&self, login: &str) -> Result<bool, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM people WHERE login = ?1")?
            .query_row([login], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The team a person belongs to, if the person is known.
    pub fn team_of(&self, login: &str) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached(
                "SELECT t.name FROM people p JOIN teams t ON t.id = p.team_id WHERE p.login = ?1",
            )?
            .query_row([login], |r| r.get(0))
            .optional()?)
    }
}

impl WriteTx<'_> {
    pub fn ticket_sla_events(&self, key: TicketKey) -> Result<Vec<SlaEvent>, StoreError> {
        sla_events(&self.tx, key)
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
            .prepare_cached(
                "INSERT INTO ticket_reassignments (ticket_id, at, from_group, to_group, actor) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(rusqlite::params![key.0, secs(at), from_group, to_group, actor])?;
        Ok(())
    }

    pub fn add_ticket_comment(&self, comment: &TicketComment) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO ticket_comments (ticket_id, at, author, text) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(rusqlite::params![
                comment.ticket.0,
                secs(comment.at),
                comment.author,
                comment.text
            ])?;
        Ok(())
    }

    pub fn person_exists(&self, login: &str) -> Result<bool, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM people WHERE login = ?1")?
            .query_row([login], |_| Ok(()))
            .optional()?
            .is_some())
    }
}
