//! The pager's tables: pages, the delivery outbox, the engine's lease and the page
//! links already answered.

use super::db::{Db, Row, params};
use super::row::{opt_secs, secs};
use super::{Store, StoreError, WriteTx};
use crate::domain::Timestamp;
use crate::domain::page::{Delivery, DeliveryState, NewDelivery, Page};

const SELECT_PAGE: &str = "SELECT id, entity, title, severity, policy, started_at, levels_paged,
    next_at, state, stopped_at, stopped_by, held_reason FROM pages";

fn page_from_row(r: &Row<'_>) -> Result<Page, StoreError> {
    Ok(Page {
        id: r.get(0)?,
        entity: r.get(1)?,
        title: r.get(2)?,
        severity: r.get(3)?,
        policy: r.get(4)?,
        started_at: r.ts(5)?,
        levels_paged: r.get(6)?,
        next_at: r.opt_ts(7)?,
        state: r.parsed(8)?,
        stopped_at: r.opt_ts(9)?,
        stopped_by: r.get(10)?,
        held_reason: r.get(11)?,
    })
}

const SELECT_DELIVERY: &str =
    "SELECT d.id, d.page_id, COALESCE(p.entity, d.entity), d.level, d.person, d.kind,
    d.target, d.purpose, d.subject, d.body, d.idempotency_key, d.created_at, d.due_at, d.state,
    d.attempts, d.last_error, d.delivered_at, d.handoff_id, d.attachment_name, d.attachment
    FROM page_deliveries d LEFT JOIN pages p ON p.id = d.page_id";

fn delivery_from_row(r: &Row<'_>) -> Result<Delivery, StoreError> {
    Ok(Delivery {
        id: r.get(0)?,
        page: r.get(1)?,
        entity: r.get(2)?,
        level: r.get(3)?,
        person: r.get(4)?,
        kind: r.parsed(5)?,
        target: r.get(6)?,
        purpose: r.parsed(7)?,
        subject: r.get(8)?,
        body: r.get(9)?,
        idempotency_key: r.get(10)?,
        created_at: r.ts(11)?,
        due_at: r.ts(12)?,
        state: r.parsed(13)?,
        attempts: r.get(14)?,
        last_error: r.get(15)?,
        delivered_at: r.opt_ts(16)?,
        handoff: r.get(17)?,
        attachment: match (r.get::<Option<String>>(18)?, r.get::<Option<String>>(19)?) {
            (Some(name), Some(text)) => Some((name, text)),
            _ => None,
        },
    })
}

fn active_page_for(db: &Db, entity: &str) -> Result<Option<Page>, StoreError> {
    db.query_opt(
        &format!(
            "{SELECT_PAGE} WHERE entity = ?1 AND state IN ('active', 'held') ORDER BY id DESC"
        ),
        params![entity],
        page_from_row,
    )
}

/// Active pages whose next level is due at `now`, the earliest first.
fn pages_due(db: &Db, now: Timestamp) -> Result<Vec<Page>, StoreError> {
    db.query_map(
        &format!(
            "{SELECT_PAGE} WHERE state IN ('active', 'held') AND next_at <= ?1 ORDER BY next_at, id"
        ),
        params![secs(now)],
        page_from_row,
    )
}

pub(super) fn deliveries_where(
    db: &Db,
    condition: &str,
    params: &[&dyn super::db::Param],
) -> Result<Vec<Delivery>, StoreError> {
    db.query_map(
        &format!("{SELECT_DELIVERY} WHERE {condition} ORDER BY d.created_at, d.id"),
        params,
        delivery_from_row,
    )
}

impl Store {
    /// Pages, the latest first; only those still paging when `active`.
    pub fn pages(&self, active: bool, limit: i64) -> Result<Vec<Page>, StoreError> {
        let filter = if active {
            "WHERE state IN ('active', 'held')"
        } else {
            ""
        };
        self.db.query_map(
            &format!("{SELECT_PAGE} {filter} ORDER BY started_at DESC, id DESC LIMIT ?1"),
            params![limit],
            page_from_row,
        )
    }

    pub fn page(&self, id: i64) -> Result<Option<Page>, StoreError> {
        self.db.query_opt(
            &format!("{SELECT_PAGE} WHERE id = ?1"),
            params![id],
            page_from_row,
        )
    }

    /// The pages of one record, the latest first.
    pub fn pages_of(&self, entity: &str) -> Result<Vec<Page>, StoreError> {
        self.db.query_map(
            &format!("{SELECT_PAGE} WHERE entity = ?1 ORDER BY id DESC"),
            params![entity],
            page_from_row,
        )
    }

    pub fn active_page_for(&self, entity: &str) -> Result<Option<Page>, StoreError> {
        active_page_for(&self.db, entity)
    }

