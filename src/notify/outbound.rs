//! Sending one delivery down its channel: mail through the site's relay or sendmail,
//! a signed JSON webhook, a chat service's incoming webhook, an ntfy topic, or the
//! notification hook. Each send is bounded by the configured timeout; an error says
//! what went wrong in one line, which the outbox keeps.

use super::chat;
use crate::config::{NotifyConfig, PagerConfig};
use crate::domain::contact::ContactKind;
use crate::domain::page::{Delivery, DeliveryPurpose};
use crate::domain::page_link::{LinkAction, PageLink};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::time::Duration;

/// A link a page carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub action: LinkAction,
    pub label: &'static str,
    pub url: String,
}

/// The secrets a sender needs, read by the caller from files or the environment.
#[derive(Clone, Default)]
pub struct Secrets {
    /// Signs the links in pages.
    pub links: Option<Vec<u8>>,
    /// Signs webhook bodies.
    pub webhook: Option<Vec<u8>>,
    pub smtp_password: Option<String>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(…)")
    }
}

/// The header with the webhook body's signature: `sha256=HEX` of
/// HMAC-SHA256(key, `TIMESTAMP.BODY`).
pub const SIGNATURE_HEADER: &str = "X-Watchfloor-Signature";
/// The header with the seconds since the epoch the signature covers.
pub const TIMESTAMP_HEADER: &str = "X-Watchfloor-Timestamp";

pub struct Outbound {
    pager: PagerConfig,
    /// How long a satisfaction survey's link works.
    survey_link_days: u32,
    hook: NotifyConfig,
    secrets: Secrets,
    agent: ureq::Agent,
}

impl Outbound {
    pub fn new(pager: PagerConfig, hook: NotifyConfig, secrets: Secrets) -> Outbound {
        let timeout = Duration::from_secs(pager.send_timeout_seconds.max(1));
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            // A webhook that redirects is not followed: the body and its signature stay
            // with the address the person gave.
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent("watchfloor")
            .build()
            .into();
        Outbound {
            pager,
            survey_link_days: 7,
            hook,
            secrets,
            agent,
        }
    }

    /// Survey links that work this many days (`[csat] link_days`).
    pub fn with_survey_link_days(mut self, days: u32) -> Outbound {
        self.survey_link_days = days.max(1);
        self
    }

