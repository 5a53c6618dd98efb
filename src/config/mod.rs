//! Configuration: TOML, with the shipped defaults in `assets/default_config.toml`.
//! The user's file is laid over the defaults table by table: a key it leaves out keeps
//! its shipped value, a list it writes (views, severities, freeze windows) replaces the
//! shipped list. Errors — a bad value, an unknown key — name the file, the line and
//! the key.

pub mod action;
pub mod keymap;
pub mod views;

use crate::domain::PriorityMatrix;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

pub const DEFAULT_CONFIG_TOML: &str = include_str!("../../assets/default_config.toml");

static DEFAULTS: LazyLock<Config> = LazyLock::new(|| {
    toml::from_str(DEFAULT_CONFIG_TOML)
        .unwrap_or_else(|e| panic!("the shipped default config is invalid: {e}"))
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default = "defaults::severities")]
    pub severities: Vec<SeverityDefinition>,
    #[serde(default = "defaults::priority")]
    pub priority: PriorityConfig,
    #[serde(default = "defaults::business_hours")]
    pub business_hours: BusinessHours,
    #[serde(default = "defaults::sla")]
    pub sla: SlaPolicies,
    #[serde(default = "defaults::kpi_targets")]
    pub kpi_targets: KpiTargets,
    #[serde(default = "defaults::ui")]
    pub ui: UiConfig,
    #[serde(default = "defaults::escalation")]
    pub escalation: EscalationConfig,
    #[serde(default = "defaults::notify")]
    pub notify: NotifyConfig,
    #[serde(default = "defaults::csat")]
    pub csat: CsatConfig,
    #[serde(default = "defaults::vendors")]
    pub vendors: VendorsConfig,
    #[serde(default = "defaults::change")]
    pub change: ChangeConfig,
    #[serde(default = "defaults::reviews")]
    pub reviews: ReviewConfig,
    #[serde(default = "defaults::standup")]
    pub standup: StandupConfig,
    #[serde(default = "defaults::alerts")]
    pub alerts: AlertsConfig,
    #[serde(default = "defaults::serve")]
    pub serve: ServeConfig,
    #[serde(default = "defaults::pager")]
    pub pager: PagerConfig,
    #[serde(default = "defaults::store")]
    pub store: StoreConfig,
    /// Freeze windows beside those added with `watchfloor change freeze`.
    #[serde(default)]
    pub freeze_windows: Vec<FreezeConfig>,
    /// Reports `serve` sends by itself, weekly or monthly, to an audience.
    #[serde(default)]
    pub scheduled_reports: Vec<ScheduledReport>,
    /// Named ticket views beside the built-in ones.
    #[serde(default = "defaults::views")]
    pub views: Vec<views::ViewConfig>,
    /// Named incident-list views beside `all` and `active`.
    #[serde(default = "defaults::incident_views")]
    pub incident_views: Vec<views::IncidentView>,
    /// Themes of the user's, by name, for `[ui] theme` and `--theme`.
    #[serde(default = "defaults::themes")]
    pub themes: std::collections::BTreeMap<String, UserTheme>,
    /// Short names for whole `:` command lines: `br = "view breached"`.
    #[serde(default = "defaults::aliases")]
    pub aliases: std::collections::BTreeMap<String, String>,
    /// Key bindings over the shipped ones: `[keys.CONTEXT] action = ["key", …]`.
    #[serde(default = "defaults::keys")]
    pub keys: crate::config::keymap::KeyOverrides,
}

mod kpi_targets;
pub use kpi_targets::KpiTargets;