    /// Active pages whose next level is due at `now`, the earliest first.
    pub fn pages_due(&self, now: Timestamp) -> Result<Vec<Page>, StoreError> {
        pages_due(&self.db, now)
    }

    /// What one page sent, in order.
    pub fn deliveries_of_page(&self, page: i64) -> Result<Vec<Delivery>, StoreError> {
        deliveries_where(&self.db, "d.page_id = ?1", params![page])
    }

    /// Test pages and the like, sent to a person outside any page, the latest last.
    pub fn deliveries_to(&self, person: &str, limit: i64) -> Result<Vec<Delivery>, StoreError> {
        let mut all = deliveries_where(&self.db, "d.person = ?1", params![person])?;
        let skip = all.len().saturating_sub(limit.max(0) as usize);
        Ok(all.split_off(skip))
    }

    /// The message queued under this key, if one ever was.
    pub fn delivery_by_key(&self, key: &str) -> Result<Option<Delivery>, StoreError> {
        Ok(deliveries_where(&self.db, "d.idempotency_key = ?1", params![key])?.pop())
    }

    /// Every message about a record — its pages' and its status updates' — the first
    /// queued first.
    pub fn deliveries_about(&self, entity: &str) -> Result<Vec<Delivery>, StoreError> {
        deliveries_where(
            &self.db,
            "(p.entity = ?1 OR d.entity = ?1)",
            params![entity],
        )
    }

    /// Deliveries of still-active pages that failed for good: the pages nobody may have
    /// heard, for the bridge and the status bar.
    pub fn undelivered_pages(&self) -> Result<Vec<Delivery>, StoreError> {
        deliveries_where(
            &self.db,
            "d.state = 'failed' AND d.purpose = 'page' AND p.state = 'active'",
            params![],
        )
    }

    /// Messages waiting to be sent for more than a minute at `now` (consoles' aside):
    /// with no pager running, nobody is sending them.
    pub fn queued_unsent(&self, now: Timestamp) -> Result<i64, StoreError> {
        self.db.query_value(
            "SELECT COUNT(*) FROM page_deliveries
             WHERE state = 'pending' AND kind <> 'console' AND due_at <= ?1",
            params![secs(now) - 60],
        )
    }

    /// Console deliveries waiting for one of the person's consoles to show them.
    pub fn console_deliveries_for(
        &self,
        person: &str,
        now: Timestamp,
    ) -> Result<Vec<Delivery>, StoreError> {
        deliveries_where(
            &self.db,
            "d.person = ?1 AND d.kind = 'console' AND d.state = 'pending' AND d.due_at <= ?2",
            params![person, secs(now)],
        )
    }

    /// Who holds the named lease at `now`, and until when.
    pub fn lease(
        &self,
        name: &str,
        now: Timestamp,
    ) -> Result<Option<(String, Timestamp)>, StoreError> {
        self.db.query_opt(
            "SELECT holder, expires_at FROM engine_leases WHERE name = ?1 AND expires_at > ?2",
            params![name, secs(now)],
            |r| Ok((r.get(0)?, r.ts(1)?)),
        )
    }

    /// Whether a page link was answered already.
    pub fn link_used(&self, link_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .db
            .query_opt(
                "SELECT 1 FROM used_links WHERE link_id = ?1",
                params![link_id],
                |r| r.get::<i64>(0),
            )?
            .is_some())
    }

    /// When the next delivery or level is due, for the engine's sleep; a console
    /// delivery counts when it will have waited `console_wait_seconds` unseen.
    pub fn next_pager_work(
        &self,
        console_wait_seconds: i64,
    ) -> Result<Option<Timestamp>, StoreError> {
        let at: Option<i64> = self.db.query_value(
            "SELECT MIN(t) FROM (
                SELECT MIN(next_at) AS t FROM pages WHERE state IN ('active', 'held')
                UNION ALL
                SELECT MIN(due_at) AS t FROM page_deliveries
                    WHERE state = 'pending' AND kind <> 'console'
                UNION ALL
                SELECT MIN(claimed_until) AS t FROM page_deliveries WHERE state = 'sending'
                UNION ALL
                SELECT MIN(due_at) + ?1 AS t FROM page_deliveries
                    WHERE state = 'pending' AND kind = 'console'
            ) AS due",
            params![console_wait_seconds],
        )?;
        Ok(at.map(crate::domain::clock::from_epoch_seconds))
    }
}

