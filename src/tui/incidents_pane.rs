//! The Incidents pane as a component: the list through a view, one incident's bridge
//! with its always-ready input line, and the on-call view. Its forms are in
//! `incident_forms.rs`, the on-call view's in `oncall_view.rs`.

use super::app::Handled;
use super::component::{Effect, PaneContext};
use super::escalation;
use super::purpose::{ChangeForm, IncidentForm, Purpose, Subject};
use super::state::{Bridge, IncidentList, OnCallView};
use crate::config::action::Action;
use crate::config::keymap::KeyChord;
use crate::domain::bridge::parse_timeline_input;
use crate::domain::incident::TimelineKind;
use crate::domain::{IncidentKey, sanitize_text};
use crate::store::StoreError;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How far back the list shows resolved incidents.
const RECENT_DAYS: i64 = 7;
/// The most characters a timeline line takes.
const INPUT_CHARS: usize = 2_000;

impl IncidentList {
    /// The list, or — while a bridge is open, hiding the list — the bridge alone, the
    /// list then reloading when the bridge closes; and the on-call view when shown.
    pub fn reload(&mut self, ctx: &mut PaneContext<'_>) {
        if let Err(e) = self.load(ctx) {
            ctx.error(e.to_string());
        }
    }

    fn load(&mut self, ctx: &PaneContext<'_>) -> Result<(), StoreError> {
        let store = &ctx.session.store;
        let now = ctx.session.clock.now();
        self.list_stale = self.bridge.is_some();
        if self.bridge.is_none() {
            self.loaded = store.list_incidents(now - chrono::Duration::days(RECENT_DAYS))?;
            self.apply_view(now);
        }
        if let Some(old) = self.bridge.take() {
            self.bridge = Some(match load_bridge(old.incident.key, ctx)? {
                Some(fresh) => Bridge {
                    input: old.input,
                    typing: old.typing,
                    scroll_back: old.scroll_back,
                    ..fresh
                },
                None => old,
            });
        }
        if let Some(view) = &self.oncall {
            self.oncall = Some(OnCallView::load(view.selected, ctx)?);
        }
        Ok(())
    }

    /// Opens one incident's bridge, the input line ready.
    pub fn open_bridge(&mut self, key: IncidentKey, ctx: &mut PaneContext<'_>) {
        match load_bridge(key, ctx) {
            Ok(Some(bridge)) => self.bridge = Some(bridge),
            Ok(None) => ctx.error(format!("{key} does not exist")),
            Err(e) => ctx.error(e.to_string()),
        }
    }

    /// Whether keys go to the bridge's input line.
    pub fn typing(&self) -> bool {
        self.bridge.as_ref().is_some_and(|b| b.typing)
    }