mod defaults {
    use super::*;
    pub fn severities() -> Vec<SeverityDefinition> {
        DEFAULTS.severities.clone()
    }
    pub fn priority() -> PriorityConfig {
        DEFAULTS.priority.clone()
    }
    pub fn business_hours() -> BusinessHours {
        DEFAULTS.business_hours.clone()
    }
    pub fn sla() -> SlaPolicies {
        DEFAULTS.sla.clone()
    }
    pub fn kpi_targets() -> KpiTargets {
        DEFAULTS.kpi_targets.clone()
    }
    pub fn vendor_sla_compliance() -> f64 {
        DEFAULTS.kpi_targets.vendor_sla_compliance
    }
    pub fn standard_change_lead_hours() -> f64 {
        DEFAULTS.kpi_targets.standard_change_lead_hours
    }
    pub fn oncall_pages_per_week() -> f64 {
        DEFAULTS.kpi_targets.oncall_pages_per_week
    }
    pub fn trend_weeks() -> usize {
        DEFAULTS.kpi_targets.trend_weeks
    }
    pub fn trend_threshold() -> f64 {
        DEFAULTS.kpi_targets.trend_threshold
    }
    pub fn csat_mean() -> f64 {
        DEFAULTS.kpi_targets.csat_mean
    }
    pub fn csat_positive() -> f64 {
        DEFAULTS.kpi_targets.csat_positive
    }
    pub fn knowledge_coverage() -> f64 {
        DEFAULTS.kpi_targets.knowledge_coverage
    }
    pub fn knowledge_top() -> usize {
        DEFAULTS.kpi_targets.knowledge_top
    }
    pub fn ui() -> UiConfig {
        DEFAULTS.ui.clone()
    }
    pub fn escalation() -> EscalationConfig {
        DEFAULTS.escalation.clone()
    }
    pub fn notify() -> NotifyConfig {
        DEFAULTS.notify.clone()
    }
    pub fn reviews() -> ReviewConfig {
        DEFAULTS.reviews.clone()
    }
    pub fn alerts() -> AlertsConfig {
        DEFAULTS.alerts.clone()
    }
    pub fn cause_window_minutes() -> u32 {
        DEFAULTS.alerts.cause_window_minutes
    }
    pub fn requests_per_minute() -> u32 {
        DEFAULTS.serve.requests_per_minute
    }
    pub fn announce_hours_before() -> u32 {
        DEFAULTS.change.announce_hours_before
    }
    pub fn serve() -> ServeConfig {
        DEFAULTS.serve.clone()
    }
    pub fn pager() -> PagerConfig {
        DEFAULTS.pager.clone()
    }
    pub fn smtp() -> SmtpConfig {
        DEFAULTS.pager.smtp.clone()
    }
    pub fn urgency() -> UrgencyConfig {
        DEFAULTS.pager.urgency.clone()
    }
    pub fn handoff() -> HandoffConfig {
        DEFAULTS.pager.handoff.clone()
    }
    pub fn store() -> StoreConfig {
        DEFAULTS.store.clone()
    }
    pub fn themes() -> std::collections::BTreeMap<String, UserTheme> {
        DEFAULTS.themes.clone()
    }
    pub fn incident_views() -> Vec<views::IncidentView> {
        DEFAULTS.incident_views.clone()
    }
    pub fn aliases() -> std::collections::BTreeMap<String, String> {
        DEFAULTS.aliases.clone()
    }
    pub fn keys() -> crate::config::keymap::KeyOverrides {
        DEFAULTS.keys.clone()
    }
    pub fn standup() -> StandupConfig {
        DEFAULTS.standup.clone()
    }
    pub fn vendors() -> VendorsConfig {
        DEFAULTS.vendors.clone()
    }
    pub fn csat() -> CsatConfig {
        DEFAULTS.csat.clone()
    }
    pub fn change() -> ChangeConfig {
        DEFAULTS.change.clone()
    }
    pub fn views() -> Vec<views::ViewConfig> {
        DEFAULTS.views.clone()
    }
}

