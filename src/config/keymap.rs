//! The one keymap. It drives the keys, the `?` help and the footer hints, so they can
//! never disagree.

use super::action::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;
use std::str::FromStr;

/// A key with the modifiers that matter (Ctrl, Alt). Shift is part of the character.
/// Written in the config as text: `j`, `G`, `enter`, `ctrl-r`, `f1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KeyChord {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeyChord {
    pub const fn plain(code: KeyCode) -> Self {
        KeyChord {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub fn from_event(event: &KeyEvent) -> Self {
        KeyChord {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }
}

impl TryFrom<String> for KeyChord {
    type Error = KeyParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<KeyChord> for String {
    fn from(chord: KeyChord) -> String {
        chord.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a key (examples: j, G, ?, enter, esc, tab, shift-tab, pgdn, ctrl-r, f1)")]
pub struct KeyParseError(pub String);

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("shift-tab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pgup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("space", KeyCode::Char(' ')),
    ("minus", KeyCode::Char('-')),
];

impl FromStr for KeyChord {
    type Err = KeyParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || KeyParseError(s.to_string());
        let mut rest = s;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            if lower.starts_with("ctrl-") && rest.len() > 5 {
                ctrl = true;
                rest = &rest[5..];
            } else if lower.starts_with("alt-") && rest.len() > 4 {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let lower = rest.to_ascii_lowercase();
        let code = if let Some((_, code)) = NAMED.iter().find(|(name, _)| *name == lower) {
            *code
        } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
            if (1..=12).contains(&n) {
                KeyCode::F(n)
            } else {
                return Err(err());
            }
        } else {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_control() => {
                    KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
                }
                _ => return Err(err()),
            }
        };
        Ok(KeyChord { code, ctrl, alt })
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        if let Some((name, _)) = NAMED.iter().find(|(_, code)| *code == self.code) {
            return f.write_str(name);
        }
        match self.code {
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

crate::string_enum! {
    /// Where a binding applies; the focused context is tried first, then Global.
    /// `ticket`: actions on the selected (or opened) ticket, in the list and the
    /// detail view; `bridge`: the incident bridge when the timeline (not the input
    /// line) has focus; `change_detail` and `review_detail`: one change or review
    /// opened.
    pub enum KeyContext ("key context") {
        Global => "global",
        List => "list",
        Detail => "detail",
        Ticket => "ticket",
        Bridge => "bridge",
        Calendar => "calendar",
        ChangeDetail => "change_detail",
        Reviews => "reviews",
        ReviewDetail => "review_detail",
        Metrics => "metrics",
        Standup => "standup",
        Directory => "directory",
        Knowledge => "knowledge",
    }
}

impl KeyContext {
    pub fn title(self) -> &'static str {
        match self {
            KeyContext::Global => "Everywhere",
            KeyContext::List => "Lists",
            KeyContext::Detail => "Detail view",
            KeyContext::Ticket => "Ticket actions",
            KeyContext::Bridge => "Incident bridge",
            KeyContext::Calendar => "Change calendar",
            KeyContext::ChangeDetail => "One change",
            KeyContext::Reviews => "Reviews",
            KeyContext::ReviewDetail => "One review",
            KeyContext::Metrics => "Metrics",
            KeyContext::Standup => "Stand-up",
            KeyContext::Directory => "Directory",
            KeyContext::Knowledge => "Knowledge",
        }
    }
}

/// The config's `[keys]`: per context, per action, the keys (empty: unbound).
pub type KeyOverrides =
    std::collections::BTreeMap<KeyContext, std::collections::BTreeMap<Action, Vec<KeyChord>>>;

/// One key asking for two actions in one context, reported when the console starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyConflict {
    pub context: KeyContext,
    pub key: KeyChord,
    /// What the key does.
    pub kept: Action,
    /// What it would also do, and no longer does.
    pub shadowed: Action,
}

impl fmt::Display for KeyConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "key '{}' in {} is bound to both {} and {}; it does {}",
            self.key, self.context, self.kept, self.shadowed, self.kept
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub chord: KeyChord,
    pub action: Action,
    pub context: KeyContext,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

/// The shipped bindings, in the order the help lists them.
const DEFAULTS: &[(KeyContext, &str, Action)] = &[
    (KeyContext::Global, "?", Action::Help),
    (KeyContext::Global, ":", Action::CommandLine),
    (KeyContext::Global, "tab", Action::NextPane),
    (KeyContext::Global, "shift-tab", Action::PrevPane),
    (KeyContext::Global, "1", Action::PaneTickets),
    (KeyContext::Global, "2", Action::PaneIncidents),
    (KeyContext::Global, "3", Action::PaneChanges),
    (KeyContext::Global, "4", Action::PaneReviews),
    (KeyContext::Global, "5", Action::PaneMetrics),
    (KeyContext::Global, "6", Action::PaneStandup),
    (KeyContext::Global, "7", Action::PaneDirectory),
    (KeyContext::Global, "8", Action::PaneKnowledge),
    (KeyContext::Global, "ctrl-r", Action::Refresh),
    (KeyContext::Global, "D", Action::Declare),
    (KeyContext::Global, "q", Action::Quit),
    (KeyContext::Global, "ctrl-c", Action::Quit),
    (KeyContext::List, "j", Action::MoveDown),
    (KeyContext::List, "down", Action::MoveDown),
    (KeyContext::List, "k", Action::MoveUp),
    (KeyContext::List, "up", Action::MoveUp),
    (KeyContext::List, "pgdn", Action::PageDown),
    (KeyContext::List, "pgup", Action::PageUp),
    (KeyContext::List, "g", Action::GoTop),
    (KeyContext::List, "home", Action::GoTop),
    (KeyContext::List, "G", Action::GoBottom),
    (KeyContext::List, "end", Action::GoBottom),
    (KeyContext::List, "enter", Action::Open),
    (KeyContext::List, "/", Action::Filter),
    (KeyContext::List, "]", Action::NextView),
    (KeyContext::List, "[", Action::PrevView),
    (KeyContext::List, "s", Action::CycleSort),
    (KeyContext::List, "space", Action::Mark),
    (KeyContext::List, "esc", Action::Back),
    (KeyContext::Ticket, "t", Action::Triage),
    (KeyContext::Ticket, "a", Action::Take),
    (KeyContext::Ticket, "c", Action::Comment),
    (KeyContext::Ticket, "p", Action::Pending),
    (KeyContext::Ticket, "r", Action::Resolve),
    (KeyContext::Ticket, "C", Action::Close),
    (KeyContext::Ticket, "O", Action::Reopen),
    (KeyContext::Ticket, "A", Action::Assign),
    (KeyContext::Ticket, "n", Action::NewTicket),
    (KeyContext::Ticket, "d", Action::Duplicate),
    (KeyContext::Ticket, "i", Action::Promote),
    (KeyContext::Ticket, "e", Action::Escalate),
    (KeyContext::Ticket, "E", Action::EscalateNext),
    (KeyContext::Ticket, "h", Action::Raise),
    (KeyContext::List, "w", Action::OnCall),
    (KeyContext::List, "o", Action::Override),
    (KeyContext::List, "R", Action::EditRotation),
    (KeyContext::List, "H", Action::AcceptHandoff),
    (KeyContext::Bridge, "e", Action::Escalate),
    (KeyContext::Bridge, "E", Action::EscalateNext),
    (KeyContext::Bridge, "h", Action::Raise),
    (KeyContext::Bridge, "tab", Action::Compose),
    (KeyContext::Bridge, "i", Action::Compose),
    (KeyContext::Bridge, "a", Action::Acknowledge),
    (KeyContext::Bridge, "u", Action::StatusUpdate),
    (KeyContext::Bridge, "U", Action::CanUpdate),
    (KeyContext::Bridge, "S", Action::Severity),
    (KeyContext::Bridge, "o", Action::Roles),
    (KeyContext::Bridge, "m", Action::Mitigate),
    (KeyContext::Bridge, "x", Action::IncidentState),
    (KeyContext::Bridge, "R", Action::ResolveIncident),
    (KeyContext::Bridge, "l", Action::LinkTicket),
    (KeyContext::Bridge, "y", Action::CopyUpdate),
    (KeyContext::Bridge, "C", Action::CausedBy),
    (KeyContext::Bridge, "s", Action::TickStep),
    (KeyContext::Bridge, "j", Action::MoveDown),
    (KeyContext::Bridge, "k", Action::MoveUp),
    (KeyContext::Bridge, "G", Action::Follow),
    (KeyContext::Bridge, "esc", Action::Back),
    (KeyContext::Calendar, "h", Action::DayBack),
    (KeyContext::Calendar, "left", Action::DayBack),
    (KeyContext::Calendar, "l", Action::DayForward),
    (KeyContext::Calendar, "right", Action::DayForward),
    (KeyContext::Calendar, "j", Action::MoveDown),
    (KeyContext::Calendar, "down", Action::MoveDown),
    (KeyContext::Calendar, "k", Action::MoveUp),
    (KeyContext::Calendar, "up", Action::MoveUp),
    (KeyContext::Calendar, "t", Action::Today),
    (KeyContext::Calendar, "w", Action::WeekView),
    (KeyContext::Calendar, "m", Action::MonthView),
    (KeyContext::Calendar, "a", Action::AgendaView),
    (KeyContext::Calendar, "c", Action::CabAgenda),
    (KeyContext::Calendar, "enter", Action::Open),
    (KeyContext::Calendar, "n", Action::NewChange),
    (KeyContext::Reviews, "j", Action::MoveDown),
    (KeyContext::Reviews, "down", Action::MoveDown),
    (KeyContext::Reviews, "k", Action::MoveUp),
    (KeyContext::Reviews, "up", Action::MoveUp),
    (KeyContext::Reviews, "enter", Action::Open),
    (KeyContext::Reviews, "v", Action::ReviewsView),
    (KeyContext::Reviews, "x", Action::CloseAction),
    (KeyContext::ReviewDetail, "esc", Action::Back),
    (KeyContext::ReviewDetail, "j", Action::MoveDown),
    (KeyContext::ReviewDetail, "down", Action::MoveDown),
    (KeyContext::ReviewDetail, "k", Action::MoveUp),
    (KeyContext::ReviewDetail, "up", Action::MoveUp),
    (KeyContext::ReviewDetail, "e", Action::EditField),
    (KeyContext::ReviewDetail, "E", Action::EditInEditor),
    (KeyContext::ReviewDetail, "n", Action::NewAction),
    (KeyContext::ReviewDetail, "p", Action::Publish),
    (KeyContext::ReviewDetail, "X", Action::ExportReview),
    (KeyContext::Metrics, "p", Action::CyclePeriod),
    (KeyContext::Metrics, "f", Action::MetricsScope),
    (KeyContext::Metrics, "c", Action::NextCharts),
    (KeyContext::Metrics, "P", Action::CustomPeriod),
    (KeyContext::Metrics, "j", Action::MoveDown),
    (KeyContext::Metrics, "down", Action::MoveDown),
    (KeyContext::Metrics, "k", Action::MoveUp),
    (KeyContext::Metrics, "up", Action::MoveUp),
    (KeyContext::Metrics, "enter", Action::Open),
    (KeyContext::Metrics, "esc", Action::Back),
    (KeyContext::Standup, "esc", Action::Back),
    (KeyContext::Directory, "j", Action::MoveDown),
    (KeyContext::Directory, "down", Action::MoveDown),
    (KeyContext::Directory, "k", Action::MoveUp),
    (KeyContext::Directory, "up", Action::MoveUp),
    (KeyContext::Directory, "]", Action::NextView),
    (KeyContext::Directory, "[", Action::PrevView),
    (KeyContext::Directory, "n", Action::NewRecord),
    (KeyContext::Directory, "e", Action::EditRecord),
    (KeyContext::Directory, "enter", Action::EditRecord),
    (KeyContext::Directory, "X", Action::ArchiveRecord),
    (KeyContext::Directory, "a", Action::ShowArchived),
    (KeyContext::Knowledge, "j", Action::MoveDown),
    (KeyContext::Knowledge, "down", Action::MoveDown),
    (KeyContext::Knowledge, "k", Action::MoveUp),
    (KeyContext::Knowledge, "up", Action::MoveUp),
    (KeyContext::Knowledge, "]", Action::NextView),
    (KeyContext::Knowledge, "[", Action::PrevView),
    (KeyContext::Knowledge, "/", Action::Filter),
    (KeyContext::Knowledge, "enter", Action::Open),
    (KeyContext::Knowledge, "esc", Action::Back),
    (KeyContext::Knowledge, "n", Action::NewRecord),
    (KeyContext::Knowledge, "e", Action::EditRecord),
    (KeyContext::Knowledge, "X", Action::ArchiveRecord),
    (KeyContext::Knowledge, "a", Action::ShowArchived),
    (KeyContext::ChangeDetail, "esc", Action::Back),
    (KeyContext::ChangeDetail, "s", Action::Submit),
    (KeyContext::ChangeDetail, "a", Action::Approve),
    (KeyContext::ChangeDetail, "r", Action::Reject),
    (KeyContext::ChangeDetail, "k", Action::AckConflict),
    (KeyContext::ChangeDetail, "S", Action::Schedule),
    (KeyContext::ChangeDetail, "b", Action::Begin),
    (KeyContext::ChangeDetail, "c", Action::Complete),
    (KeyContext::ChangeDetail, "f", Action::Fail),
    (KeyContext::ChangeDetail, "R", Action::RollBack),
    (KeyContext::ChangeDetail, "x", Action::CancelChange),
    (KeyContext::ChangeDetail, "i", Action::StakeholderImpact),
    (KeyContext::Detail, "esc", Action::Back),
    (KeyContext::Detail, "j", Action::MoveDown),
    (KeyContext::Detail, "down", Action::MoveDown),
    (KeyContext::Detail, "k", Action::MoveUp),
    (KeyContext::Detail, "up", Action::MoveUp),
];

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULTS
            .iter()
            .map(|(context, key, action)| Binding {
                chord: key
                    .parse()
                    .unwrap_or_else(|e| panic!("default keymap: {e}")),
                action: *action,
                context: *context,
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The action for a key in the focused context, falling back to Global.
    /// The action for a key, trying the contexts in order (the focused first, then
    /// the ones around it), and Global last.
    pub fn action_for(&self, event: &KeyEvent, contexts: &[KeyContext]) -> Option<Action> {
        self.action_for_chord(KeyChord::from_event(event), contexts)
    }

    /// As `action_for`, for a key named in the config rather than pressed.
    pub fn action_for_chord(&self, chord: KeyChord, contexts: &[KeyContext]) -> Option<Action> {
        contexts
            .iter()
            .chain([KeyContext::Global].iter())
            .find_map(|ctx| {
                self.bindings
                    .iter()
                    .find(|b| b.context == *ctx && b.chord == chord)
            })
            .map(|b| b.action)
    }

    /// Every key bound to `action` in `context`, joined for display: `j/down`.
    pub fn keys_for(&self, action: Action, context: KeyContext) -> Option<String> {
        let keys: Vec<String> = self
            .bindings
            .iter()
            .filter(|b| b.action == action && b.context == context)
            .map(|b| b.chord.to_string())
            .collect();
        (!keys.is_empty()).then(|| keys.join("/"))
    }

    /// Every bound action once per context, with its keys: `(context, action, "j/down")`,
    /// contexts in the help's order.
    pub fn listing(&self) -> Vec<(KeyContext, Action, String)> {
        let mut out = Vec::new();
        for &context in KeyContext::ALL {
            let mut seen = Vec::new();
            for b in self.bindings.iter().filter(|b| b.context == context) {
                if !seen.contains(&b.action) {
                    seen.push(b.action);
                    let keys = self.keys_for(b.action, context).unwrap_or_default();
                    out.push((context, b.action, keys));
                }
            }
        }
        out
    }

    /// Help sections: each context with its (keys, description) lines, one per action.
    pub fn help_sections(&self) -> Vec<(KeyContext, Vec<(String, &'static str)>)> {
        let listing = self.listing();
        KeyContext::ALL
            .iter()
            .map(|&context| {
                let lines = listing
                    .iter()
                    .filter(|(c, _, _)| *c == context)
                    .map(|(_, action, keys)| (keys.clone(), action.description()))
                    .collect();
                (context, lines)
            })
            .collect()
    }

    /// The shipped bindings with the config's `[keys]` applied: an action listed there
    /// gets exactly those keys in that context (none unbinds it), ahead of the shipped
    /// ones. Returns the keys that now ask for two actions in one context.
    pub fn with_overrides(overrides: &KeyOverrides) -> (Keymap, Vec<KeyConflict>) {
        let mut map = Keymap::default();
        let mut yours = Vec::new();
        for (context, actions) in overrides {
            for (action, keys) in actions {
                map.bindings
                    .retain(|b| !(b.context == *context && b.action == *action));
                yours.extend(keys.iter().map(|chord| Binding {
                    chord: *chord,
                    action: *action,
                    context: *context,
                }));
            }
        }
        yours.append(&mut map.bindings);
        map.bindings = yours;
        let conflicts = map.conflicts();
        (map, conflicts)
    }

    /// Keys bound to more than one action in the same context; the first binding wins.
    pub fn conflicts(&self) -> Vec<KeyConflict> {
        let mut found = Vec::new();
        for (i, first) in self.bindings.iter().enumerate() {
            for later in &self.bindings[i + 1..] {
                let conflict = KeyConflict {
                    context: first.context,
                    key: first.chord,
                    kept: first.action,
                    shadowed: later.action,
                };
                if later.context == first.context
                    && later.chord == first.chord
                    && later.action != first.action
                    && !found.contains(&conflict)
                {
                    found.push(conflict);
                }
            }
        }
        found
    }

    /// Makes every key bound to `from` in `context` do `to` instead.
    pub fn rebind(&mut self, context: KeyContext, from: Action, to: Action) {
        for b in self
            .bindings
            .iter_mut()
            .filter(|b| b.context == context && b.action == from)
        {
            b.action = to;
        }
    }

    /// Footer hints for a context: `key action` pairs for the most used actions.
    pub fn hints(&self, focus: KeyContext, actions: &[Action]) -> Vec<(String, &'static str)> {
        actions
            .iter()
            .filter_map(|a| {
                let chord = self.bindings.iter().find(|b| {
                    b.action == *a
                        && (b.context == focus
                            || b.context == KeyContext::Global
                            || b.context == KeyContext::Ticket)
                })?;
                Some((chord.chord.to_string(), a.hint()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn key_names_parse_and_print_back() {
        for text in [
            "j",
            "G",
            "?",
            ":",
            "enter",
            "esc",
            "tab",
            "shift-tab",
            "pgdn",
            "ctrl-r",
            "alt-x",
            "f5",
            "space",
        ] {
            let chord: KeyChord = text.parse().unwrap();
            assert_eq!(chord.to_string(), text);
        }
        assert_eq!(
            "Ctrl-R".parse::<KeyChord>().unwrap(),
            "ctrl-r".parse().unwrap()
        );
    }

    #[test]
    fn bad_key_names_are_refused_with_examples() {
        for text in ["", "jj", "ctrl-", "f13", "hyper-x"] {
            let err = text.parse::<KeyChord>().unwrap_err();
            assert!(err.to_string().contains("examples"), "{text}: {err}");
        }
    }

    #[test]
    fn shifted_letters_and_backtab_match_as_terminals_send_them() {
        let map = Keymap::default();
        let g = key(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(
            map.action_for(&g, &[KeyContext::List, KeyContext::Ticket]),
            Some(Action::GoBottom)
        );
        let backtab = key(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(
            map.action_for(&backtab, &[KeyContext::List, KeyContext::Ticket]),
            Some(Action::PrevPane)
        );
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            map.action_for(&ctrl_c, &[KeyContext::Detail, KeyContext::Ticket]),
            Some(Action::Quit)
        );
        let plain_z = key(KeyCode::Char('z'), KeyModifiers::NONE);
        assert_eq!(
            map.action_for(&plain_z, &[KeyContext::List, KeyContext::Ticket]),
            None
        );
    }

    #[test]
    fn the_focused_context_wins_then_global_applies() {
        let map = Keymap::default();
        let enter = key(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            map.action_for(&enter, &[KeyContext::List, KeyContext::Ticket]),
            Some(Action::Open)
        );
        assert_eq!(
            map.action_for(&enter, &[KeyContext::Detail, KeyContext::Ticket]),
            None
        );
        let one = key(KeyCode::Char('1'), KeyModifiers::NONE);
        assert_eq!(
            map.action_for(&one, &[KeyContext::Detail, KeyContext::Ticket]),
            Some(Action::PaneTickets)
        );
    }

    #[test]
    fn a_rebind_changes_what_the_keys_of_one_context_do() {
        let mut map = Keymap::default();
        let esc = key(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(
            map.action_for(&esc, &[KeyContext::Standup]),
            Some(Action::Back)
        );
        map.rebind(KeyContext::Standup, Action::Back, Action::Quit);
        assert_eq!(
            map.action_for(&esc, &[KeyContext::Standup]),
            Some(Action::Quit)
        );
        assert_eq!(
            map.action_for(&esc, &[KeyContext::Detail]),
            Some(Action::Back),
            "other contexts keep theirs"
        );
    }

    fn overrides(toml_text: &str) -> KeyOverrides {
        #[derive(serde::Deserialize)]
        struct Wrapper {
            keys: KeyOverrides,
        }
        toml::from_str::<Wrapper>(toml_text).unwrap().keys
    }

    #[test]
    fn a_config_override_replaces_an_actions_keys_and_an_empty_list_unbinds() {
        let (map, conflicts) = Keymap::with_overrides(&overrides(
            "[keys.list]\nmove_down = [\"ctrl-n\"]\n[keys.global]\nhelp = []\n",
        ));
        assert!(conflicts.is_empty(), "{conflicts:?}");
        let ctrl_n = key(KeyCode::Char('n'), KeyModifiers::CONTROL);
        let j = key(KeyCode::Char('j'), KeyModifiers::NONE);
        let question = key(KeyCode::Char('?'), KeyModifiers::NONE);
        assert_eq!(
            map.action_for(&ctrl_n, &[KeyContext::List]),
            Some(Action::MoveDown)
        );
        assert_eq!(map.action_for(&j, &[KeyContext::List]), None);
        assert_eq!(map.action_for(&question, &[KeyContext::List]), None);
        // The help and the hints follow: they read the same map.
        assert_eq!(
            map.keys_for(Action::MoveDown, KeyContext::List).as_deref(),
            Some("ctrl-n")
        );
        assert!(map.keys_for(Action::Help, KeyContext::Global).is_none());
        // Other contexts keep the shipped keys.
        assert_eq!(
            map.action_for(&j, &[KeyContext::Bridge]),
            Some(Action::MoveDown)
        );
    }

    #[test]
    fn a_key_given_two_actions_is_reported_with_both_and_the_override_wins() {
        let (map, conflicts) =
            Keymap::with_overrides(&overrides("[keys.ticket]\ntake = [\"t\"]\n"));
        assert_eq!(
            conflicts,
            [KeyConflict {
                context: KeyContext::Ticket,
                key: "t".parse().unwrap(),
                kept: Action::Take,
                shadowed: Action::Triage,
            }]
        );
        assert_eq!(
            conflicts[0].to_string(),
            "key 't' in ticket is bound to both take and triage; it does take"
        );
        let t = key(KeyCode::Char('t'), KeyModifiers::NONE);
        assert_eq!(
            map.action_for(&t, &[KeyContext::Ticket]),
            Some(Action::Take)
        );
    }

    #[test]
    fn the_shipped_keymap_has_no_conflicts() {
        assert_eq!(Keymap::default().conflicts(), []);
    }

    #[test]
    fn unknown_contexts_actions_and_keys_are_refused_by_name() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Wrapper {
            keys: KeyOverrides,
        }
        for (text, named) in [
            ("[keys.lists]\nmove_down = [\"j\"]\n", "lists"),
            ("[keys.list]\nmove_sideways = [\"j\"]\n", "move_sideways"),
            ("[keys.list]\nmove_down = [\"hyper-j\"]\n", "hyper-j"),
        ] {
            let err = toml::from_str::<Wrapper>(text).unwrap_err().to_string();
            assert!(err.contains(named), "{text}: {err}");
        }
    }

    #[test]
    fn help_lists_every_bound_action_once_per_context() {
        let map = Keymap::default();
        let sections = map.help_sections();
        let lists = &sections
            .iter()
            .find(|(c, _)| *c == KeyContext::List)
            .unwrap()
            .1;
        assert!(lists.contains(&("j/down".to_string(), "next row")));
        let total: usize = sections.iter().map(|(_, l)| l.len()).sum();
        let mut distinct: Vec<(KeyContext, Action)> =
            map.bindings.iter().map(|b| (b.context, b.action)).collect();
        distinct.dedup();
        distinct.sort_by_key(|(c, a)| (*c as u8, *a));
        distinct.dedup();
        assert_eq!(total, distinct.len());
    }
}
