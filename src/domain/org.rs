//! The organisation: people, resolver groups (teams) and the service catalog, and the
//! rules every record of them keeps whichever face wrote it.

use serde::Serialize;

crate::string_enum! {
    /// A resolver group's support tier.
    pub enum SupportTier ("support tier") {
        ServiceDesk => "l1",
        L2 => "l2",
        L3 => "l3",
        Vendor => "vendor",
    }
}

/// The kinds of record the directory holds, as errors and plans name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Team,
    Person,
    Service,
    Policy,
    Audience,
    Vendor,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Team => "team",
            RecordKind::Person => "person",
            RecordKind::Service => "service",
            RecordKind::Policy => "policy",
            RecordKind::Audience => "audience",
            RecordKind::Vendor => "vendor",
        }
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Team {
    pub name: String,
    pub tier: SupportTier,
    pub description: String,
    /// The login of the team's lead.
    pub lead: Option<String>,
    pub archived: bool,
}

impl Team {
    pub fn new(name: impl Into<String>, tier: SupportTier) -> Team {
        Team {
            name: name.into(),
            tier,
            description: String::new(),
            lead: None,
            archived: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub login: String,
    pub name: String,
    pub email: String,
    /// As the person writes it: paging reads it, nothing parses it.
    pub phone: String,
    /// An IANA zone name, or empty for the business-hours zone.
    pub time_zone: String,
    /// The teams the person belongs to; the first is the one their work counts under.
    pub teams: Vec<String>,
    pub manager: Option<String>,
    /// `engineer`, or a rank of the management chain escalations climb (`team_lead`,
    /// `manager`, `director`), or any other word the organisation uses.
    pub role: String,
    /// A person who left is deactivated: their history stays, they are never paged
    /// or offered in a picker.
    pub active: bool,
    /// How a page reaches them, and when in the page each method is used.
    pub contacts: Vec<crate::domain::contact::ContactMethod>,
}

impl Person {
    pub fn new(login: impl Into<String>, name: impl Into<String>) -> Person {
        Person {
            login: login.into(),
            name: name.into(),
            email: String::new(),
            phone: String::new(),
            time_zone: String::new(),
            teams: Vec::new(),
            manager: None,
            role: "engineer".into(),
            active: true,
            contacts: Vec::new(),
        }
    }

    /// How a page reaches them: their contact methods, or — when they have none — the
    /// console, and mail to their address if they have one, both at once.
    pub fn reached_by(&self) -> Vec<crate::domain::contact::ContactMethod> {
        use crate::domain::contact::{ContactKind, ContactMethod};
        if !self.contacts.is_empty() {
            return self.contacts.clone();
        }
        let mut methods = vec![ContactMethod::new(ContactKind::Console, "", 0)];
        if !self.email.is_empty() {
            methods.push(ContactMethod::new(
                ContactKind::Email,
                self.email.clone(),
                0,
            ));
        }
        methods
    }

    /// The team the person's work is counted under.
    pub fn team(&self) -> Option<&str> {
        self.teams.first().map(String::as_str)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub name: String,
    pub description: String,
    /// 1 is the most critical.
    pub tier: i64,
    pub owner_team: Option<String>,
    pub escalation_policy: Option<String>,
    /// Availability target as a fraction, e.g. 0.999.
    pub availability_target: f64,
    /// The services this one needs to work.
    pub depends_on: Vec<String>,
    pub runbook_url: String,
    /// Recovery targets, in minutes: how long it may be down after a disaster (RTO)
    /// and how much data may be lost (RPO). DR drills and restore tests are measured
    /// against them.
    pub rto_minutes: Option<i64>,
    pub rpo_minutes: Option<i64>,
    /// Shown on the status page; a service is private unless marked public.
    pub public: bool,
    pub archived: bool,
}

impl Service {
    /// `RTO 4h00m · RPO 15m`, or `-` with neither set.
    pub fn recovery_targets(&self) -> String {
        let parts: Vec<String> = [("RTO", self.rto_minutes), ("RPO", self.rpo_minutes)]
            .into_iter()
            .filter_map(|(name, m)| m.map(|m| format!("{name} {}", super::control::minutes(m))))
            .collect();
        if parts.is_empty() {
            "-".into()
        } else {
            parts.join(" · ")
        }
    }

    pub fn new(name: impl Into<String>, tier: i64) -> Service {
        Service {
            name: name.into(),
            description: String::new(),
            tier,
            owner_team: None,
            escalation_policy: None,
            availability_target: 0.999,
            depends_on: Vec::new(),
            runbook_url: String::new(),
            rto_minutes: None,
            rpo_minutes: None,
            public: false,
            archived: false,
        }
    }
}

/// The tiers a service may have.
pub const SERVICE_TIERS: std::ops::RangeInclusive<i64> = 1..=4;

/// One thing wrong with a record: which field, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field,
        message: message.into(),
    }
}

/// A name others refer to: non-empty, no control characters, no spaces at the ends,
/// no commas (lists of them are written with commas).
pub fn check_name(field: &'static str, name: &str) -> Result<(), FieldProblem> {
    if name.trim().is_empty() {
        return Err(problem(field, "must not be empty"));
    }
    if name.trim() != name {
        return Err(problem(field, format!("'{name}' has spaces at an end")));
    }
    if name.chars().any(|c| c.is_control() || c == ',') {
        return Err(problem(
            field,
            format!(
                "'{}' has a comma or a control character",
                name.escape_debug()
            ),
        ));
    }
    if name.chars().count() > 80 {
        return Err(problem(field, "is longer than 80 characters"));
    }
    Ok(())
}

/// A login: a name without spaces.
pub fn check_login(login: &str) -> Result<(), FieldProblem> {
    check_name("login", login)?;
    if login.chars().any(char::is_whitespace) {
        return Err(problem("login", format!("'{login}' has a space in it")));
    }
    Ok(())
}

/// Empty, or one address: something, an `@`, a domain with a dot; no spaces.
pub fn check_email(email: &str) -> Result<(), FieldProblem> {
    if email.is_empty() {
        return Ok(());
    }
    let shaped = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
    });
    if !shaped || email.chars().any(|c| c.is_whitespace() || c.is_control()) || email.len() > 254 {
        return Err(problem(
            "email",
            format!(
                "'{}' is not a mail address (like ana@example.org)",
                email.escape_debug()
            ),
        ));
    }
    Ok(())
}