impl Default for Config {
    fn default() -> Self {
        DEFAULTS.clone()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityDefinition {
    pub name: crate::domain::incident::Severity,
    pub description: String,
    pub status_update_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityConfig {
    pub matrix: PriorityMatrix,
}

crate::string_enum! {
    pub enum Weekday ("weekday") {
        Mon => "mon",
        Tue => "tue",
        Wed => "wed",
        Thu => "thu",
        Fri => "fri",
        Sat => "sat",
        Sun => "sun",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    pub time_zone: TimeZoneName,
    pub days: Vec<Weekday>,
    pub start: ClockTime,
    pub end: ClockTime,
    pub holidays: Vec<chrono::NaiveDate>,
}

/// An IANA time zone name, checked when the config is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeZoneName(pub chrono_tz::Tz);

impl TryFrom<String> for TimeZoneName {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse::<chrono_tz::Tz>().map(TimeZoneName).map_err(|_| {
            format!("unknown time zone '{s}' (use an IANA name like Europe/London or UTC)")
        })
    }
}

impl From<TimeZoneName> for String {
    fn from(t: TimeZoneName) -> String {
        t.0.name().to_string()
    }
}

/// A time of day written `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockTime(pub chrono::NaiveTime);

impl TryFrom<String> for ClockTime {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        chrono::NaiveTime::parse_from_str(&s, "%H:%M")
            .map(ClockTime)
            .map_err(|_| format!("'{s}' is not a time of day (expected HH:MM, like 08:30)"))
    }
}

impl From<ClockTime> for String {
    fn from(t: ClockTime) -> String {
        t.0.format("%H:%M").to_string()
    }
}

crate::string_enum! {
    pub enum SlaCalendar ("SLA calendar") {
        Always => "24x7",
        Business => "business",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicy {
    pub response_minutes: u32,
    pub resolution_minutes: u32,
    pub calendar: SlaCalendar,
    /// A running clock due within this many minutes (wall time) is "at risk".
    #[serde(default = "default_at_risk_minutes")]
    pub at_risk_minutes: u32,
    /// Whether moving a ticket to another group restarts its resolution clock.
    #[serde(default)]
    pub reset_on_reassignment: bool,
}

fn default_at_risk_minutes() -> u32 {
    60
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicies {
    pub p1: SlaPolicy,
    pub p2: SlaPolicy,
    pub p3: SlaPolicy,
    pub p4: SlaPolicy,
    pub p5: SlaPolicy,
}

impl SlaPolicies {
    pub fn all(&self) -> [(crate::domain::Priority, &SlaPolicy); 5] {
        let p = |n| crate::domain::Priority::new(n).unwrap_or(crate::domain::Priority::P5);
        [
            (p(1), &self.p1),
            (p(2), &self.p2),
            (p(3), &self.p3),
            (p(4), &self.p4),
            (p(5), &self.p5),
        ]
    }

    pub fn for_priority(&self, priority: crate::domain::Priority) -> &SlaPolicy {
        match priority.get() {
            1 => &self.p1,
            2 => &self.p2,
            3 => &self.p3,
            4 => &self.p4,
            _ => &self.p5,
        }
    }
}

/// How far up the management chain a raise may go, by incident severity and by
/// ticket priority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationConfig {
    pub hierarchy_by_severity: std::collections::BTreeMap<
        crate::domain::incident::Severity,
        crate::domain::escalation::Rank,
    >,
    pub hierarchy_by_priority: std::collections::BTreeMap<String, crate::domain::escalation::Rank>,
}

impl EscalationConfig {
    pub fn highest_for_severity(
        &self,
        s: crate::domain::incident::Severity,
    ) -> crate::domain::escalation::Rank {
        self.hierarchy_by_severity
            .get(&s)
            .copied()
            .unwrap_or(crate::domain::escalation::Rank::None)
    }

    pub fn highest_for_priority(
        &self,
        p: crate::domain::Priority,
    ) -> crate::domain::escalation::Rank {
        self.hierarchy_by_priority
            .get(&p.to_string())
            .copied()
            .unwrap_or(crate::domain::escalation::Rank::None)
    }
}

/// The satisfaction survey mailed when a ticket is resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsatConfig {
    pub survey: bool,
    /// The share of resolved tickets whose requester is asked, 0 to 1.
    pub sample_rate: f64,
    /// Nobody is asked again within this many days.
    pub cooldown_days: u32,
    /// How long the survey's link works.
    pub link_days: u32,
}

/// Tickets waiting on vendors, and contracts coming up for renewal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorsConfig {
    /// A ticket pending on a vendor pauses its own resolution clock.
    pub pause_sla: bool,
    /// The stand-up names a contract this many days before its notice deadline.
    pub renewal_warning_days: u32,
}

/// Change risk and approvals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeConfig {
    /// Rows impact (1 high … 3 low), columns likelihood (1 high … 3 low); cells risk 1..5.
    pub risk_matrix: [[u8; 3]; 3],
    /// Approvals a normal or emergency change needs, by risk 1..5.
    pub approvals_by_risk: [u32; 5],
    /// How long before its window a change with a stakeholder impact is announced.
    #[serde(default = "defaults::announce_hours_before")]
    pub announce_hours_before: u32,
}

/// Post-incident reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewConfig {
    /// A review still unpublished this many days after its incident was resolved is overdue.
    pub overdue_days: u32,
}

