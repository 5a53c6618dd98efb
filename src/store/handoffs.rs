//! Hand-offs with a receipt: one row per team and shift start, the report as sent,
//! and when (and how) it was acknowledged or the outgoing person paged.

use super::db::{Db, Row, params};
use super::paging::deliveries_where;
use super::row::{opt_secs, secs};
use super::{Store, StoreError, WriteTx};
use crate::domain::Timestamp;
use crate::domain::handoff_receipt::HandoffReceipt;
use crate::domain::page::Delivery;

const SELECT_HANDOFF: &str = "SELECT id, team, shift_from, incoming, outgoing, report,
    created_at, acknowledged_at, acknowledged_how, outgoing_paged_at FROM handoffs";

fn handoff_from_row(r: &Row<'_>) -> Result<HandoffReceipt, StoreError> {
    Ok(HandoffReceipt {
        id: r.get(0)?,
        team: r.get(1)?,
        shift_from: r.ts(2)?,
        incoming: r.get(3)?,
        outgoing: r.get(4)?,
        report: r.get(5)?,
        created_at: r.ts(6)?,
        acknowledged_at: r.opt_ts(7)?,
        acknowledged_how: r.get(8)?,
        outgoing_paged_at: r.opt_ts(9)?,
    })
}

fn handoff(db: &Db, id: i64) -> Result<Option<HandoffReceipt>, StoreError> {
    db.query_opt(
        &format!("{SELECT_HANDOFF} WHERE id = ?1"),
        params![id],
        handoff_from_row,
    )
}

fn unacknowledged(db: &Db) -> Result<Vec<HandoffReceipt>, StoreError> {
    db.query_map(
        &format!("{SELECT_HANDOFF} WHERE acknowledged_at IS NULL ORDER BY created_at, id"),
        params![],
        handoff_from_row,
    )
}

impl Store {
    pub fn handoff(&self, id: i64) -> Result<Option<HandoffReceipt>, StoreError> {
        handoff(&self.db, id)
    }

    /// Hand-offs, the latest first (of one team when given).
    pub fn handoffs(
        &self,
        team: Option<&str>,
        limit: i64,
    ) -> Result<Vec<HandoffReceipt>, StoreError> {
        match team {
            Some(team) => self.db.query_map(
                &format!(
                    "{SELECT_HANDOFF} WHERE team = ?1 ORDER BY shift_from DESC, id DESC LIMIT ?2"
                ),
                params![team, limit],
                handoff_from_row,
            ),
            None => self.db.query_map(
                &format!("{SELECT_HANDOFF} ORDER BY shift_from DESC, id DESC LIMIT ?1"),
                params![limit],
                handoff_from_row,
            ),
        }
    }

    /// The team's hand-off at a shift start, when recorded.
    pub fn handoff_at(
        &self,
        team: &str,
        shift_from: Timestamp,
    ) -> Result<Option<HandoffReceipt>, StoreError> {
        self.db.query_opt(
            &format!("{SELECT_HANDOFF} WHERE team = ?1 AND shift_from = ?2"),
            params![team, secs(shift_from)],
            handoff_from_row,
        )
    }

    /// Hand-offs not acknowledged yet, the oldest first.
    pub fn unacknowledged_handoffs(&self) -> Result<Vec<HandoffReceipt>, StoreError> {
        unacknowledged(&self.db)
    }

    /// The messages of one hand-off, to either person, in order.
    pub fn deliveries_of_handoff(&self, id: i64) -> Result<Vec<Delivery>, StoreError> {
        deliveries_where(&self.db, "d.handoff_id = ?1", params![id])
    }
}

impl WriteTx<'_> {
    pub fn handoff(&self, id: i64) -> Result<Option<HandoffReceipt>, StoreError> {
        handoff(self.tx, id)
    }

    pub fn unacknowledged_handoffs(&self) -> Result<Vec<HandoffReceipt>, StoreError> {
        unacknowledged(self.tx)
    }

    /// Records a hand-off; none (and nothing written) when the team's hand-off at that
    /// shift start is recorded already.
    pub fn insert_handoff(&self, h: &HandoffReceipt) -> Result<Option<i64>, StoreError> {
        let added = self.tx.execute(
            "INSERT INTO handoffs (team, shift_from, incoming, outgoing, report, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (team, shift_from) DO NOTHING",
            params![
                h.team,
                secs(h.shift_from),
                h.incoming,
                h.outgoing,
                h.report,
                secs(h.created_at)
            ],
        )?;
        if added == 0 {
            return Ok(None);
        }
        self.tx.query_opt(
            "SELECT id FROM handoffs WHERE team = ?1 AND shift_from = ?2",
            params![h.team, secs(h.shift_from)],
            |r| r.get(0),
        )
    }

    pub fn acknowledge_handoff(&self, id: i64, at: Timestamp, how: &str) -> Result<(), StoreError> {
        self.tx.execute(
            "UPDATE handoffs SET acknowledged_at = ?2, acknowledged_how = ?3 WHERE id = ?1",
            params![id, secs(at), how],
        )?;
        Ok(())
    }

    pub fn mark_outgoing_paged(&self, id: i64, at: Timestamp) -> Result<(), StoreError> {
        self.tx.execute(
            "UPDATE handoffs SET outgoing_paged_at = ?2 WHERE id = ?1",
            params![id, opt_secs(Some(at))],
        )?;
        Ok(())
    }

    /// Cancels a hand-off's messages not sent yet (the methods used later): what was
    /// cancelled.
    pub fn cancel_pending_handoff(&self, id: i64) -> Result<Vec<Delivery>, StoreError> {
        let pending = deliveries_where(
            self.tx,
            "d.handoff_id = ?1 AND d.state = 'pending'",
            params![id],
        )?;
        self.tx.execute(
            "UPDATE page_deliveries SET state = 'cancelled'
             WHERE handoff_id = ?1 AND state = 'pending'",
            params![id],
        )?;
        Ok(pending)
    }
}
