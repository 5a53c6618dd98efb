//! Restoring a backup over the open database, recorded in the restored audit log.

use super::{Workflow, WorkflowError};
use crate::store::RecordCounts;
use std::path::Path;

impl Workflow<'_> {
    /// Replaces everything with the backup at `source` (checked first; on any error the
    /// database is as it was) and records who restored what.
    pub fn restore_backup(&self, source: &Path) -> Result<RecordCounts, WorkflowError> {
        let replaced = self.store.record_counts()?;
        let staged = self.store.stage_backup(source)?;
        {
            // The audit row goes into the copy first: restored data and its record
            // replace the database together.
            let copy = staged.open()?;
            let recorder = Workflow::new(&copy, self.config, self.clock, self.actor);
            copy.write(|tx| {
                recorder.audit(
                    tx,
                    "store",
                    "store.restore",
                    Some(serde_json::to_value(replaced).unwrap_or_default()),
                    Some(serde_json::json!({ "from": source.display().to_string() })),
                )?;
                Ok::<_, WorkflowError>(())
            })?;
        }
        self.store.restore_from(&staged)?;
        Ok(self.store.record_counts()?)
    }
}