/// How alerts become tickets and incidents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsConfig {
    pub service_labels: Vec<String>,
    pub team_labels: Vec<String>,
    pub severity_label: String,
    /// Labels whose values make an alert group (one record for all of it); empty: the
    /// sender's `groupKey` does.
    #[serde(default)]
    pub group_by: Vec<String>,
    pub default: crate::domain::alert::Opens,
    pub severity: std::collections::BTreeMap<String, crate::domain::alert::Opens>,
    /// An incident alerts open during a change on its service, or within this many
    /// minutes after it ended, proposes that change as its cause.
    #[serde(default = "defaults::cause_window_minutes")]
    pub cause_window_minutes: u32,
}

impl AlertsConfig {
    /// What an alert with these labels opens.
    pub fn opens(
        &self,
        labels: &std::collections::BTreeMap<String, String>,
    ) -> crate::domain::alert::Opens {
        labels
            .get(&self.severity_label)
            .and_then(|v| self.severity.get(&v.trim().to_ascii_lowercase()))
            .copied()
            .unwrap_or(self.default)
    }
}

/// The database file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// The database (a file path or a `postgres://` URL) when `--db` does not name one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// Create the database and backups group-readable and -writable (0660) instead of
    /// private (0600).
    pub group_shared: bool,
}

/// The webhook listener.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeConfig {
    pub listen: String,
    /// A file holding the bearer token (readable by its owner alone); the environment's
    /// `WATCHFLOOR_SERVE_TOKEN` wins over it. Neither: no token asked for.
    #[serde(default)]
    pub token_file: String,
    /// Never used: a token written here in clear is refused, with where to put it.
    #[serde(default, skip_serializing)]
    pub token: Option<String>,
    pub max_body_bytes: u64,
    /// Requests a minute one address may send (0: no limit); more are answered 429.
    #[serde(default = "defaults::requests_per_minute")]
    pub requests_per_minute: u32,
}

/// The pager `watchfloor serve` runs: what starts a page, where its links point, and
/// how mail leaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagerConfig {
    /// Tickets of this priority or higher (1 = P1 only) start their service's policy;
    /// 0: tickets never page. Incidents always do.
    pub tickets_page_at: u8,
    /// The base of the links in every page (`https://watchfloor.example.org`); empty:
    /// pages carry no links.
    pub public_url: String,
    /// A file (mode 0600) holding the secret that signs the links; the environment's
    /// `WATCHFLOOR_PAGER_SECRET` wins over it.
    pub secret_file: String,
    /// A file (mode 0600) holding the key webhook bodies are signed with; the
    /// environment's `WATCHFLOOR_WEBHOOK_SECRET` wins over it.
    pub webhook_secret_file: String,
    /// How long the links of a page work, in minutes.
    pub link_minutes: u32,
    /// How long one attempt to deliver may take, in seconds.
    pub send_timeout_seconds: u64,
    /// How long a `serve` that stopped answering keeps the pager before another
    /// `serve` on the same store takes over, in seconds.
    pub lease_seconds: u32,
    #[serde(default = "defaults::smtp")]
    pub smtp: SmtpConfig,
    #[serde(default = "defaults::urgency")]
    pub urgency: UrgencyConfig,
    #[serde(default = "defaults::handoff")]
    pub handoff: HandoffConfig,
}