pub fn check_time_zone(zone: &str) -> Result<(), FieldProblem> {
    if zone.is_empty() || zone.parse::<chrono_tz::Tz>().is_ok() {
        Ok(())
    } else {
        Err(problem(
            "time_zone",
            format!(
                "unknown time zone '{}' (use an IANA name like Europe/Lisbon or UTC)",
                zone.escape_debug()
            ),
        ))
    }
}

pub fn check_url(field: &'static str, url: &str) -> Result<(), FieldProblem> {
    if url.is_empty()
        || ((url.starts_with("https://") || url.starts_with("http://"))
            && !url.chars().any(|c| c.is_whitespace() || c.is_control()))
    {
        Ok(())
    } else {
        Err(problem(
            field,
            format!(
                "'{}' is not an http(s) link",
                crate::domain::display::truncate(&url.escape_debug().to_string(), 60)
            ),
        ))
    }
}

fn check_text(field: &'static str, text: &str, limit: usize) -> Result<(), FieldProblem> {
    if text.chars().count() > limit {
        Err(problem(field, format!("is longer than {limit} characters")))
    } else {
        Ok(())
    }
}

impl Team {
    /// The team's own fields (references to others are the directory's to check).
    pub fn check(&self) -> Result<(), FieldProblem> {
        check_name("name", &self.name)?;
        check_text("description", &self.description, 2000)
    }
}

impl Person {
    pub fn check(&self) -> Result<(), FieldProblem> {
        check_login(&self.login)?;
        if self.name.trim().is_empty() {
            return Err(problem("name", "must not be empty"));
        }
        check_text("name", &self.name, 200)?;
        check_email(&self.email)?;
        check_text("phone", &self.phone, 40)?;
        check_time_zone(&self.time_zone)?;
        if self.role.trim().is_empty() || self.role.chars().any(char::is_whitespace) {
            return Err(problem(
                "role",
                format!(
                    "'{}' is not one word (like engineer, team_lead, manager, director)",
                    self.role.escape_debug()
                ),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = self.teams.iter().find(|t| !seen.insert(t.as_str())) {
            return Err(problem("teams", format!("names '{twice}' twice")));
        }
        if self.manager.as_deref() == Some(self.login.as_str()) {
            return Err(problem("manager", "a person cannot be their own manager"));
        }
        crate::domain::contact::check_methods(&self.contacts)
            .map_err(|why| problem("contact", why))?;
        Ok(())
    }
}

impl Service {
    pub fn check(&self) -> Result<(), FieldProblem> {
        check_name("name", &self.name)?;
        check_text("description", &self.description, 2000)?;
        if !SERVICE_TIERS.contains(&self.tier) {
            return Err(problem(
                "tier",
                format!(
                    "{} is not a tier (1, the most critical, to {})",
                    self.tier,
                    SERVICE_TIERS.end()
                ),
            ));
        }
        if !(self.availability_target > 0.0 && self.availability_target <= 1.0) {
            return Err(problem(
                "availability_target",
                format!(
                    "{} is not a fraction above 0 and at most 1 (like 0.999)",
                    self.availability_target
                ),
            ));
        }
        check_url("runbook_url", &self.runbook_url)?;
        for (field, minutes) in [
            ("rto_minutes", self.rto_minutes),
            ("rpo_minutes", self.rpo_minutes),
        ] {
            if minutes.is_some_and(|m| !(0..=525_600).contains(&m)) {
                return Err(problem(
                    field,
                    format!(
                        "{} is not a number of minutes from 0 to a year",
                        minutes.unwrap_or(0)
                    ),
                ));
            }
        }
        if self.depends_on.contains(&self.name) {
            return Err(problem("depends_on", "a service cannot depend on itself"));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = self.depends_on.iter().find(|s| !seen.insert(s.as_str())) {
            return Err(problem("depends_on", format!("names '{twice}' twice")));
        }
        Ok(())
    }
}
