//! Audiences' write path (checked against the directory, audited), and a status update
//! sent to them: the timeline line, one outbox delivery per address and the line
//! saying to whom, all in one transaction — the pager's delivery loop sends them with
//! the same retries, idempotency keys and failures on the timeline as pages.

use super::{Workflow, WorkflowError};
use crate::domain::IncidentKey;
use crate::domain::audience::Audience;
use crate::domain::bridge::StatusUpdate;
use crate::domain::incident::{Incident, TimelineEntry, TimelineKind};
use crate::domain::page::{DeliveryPurpose, NewDelivery};
use sha2::Digest;

/// A message for every address of an audience: its key is `{key}-{audience}-{n}`.
pub(super) struct ToAudience<'a> {
    pub purpose: DeliveryPurpose,
    pub subject: &'a str,
    pub body: &'a str,
    pub key: &'a str,
    pub entity: Option<String>,
    pub attachment: Option<(String, String)>,
    pub due_at: crate::domain::Timestamp,
}

impl ToAudience<'_> {
    /// One outbox delivery per address of the audience.
    pub fn deliveries(&self, a: &Audience) -> Vec<NewDelivery> {
        a.targets
            .iter()
            .enumerate()
            .map(|(n, t)| NewDelivery {
                page: None,
                level: None,
                person: a.name.clone(),
                kind: t.kind,
                target: t.to.clone(),
                purpose: self.purpose,
                subject: self.subject.to_string(),
                body: self.body.to_string(),
                idempotency_key: format!("{}-{}-{n}", self.key, a.name),
                due_at: self.due_at,
                handoff: None,
                entity: self.entity.clone(),
                attachment: self.attachment.clone(),
            })
            .collect()
    }
}

/// What posting an update sent: the timeline entry, and per audience its addresses.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateSent {
    pub entry: TimelineEntry,
    pub sent_to: Vec<(String, usize)>,
}

impl Workflow<'_> {
    /// Adds or replaces an audience (by name), through the directory's write path: the
    /// services it names must be in the directory and in use.
    pub fn put_audience(&self, audience: Audience) -> Result<Audience, WorkflowError> {
        let name = audience.name.clone();
        if self.store.audience(&name)?.is_some() {
            self.edit_audience(&name, super::LATEST_VERSION, |a| {
                *a = audience;
                Ok(())
            })?;
        } else {
            self.add_audience(audience)?;
        }
        self.store
            .audience(&name)?
            .ok_or_else(|| WorkflowError::NotFound(format!("audience {name}")))
    }

    /// Archives an audience: kept, never offered or sent to again.
    pub fn archive_audience(&self, name: &str) -> Result<Audience, WorkflowError> {
        self.set_in_use(crate::domain::org::RecordKind::Audience, name, false)?;
        self.store
            .audience(name)?
            .ok_or_else(|| WorkflowError::NotFound(format!("audience {name}")))
    }

    /// An audience that may be sent to: known, and not archived.
    pub(super) fn sendable_audience(&self, name: &str) -> Result<Audience, WorkflowError> {
        match self.store.audience(name)? {
            Some(a) if !a.archived => Ok(a),
            Some(_) => Err(WorkflowError::invalid(
                "audience",
                format!("{name} is archived"),
            )),
            None => Err(WorkflowError::invalid(
                "audience",
                format!("no audience '{}'", crate::domain::sanitize_line(name)),
            )),
        }
    }

    /// The audiences an incident concerns now: its services and severity.
    pub fn concerned_audiences(&self, key: IncidentKey) -> Result<Vec<Audience>, WorkflowError> {
        let incident = self
            .store
            .incident(key)?
            .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
        Ok(self
            .store
            .audiences(false)?
            .into_iter()
            .filter(|a| a.concerned_by(&incident.services, incident.severity))
            .collect())
    }

    /// Posts a status update (from its template, or `text` as written) and sends it to
    /// the named audiences, in one transaction; `public` puts it on the status page. An
    /// unknown or archived audience is refused by name and nothing is written.
    pub fn post_status_update_to(
        &self,
        key: IncidentKey,
        update: Result<&StatusUpdate, &str>,
        audiences: &[String],
        public: bool,
    ) -> Result<UpdateSent, WorkflowError> {
        let text = match update {
            Ok(update) => self.render_status_update(key, update)?,
            Err(text) => text.to_string(),
        };
        let text = super::tickets::clean_text("text", &text)?;
        if text.trim().is_empty() {
            return Err(WorkflowError::invalid("text", "must not be empty"));
        }
        let mut chosen: Vec<Audience> = Vec::new();
        for name in audiences {
            let a = self.sendable_audience(name)?;
            if !chosen.iter().any(|c| c.name == a.name) {
                chosen.push(a);
            }
        }
        self.store.write(|tx| {
            let entry = self.add_timeline_entry_in(
                tx,
                key,
                TimelineKind::StatusUpdate,
                text.clone(),
                public,
            )?;
            if chosen.is_empty() {
                return Ok(UpdateSent {
                    entry,
                    sent_to: Vec::new(),
                });
            }
            let incident = tx
                .incident(key)?
                .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
            let subject = update_subject(&incident);
            let now = self.clock.now();
            let digest = sha2::Sha256::digest(text.as_bytes());
            let stamp = format!(
                "{}-{:02x}{:02x}{:02x}{:02x}",
                now.timestamp(),
                digest[0],
                digest[1],
                digest[2],
                digest[3]
            );
            let message = ToAudience {
                purpose: DeliveryPurpose::StatusUpdate,
                subject: &subject,
                body: &text,
                key: &format!("status-{key}-{stamp}"),
                entity: Some(key.to_string()),
                attachment: None,
                due_at: now,
            };
            let mut sent_to = Vec::new();
            for a in &chosen {
                for d in message.deliveries(a) {
                    tx.enqueue_delivery(&d, now)?;
                }
                sent_to.push((a.name.clone(), a.targets.len()));
            }
            let listed: Vec<String> = sent_to
                .iter()
                .map(|(name, n)| {
                    let addresses = if *n == 1 { "address" } else { "addresses" };
                    format!("{name} ({n} {addresses})")
                })
                .collect();
            self.note(
                tx,
                &key.to_string(),
                TimelineKind::Escalation,
                format!("Status update sent to {}", listed.join(", ")),
            )?;
            Ok(UpdateSent { entry, sent_to })
        })
    }
}

/// "[SEV1] INC-59 Checkout down: status update" — the mail subject and chat heading.
fn update_subject(incident: &Incident) -> String {
    format!(
        "[{}] {} {}: status update",
        incident.severity,
        incident.key,
        crate::domain::sanitize_line(&incident.title)
    )
}
