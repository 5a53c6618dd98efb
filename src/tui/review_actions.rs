//! The Reviews pane: reviews (overdue marked), the actions view across every review
//! (overdue first, by owner), problems; one review with its parts and actions.

use super::app::{App, Handled};
use super::form::{Field, Form};
use super::pane::Pane;
use super::state::{FormState, Overlay, Purpose, ReviewDetail, ReviewsView};
use crate::config::action::Action;
use crate::domain::ReviewKey;
use crate::domain::review::{ActionItemKind, ActionItemState, ReviewState};
use crate::domain::review_rules::{action_overdue, review_markdown, review_overdue};
use crate::tui::form_field::FieldName;
use crate::workflow::{ReviewField, WorkflowError};

impl App {
    pub(super) fn load_reviews(&mut self) {
        let store = &self.session.store;
        let now = self.session.clock.now();
        let days = self.session.config.reviews.overdue_days;
        let loaded = (|| -> Result<_, crate::store::StoreError> {
            let mut incidents = store.reviewed_incidents()?;
            let reviews = store
                .reviews()?
                .into_iter()
                .map(|r| {
                    let (title, resolved_at) = incidents.remove(&r.incident).unwrap_or_default();
                    let overdue = review_overdue(&r, resolved_at, days, now);
                    (r, overdue, title)
                })
                .collect();
            let mut actions: Vec<_> = store
                .actions()?
                .into_iter()
                .map(|a| {
                    let overdue = action_overdue(&a, now);
                    (a, overdue)
                })
                .collect();
            actions.sort_by_key(|(a, overdue)| {
                (!overdue, a.state.is_closed(), a.owner.clone(), a.due_at)
            });
            Ok((reviews, actions, store.problems()?))
        })();
        match loaded {
            Ok((reviews, actions, problems)) => {
                let pane = &mut self.state.reviews;
                pane.reviews = reviews;
                pane.actions = actions;
                pane.problems = problems;
                pane.loaded = true;
                pane.selected = pane.selected.min(pane.len().saturating_sub(1));
            }
            Err(e) => self.error(e.to_string()),
        }
        if let Some(d) = &self.state.review_detail {
            let (key, field) = (d.review.key, d.field);
            self.open_review(key);
            if let Some(d) = &mut self.state.review_detail {
                d.field = field;
            }
        }
    }

    /// `:PRB-n`: the problems list with that problem selected.
    pub(super) fn jump_to_problem(&mut self, key: crate::domain::keys::ProblemKey) {
        self.switch_pane(super::pane::Pane::Reviews);
        self.state.review_detail = None;
        self.load_reviews();
        let pane = &mut self.state.reviews;
        pane.view = super::state::ReviewsView::Problems;
        match pane.problems.iter().position(|p| p.key == key) {
            Some(index) => pane.selected = index,
            None => self.error(format!("{key} is not in the problems list")),
        }
    }

    pub(super) fn open_review(&mut self, key: ReviewKey) {
        let store = &self.session.store;
        let loaded = (|| -> Result<Option<ReviewDetail>, crate::store::StoreError> {
            let Some(review) = store.review(key)? else {
                return Ok(None);
            };
            let incident_title = store
                .incident(review.incident)?
                .map(|i| i.title)
                .unwrap_or_default();
            Ok(Some(ReviewDetail {
                actions: store.actions_for(key)?,
                review,
                incident_title,
                field: 0,
            }))
        })();
        match loaded {
            Ok(Some(d)) => {
                self.switch_pane(Pane::Reviews);
                self.state.review_detail = Some(d);
                // Opened straight from elsewhere: the list behind it loads now.
                if !self.state.reviews.loaded {
                    self.load_reviews();
                }
            }
            Ok(None) => self.error(format!("{key} does not exist")),
            Err(e) => self.error(e.to_string()),
        }
    }

