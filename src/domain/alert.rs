//! Alerts from monitoring: the Prometheus Alertmanager webhook (payload version 4) and
//! Grafana's Alertmanager-style webhook. Parsing (unknown fields ignored, wrong types
//! refused with where), fingerprints, and the pure decision of what an alert does.

use super::Timestamp;
use super::incident::Severity;
use super::priority::Priority;
use super::sanitize::{sanitize_line, sanitize_text};
use chrono::{DateTime, Datelike, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;

crate::string_enum! {
    pub enum AlertStatus ("alert status") {
        Firing => "firing",
        Resolved => "resolved",
    }
}

/// One webhook body. Everything but `alerts` may be missing; unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Payload {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub receiver: String,
    pub alerts: Vec<Alert>,
    #[serde(default, rename = "commonLabels")]
    pub common_labels: BTreeMap<String, String>,
    #[serde(default, rename = "externalURL")]
    pub external_url: String,
    /// Alertmanager's name for the group the alerts of this body belong to.
    #[serde(default, rename = "groupKey")]
    pub group_key: String,
}

impl Payload {
    /// The group an alert of this body belongs to: the values of the configured labels
    /// when some are configured (and the alert has any of them), else the sender's
    /// `groupKey`; none when neither says, and then the alert is a group of its own.
    pub fn group_of(&self, alert: &Alert, group_by: &[String]) -> Option<String> {
        if !group_by.is_empty() {
            let values: Vec<String> = group_by
                .iter()
                .map(|l| {
                    let v = alert
                        .labels
                        .get(l)
                        .map(|v| sanitize_line(v))
                        .unwrap_or_default();
                    format!("{l}={}", cut(v.trim(), 100))
                })
                .collect();
            let any = group_by.iter().any(|l| alert.labels.contains_key(l));
            return any.then(|| format!("labels:{}", values.join(",")));
        }
        let key = sanitize_line(self.group_key.trim());
        (!key.is_empty()).then(|| format!("am:{}", cut(&key, 300)))
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Alert {
    pub status: AlertStatus,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    #[serde(default, rename = "startsAt", deserialize_with = "time")]
    pub starts_at: Option<Timestamp>,
    #[serde(default, rename = "endsAt", deserialize_with = "time")]
    pub ends_at: Option<Timestamp>,
    #[serde(default, rename = "generatorURL")]
    pub generator_url: String,
    /// Alertmanager sets it; older senders do not (then the labels stand in).
    #[serde(default)]
    pub fingerprint: String,
}

/// RFC 3339, with Alertmanager's "zero time" (year 1) meaning not set.
fn time<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    let text = Option::<String>::deserialize(d)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => DateTime::parse_from_rfc3339(t)
            .map(|t| Some(t.with_timezone(&Utc)).filter(|t| t.year() >= 1970))
            .map_err(|e| serde::de::Error::custom(format!("'{t}' is not an RFC 3339 time: {e}"))),
    }
}

/// Why a body was refused; nothing is written for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PayloadError(pub String);

