//! The Reviews pane as a component: reviews (overdue marked), the actions view across
//! every review (overdue first, by owner), problems; one review with its parts and
//! actions, edited in a form or in `$EDITOR`.

use super::app::{App, Handled};
use super::component::Saved;
use super::component::{EditorRequest, Effect, PaneContext};
use super::form::{Field, Form};
use super::purpose::{Purpose, ReviewForm};
use super::state::{Catalog, ReviewDetail, ReviewsPane, ReviewsView};
use crate::app::output::{Existing, write_private};
use crate::config::action::Action;
use crate::domain::ReviewKey;
use crate::domain::keys::ProblemKey;
use crate::domain::review::{ActionItemKind, ActionItemState, ReviewState};
use crate::domain::review_rules::{action_overdue, review_markdown, review_overdue};
use crate::tui::form_field::FieldName;
use crate::workflow::{ReviewField, WorkflowError};

impl ReviewsPane {
    /// Every review, action and problem again; an open review too, on the same part.
    pub fn reload(&mut self, ctx: &mut PaneContext<'_>) {
        let store = &ctx.session.store;
        let now = ctx.session.clock.now();
        let days = ctx.session.config.reviews.overdue_days;
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
                self.reviews = reviews;
                self.actions = actions;
                self.problems = problems;
                self.loaded = true;
                self.selected = self.selected.min(self.len().saturating_sub(1));
            }
            Err(e) => ctx.error(e.to_string()),
        }
        if let Some(d) = &self.detail {
            let (key, field) = (d.review.key, d.field);
            match self.open(key, ctx) {
                Ok(()) => {
                    if let Some(d) = &mut self.detail {
                        d.field = field;
                    }
                }
                Err(e) => ctx.error(e),
            }
        }
    }

    /// `:PRB-n`: the problems list with that problem selected.
    pub fn show_problem(&mut self, key: ProblemKey, ctx: &mut PaneContext<'_>) {
        self.detail = None;
        self.reload(ctx);
        self.view = ReviewsView::Problems;
        match self.problems.iter().position(|p| p.key == key) {
            Some(index) => self.selected = index,
            None => ctx.error(format!("{key} is not in the problems list")),
        }
    }

    /// One review opened, with its incident's title and its actions; the list behind
    /// it loads too when it never has.
    pub fn open(&mut self, key: ReviewKey, ctx: &mut PaneContext<'_>) -> Result<(), String> {
        let store = &ctx.session.store;
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
                self.detail = Some(d);
                if !self.loaded {
                    let detail = self.detail.take();
                    self.reload(ctx);
                    self.detail = detail;
                }
                Ok(())
            }
            Ok(None) => Err(format!("{key} does not exist")),
            Err(e) => Err(e.to_string()),
        }
    }

    pub fn handle(&mut self, action: Action, ctx: &mut PaneContext<'_>) -> Handled {
        if let Some(d) = &mut self.detail {
            let (key, version) = (d.review.key, d.review.version);
            let field = ReviewField::ALL[d.field.min(ReviewField::ALL.len() - 1)];
            match action {
                Action::Back => self.detail = None,
                Action::MoveDown => d.field = (d.field + 1).min(ReviewField::ALL.len() - 1),
                Action::MoveUp => d.field = d.field.saturating_sub(1),
                _ if ctx.session.store.is_read_only() && action != Action::ExportReview => {
                    ctx.error(super::component::READ_ONLY);
                }
                Action::EditField => {
                    ctx.ask(Effect::OpenForm(Purpose::Review(ReviewForm::Edit(
                        key, version, field,
                    ))));
                }
                Action::EditInEditor => {
                    let text = field.get(&d.review);
                    ctx.ask(Effect::Editor(EditorRequest::Review(
                        key, version, field, text,
                    )));
                }
                Action::NewAction => {
                    ctx.ask(Effect::OpenForm(Purpose::Review(ReviewForm::NewAction(
                        key,
                    ))));
                }
                Action::Publish if d.review.state == ReviewState::Draft => {
                    let result = ctx.session.workflow().set_review_state(
                        key,
                        version,
                        ReviewState::InReview,
                    );
                    ctx.report(
                        result.map(|r| {
                            format!("{} is {}", r.key, r.state.as_str().replace('_', " "))
                        }),
                    );
                }
                Action::Publish => ctx.ask(Effect::Ask {
                    question: format!(
                        "Publish {key}? Everyone can read it, and its parts are final. y / N"
                    ),
                    purpose: Purpose::Review(ReviewForm::Publish(key, version)),
                }),
                Action::ExportReview => {
                    let path = export_path(key);
                    if path.exists() {
                        ctx.ask(Effect::Ask {
                            question: format!(
                                "Overwrite {}? Edits made there are lost. y / N",
                                path.display()
                            ),
                            purpose: Purpose::Review(ReviewForm::Export(key)),
                        });
                    } else {
                        export(key, ctx);
                    }
                }
                _ => return Handled::Passed,
            }
            return Handled::Consumed;
        }
        let pane = self;
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
                        ctx.ask(Effect::JumpTo(key.into()));
                    }
                }
                ReviewsView::Actions => {
                    if let Some(key) = pane.actions.get(pane.selected).map(|(a, _)| a.review) {
                        ctx.ask(Effect::JumpTo(key.into()));
                    }
                }
                ReviewsView::Problems => {}
            },
            Action::CloseAction if pane.view == ReviewsView::Actions => {
                if let Some((action, _)) = pane.actions.get(pane.selected) {
                    ctx.ask(Effect::Ask {
                        question: format!(
                            "Mark action #{} done ({})? y / N",
                            action.id,
                            crate::domain::sanitize_text(&action.title)
                        ),
                        purpose: Purpose::Review(ReviewForm::CloseAction(action.id)),
                    });
                }
            }
            _ => return Handled::Passed,
        }
        Handled::Consumed
    }

    /// The answer `y` to one of the pane's questions.
    pub fn confirmed(&mut self, purpose: &ReviewForm, ctx: &PaneContext<'_>) {
        let wf = ctx.session.workflow();
        match purpose {
            ReviewForm::Publish(key, version) => {
                let result = wf.set_review_state(*key, *version, ReviewState::Published);
                ctx.report(
                    result.map(|r| format!("{} is {}", r.key, r.state.as_str().replace('_', " "))),
                );
            }
            ReviewForm::CloseAction(id) => {
                let result = wf.update_action(*id, Some(ActionItemState::Done), None, None, None);
                ctx.report(result.map(|a| format!("action #{} done", a.id)));
            }
            ReviewForm::Export(key) => export(*key, ctx),
            ReviewForm::Edit(..) | ReviewForm::NewAction(_) => {}
        }
    }

    /// The pane's forms: one part of the open review, or a new action item.
    pub fn form(&self, purpose: &ReviewForm, catalog: &Catalog, me: &str) -> Option<Form> {
        let form = match purpose {
            ReviewForm::Edit(key, _, field) => {
                let current = self
                    .detail
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
            ReviewForm::NewAction(key) => Form::new(
                format!("{key}: new action item"),
                vec![
                    Field::text(FieldName::Title, ""),
                    Field::choice(FieldName::Owner, catalog.people.clone(), Some(me)),
                    Field::text(FieldName::Due, ""),
                    Field::choice(
                        FieldName::Kind,
                        ActionItemKind::ALL.iter().map(|k| k.to_string()).collect(),
                        Some("prevent"),
                    ),
                ],
            ),
            ReviewForm::Publish(..) | ReviewForm::CloseAction(_) | ReviewForm::Export(_) => {
                return None;
            }
        };
        Some(form)
    }

    /// Saves one of the pane's forms through the workflow.
    pub fn save_form(form: &Form, purpose: &ReviewForm, ctx: &PaneContext<'_>) -> Saved {
        let wf = ctx.session.workflow();
        let result = match purpose {
            ReviewForm::Edit(key, version, field) => wf
                .edit_review(*key, *version, *field, &form.value(FieldName::Text))
                .map(|r| format!("{}: {} saved", r.key, field.as_str().replace('_', " "))),
            ReviewForm::NewAction(key) => {
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
            ReviewForm::Publish(..) | ReviewForm::CloseAction(_) | ReviewForm::Export(_) => {
                return Saved::Closed;
            }
        };
        result.into()
    }
}

impl App {
    /// After `$EDITOR` returns: save what was written, or say why not.
    pub fn finish_editor(&mut self, edited: Result<String, String>) {
        let (key, version, field) = match self.state.editor_request.take() {
            Some(EditorRequest::Review(key, version, field, _)) => (key, version, field),
            Some(EditorRequest::Article { key, version, text }) => {
                return self.finish_article(key, version, &text, edited);
            }
            None => return,
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

/// Where `X` writes a review: its own file in the working directory.
fn export_path(key: crate::domain::ReviewKey) -> std::path::PathBuf {
    std::path::PathBuf::from(format!("{key}.md"))
}

/// Writes the review as Markdown, and says where (the whole path).
fn export(key: crate::domain::ReviewKey, ctx: &PaneContext<'_>) {
    let store = &ctx.session.store;
    let path = export_path(key);
    let written = (|| {
        let review = store
            .review(key)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("{key} does not exist"))?;
        let incident = store
            .incident(review.incident)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "the incident is gone".to_string())?;
        let actions = store.actions_for(review.key).map_err(|e| e.to_string())?;
        write_private(
            &path,
            review_markdown(&review, &incident, &actions).as_bytes(),
            Existing::Replace,
        )
    })();
    match written {
        Ok(()) => {
            let dir = crate::app::output::directory_of(&path);
            ctx.info(format!("{key} written to {} in {dir}", path.display()));
        }
        Err(e) => ctx.error(e),
    }
}