/// Hand-offs with a receipt: whether the incoming person is paged with the hand-off
/// report when a team's pager changes hands, and how long they have to acknowledge it
/// before the outgoing person is paged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoffConfig {
    pub page_incoming: bool,
    /// Minutes; 0: the outgoing person is never paged.
    pub acknowledge_minutes: u32,
}

/// When a record's page starts, by its severity (`SEV1` …) or priority (`P1` …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrgencyConfig {
    /// "now", "business_hours" (held until `[business_hours]` next begin) or "never".
    pub by_severity: std::collections::BTreeMap<String, crate::domain::page::Urgency>,
    /// Per service, the severities whose urgency differs there.
    #[serde(default)]
    pub services: std::collections::BTreeMap<
        String,
        std::collections::BTreeMap<String, crate::domain::page::Urgency>,
    >,
    /// Severities whose alert-opened records page even while a change runs on the
    /// service; the others wait for the change's window to end.
    pub page_during_changes: Vec<String>,
    /// Per service, the severities that page through a change there, in place of
    /// `page_during_changes`.
    #[serde(default)]
    pub during_changes: std::collections::BTreeMap<String, Vec<String>>,
}

impl UrgencyConfig {
    /// The urgency of a severity on a service: the service's own, else the default,
    /// else now.
    pub fn of(&self, service: Option<&str>, severity: &str) -> crate::domain::page::Urgency {
        service
            .and_then(|s| self.services.get(s))
            .and_then(|m| m.get(severity))
            .or_else(|| self.by_severity.get(severity))
            .copied()
            .unwrap_or(crate::domain::page::Urgency::Now)
    }

    /// Whether what alerts open at this severity on the service pages while a change
    /// runs there: the service's own list, else `page_during_changes`.
    pub fn pages_during_changes(&self, service: Option<&str>, severity: &str) -> bool {
        service
            .and_then(|s| self.during_changes.get(s))
            .unwrap_or(&self.page_during_changes)
            .iter()
            .any(|s| s == severity)
    }
}

/// How mail leaves: an SMTP relay, or a local sendmail when `host` is empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub from: String,
    pub security: SmtpSecurity,
    /// Empty: no authentication.
    pub username: String,
    /// A file (mode 0600) holding the password; the environment's
    /// `WATCHFLOOR_SMTP_PASSWORD` wins over it.
    pub password_file: String,
    /// A PEM certificate authority trusted beside the system's, for a relay whose
    /// certificate a private authority signed.
    pub ca_file: String,
    /// The sendmail program used when `host` is empty (`/usr/sbin/sendmail`); empty
    /// too: mail is not sent.
    pub sendmail: String,
}

crate::string_enum! {
    pub enum SmtpSecurity ("SMTP security") {
        Starttls => "starttls",
        Tls => "tls",
        None => "none",
    }
}

/// The stand-up screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandupConfig {
    /// Local time (business-hours time zone) of the daily stand-up.
    pub time: ClockTime,
    /// How often the stand-up screen reloads, in seconds.
    pub refresh_seconds: u32,
}

/// A report `serve` sends on its own: the operations report of the week before (on
/// Mondays) or of the month before (on the 1st), at a time of day, to an audience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledReport {
    pub name: String,
    pub every: crate::domain::report_schedule::ReportCadence,
    pub at: ClockTime,
    pub audience: String,
    /// Only this service, or this team (as `report --service` / `--team`).
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
}

/// A freeze window written in the config file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreezeConfig {
    pub name: String,
    /// RFC 3339, like 2027-03-29T00:00:00Z.
    pub start: chrono::DateTime<chrono::FixedOffset>,
    pub end: chrono::DateTime<chrono::FixedOffset>,
    #[serde(default)]
    pub reason: String,
}

impl Config {
    /// The config's freeze windows, as the domain knows them.
    pub fn freeze_windows(&self) -> Vec<crate::domain::change::FreezeWindow> {
        self.freeze_windows
            .iter()
            .map(|f| crate::domain::change::FreezeWindow {
                name: f.name.clone(),
                starts_at: f.start.with_timezone(&chrono::Utc),
                ends_at: f.end.with_timezone(&chrono::Utc),
                reason: f.reason.clone(),
            })
            .collect()
    }
}