/// Parses a webhook body: UTF-8 JSON with an `alerts` array. The error says what and where.
pub fn parse_payload(body: &[u8]) -> Result<Payload, PayloadError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        PayloadError(format!(
            "the body is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    serde_json::from_str(text).map_err(|e| PayloadError(format!("malformed payload: {e}")))
}

impl Alert {
    /// The sender's fingerprint, else one made from the sorted labels, so the same alert
    /// always maps to the same record.
    pub fn fingerprint(&self) -> String {
        let given = self.fingerprint.trim();
        if !given.is_empty() {
            return sanitize_line(given).chars().take(64).collect();
        }
        // FNV-1a, 64 bits: stable across builds and platforms, unlike std's hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for (k, v) in &self.labels {
            for byte in k.bytes().chain([0]).chain(v.bytes()).chain([0]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("labels-{hash:016x}")
    }

    pub fn name(&self) -> String {
        let name = self
            .labels
            .get("alertname")
            .map(String::as_str)
            .unwrap_or("");
        let name = sanitize_line(name).trim().to_string();
        if name.is_empty() {
            "unnamed alert".into()
        } else {
            name
        }
    }

    /// `[name] summary`, one line, cut to `max` characters.
    pub fn title(&self, max: usize) -> String {
        let summary = self
            .annotations
            .get("summary")
            .or_else(|| self.labels.get("summary"))
            .map(|s| sanitize_line(s).trim().to_string())
            .unwrap_or_default();
        let title = if summary.is_empty() {
            format!("[alert] {}", self.name())
        } else {
            format!("[{}] {summary}", self.name())
        };
        cut(&title, max)
    }

    /// The alert's `runbook_url` annotation when it is a web address, cleaned.
    pub fn runbook_url(&self) -> Option<String> {
        let url = sanitize_line(self.annotations.get("runbook_url")?.trim());
        let web = url.starts_with("https://") || url.starts_with("http://");
        (web && url.chars().count() <= 500 && !url.contains(' ')).then_some(url)
    }

    /// The description, the labels and the source link, for the record's text.
    pub fn details(&self, max: usize) -> String {
        let mut out = String::new();
        if let Some(d) = self.annotations.get("description") {
            out.push_str(&sanitize_text(d));
            out.push_str("\n\n");
        }
        out.push_str("Labels:\n");
        for (k, v) in &self.labels {
            out.push_str(&format!(
                "  {} = {}\n",
                cut(&sanitize_line(k), 100),
                cut(&sanitize_line(v), 300)
            ));
        }
        if let Some(runbook) = self.annotations.get("runbook_url") {
            out.push_str(&format!("Runbook: {}\n", cut(&sanitize_line(runbook), 500)));
        }
        if !self.generator_url.is_empty() {
            out.push_str(&format!(
                "Source: {}\n",
                cut(&sanitize_line(&self.generator_url), 500)
            ));
        }
        cut(&out, max)
    }
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// What an alert of a given severity opens; written `P3` or `SEV2` in config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Opens {
    Ticket(Priority),
    Incident(Severity),
}

impl TryFrom<String> for Opens {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Opens> for String {
    fn from(o: Opens) -> String {
        match o {
            Opens::Ticket(p) => p.to_string(),
            Opens::Incident(s) => s.to_string(),
        }
    }
}

/// An alert as this store remembers it: which record it opened, how often it fired.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AlertRecord {
    pub fingerprint: String,
    pub name: String,
    pub status: AlertStatus,
    pub ticket: Option<super::TicketKey>,
    pub incident: Option<super::IncidentKey>,
    pub occurrences: i64,
    pub first_seen_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// The group it belongs to (`Payload::group_of`), if any.
    pub group_key: Option<String>,
}

impl AlertRecord {
    /// A record that holds nothing yet, seen at `at`.
    pub fn placeholder(at: Timestamp) -> AlertRecord {
        AlertRecord {
            fingerprint: String::new(),
            name: String::new(),
            status: AlertStatus::Firing,
            ticket: None,
            incident: None,
            occurrences: 0,
            first_seen_at: at,
            last_seen_at: at,
            group_key: None,
        }
    }
}

impl std::str::FromStr for Opens {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(p) = s.parse::<Priority>() {
            return Ok(Opens::Ticket(p));
        }
        s.parse::<Severity>().map(Opens::Incident).map_err(|_| {
            format!("'{s}' is neither a priority (P1..P5) nor a severity (SEV1..SEV4)")
        })
    }
}

/// The record an alert opened before (or its group's), as the decision needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Opened {
    /// Still open (ticket) or active (incident).
    pub open: bool,
    pub is_incident: bool,
    /// Other alerts of the record still firing.
    pub others_firing: usize,
}