impl WriteTx<'_> {
    pub fn insert_page(&self, page: &Page) -> Result<i64, StoreError> {
        self.tx.insert_id(
            "INSERT INTO pages (entity, title, severity, policy, started_at, levels_paged,
                next_at, state, stopped_at, stopped_by, held_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                page.entity,
                page.title,
                page.severity,
                page.policy,
                secs(page.started_at),
                page.levels_paged,
                opt_secs(page.next_at),
                page.state.as_str(),
                opt_secs(page.stopped_at),
                page.stopped_by,
                page.held_reason
            ],
        )
    }

    pub fn update_page(&self, page: &Page) -> Result<(), StoreError> {
        self.tx.execute(
            "UPDATE pages SET levels_paged = ?2, next_at = ?3, state = ?4, stopped_at = ?5,
                stopped_by = ?6, held_reason = ?7 WHERE id = ?1",
            params![
                page.id,
                page.levels_paged,
                opt_secs(page.next_at),
                page.state.as_str(),
                opt_secs(page.stopped_at),
                page.stopped_by,
                page.held_reason
            ],
        )?;
        Ok(())
    }

    pub fn active_page_for(&self, entity: &str) -> Result<Option<Page>, StoreError> {
        active_page_for(self.tx, entity)
    }

    /// Puts a message in the outbox; a message whose key is there already is not added
    /// again (`false`).
    pub fn enqueue_delivery(&self, d: &NewDelivery, now: Timestamp) -> Result<bool, StoreError> {
        let added = self.tx.execute(
            "INSERT INTO page_deliveries (page_id, level, person, kind, target, purpose,
                subject, body, idempotency_key, created_at, due_at, state, attempts, handoff_id,
                entity, attachment_name, attachment)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'pending', 0, ?12, ?13, ?14, ?15)
             ON CONFLICT (idempotency_key) DO NOTHING",
            params![
                d.page,
                d.level,
                d.person,
                d.kind.as_str(),
                d.target,
                d.purpose.as_str(),
                d.subject,
                d.body,
                d.idempotency_key,
                secs(now),
                secs(d.due_at),
                d.handoff,
                d.entity,
                d.attachment.as_ref().map(|(name, _)| name.clone()),
                d.attachment.as_ref().map(|(_, text)| text.clone())
            ],
        )?;
        Ok(added > 0)
    }

    /// Claims up to `limit` deliveries due at `now` (and any whose claim lapsed: a sender
    /// that died mid-send) until `until`, counting the attempt. Console deliveries are
    /// the consoles' to take.
    pub fn claim_deliveries(
        &self,
        now: Timestamp,
        until: Timestamp,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let due = deliveries_where(
            self.tx,
            "d.kind <> 'console' AND ((d.state = 'pending' AND d.due_at <= ?1)
                OR (d.state = 'sending' AND d.claimed_until <= ?1))",
            params![secs(now)],
        )?;
        let mut claimed = Vec::new();
        for mut d in due.into_iter().take(limit.max(0) as usize) {
            self.tx.execute(
                "UPDATE page_deliveries SET state = 'sending', claimed_until = ?2,
                    attempts = attempts + 1 WHERE id = ?1",
                params![d.id, secs(until)],
            )?;
            d.state = DeliveryState::Sending;
            d.attempts += 1;
            claimed.push(d);
        }
        Ok(claimed)
    }

    /// Claims one pending delivery until `until`, whatever its due time (a test sent at
    /// once); `None` when it is not pending.
    pub fn claim_delivery(
        &self,
        id: i64,
        until: Timestamp,
    ) -> Result<Option<Delivery>, StoreError> {
        let claimed = self.tx.execute(
            "UPDATE page_deliveries SET state = 'sending', claimed_until = ?2,
                attempts = attempts + 1
             WHERE id = ?1 AND state = 'pending' AND kind <> 'console'",
            params![id, secs(until)],
        )?;
        if claimed == 0 {
            return Ok(None);
        }
        self.delivery(id)
    }

    /// The outbox rows of these keys.
    pub fn deliveries_by_key(&self, keys: &[String]) -> Result<Vec<Delivery>, StoreError> {
        let mut out = Vec::new();
        for key in keys {
            out.extend(deliveries_where(
                self.tx,
                "d.idempotency_key = ?1",
                params![key],
            )?);
        }
        Ok(out)
    }

    /// Records what became of a delivery: delivered, failed for good, or back in the
    /// queue (pending) at `due_at` with the error of this attempt.
    pub fn finish_delivery(
        &self,
        id: i64,
        state: DeliveryState,
        error: Option<&str>,
        due_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let delivered = (state == DeliveryState::Delivered).then_some(secs(now));
        self.tx.execute(
            "UPDATE page_deliveries SET state = ?2, last_error = COALESCE(?3, last_error),
                due_at = COALESCE(?4, due_at), delivered_at = ?5, claimed_until = NULL
             WHERE id = ?1",
            params![id, state.as_str(), error, opt_secs(due_at), delivered],
        )?;
        Ok(())
    }

    /// Cancels what a page has not sent yet; returns those cancelled.
    pub fn cancel_pending(&self, page: i64) -> Result<Vec<Delivery>, StoreError> {
        let pending = deliveries_where(
            self.tx,
            "d.page_id = ?1 AND d.state = 'pending' AND d.purpose = 'page'",
            params![page],
        )?;
        self.tx.execute(
            "UPDATE page_deliveries SET state = 'cancelled'
             WHERE page_id = ?1 AND state = 'pending' AND purpose = 'page'",
            params![page],
        )?;
        Ok(pending)
    }

    /// What a page sent (or is sending): who heard it, by which method.
    pub fn sent_of_page(&self, page: i64) -> Result<Vec<Delivery>, StoreError> {
        deliveries_where(
            self.tx,
            "d.page_id = ?1 AND d.purpose = 'page' AND d.state IN ('delivered', 'sending')",
            params![page],
        )
    }

    /// Console deliveries still waiting since before `due_before`.
    pub fn stale_console_deliveries(
        &self,
        due_before: Timestamp,
    ) -> Result<Vec<Delivery>, StoreError> {
        deliveries_where(
            self.tx,
            "d.kind = 'console' AND d.state = 'pending' AND d.due_at < ?1",
            params![secs(due_before)],
        )
    }

    /// Marks a console delivery shown, unless another console took it first.
    pub fn take_console_delivery(
        &self,
        id: i64,
        now: Timestamp,
    ) -> Result<Option<Delivery>, StoreError> {
        let taken = self.tx.execute(
            "UPDATE page_deliveries SET state = 'delivered', delivered_at = ?2, attempts = attempts + 1
             WHERE id = ?1 AND kind = 'console' AND state = 'pending'",
            params![id, secs(now)],
        )?;
        if taken == 0 {
            return Ok(None);
        }
        self.delivery(id)
    }

    pub fn delivery(&self, id: i64) -> Result<Option<Delivery>, StoreError> {
        self.tx.query_opt(
            &format!("{SELECT_DELIVERY} WHERE d.id = ?1"),
            params![id],
            delivery_from_row,
        )
    }

    /// Takes or renews the named lease for `holder` until `until` when it is free, has
    /// lapsed at `now`, or is already theirs. Whether `holder` has it.
    pub fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool, StoreError> {
        self.tx.execute(
            "INSERT INTO engine_leases (name, holder, expires_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,
                expires_at = excluded.expires_at
             WHERE engine_leases.holder = excluded.holder OR engine_leases.expires_at <= ?4",
            params![name, holder, secs(until), secs(now)],
        )?;
        let current: String = self.tx.query_value(
            "SELECT holder FROM engine_leases WHERE name = ?1",
            params![name],
        )?;
        Ok(current == holder)
    }

    /// Records a link as answered; `false` when it was answered before.
    pub fn use_link(&self, link_id: &str, now: Timestamp) -> Result<bool, StoreError> {
        let added = self.tx.execute(
            "INSERT INTO used_links (link_id, used_at) VALUES (?1, ?2)
             ON CONFLICT (link_id) DO NOTHING",
            params![link_id, secs(now)],
        )?;
        Ok(added > 0)
    }
}