/// The notification hook: a program and its arguments (never a shell line), given
/// each escalation as JSON on standard input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyConfig {
    pub command: Vec<String>,
    pub timeout_seconds: u64,
}

crate::string_enum! {
    /// The built-in themes.
    pub enum ThemeName ("theme") {
        Default => "default",
        HighContrast => "high-contrast",
        Light => "light",
    }
}

/// A colour as the config writes it: a name of the 16 ANSI colours (`red`,
/// `lightblue`, `darkgray`…), `#rrggbb`, or an index 0–255.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ColorSpec(pub ratatui::style::Color);

impl TryFrom<String> for ColorSpec {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.trim().parse().map(ColorSpec).map_err(|_| {
            format!("'{text}' is not a colour (a name like red or lightblue, #rrggbb, or 0-255)")
        })
    }
}

impl From<ColorSpec> for String {
    fn from(c: ColorSpec) -> String {
        c.0.to_string()
    }
}

/// A theme of the user's: a built-in base with some of its colours replaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserTheme {
    pub base: ThemeName,
    pub text: Option<ColorSpec>,
    pub background: Option<ColorSpec>,
    pub accent: Option<ColorSpec>,
    pub muted: Option<ColorSpec>,
    pub key: Option<ColorSpec>,
    pub error: Option<ColorSpec>,
    pub info: Option<ColorSpec>,
    pub warning: Option<ColorSpec>,
    pub fresh: Option<ColorSpec>,
    pub status_text: Option<ColorSpec>,
    pub status_background: Option<ColorSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiConfig {
    /// A built-in theme (default, high-contrast, light) or one of `[themes]`.
    pub theme: String,
    /// The status bar's colour for databases without an accent of their own
    /// (`watchfloor accent`), so two consoles side by side are never mistaken.
    #[serde(default)]
    pub accent: Option<ColorSpec>,
    /// Open every database read-only, as `--read-only` does: for a display that must
    /// never change anything (the stand-up screen on a shared machine).
    #[serde(default)]
    pub read_only: bool,
    /// Clicks and the wheel in the console. Off by default: while a program takes the
    /// mouse, the terminal's own text selection (copying from a bridge) needs shift.
    #[serde(default)]
    pub mouse: bool,
}

impl Config {
    /// A moment as pages and hand-offs say it: "Mon 07 Dec 09:00 CET", in the
    /// `[business_hours]` time zone.
    pub fn local_time(&self, at: crate::domain::Timestamp) -> String {
        at.with_timezone(&self.business_hours.time_zone.0)
            .format("%a %d %b %H:%M %Z")
            .to_string()
    }

    /// `[business_hours]` as the calendar the domain counts in.
    pub fn business_calendar(&self) -> crate::domain::calendar::WorkCalendar {
        use crate::domain::calendar::{BusinessHours as Hours, WorkCalendar};
        let b = &self.business_hours;
        let mut weekdays = [false; 7];
        for day in &b.days {
            weekdays[Weekday::ALL.iter().position(|d| d == day).unwrap_or(0)] = true;
        }
        WorkCalendar::Business(Hours {
            time_zone: b.time_zone.0,
            weekdays,
            start: b.start.0,
            end: b.end.0,
            holidays: b.holidays.iter().copied().collect(),
        })
    }

    /// The SLA rule for a priority: its policy's targets in the calendar it counts in.
    pub fn sla_rule(&self, priority: crate::domain::Priority) -> crate::domain::sla::SlaRule {
        let policy = self.sla.for_priority(priority);
        let calendar = match policy.calendar {
            SlaCalendar::Always => crate::domain::calendar::WorkCalendar::Always,
            SlaCalendar::Business => self.business_calendar(),
        };
        crate::domain::sla::SlaRule {
            response_secs: i64::from(policy.response_minutes) * 60,
            resolution_secs: i64::from(policy.resolution_minutes) * 60,
            at_risk_secs: i64::from(policy.at_risk_minutes) * 60,
            reset_on_reassignment: policy.reset_on_reassignment,
            calendar,
        }
    }
}

mod load;
pub use load::ConfigError;
