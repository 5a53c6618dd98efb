//! What a key can ask for. Components match on these, never on raw key codes; each has
//! a snake_case name (for the config file of a later issue) and a description (for the
//! help overlay and footer hints).

crate::string_enum! {
    pub enum Action ("action") {
        Quit => "quit",
        Help => "help",
        CommandLine => "command_line",
        NextPane => "next_pane",
        PrevPane => "prev_pane",
        PaneTickets => "pane_tickets",
        PaneIncidents => "pane_incidents",
        PaneChanges => "pane_changes",
        PaneReviews => "pane_reviews",
        PaneMetrics => "pane_metrics",
        Refresh => "refresh",
        MoveDown => "move_down",
        MoveUp => "move_up",
        PageDown => "page_down",
        PageUp => "page_up",
        GoTop => "go_top",
        GoBottom => "go_bottom",
        Open => "open",
        Back => "back",
        Filter => "filter",
        NextView => "next_view",
        PrevView => "prev_view",
        CycleSort => "cycle_sort",
        Mark => "mark",
        Triage => "triage",
        Take => "take",
        Comment => "comment",
        Pending => "pending",
        Resolve => "resolve",
        Close => "close",
        Reopen => "reopen",
        Assign => "assign",
        NewTicket => "new_ticket",
        Duplicate => "duplicate",
    }
}

impl Action {
    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "show or hide this help",
            Action::CommandLine => "go to a record key or pane",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::PaneTickets => "Tickets pane",
            Action::PaneIncidents => "Incidents pane",
            Action::PaneChanges => "Changes pane",
            Action::PaneReviews => "Reviews pane",
            Action::PaneMetrics => "Metrics pane",
            Action::Refresh => "reload from the database",
            Action::MoveDown => "next row",
            Action::MoveUp => "previous row",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::GoTop => "first row",
            Action::GoBottom => "last row",
            Action::Open => "open the selected record",
            Action::Back => "back / close",
            Action::Filter => "filter as you type",
            Action::NextView => "next view",
            Action::PrevView => "previous view",
            Action::CycleSort => "sort: priority, SLA, age",
            Action::Mark => "mark for a bulk action",
            Action::Triage => "triage marked or selected",
            Action::Take => "take: assign to me, start",
            Action::Comment => "comment",
            Action::Pending => "pending / resume",
            Action::Resolve => "resolve",
            Action::Close => "close (asks first)",
            Action::Reopen => "reopen with a reason",
            Action::Assign => "reassign group / person",
            Action::NewTicket => "new ticket",
            Action::Duplicate => "mark as duplicate",
        }
    }

    /// The short word the footer shows for this action.
    pub fn hint(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::CommandLine => "go to",
            Action::NextPane => "pane",
            Action::Open => "open",
            Action::Back => "back",
            Action::MoveDown => "down",
            Action::MoveUp => "up",
            Action::Refresh => "refresh",
            Action::Filter => "filter",
            Action::NextView => "view",
            Action::Triage => "triage",
            Action::Take => "take",
            Action::Resolve => "resolve",
            _ => self.as_str(),
        }
    }
}
