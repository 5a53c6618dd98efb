//! Editing rotations, overrides and escalation policies.

use super::{Workflow, WorkflowError, snapshot};
use crate::domain::escalation::{EscalationPolicy, EscalationTarget};
use crate::domain::oncall::{Override, Rotation};
use crate::domain::org::RecordKind;

/// The longest shift a rotation may have: a year.
pub const MAX_SHIFT_DAYS: u32 = 366;

impl Workflow<'_> {
    /// Creates or replaces a team's rotation.
    pub fn set_rotation(&self, rotation: &Rotation) -> Result<(), WorkflowError> {
        if rotation.participants.is_empty() {
            return Err(WorkflowError::invalid(
                "participants",
                "a rotation needs at least one person",
            ));
        }
        if !(1..=MAX_SHIFT_DAYS).contains(&rotation.length_days) {
            return Err(WorkflowError::invalid(
                "length",
                format!(
                    "a shift lasts from 1 to {MAX_SHIFT_DAYS} days, not {}",
                    rotation.length_days
                ),
            ));
        }
        self.store.write(|tx| {
            for login in &rotation.participants {
                super::directory::require_in_use(tx, RecordKind::Person, "participants", login)?;
            }
            tx.upsert_rotation(rotation)?;
            let entity = format!("rotation:{}/{}", rotation.team, rotation.name);
            self.audit(tx, &entity, "oncall.rotation", None, snapshot(rotation))?;
            Ok(())
        })
    }

    pub fn add_override(
        &self,
        team: &str,
        rotation: &str,
        o: &Override,
    ) -> Result<(), WorkflowError> {
        if o.to <= o.from {
            return Err(WorkflowError::invalid(
                "to",
                "an override must end after it starts",
            ));
        }
        self.store.write(|tx| {
            super::directory::require_in_use(tx, RecordKind::Person, "person", &o.person)?;
            tx.add_override(team, rotation, o)?;
            self.audit(
                tx,
                &format!("rotation:{team}/{rotation}"),
                "oncall.override",
                None,
                snapshot(o),
            )?;
            Ok(())
        })
    }

    pub fn set_policy(
        &self,
        policy: &EscalationPolicy,
        services: &[String],
    ) -> Result<(), WorkflowError> {
        if policy.levels.is_empty() {
            return Err(WorkflowError::invalid(
                "levels",
                "a policy needs at least one level",
            ));
        }
        self.store.write(|tx| {
            for level in &policy.levels {
                let (kind, name) = match &level.target {
                    EscalationTarget::Team(t) => (RecordKind::Team, t),
                    EscalationTarget::Person(p) => (RecordKind::Person, p),
                };
                super::directory::require_in_use(tx, kind, "levels", name)?;
            }
            tx.upsert_policy(policy)?;
            for service in services {
                tx.set_service_policy(service, &policy.name)?;
            }
            self.audit(
                tx,
                &format!("policy:{}", policy.name),
                "escalation.policy",
                None,
                snapshot(policy),
            )?;
            Ok(())
        })
    }
}