    /// The links a page's delivery carries at `now`: acknowledge, escalate now and open
    /// (a follow-up: open; a test page: confirm; a hand-off: acknowledge it; a survey:
    /// answer it), each signed for the person and expiring; none without a public URL
    /// and a secret.
    pub fn links(&self, d: &Delivery, now: i64) -> Vec<Link> {
        let Some(secret) = &self.secrets.links else {
            return Vec::new();
        };
        let base = self.pager.public_url.trim_end_matches('/');
        if base.is_empty() {
            return Vec::new();
        }
        // A test page's one link confirms the person was reached; it names no page.
        // A hand-off's one link acknowledges it; the link names the hand-off.
        let page = match (d.purpose, d.page, d.handoff) {
            (DeliveryPurpose::Test, _, _) => 0,
            (DeliveryPurpose::Handoff, _, Some(handoff)) => handoff,
            (DeliveryPurpose::Page | DeliveryPurpose::FollowUp, Some(page), _) => page,
            // A survey's link names its ticket.
            (DeliveryPurpose::Survey, _, _) => match d
                .entity
                .as_deref()
                .and_then(|e| e.parse::<crate::domain::TicketKey>().ok())
            {
                Some(ticket) => ticket.0,
                None => return Vec::new(),
            },
            _ => return Vec::new(),
        };
        let actions: &[(LinkAction, &'static str)] = if d.purpose == DeliveryPurpose::Test {
            &[(LinkAction::Confirm, "Confirm you got this")]
        } else if d.purpose == DeliveryPurpose::Handoff {
            &[(LinkAction::Handoff, "Acknowledge the hand-off")]
        } else if d.purpose == DeliveryPurpose::Survey {
            &[(LinkAction::Survey, "Answer the survey")]
        } else if d.purpose == DeliveryPurpose::Page {
            &[
                (LinkAction::Acknowledge, "Acknowledge"),
                (LinkAction::Escalate, "Escalate now"),
                (LinkAction::Open, "Open"),
            ]
        } else {
            &[(LinkAction::Open, "Open")]
        };
        let expires_at = if d.purpose == DeliveryPurpose::Survey {
            now + i64::from(self.survey_link_days) * 86_400
        } else {
            now + i64::from(self.pager.link_minutes.max(1)) * 60
        };
        actions
            .iter()
            .map(|(action, label)| {
                let token = PageLink {
                    page,
                    action: *action,
                    person: d.person.clone(),
                    expires_at,
                    nonce: d.id as u64,
                }
                .sign(secret);
                Link {
                    action: *action,
                    label,
                    url: format!("{base}/page/{token}"),
                }
            })
            .collect()
    }

    /// Sends one delivery at `now` (seconds since the epoch).
    pub fn send(&self, d: &Delivery, now: i64) -> Result<(), String> {
        let links = self.links(d, now);
        match d.kind {
            ContactKind::Email => {
                super::mail::send(&self.pager.smtp, &self.secrets, d, &links, self.timeout())
            }
            ContactKind::Webhook => self.webhook(d, &links, now),
            ContactKind::Slack => self.post_json(&d.target, &chat::slack(d, &links), &[]),
            ContactKind::Mattermost => self.post_json(&d.target, &chat::mattermost(d, &links), &[]),
            ContactKind::Teams => self.post_json(&d.target, &chat::teams(d, &links), &[]),
            ContactKind::Matrix => self.post_json(&d.target, &chat::matrix(d, &links), &[]),
            ContactKind::Ntfy => {
                let (server, topic) = d
                    .target
                    .trim_end_matches('/')
                    .rsplit_once('/')
                    .ok_or_else(|| format!("'{}' is not an ntfy topic URL", d.target))?;
                self.post_json(server, &chat::ntfy(d, topic, &links), &[])
            }
            ContactKind::Command => {
                let event = chat::webhook(d, &links, now);
                match super::run(&self.hook, &event) {
                    super::HookOutcome::Delivered => Ok(()),
                    super::HookOutcome::NotConfigured => {
                        Err("no [notify] command is configured".into())
                    }
                    super::HookOutcome::Failed(why) => Err(why),
                }
            }
            ContactKind::Console => Err("console pages are shown by the consoles".into()),
        }
    }

    fn timeout(&self) -> Duration {
        Duration::from_secs(self.pager.send_timeout_seconds.max(1))
    }

    /// The generic webhook: the event as JSON, signed, with its idempotency key.
    fn webhook(&self, d: &Delivery, links: &[Link], now: i64) -> Result<(), String> {
        let key = self.secrets.webhook.as_deref().ok_or(
            "no webhook signing key: set [pager] webhook_secret_file or WATCHFLOOR_WEBHOOK_SECRET",
        )?;
        let body = chat::webhook(d, links, now);
        let bytes = body.to_string();
        let signature = sign_webhook(key, now, bytes.as_bytes());
        let stamp = now.to_string();
        self.post(
            &d.target,
            bytes.as_bytes(),
            &[
                (SIGNATURE_HEADER, signature.as_str()),
                (TIMESTAMP_HEADER, stamp.as_str()),
                ("Idempotency-Key", d.idempotency_key.as_str()),
            ],
        )
    }

    fn post_json(
        &self,
        url: &str,
        body: &serde_json::Value,
        headers: &[(&str, &str)],
    ) -> Result<(), String> {
        self.post(url, body.to_string().as_bytes(), headers)
    }

    fn post(&self, url: &str, body: &[u8], headers: &[(&str, &str)]) -> Result<(), String> {
        let mut request = self
            .agent
            .post(url)
            .header("Content-Type", "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request
            .send(body)
            .map_err(|e| format!("{}: {e}", shown_url(url)))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("{} answered {status}", shown_url(url)))
        }
    }
}

/// `sha256=HEX` of HMAC-SHA256(key, `TIMESTAMP.BODY`): what a receiver recomputes.
pub fn sign_webhook(key: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    format!("sha256={}", crate::domain::page_link::hex(&digest))
}

/// A URL as errors show it: scheme and host only (webhook URLs carry their secret in
/// the path).
fn shown_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("{scheme}://{host}/…")
}