/// What to do with one alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Open(Opens),
    /// Already open: count one more occurrence.
    Occurrence,
    /// New, and its group has an open record: it joins that record.
    Join,
    /// Resolved, and the last of its record's alerts: resolve the ticket they opened.
    ResolveTicket,
    /// Resolved: note it on the incident (people resolve incidents), on a ticket
    /// someone already closed, or on a ticket other alerts of the group still hold open.
    Annotate,
    /// Resolved, and it never opened anything here.
    Ignore,
}

/// What an alert does, from its own record (`own`) and its group's (`group`).
pub fn decide(
    status: AlertStatus,
    opens: Opens,
    own: Option<Opened>,
    group: Option<Opened>,
) -> Decision {
    match (status, own) {
        (AlertStatus::Firing, Some(b)) if b.open => Decision::Occurrence,
        (AlertStatus::Firing, _) => match group {
            Some(g) if g.open => Decision::Join,
            _ => Decision::Open(opens),
        },
        (AlertStatus::Resolved, None) => Decision::Ignore,
        (AlertStatus::Resolved, Some(b)) if b.open && !b.is_incident && b.others_firing == 0 => {
            Decision::ResolveTicket
        }
        (AlertStatus::Resolved, Some(_)) => Decision::Annotate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL: &str =
        include_str!("../../tests/fixtures/alertmanager_v4_firing_real_capture_alertmonitor.json");
    const GRAFANA: &str = include_str!("../../tests/fixtures/grafana_webhook_example_docs.json");

    #[test]
    fn a_real_alertmanager_body_parses_and_zero_times_are_unset() {
        let p = parse_payload(REAL.as_bytes()).unwrap();
        assert_eq!(p.version, "4");
        assert_eq!(p.alerts.len(), 3);
        let a = &p.alerts[0];
        assert_eq!(a.status, AlertStatus::Firing);
        assert_eq!(a.name(), "ICMP ping failed");
        assert_eq!(
            a.title(200),
            "[ICMP ping failed] No physical connection to 172.29.254.30"
        );
        assert!(a.starts_at.is_some() && a.ends_at.is_none());
        // No fingerprint in this older capture: the labels make one, distinct per instance.
        assert!(a.fingerprint().starts_with("labels-"));
        assert_ne!(a.fingerprint(), p.alerts[1].fingerprint());
        assert_eq!(a.fingerprint(), a.clone().fingerprint(), "stable");
    }

    #[test]
    fn grafanas_body_parses_with_its_extra_fields_ignored() {
        let p = parse_payload(GRAFANA.as_bytes()).unwrap();
        assert_eq!(p.alerts.len(), 2);
        assert_eq!(p.alerts[0].fingerprint(), "c6eadffa33fcdf37");
        assert!(
            p.alerts[0]
                .details(4000)
                .contains("Runbook: https://myrunbook.com/runbook/1234")
        );
    }

    #[test]
    fn bad_bodies_say_what_and_where() {
        let cases: [(&[u8], &str); 5] = [
            (b"{", "malformed payload: EOF while parsing"),
            (
                b"{\"alerts\": 3}",
                "invalid type: integer `3`, expected a sequence",
            ),
            (
                b"{\"alerts\": [{\"status\": \"burning\"}]}",
                "unknown alert status 'burning'",
            ),
            (
                b"{\"alerts\": [{\"status\": \"firing\", \"labels\": {\"a\": 1}}]}",
                "invalid type: integer `1`, expected a string at line 1 column",
            ),
            (
                b"{\"alerts\": [\xff]}",
                "not UTF-8 (invalid byte at offset 12)",
            ),
        ];
        for (body, expected) in cases {
            let err = parse_payload(body).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
        }
        // Deep nesting neither crashes nor gets in: skipped where the field is unknown,
        // refused where a value is expected.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let ignored = format!("{{\"extra\": {deep}, \"alerts\": []}}");
        assert!(parse_payload(ignored.as_bytes()).unwrap().alerts.is_empty());
        let inside =
            format!("{{\"alerts\": [{{\"status\": \"firing\", \"labels\": {{\"a\": {deep}}}}}]}}");
        let err = parse_payload(inside.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }

    #[test]
    fn hostile_text_is_neutralised_and_long_labels_cut() {
        let mut labels = BTreeMap::new();
        labels.insert(
            "alertname".into(),
            "Disk\u{1b}]52;c;ZXZpbA==\u{7} full\u{202e}".into(),
        );
        labels.insert("instance".into(), "x".repeat(100_000));
        let a = Alert {
            status: AlertStatus::Firing,
            labels,
            annotations: BTreeMap::from([(
                "summary".to_string(),
                "\u{1b}[2J\u{9b}31mwiped".to_string(),
            )]),
            starts_at: None,
            ends_at: None,
            generator_url: String::new(),
            fingerprint: String::new(),
        };
        assert_eq!(a.title(200), "[Disk full] wiped");
        let details = a.details(4000);
        assert!(details.chars().count() <= 4000);
        assert!(!details.contains('\u{1b}'));
    }

    #[test]
    fn decisions_follow_the_alert_and_what_it_opened() {
        let ticket = Opens::Ticket(Priority::new(3).unwrap());
        let open_ticket = Opened {
            open: true,
            ..Opened::default()
        };
        let open_incident = Opened {
            open: true,
            is_incident: true,
            ..Opened::default()
        };
        let closed = Opened::default();
        let held_by_others = Opened {
            open: true,
            others_firing: 2,
            ..Opened::default()
        };
        use AlertStatus::*;
        assert_eq!(decide(Firing, ticket, None, None), Decision::Open(ticket));
        assert_eq!(
            decide(Firing, ticket, Some(open_ticket), None),
            Decision::Occurrence
        );
        assert_eq!(
            decide(Firing, ticket, Some(closed), None),
            Decision::Open(ticket),
            "fires again"
        );
        assert_eq!(
            decide(Firing, ticket, None, Some(open_ticket)),
            Decision::Join
        );
        assert_eq!(
            decide(Firing, ticket, Some(closed), Some(open_incident)),
            Decision::Join,
            "fires again while its group is open"
        );
        assert_eq!(
            decide(Firing, ticket, None, Some(closed)),
            Decision::Open(ticket)
        );
        assert_eq!(
            decide(Resolved, ticket, Some(open_ticket), None),
            Decision::ResolveTicket
        );
        assert_eq!(
            decide(Resolved, ticket, Some(held_by_others), None),
            Decision::Annotate,
            "the record stays open while others of the group fire"
        );
        assert_eq!(
            decide(Resolved, ticket, Some(open_incident), None),
            Decision::Annotate
        );
        assert_eq!(
            decide(Resolved, ticket, Some(closed), None),
            Decision::Annotate
        );
        assert_eq!(decide(Resolved, ticket, None, None), Decision::Ignore);
        assert_eq!("SEV2".parse::<Opens>(), Ok(Opens::Incident(Severity::Sev2)));
        assert!("P9".parse::<Opens>().is_err());
    }

    #[test]
    fn groups_come_from_configured_labels_else_the_senders_group_key() {
        let mut p = parse_payload(REAL.as_bytes()).unwrap();
        p.group_key = "{}:{alertname=\"ICMP\"}".into();
        let a = &p.alerts[0];
        assert_eq!(
            p.group_of(a, &[]).as_deref(),
            Some("am:{}:{alertname=\"ICMP\"}")
        );
        let by = vec!["alertname".to_string()];
        assert_eq!(
            p.group_of(a, &by).as_deref(),
            Some("labels:alertname=ICMP ping failed")
        );
        assert_eq!(
            p.group_of(a, &["nothing".into()]),
            None,
            "none of the labels"
        );
        p.group_key.clear();
        assert_eq!(p.group_of(a, &[]), None, "a group of its own");
    }
}