/// A person's last reachability check and confirmation.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Reachability {
    pub checked_at: Option<Timestamp>,
    pub confirmed_at: Option<Timestamp>,
    /// The method they confirmed from (`email`, `ntfy`, `cli` …).
    pub confirmed_by: Option<String>,
}

impl Store {
    /// Everyone's reachability, by login.
    pub fn reachability(
        &self,
    ) -> Result<std::collections::BTreeMap<String, Reachability>, StoreError> {
        Ok(self
            .db
            .query_map(
                "SELECT login, checked_at, confirmed_at, confirmed_by FROM reachability",
                params![],
                |r| {
                    Ok((
                        r.get::<String>(0)?,
                        Reachability {
                            checked_at: r.opt_ts(1)?,
                            confirmed_at: r.opt_ts(2)?,
                            confirmed_by: r.get(3)?,
                        },
                    ))
                },
            )?
            .into_iter()
            .collect())
    }
}

impl WriteTx<'_> {
    pub fn mark_checked(&self, login: &str, at: Timestamp) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO reachability (login, checked_at) VALUES (?1, ?2)
             ON CONFLICT (login) DO UPDATE SET checked_at = excluded.checked_at",
            params![login, secs(at)],
        )?;
        Ok(())
    }

    pub fn mark_confirmed(&self, login: &str, at: Timestamp, by: &str) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO reachability (login, confirmed_at, confirmed_by) VALUES (?1, ?2, ?3)
             ON CONFLICT (login) DO UPDATE SET confirmed_at = excluded.confirmed_at,
                confirmed_by = excluded.confirmed_by",
            params![login, secs(at), by],
        )?;
        Ok(())
    }
}
