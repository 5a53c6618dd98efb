//! The tabs of the console, as an enum: no magic indexes.

use crate::config::action::Action;

crate::string_enum! {
    pub enum Pane ("pane") {
        Tickets => "tickets",
        Incidents => "incidents",
        Changes => "changes",
        Reviews => "reviews",
        Metrics => "metrics",
        Standup => "standup",
        Directory => "directory",
        Knowledge => "knowledge",
    }
}

impl Pane {
    pub fn title(self) -> &'static str {
        match self {
            Pane::Tickets => "Tickets",
            Pane::Incidents => "Incidents",
            Pane::Changes => "Changes",
            Pane::Reviews => "Reviews",
            Pane::Metrics => "Metrics",
            Pane::Standup => "Stand-up",
            Pane::Directory => "Directory",
            Pane::Knowledge => "Knowledge",
        }
    }

    /// The title where the tab bar is narrow.
    pub fn short_title(self) -> &'static str {
        match self {
            Pane::Directory => "Dir",
            Pane::Knowledge => "KB",
            other => other.title(),
        }
    }

    pub fn number(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0) + 1
    }

    pub fn next(self) -> Pane {
        Pane::ALL[self.number() % Pane::ALL.len()]
    }

    pub fn prev(self) -> Pane {
        Pane::ALL[(self.number() + Pane::ALL.len() - 2) % Pane::ALL.len()]
    }

    pub fn for_action(action: Action) -> Option<Pane> {
        match action {
            Action::PaneTickets => Some(Pane::Tickets),
            Action::PaneIncidents => Some(Pane::Incidents),
            Action::PaneChanges => Some(Pane::Changes),
            Action::PaneReviews => Some(Pane::Reviews),
            Action::PaneMetrics => Some(Pane::Metrics),
            Action::PaneStandup => Some(Pane::Standup),
            Action::PaneDirectory => Some(Pane::Directory),
            Action::PaneKnowledge => Some(Pane::Knowledge),
            _ => None,
        }
    }

    /// A pane named by a prefix of its name: `inc` → Incidents.
    pub fn by_prefix(text: &str) -> Option<Pane> {
        let text = text.trim().to_ascii_lowercase();
        if text.is_empty() {
            return None;
        }
        Pane::ALL
            .iter()
            .copied()
            .find(|p| p.as_str().starts_with(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_cycle_both_ways() {
        assert_eq!(Pane::Tickets.next(), Pane::Incidents);
        assert_eq!(Pane::Metrics.next(), Pane::Standup);
        assert_eq!(Pane::Standup.next(), Pane::Directory);
        assert_eq!(Pane::Directory.next(), Pane::Knowledge);
        assert_eq!(Pane::Knowledge.next(), Pane::Tickets);
        assert_eq!(Pane::Tickets.prev(), Pane::Knowledge);
        assert_eq!(Pane::Changes.prev(), Pane::Incidents);
        assert_eq!(Pane::Reviews.number(), 4);
    }

    #[test]
    fn panes_are_found_by_prefix() {
        assert_eq!(Pane::by_prefix("inc"), Some(Pane::Incidents));
        assert_eq!(Pane::by_prefix("Metrics"), Some(Pane::Metrics));
        assert_eq!(Pane::by_prefix(""), None);
        assert_eq!(Pane::by_prefix("x"), None);
    }
}
