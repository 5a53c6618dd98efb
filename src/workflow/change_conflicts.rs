//! The conflicts of a change, read alike from the store (for display, also on a
//! read-only store) and inside a write transaction (to acknowledge one).

use super::WorkflowError;
use crate::domain::change::{Change, FreezeWindow};
use crate::domain::change_rules::{ActiveIncident, Conflict, conflicts};
use crate::domain::incident::Incident;
use crate::domain::{ChangeKey, Timestamp};
use crate::store::{Acknowledgements, Store, StoreError, WriteTx};
use serde::Serialize;
use std::collections::HashMap;

/// A conflict of a change, and the reason it was accepted, if it was.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeConflict {
    pub id: String,
    pub conflict: Conflict,
    pub description: String,
    pub acknowledged: Option<String>,
}

/// The reads a conflict check needs, answered by the store or by a transaction.
pub trait ConflictReads {
    fn change(&self, key: ChangeKey) -> Result<Option<Change>, StoreError>;
    fn changes_between(&self, from: Timestamp, to: Timestamp) -> Result<Vec<Change>, StoreError>;
    fn freeze_windows(&self) -> Result<Vec<FreezeWindow>, StoreError>;
    fn active_incidents(&self) -> Result<Vec<Incident>, StoreError>;
    fn change_acknowledgements(&self, keys: &[ChangeKey]) -> Result<Acknowledgements, StoreError>;
    fn services_directory(&self) -> Result<crate::domain::directory::Directory, StoreError>;
}

macro_rules! conflict_reads {
    ($t:ty) => {
        impl ConflictReads for $t {
            fn change(&self, key: ChangeKey) -> Result<Option<Change>, StoreError> {
                <$t>::change(self, key)
            }
            fn changes_between(
                &self,
                from: Timestamp,
                to: Timestamp,
            ) -> Result<Vec<Change>, StoreError> {
                <$t>::changes_between(self, from, to)
            }
            fn freeze_windows(&self) -> Result<Vec<FreezeWindow>, StoreError> {
                <$t>::freeze_windows(self)
            }
            fn active_incidents(&self) -> Result<Vec<Incident>, StoreError> {
                <$t>::active_incidents(self)
            }
            fn change_acknowledgements(
                &self,
                keys: &[ChangeKey],
            ) -> Result<Acknowledgements, StoreError> {
                <$t>::change_acknowledgements(self, keys)
            }
            fn services_directory(
                &self,
            ) -> Result<crate::domain::directory::Directory, StoreError> {
                DirectoryRead::read_directory(self)
            }
        }
    };
}

conflict_reads!(Store);
conflict_reads!(WriteTx<'_>);

impl DirectoryRead for Store {
    fn read_directory(&self) -> Result<crate::domain::directory::Directory, StoreError> {
        self.directory()
    }
}

impl DirectoryRead for WriteTx<'_> {
    fn read_directory(&self) -> Result<crate::domain::directory::Directory, StoreError> {
        Ok(self.directory()?.directory)
    }
}

/// The directory as the store or a transaction sees it.
trait DirectoryRead {
    fn read_directory(&self) -> Result<crate::domain::directory::Directory, StoreError>;
}

/// Every conflict of the change now — with the other changes, the freeze windows (stored
/// and from config) and the active incidents — each with its acknowledgement if it has one.
pub fn conflicts_of(
    reads: &impl ConflictReads,
    key: ChangeKey,
    config_freezes: Vec<FreezeWindow>,
) -> Result<Vec<ChangeConflict>, WorkflowError> {
    let change = reads
        .change(key)?
        .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
    let (Some(start), Some(end)) = (change.planned_start_at, change.planned_end_at) else {
        return Ok(Vec::new());
    };
    let others = reads.changes_between(start, end)?;
    let context = Context::read(reads, config_freezes)?;
    let found = context.conflicts(&change, &others);
    let acks = if found.is_empty() {
        Acknowledgements::new()
    } else {
        reads.change_acknowledgements(&[key])?
    };
    Ok(with_acknowledgements(found, &acks, key))
}

