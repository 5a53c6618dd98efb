//! Explaining a stale edit: who changed the record since the editor read it, and what.

use super::WorkflowError;
use crate::domain::field_changes::describe_changes;
use crate::store::WriteTx;

/// The version to ask for when a change applies to the record as it is when written
/// (a script's change without `--if-version`): read inside the write transaction, it
/// cannot be overtaken, so there is nothing to check and no race to retry.
pub const LATEST_VERSION: i64 = -1;

/// The record as read in the transaction, if it exists and is still at
/// `expected_version` (or whatever version, for [`LATEST_VERSION`]); otherwise not
/// found, or stale with what changed since.
pub(super) fn current<T>(
    tx: &WriteTx<'_>,
    key: &str,
    found: Option<T>,
    version: impl Fn(&T) -> i64,
    expected_version: i64,
) -> Result<T, WorkflowError> {
    let record = found.ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
    let current_version = version(&record);
    if expected_version != LATEST_VERSION && current_version != expected_version {
        return Err(stale(tx, key, current_version, expected_version));
    }
    Ok(record)
}

/// The error for an edit made on `expected_version` of a record (`TKT-5`, `INC-3`)
/// that has moved on to `current_version`.
pub(super) fn stale(
    tx: &WriteTx<'_>,
    key: &str,
    current_version: i64,
    expected_version: i64,
) -> WorkflowError {
    let key = key.to_string();
    let mut changes = Vec::new();
    for entry in tx.audit_for(&key).unwrap_or_default() {
        let (Some(before), Some(after)) = (&entry.before, &entry.after) else {
            continue;
        };
        let newer = after
            .get("version")
            .and_then(|v| v.as_i64())
            .is_some_and(|v| v > expected_version);
        if newer {
            let when = entry.at.with_timezone(&chrono::Local).format("%H:%M");
            changes.push(format!(
                "{} at {when}: {}",
                entry.actor,
                describe_changes(before, after).join(", ")
            ));
        }
    }
    if changes.is_empty() {
        changes.push(format!("version {expected_version} → {current_version}"));
    }
    WorkflowError::Stale { key, changes }
}