    pub(super) fn review_action(&mut self, action: Action) -> Handled {
        if self.state.pane != Pane::Reviews {
            return Handled::Passed;
        }
        if let Some(d) = &mut self.state.review_detail {
            let (key, version) = (d.review.key, d.review.version);
            let field = ReviewField::ALL[d.field.min(ReviewField::ALL.len() - 1)];
            match action {
                Action::Back => self.state.review_detail = None,
                Action::MoveDown => d.field = (d.field + 1).min(ReviewField::ALL.len() - 1),
                Action::MoveUp => d.field = d.field.saturating_sub(1),
                _ if self.state.read_only && action != Action::ExportReview => {
                    self.error("the database is open read-only; nothing can be changed");
                }
                Action::EditField => {
                    self.open_review_form(Purpose::EditReview(key, version, field))
                }
                Action::EditInEditor => {
                    let text = field.get(&d.review);
                    self.state.editor_request = Some((key, version, field, text));
                }
                Action::NewAction => self.open_review_form(Purpose::NewAction(key)),
                Action::Publish => {
                    let wf = self.session.workflow();
                    let result = match d.review.state {
                        ReviewState::Draft => {
                            wf.set_review_state(key, version, ReviewState::InReview)
                        }
                        _ => wf.set_review_state(key, version, ReviewState::Published),
                    };
                    match result {
                        Ok(r) => {
                            self.refresh();
                            self.info(format!("{} is {}", r.key, r.state));
                        }
                        Err(e) => self.error(e.to_string()),
                    }
                }
                Action::ExportReview => {
                    let store = &self.session.store;
                    let review = d.review.clone();
                    let path = std::path::PathBuf::from(format!("{}.md", review.key));
                    let written = store
                        .incident(review.incident)
                        .map_err(|e| e.to_string())
                        .and_then(|i| i.ok_or_else(|| "the incident is gone".to_string()))
                        .and_then(|incident| {
                            let actions =
                                store.actions_for(review.key).map_err(|e| e.to_string())?;
                            std::fs::write(&path, review_markdown(&review, &incident, &actions))
                                .map_err(|e| format!("{}: {e}", path.display()))
                        });
                    match written {
                        Ok(()) => {
                            self.info(format!("{} written to {}", review.key, path.display()))
                        }
                        Err(e) => self.error(e),
                    }
                }
                _ => return Handled::Passed,
            }
            return Handled::Consumed;
        }
        let pane = &mut self.state.reviews;
        match action {
            Action::MoveDown => {
                pane.selected = (pane.selected + 1).min(pane.len().saturating_sub(1))
            }
            Action::MoveUp => pane.selected = pane.selected.saturating_sub(1),
            Action::ReviewsView => {
                let i = ReviewsView::ALL
                    .iter()
                    .position(|v| *v == pane.view)
                    .unwrap_or(0);
                pane.view = ReviewsView::ALL[(i + 1) % ReviewsView::ALL.len()];
                pane.selected = 0;
            }
            Action::Open => match pane.view {
                ReviewsView::Reviews => {
                    if let Some(key) = pane.reviews.get(pane.selected).map(|(r, _, _)| r.key) {
                        self.open_review(key);
                    }
                }
                ReviewsView::Actions => {
                    if let Some(key) = pane.actions.get(pane.selected).map(|(a, _)| a.review) {
                        self.open_review(key);
                    }
                }
                ReviewsView::Problems => {}
            },
            Action::CloseAction if pane.view == ReviewsView::Actions => {
                if let Some(id) = pane.actions.get(pane.selected).map(|(a, _)| a.id) {
                    match self.session.workflow().update_action(
                        id,
                        Some(ActionItemState::Done),
                        None,
                        None,
                        None,
                    ) {
                        Ok(a) => {
                            self.refresh();
                            self.info(format!("action #{} done", a.id));
                        }
                        Err(e) => self.error(e.to_string()),
                    }
                }
            }
            _ => return Handled::Passed,
        }
        Handled::Consumed
    }

    fn open_review_form(&mut self, purpose: Purpose) {
        if let Some(form) = self.build_review_form(&purpose) {
            self.state.overlay = Overlay::Form(Box::new(FormState { form, purpose }));
        }
    }

    pub(super) fn build_review_form(&self, purpose: &Purpose) -> Option<Form> {
        let form = match purpose {
            Purpose::EditReview(key, _, field) => {
                let current = self
                    .state
                    .review_detail
                    .as_ref()
                    .map(|d| field.get(&d.review))
                    .unwrap_or_default();
                let mut f = Field::multiline(FieldName::Text);
                if let super::form::FieldValue::Text { text, .. } = &mut f.value {
                    *text = current;
                }
                let mut form = Form::new(
                    format!("{key}: {}", field.as_str().replace('_', " ")),
                    vec![f],
                );
                if let Some((_, prompt)) = crate::domain::review_rules::BLAMELESS_PROMPTS
                    .iter()
                    .find(|(name, _)| *name == field.as_str())
                {
                    form.notes = vec![prompt.to_string()];
                }
                form
            }
            Purpose::NewAction(key) => Form::new(
                format!("{key}: new action item"),
                vec![
                    Field::text(FieldName::Title, ""),
                    Field::choice(
                        FieldName::Owner,
                        self.state.catalog.people.clone(),
                        Some(self.session.actor.name()),
                    ),
                    Field::text(FieldName::Due, ""),
                    Field::choice(
                        FieldName::Kind,
                        ActionItemKind::ALL.iter().map(|k| k.to_string()).collect(),
                        Some("prevent"),
                    ),
                ],
            ),
            _ => return None,
        };
        Some(form)
    }

    pub(super) fn save_review_form(
        &mut self,
        form: &Form,
        purpose: &Purpose,
    ) -> Option<Result<String, WorkflowError>> {
        let wf = self.session.workflow();
        let result = match purpose {
            Purpose::EditReview(key, version, field) => wf
                .edit_review(*key, *version, *field, &form.value(FieldName::Text))
                .map(|r| format!("{}: {} saved", r.key, field.as_str().replace('_', " "))),
            Purpose::NewAction(key) => {
                let due_text = form.value(FieldName::Due);
                let due = if due_text.trim().is_empty() {
                    Ok(None)
                } else {
                    chrono::NaiveDate::parse_from_str(due_text.trim(), "%Y-%m-%d")
                        .map(|d| Some(d.and_hms_opt(23, 59, 0).unwrap_or_default().and_utc()))
                        .map_err(|_| {
                            WorkflowError::invalid("due", format!("'{due_text}' is not YYYY-MM-DD"))
                        })
                };
                due.and_then(|due| {
                    let kind = form
                        .value(FieldName::Kind)
                        .parse()
                        .unwrap_or(ActionItemKind::Prevent);
                    wf.add_action(
                        *key,
                        &form.value(FieldName::Title),
                        Some(form.value(FieldName::Owner)),
                        due,
                        kind,
                    )
                })
                .map(|a| format!("action #{} added to {key}", a.id))
            }
            _ => return None,
        };
        Some(result)
    }

    /// After `$EDITOR` returns: save what was written, or say why not.
    pub fn finish_editor(&mut self, edited: Result<String, String>) {
        let Some((key, version, field, _)) = self.state.editor_request.take() else {
            return;
        };
        match edited {
            Ok(text) => match self
                .session
                .workflow()
                .edit_review(key, version, field, &text)
            {
                Ok(_) => {
                    self.refresh();
                    self.info(format!(
                        "{key}: {} saved from the editor",
                        field.as_str().replace('_', " ")
                    ));
                }
                Err(e) => self.error(e.to_string()),
            },
            Err(e) => self.error(e),
        }
    }
}
