//! The satisfaction survey: when a ticket is resolved its requester may be mailed one
//! question, queued in the outbox in the resolution's own transaction — at the
//! configured sample rate, never twice to one address within the cooldown, never to a
//! requester without an address. The answer comes back through the survey's signed
//! link, which works once.

use super::{Workflow, WorkflowError};
use crate::domain::contact::ContactKind;
use crate::domain::csat::{sampled, survey_message};
use crate::domain::directory::Directory;
use crate::domain::page::{DeliveryPurpose, NewDelivery};
use crate::domain::page_link::{LinkAction, PageLink};
use crate::domain::{Ticket, TicketKey};
use crate::store::{CsatSurvey, WriteTx};
use chrono::Duration;

impl Workflow<'_> {
    /// Queues the survey for a ticket just resolved, when it is due; the address it
    /// goes to, if it is asked.
    pub(super) fn ask_satisfaction_in(
        &self,
        tx: &WriteTx<'_>,
        ticket: &Ticket,
    ) -> Result<Option<String>, WorkflowError> {
        let csat = &self.config.csat;
        let key = ticket.key;
        if !csat.survey {
            return Ok(None);
        }
        if ticket.csat.is_some() {
            return Ok(None);
        }
        if tx.surveyed(key)? {
            return Ok(None);
        }
        if !sampled(&key.to_string(), csat.sample_rate) {
            return Ok(None);
        }
        let requester = ticket.requester.as_deref().unwrap_or("").trim();
        let Some(address) = survey_address(&tx.directory()?.directory, requester) else {
            return Ok(None);
        };
        let now = self.clock.now();
        let cooldown = Duration::days(i64::from(csat.cooldown_days));
        if tx
            .last_survey_to(&address)?
            .is_some_and(|last| now - last < cooldown)
        {
            return Ok(None);
        }
        let (subject, body) = survey_message(&key.to_string(), &ticket.title, csat.link_days);
        tx.put_csat_survey(
            key,
            &CsatSurvey {
                requester: requester.to_string(),
                address: address.clone(),
                sent_at: now,
            },
        )?;
        // The link is signed for the requester; a name of any length keeps it short.
        let person: String = requester.chars().take(64).collect();
        tx.enqueue_delivery(
            &NewDelivery {
                page: None,
                level: None,
                person,
                kind: ContactKind::Email,
                target: address.clone(),
                purpose: DeliveryPurpose::Survey,
                subject,
                body,
                idempotency_key: format!("survey-{key}"),
                due_at: now,
                handoff: None,
                entity: Some(key.to_string()),
                attachment: None,
            },
            now,
        )?;
        self.audit(
            tx,
            &key.to_string(),
            "ticket.survey_queued",
            None,
            Some(serde_json::json!({ "requester": requester, "address": address })),
        )?;
        Ok(Some(address))
    }

    /// The answer through a survey's link: the rating and comment recorded on its
    /// ticket (`via` survey) and the link used up, in one transaction.
    pub fn answer_survey_link(
        &self,
        link: &PageLink,
        rating: i64,
        comment: &str,
    ) -> Result<Ticket, WorkflowError> {
        if link.action != LinkAction::Survey {
            return Err(WorkflowError::invalid("link", "this is not a survey link"));
        }
        let key = TicketKey(link.page);
        let answer = self.csat_answer(rating, comment, "survey")?;
        let now = self.clock.now();
        self.store.write(|tx| {
            if !tx.surveyed(key)? {
                return Err(WorkflowError::invalid(
                    "link",
                    format!("{key} was never surveyed"),
                ));
            }
            super::deliveries::use_once(tx, link, now)?;
            self.record_csat_in(tx, key, &answer)
        })
    }
}

/// Where a requester's survey goes: the mail address of the active person they are (by
/// login or name), or the requester as written when it is a mail address.
fn survey_address(directory: &Directory, requester: &str) -> Option<String> {
    if requester.is_empty() {
        return None;
    }
    if let Some(person) = directory
        .people
        .iter()
        .find(|p| p.active && (p.login == requester || p.name.eq_ignore_ascii_case(requester)))
    {
        return Some(person.email.trim().to_string()).filter(|e| looks_like_mail(e));
    }
    looks_like_mail(requester).then(|| requester.to_string())
}

/// One `@` with something either side, a dot in the domain, and nothing that would
/// break a mail header.
fn looks_like_mail(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && address
            .chars()
            .all(|c| c.is_ascii_graphic() && !"<>,;\"()[]\\".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::org::Person;

    #[test]
    fn a_requester_is_reached_as_a_person_of_the_directory_or_as_an_address() {
        let mut ana = Person::new("ana.silva", "Ana Silva");
        ana.email = "ana@example.org".into();
        let mut gone = Person::new("bo", "Bo Left");
        gone.email = "bo@example.org".into();
        gone.active = false;
        let directory = Directory {
            people: vec![ana, gone],
            ..Directory::default()
        };
        let to = |r: &str| survey_address(&directory, r);
        assert_eq!(to("ana.silva").as_deref(), Some("ana@example.org"));
        assert_eq!(to("ana silva").as_deref(), Some("ana@example.org"));
        assert_eq!(to("bo"), None, "a person who left is not asked");
        assert_eq!(to("carl@example.com").as_deref(), Some("carl@example.com"));
        for not_mail in [
            "",
            "Carl",
            "carl@localhost",
            "a@b.c\r\nBcc: x@y.z",
            "<a@b.c>",
        ] {
            assert_eq!(to(not_mail), None, "{not_mail:?}");
        }
    }
}
