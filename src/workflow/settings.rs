//! The database's own settings: its accent colour.

use super::{Workflow, WorkflowError};
use crate::config::ColorSpec;

/// The setting that holds the database's accent colour.
pub const ACCENT: &str = "accent";

impl Workflow<'_> {
    /// Sets the colour every console shows on its status bar for this database (`None`
    /// falls back to each user's `[ui] accent`).
    pub fn set_accent(&self, colour: Option<&str>) -> Result<Option<ColorSpec>, WorkflowError> {
        let parsed = colour
            .map(|c| ColorSpec::try_from(c.to_string()))
            .transpose()
            .map_err(|e| WorkflowError::invalid("accent", e))?;
        let before = self.store.setting(ACCENT)?;
        // Kept as written (lower case), so `watchfloor accent` prints what was set.
        let stored = colour.map(|c| c.trim().to_lowercase());
        self.store.write(|tx| {
            tx.set_setting(ACCENT, stored.as_deref())?;
            self.audit(
                tx,
                "database",
                "settings.accent",
                Some(serde_json::json!({ "accent": before })),
                Some(serde_json::json!({ "accent": stored })),
            )?;
            Ok::<_, WorkflowError>(())
        })?;
        Ok(parsed)
    }
}