    /// Keys while the bridge's input line has focus: typing, Enter posts, Tab or Esc
    /// hand the keys to the bridge actions.
    pub fn input_key(&mut self, key: KeyEvent, ctx: &mut PaneContext<'_>) {
        let Some(bridge) = &mut self.bridge else {
            return;
        };
        match key.code {
            KeyCode::Tab => bridge.typing = false,
            KeyCode::Esc if !bridge.input.is_empty() => bridge.input.clear(),
            KeyCode::Esc => bridge.typing = false,
            KeyCode::Backspace => {
                bridge.input.pop();
            }
            KeyCode::Enter => {
                let line = std::mem::take(&mut bridge.input);
                bridge.scroll_back = 0;
                if line.trim().is_empty() {
                    return;
                }
                let (kind, text) = parse_timeline_input(&line);
                let result =
                    ctx.session
                        .workflow()
                        .add_timeline_entry(bridge.incident.key, kind, &text);
                match result {
                    Ok(_) => ctx.ask(Effect::Refresh),
                    Err(e) => {
                        bridge.input = line;
                        ctx.error(e.to_string());
                    }
                }
            }
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                ctx.ask(Effect::Quit);
            }
            KeyCode::Char(c) if !c.is_control() && bridge.input.chars().count() < INPUT_CHARS => {
                bridge.input.push(c);
            }
            _ => {}
        }
    }

    /// A view's own key, pressed in the list.
    pub fn view_key(&mut self, key: &KeyEvent, ctx: &PaneContext<'_>) -> Handled {
        if self.bridge.is_some() || self.oncall.is_some() {
            return Handled::Passed;
        }
        let chord = KeyChord::from_event(key);
        match self.views.iter().position(|v| v.key == Some(chord)) {
            Some(index) => {
                self.show_view(index, ctx);
                Handled::Consumed
            }
            None => Handled::Passed,
        }
    }

    pub fn show_view(&mut self, index: usize, ctx: &PaneContext<'_>) {
        self.view = index;
        self.selected = 0;
        self.apply_view(ctx.session.clock.now());
    }

    pub fn handle(&mut self, action: Action, ctx: &mut PaneContext<'_>) -> Handled {
        if self.bridge.is_some() {
            return self.bridge_action(action, ctx);
        }
        if action == Action::OnCall {
            self.oncall = match self.oncall {
                Some(_) => None,
                None => match OnCallView::load(0, ctx) {
                    Ok(view) => Some(view),
                    Err(e) => {
                        ctx.error(e.to_string());
                        None
                    }
                },
            };
            return Handled::Consumed;
        }
        if let Some(view) = &mut self.oncall {
            if action == Action::Back {
                self.oncall = None;
                return Handled::Consumed;
            }
            return view.handle(action, ctx);
        }
        let last = self.incidents.len().saturating_sub(1);
        let sel = &mut self.selected;
        match action {
            Action::MoveDown => *sel = (*sel + 1).min(last),
            Action::MoveUp => *sel = sel.saturating_sub(1),
            Action::GoTop => *sel = 0,
            Action::GoBottom => *sel = last,
            Action::PageDown => *sel = (*sel + 10).min(last),
            Action::PageUp => *sel = sel.saturating_sub(10),
            Action::Open => {
                if let Some(key) = self.selected().map(|i| i.key) {
                    self.open_bridge(key, ctx);
                }
            }
            Action::NextView | Action::PrevView => {
                let n = self.views.len().max(1);
                let step = if action == Action::NextView { 1 } else { n - 1 };
                self.show_view((self.view + step) % n, ctx);
            }
            _ => return Handled::Passed,
        }
        Handled::Consumed
    }

    fn bridge_action(&mut self, action: Action, ctx: &mut PaneContext<'_>) -> Handled {
        let Some(bridge) = &mut self.bridge else {
            return Handled::Passed;
        };
        let (key, version) = (bridge.incident.key, bridge.incident.version);
        let form = |form: IncidentForm| Effect::OpenForm(Purpose::Incident(form));
        match action {
            Action::Back => {
                self.bridge = None;
                if self.list_stale {
                    self.reload(ctx);
                }
            }
            Action::Compose => bridge.typing = true,
            Action::MoveUp => bridge.scroll_back = bridge.scroll_back.saturating_add(1),
            Action::MoveDown => bridge.scroll_back = bridge.scroll_back.saturating_sub(1),
            Action::Follow => bridge.scroll_back = 0,
            Action::CopyUpdate => {
                let latest = bridge
                    .timeline
                    .iter()
                    .rev()
                    .find(|e| e.kind == TimelineKind::StatusUpdate);
                match latest {
                    Some(entry) => {
                        ctx.ask(Effect::Clipboard(sanitize_text(&entry.text)));
                        ctx.info("latest update copied to the clipboard (OSC 52)");
                    }
                    None => ctx.info(format!("{key} has no status update yet")),
                }
            }
            Action::Escalate | Action::EscalateNext | Action::Raise => {
                return escalation::handle(action, Subject::Incident(key, version), ctx);
            }
            Action::Acknowledge => {
                if ctx.writable() {
                    let r = ctx.session.workflow().acknowledge_incident(key, version);
                    ctx.report(r.map(|i| format!("{} acknowledged", i.key)));
                }
            }
            Action::Mitigate => {
                if ctx.writable() {
                    ctx.ask(Effect::Ask {
                        question: format!(
                            "Mark {key} mitigated (service restored; MTTR stops now)? y / N"
                        ),
                        purpose: Purpose::Incident(IncidentForm::Mitigate(key, version)),
                    });
                }
            }
            Action::StatusUpdate => ctx.ask(form(IncidentForm::StakeholderUpdate(key))),
            Action::CanUpdate => ctx.ask(form(IncidentForm::CanUpdate(key))),
            Action::Severity => ctx.ask(form(IncidentForm::Severity(key, version))),
            Action::Roles => ctx.ask(form(IncidentForm::Role(key, version))),
            Action::IncidentState => ctx.ask(form(IncidentForm::State(key, version))),
            Action::ResolveIncident => ctx.ask(form(IncidentForm::Resolve(key, version))),
            Action::LinkTicket => ctx.ask(form(IncidentForm::LinkTicket(key))),
            Action::TickStep => {
                let open = self
                    .bridge
                    .as_ref()
                    .is_some_and(|b| !b.knowledge.open_steps().is_empty());
                if !open {
                    ctx.info("no runbook step to tick: no runbook here, or every step is done");
                } else if ctx.writable() {
                    ctx.ask(form(IncidentForm::TickStep(key)));
                }
            }
            Action::CausedBy => {
                let proposed = self
                    .bridge
                    .as_ref()
                    .and_then(|b| b.proposed_cause.as_ref())
                    .map(|p| p.change);
                ctx.ask(Effect::OpenForm(Purpose::Change(ChangeForm::CausedBy(
                    key, proposed,
                ))))
            }
            _ => return Handled::Passed,
        }
        Handled::Consumed
    }
}

fn load_bridge(key: IncidentKey, ctx: &PaneContext<'_>) -> Result<Option<Bridge>, StoreError> {
    let store = &ctx.session.store;
    let Some(incident) = store.incident(key)? else {
        return Ok(None);
    };
    let proposed_cause = crate::workflow::proposed_cause(store, &ctx.session.config, &incident)?;
    let page = store.active_page_for(&key.to_string())?;
    let knowledge = crate::views::knowledge::incident_knowledge(store, key)?;
    let impacted = store.directory()?.impacted(&incident.services);
    Ok(Some(Bridge {
        impacted,
        proposed_cause,
        page,
        knowledge,
        incident,
        timeline: store.timeline(key)?,
        tickets: store.incident_ticket_keys(key)?,
        problems: store.problems_for_incident(key)?,
        input: String::new(),
        typing: true,
        scroll_back: 0,
    }))
}
