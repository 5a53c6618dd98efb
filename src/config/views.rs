//! Named views as the config writes them (`[[views]]`, `[[incident_views]]`): what
//! each selects, its order, its columns and its key. What a view means for a person at
//! a moment is the read side's (`views::ticket_views`, `views::incident_views`).

use crate::config::keymap::KeyChord;
use crate::domain::incident::Severity;
use crate::domain::{Priority, TicketSort};
use serde::{Deserialize, Serialize};

crate::string_enum! {
    /// The built-in kinds of view; config views start from one of these.
    pub enum BaseView ("view") {
        AllOpen => "all_open",
        MyQueue => "my_queue",
        Unassigned => "unassigned",
        MyGroup => "my_group",
        AtRisk => "at_risk",
        Breached => "breached",
        Pending => "pending",
        RecentlyResolved => "recently_resolved",
        All => "all",
    }
}

/// A view as written in the config file's `[[views]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewConfig {
    pub name: String,
    #[serde(default = "default_base")]
    pub base: BaseView,
    pub group: Option<String>,
    pub service: Option<String>,
    pub priority_max: Option<Priority>,
    pub text: Option<String>,
    pub sort: Option<TicketSort>,
    /// The queue's columns, in order (default: key, priority, state, sla, title,
    /// service, group, assignee, age).
    pub columns: Option<Vec<TicketColumn>>,
    /// A key that shows this view from the ticket queue.
    pub key: Option<KeyChord>,
}

crate::string_enum! {
    /// A column of the ticket queue.
    pub enum TicketColumn ("column") {
        Key => "key",
        Priority => "priority",
        State => "state",
        Sla => "sla",
        Title => "title",
        Service => "service",
        Group => "group",
        Assignee => "assignee",
        Category => "category",
        Age => "age",
        Updated => "updated",
    }
}

/// The queue's columns when a view names none.
pub const DEFAULT_COLUMNS: &[TicketColumn] = &[
    TicketColumn::Key,
    TicketColumn::Priority,
    TicketColumn::State,
    TicketColumn::Sla,
    TicketColumn::Title,
    TicketColumn::Service,
    TicketColumn::Group,
    TicketColumn::Assignee,
    TicketColumn::Age,
];

impl TicketColumn {
    pub fn header(self) -> &'static str {
        match self {
            TicketColumn::Key => "KEY",
            TicketColumn::Priority => "PRI",
            TicketColumn::State => "STATE",
            TicketColumn::Sla => "SLA",
            TicketColumn::Title => "TITLE",
            TicketColumn::Service => "SERVICE",
            TicketColumn::Group => "GROUP",
            TicketColumn::Assignee => "ASSIGNEE",
            TicketColumn::Category => "CATEGORY",
            TicketColumn::Age => "AGE",
            TicketColumn::Updated => "UPDATED",
        }
    }
}

fn default_base() -> BaseView {
    BaseView::AllOpen
}

crate::string_enum! {
    /// Which incidents by state.
    pub enum IncidentStates ("incident states") {
        All => "all",
        Active => "active",
        Resolved => "resolved",
    }
}

crate::string_enum! {
    /// The order of the list; `active` (the default) is active first, then by
    /// severity and age.
    pub enum IncidentSort ("incident sort") {
        Active => "active",
        Severity => "severity",
        Age => "age",
        NextUpdate => "next_update",
    }
}

crate::string_enum! {
    /// A column of the incident list.
    pub enum IncidentColumn ("column") {
        Key => "key",
        Severity => "severity",
        State => "state",
        Title => "title",
        Commander => "commander",
        Services => "services",
        Age => "age",
        NextUpdate => "next_update",
    }
}

pub const DEFAULT_INCIDENT_COLUMNS: &[IncidentColumn] = &[
    IncidentColumn::Key,
    IncidentColumn::Severity,
    IncidentColumn::State,
    IncidentColumn::Title,
    IncidentColumn::Commander,
    IncidentColumn::Age,
    IncidentColumn::NextUpdate,
];

impl IncidentColumn {
    pub fn header(self) -> &'static str {
        match self {
            IncidentColumn::Key => "KEY",
            IncidentColumn::Severity => "SEV",
            IncidentColumn::State => "STATE",
            IncidentColumn::Title => "TITLE",
            IncidentColumn::Commander => "COMMANDER",
            IncidentColumn::Services => "SERVICES",
            IncidentColumn::Age => "AGE",
            IncidentColumn::NextUpdate => "NEXT UPDATE",
        }
    }
}

/// A view as written in the config's `[[incident_views]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentView {
    pub name: String,
    #[serde(default = "all_states")]
    pub states: IncidentStates,
    /// Only this severity and worse (`SEV2`: SEV1 and SEV2).
    pub severity_max: Option<Severity>,
    pub service: Option<String>,
    /// Only incidents whose key, title, commander or services contain this.
    pub text: Option<String>,
    pub sort: Option<IncidentSort>,
    pub columns: Option<Vec<IncidentColumn>>,
    /// A key that shows this view from the incident list.
    pub key: Option<KeyChord>,
}

fn all_states() -> IncidentStates {
    IncidentStates::All
}