/// The conflicts of many changes at once (a calendar's worth), with one read of the
/// other changes, the freezes and the active incidents for all of them.
pub fn conflicts_of_many(
    reads: &impl ConflictReads,
    changes: &[Change],
    config_freezes: Vec<FreezeWindow>,
) -> Result<Vec<(ChangeKey, Vec<ChangeConflict>)>, WorkflowError> {
    let windows: Vec<(Timestamp, Timestamp)> = changes
        .iter()
        .filter_map(|c| c.planned_start_at.zip(c.planned_end_at))
        .collect();
    let (Some(from), Some(to)) = (
        windows.iter().map(|w| w.0).min(),
        windows.iter().map(|w| w.1).max(),
    ) else {
        return Ok(Vec::new());
    };
    let mut others: Vec<Change> = reads
        .changes_between(from, to)?
        .into_iter()
        .filter(|c| c.planned_start_at.is_some() && c.planned_end_at.is_some())
        .collect();
    others.sort_by_key(|c| c.planned_start_at);
    // Only changes starting within the longest window before this one's start can
    // overlap it: a slice of the sorted list, not all of it.
    let longest = others
        .iter()
        .filter_map(|c| Some(c.planned_end_at? - c.planned_start_at?))
        .max()
        .unwrap_or_default();
    let context = Context::read(reads, config_freezes)?;
    let found: Vec<(ChangeKey, Vec<Conflict>)> = changes
        .iter()
        .map(|c| {
            let nearby = match c.planned_start_at.zip(c.planned_end_at) {
                Some((start, end)) => {
                    let first =
                        others.partition_point(|o| o.planned_start_at < Some(start - longest));
                    let last = others.partition_point(|o| o.planned_start_at < Some(end));
                    &others[first..last.max(first)]
                }
                None => &others[..0],
            };
            (c.key, context.conflicts(c, nearby))
        })
        .collect();
    // The acknowledgements of every change with a conflict, in one read.
    let with_conflicts: Vec<ChangeKey> = found
        .iter()
        .filter(|(_, f)| !f.is_empty())
        .map(|(key, _)| *key)
        .collect();
    let acks = reads.change_acknowledgements(&with_conflicts)?;
    Ok(found
        .into_iter()
        .map(|(key, f)| (key, with_acknowledgements(f, &acks, key)))
        .collect())
}

/// Each conflict of change `key` with its acknowledgement, if it has one.
fn with_acknowledgements(
    found: Vec<Conflict>,
    acks: &Acknowledgements,
    key: ChangeKey,
) -> Vec<ChangeConflict> {
    let acks = acks.get(&key).map(Vec::as_slice).unwrap_or_default();
    found
        .into_iter()
        .map(|c| {
            let id = c.id();
            ChangeConflict {
                acknowledged: acks.iter().find(|(a, _)| *a == id).map(|(_, r)| r.clone()),
                description: c.describe(),
                id,
                conflict: c,
            }
        })
        .collect()
}

/// How many conflicts nobody has acknowledged, for each open change among `changes`
/// that has any: what the calendar and the stand-up mark.
pub fn unacknowledged_counts(
    reads: &impl ConflictReads,
    changes: &[Change],
    config_freezes: Vec<FreezeWindow>,
) -> Result<HashMap<ChangeKey, usize>, WorkflowError> {
    let open: Vec<Change> = changes
        .iter()
        .filter(|c| c.state.is_open())
        .cloned()
        .collect();
    Ok(conflicts_of_many(reads, &open, config_freezes)?
        .into_iter()
        .filter_map(|(key, found)| {
            let n = found.iter().filter(|c| c.acknowledged.is_none()).count();
            (n > 0).then_some((key, n))
        })
        .collect())
}

/// What every conflict check of a moment shares.
struct Context {
    freezes: Vec<FreezeWindow>,
    active: Vec<Incident>,
    directory: crate::domain::directory::Directory,
}

impl Context {
    fn read(
        reads: &impl ConflictReads,
        config_freezes: Vec<FreezeWindow>,
    ) -> Result<Context, WorkflowError> {
        let mut freezes = reads.freeze_windows()?;
        freezes.extend(config_freezes);
        Ok(Context {
            freezes,
            active: reads.active_incidents()?,
            directory: reads.services_directory()?,
        })
    }

    fn conflicts(&self, change: &Change, others: &[Change]) -> Vec<Conflict> {
        let incidents: Vec<ActiveIncident<'_>> = self
            .active
            .iter()
            .map(|i| ActiveIncident {
                key: i.key,
                services: &i.services,
            })
            .collect();
        conflicts(change, others, &self.freezes, &incidents, &self.directory)
    }
}
