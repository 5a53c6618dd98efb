//! Muting an alert name for a while: what it would open is held back and counted, and
//! nobody is paged; a record it already opened carries on. Muting and unmuting are
//! audited, and the mutes in force are listed wherever alerts are.

use super::{Workflow, WorkflowError};
use crate::store::AlertMute;
use chrono::Duration;

/// The longest mute: a week.
const MAX_MUTE_MINUTES: i64 = 7 * 24 * 60;

impl Workflow<'_> {
    pub fn mute_alert(
        &self,
        name: &str,
        minutes: i64,
        reason: &str,
    ) -> Result<AlertMute, WorkflowError> {
        let name = crate::domain::sanitize_line(name).trim().to_string();
        if name.is_empty() || name.len() > 200 {
            return Err(WorkflowError::invalid(
                "name",
                "an alert name (alertname), at most 200 characters",
            ));
        }
        if !(1..=MAX_MUTE_MINUTES).contains(&minutes) {
            return Err(WorkflowError::invalid("for", "between a minute and a week"));
        }
        let now = self.clock.now();
        let mute = AlertMute {
            name: name.clone(),
            until: now + Duration::minutes(minutes),
            muted_by: self.actor.name().to_string(),
            reason: crate::domain::sanitize_line(reason),
            created_at: now,
            suppressed: 0,
        };
        self.store.write(|tx| {
            tx.add_alert_mute(&mute)?;
            self.audit(
                tx,
                &format!("alert:{name}"),
                "alert.mute",
                None,
                super::snapshot(&mute),
            )?;
            Ok(mute.clone())
        })
    }

    pub fn unmute_alert(&self, name: &str) -> Result<(), WorkflowError> {
        let now = self.clock.now();
        self.store.write(|tx| {
            if tx.end_alert_mutes(name, now)? == 0 {
                return Err(WorkflowError::NotFound(format!("a mute of alert '{name}'")));
            }
            self.audit(tx, &format!("alert:{name}"), "alert.unmute", None, None)?;
            Ok(())
        })
    }
}
