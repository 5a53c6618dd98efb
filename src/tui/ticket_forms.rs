//! The ticket queue's forms: what each shows, and what saving it does. Every save is
//! a workflow call made with the version the form was opened on.

use super::component::{Effect, PaneContext, Saved};
use super::form::{Field, Form};
use super::purpose::TicketForm;
use super::state::TicketList;
use crate::domain::similarity::most_similar;
use crate::domain::ticket::ResolutionCode;
use crate::domain::{ArticleKey, Level, Priority, Ticket, TicketKey, TicketKind};
use crate::store::{TicketFilter, TicketQuery};
use crate::tui::form_field::FieldName;
use crate::workflow::{ArticleLink, NewTicket, Resolution, Triage, WorkflowError};

/// The vendor choice that means the ticket waits on the requester.
const NO_VENDOR: &str = "(none: the requester)";

const KEEP: &str = "(keep)";
const NONE: &str = "(none)";
const MATRIX: &str = "from the matrix";
const LEVELS: [&str; 3] = ["1 high", "2 medium", "3 low"];

fn level_option(level: Level) -> &'static str {
    LEVELS[level.get() as usize - 1]
}

/// A picker value back to a field change: keep, clear, or set.
fn picked(value: String) -> Option<Option<String>> {
    match value.as_str() {
        KEEP | "" => None,
        NONE => Some(None),
        _ => Some(Some(value)),
    }
}

fn with_extra(mut options: Vec<String>, first: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = first.iter().map(|s| s.to_string()).collect();
    all.append(&mut options);
    all
}

const START_ARTICLE: &str = "start one";

/// The resolve form's article choices: none, start one, then the articles for the
/// ticket's category and service.
fn article_options(key: TicketKey, ctx: &PaneContext<'_>) -> Vec<String> {
    let store = &ctx.session.store;
    let fitting = store.ticket(key).ok().flatten().map_or_else(Vec::new, |t| {
        store
            .articles_for(
                &t.service.into_iter().collect::<Vec<_>>(),
                &[],
                &t.category.into_iter().collect::<Vec<_>>(),
                &[],
            )
            .unwrap_or_default()
    });
    let mut options = vec![NONE.to_string(), START_ARTICLE.to_string()];
    options.extend(fitting.iter().map(|a| {
        let title = crate::domain::sanitize_line(&a.draft.title);
        match a.draft.state {
            crate::domain::article::ArticleState::Published => format!("{} {title}", a.key),
            state => format!("{} {title} ({state})", a.key),
        }
    }));
    options
}

/// What the article field asks for: nothing, a draft, or the article whose key
/// leads the text.
fn article_link(value: &str) -> Result<Option<ArticleLink>, String> {
    match value.trim() {
        "" | NONE => Ok(None),
        START_ARTICLE => Ok(Some(ArticleLink::Start)),
        text => {
            let first = text.split_whitespace().next().unwrap_or_default();
            first
                .parse::<ArticleKey>()
                .map(|k| Some(ArticleLink::Existing(k)))
                .map_err(|_| {
                    format!(
                        "article: '{}' is not an article key like KB-12",
                        crate::domain::sanitize_line(first)
                    )
                })
        }
    }
}

/// Opens `$EDITOR` on a draft just started from a ticket.
fn edit_started(article: ArticleKey, ctx: &PaneContext<'_>) {
    use super::component::EditorRequest;
    use crate::domain::article::ArticleKind;
    match ctx
        .session
        .workflow()
        .article_for_editing(Some(article), ArticleKind::HowTo)
    {
        Ok((version, text)) => ctx.ask(Effect::Editor(EditorRequest::Article {
            key: Some(article),
            version,
            text,
        })),
        Err(e) => ctx.error(e.to_string()),
    }
}

impl TicketList {
    /// The form for a purpose; `None` when there is nothing to act on.
    pub fn form(&self, purpose: &TicketForm, ctx: &PaneContext<'_>) -> Option<Form> {
        let catalog = ctx.catalog;
        let first = |targets: &[(TicketKey, i64)]| -> Option<Ticket> {
            targets
                .first()
                .and_then(|(k, _)| ctx.session.store.ticket(*k).ok().flatten())
        };
        let form = match purpose {
            TicketForm::Triage(targets) => {
                let t = first(targets)?;
                let bulk = targets.len() > 1;
                let current = |v: Option<&str>| {
                    if bulk {
                        Some(KEEP.to_string())
                    } else {
                        Some(v.unwrap_or(NONE).to_string())
                    }
                };
                let extra: &[&str] = if bulk { &[KEEP, NONE] } else { &[NONE] };
                let levels: Vec<String> = LEVELS.iter().map(|s| s.to_string()).collect();
                let priorities = with_extra((1..=5).map(|p| format!("P{p}")).collect(), &[MATRIX]);
                let override_current = t
                    .priority_override_reason
                    .as_ref()
                    .map(|_| t.priority.to_string());
                let mut form = Form::new(
                    if bulk {
                        format!("Triage {} tickets", targets.len())
                    } else {
                        format!("Triage {} · {}", t.key, t.title)
                    },
                    vec![
                        Field::choice(
                            FieldName::Impact,
                            levels.clone(),
                            Some(level_option(t.impact)),
                        ),
                        Field::choice(FieldName::Urgency, levels, Some(level_option(t.urgency))),
                        Field::choice(
                            FieldName::Priority,
                            priorities,
                            Some(override_current.as_deref().unwrap_or(MATRIX)),
                        ),
                        Field::text(
                            FieldName::OverrideReason,
                            t.priority_override_reason.clone().unwrap_or_default(),
                        ),
                        Field::choice(
                            FieldName::Category,
                            with_extra(categories(), extra),
                            current(t.category.as_deref()).as_deref(),
                        ),
                        Field::choice(
                            FieldName::Service,
                            with_extra(catalog.services.clone(), extra),
                            current(t.service.as_deref()).as_deref(),
                        ),
                        Field::choice(
                            FieldName::Group,
                            with_extra(catalog.teams.clone(), extra),
                            current(t.group.as_deref()).as_deref(),
                        ),
                        Field::choice(
                            FieldName::Assignee,
                            with_extra(catalog.people.clone(), extra),
                            current(t.assignee.as_deref()).as_deref(),
                        ),
                    ],
                );
                if !bulk {
                    // The key to press first, so a long title never cuts it off.
                    let similar = duplicate_hints(&t, ctx);
                    if !similar.is_empty() {
                        form.notes = std::iter::once(
                            "similar open tickets (d marks this one a duplicate):".to_string(),
                        )
                        .chain(
                            similar
                                .into_iter()
                                .map(|(k, title)| format!("  {k} {title}")),
                        )
                        .collect();
                    }
                }
                form
            }
            TicketForm::Assign(targets) => {
                let t = first(targets)?;
                let bulk = targets.len() > 1;
                let extra: &[&str] = if bulk { &[KEEP, NONE] } else { &[NONE] };
                let current = |v: Option<&str>| {
                    if bulk {
                        KEEP.to_string()
                    } else {
                        v.unwrap_or(NONE).to_string()
                    }
                };
                Form::new(
                    if bulk {
                        format!("Reassign {} tickets", targets.len())
                    } else {
                        format!("Reassign {}", t.key)
                    },
                    vec![
                        Field::choice(
                            FieldName::Group,
                            with_extra(catalog.teams.clone(), extra),
                            Some(&current(t.group.as_deref())),
                        ),
                        Field::choice(
                            FieldName::Assignee,
                            with_extra(catalog.people.clone(), extra),
                            Some(&current(t.assignee.as_deref())),
                        ),
                    ],
                )
            }
            TicketForm::Comment(key) => Form::new(
                format!("Comment on {key}"),
                vec![Field::multiline(FieldName::Comment)],
            ),
            TicketForm::Pending(key, _) => {
                let vendors: Vec<String> = std::iter::once(NO_VENDOR.to_string())
                    .chain(
                        ctx.session
                            .store
                            .vendors()
                            .unwrap_or_default()
                            .into_iter()
                            .filter(|(v, _)| !v.archived)
                            .map(|(v, _)| v.name),
                    )
                    .collect();
                let mut form = Form::new(
                    format!("{key}: pending"),
                    vec![
                        Field::text(FieldName::Reason, ""),
                        Field::choice(FieldName::Vendor, vendors, Some(NO_VENDOR)),
                        Field::text(FieldName::Case, ""),
                    ],
                );
                form.notes = vec![
                    "on the requester: a reason; on a vendor: the vendor and their case number"
                        .into(),
                ];
                form
            }
            TicketForm::Reopen(key, _) => Form::new(
                format!("Reopen {key}"),
                vec![Field::text(FieldName::Reason, "")],
            ),
            TicketForm::Resolve(key, _) => {
                let mut form = Form::new(
                    format!("Resolve {key}"),
                    vec![
                        Field::choice(
                            FieldName::Code,
                            ResolutionCode::ALL
                                .iter()
                                .filter(|c| **c != ResolutionCode::Duplicate)
                                .map(|c| c.to_string())
                                .collect(),
                            Some("fixed"),
                        ),
                        Field::text(FieldName::Note, ""),
                        Field::toggle(FieldName::FirstContact, false),
                    ],
                );
                super::verdict_fields::ask_if_alert_opened(&mut form, (*key).into(), ctx);
                form.fields.push(Field::free_choice(
                    FieldName::Article,
                    article_options(*key, ctx),
                ));
                form.notes.push(
                    "Article: one for its category or service, a key like KB-12, or start one"
                        .into(),
                );
                form
            }
            TicketForm::Duplicate(key, _) => {
                let t = ctx.session.store.ticket(*key).ok().flatten()?;
                let hints: Vec<String> = duplicate_hints(&t, ctx)
                    .into_iter()
                    .map(|(k, title)| format!("{k} {title}"))
                    .collect();
                let mut form = Form::new(
                    format!("{key} is a duplicate of"),
                    vec![Field::free_choice(FieldName::DuplicateOf, hints)],
                );
                form.notes = vec!["pick a similar ticket or type a key like TKT-12".into()];
                form
            }
            TicketForm::New => Form::new(
                "New ticket",
                vec![
                    Field::text(FieldName::Title, ""),
                    Field::multiline(FieldName::Description),
                    Field::choice(
                        FieldName::Kind,
                        TicketKind::ALL.iter().map(|k| k.to_string()).collect(),
                        Some("incident"),
                    ),
                    Field::choice(
                        FieldName::Impact,
                        LEVELS.iter().map(|s| s.to_string()).collect(),
                        Some(LEVELS[1]),
                    ),
                    Field::choice(
                        FieldName::Urgency,
                        LEVELS.iter().map(|s| s.to_string()).collect(),
                        Some(LEVELS[1]),
                    ),
                    Field::choice(
                        FieldName::Service,
                        with_extra(catalog.services.clone(), &[NONE]),
                        Some(NONE),
                    ),
                    Field::choice(
                        FieldName::Group,
                        with_extra(catalog.teams.clone(), &[NONE]),
                        Some(NONE),
                    ),
                ],
            ),
            TicketForm::Close(..) => return None,
        };
        Some(form)
    }

    /// Saves a ticket form through the workflow.
    pub fn save(&mut self, form: &Form, purpose: &TicketForm, ctx: &PaneContext<'_>) -> Saved {
        let wf = ctx.session.workflow();
        let outcome: Result<String, WorkflowError> = match purpose {
            TicketForm::Triage(targets) => {
                let triage = match triage_from(form) {
                    Ok(t) => t,
                    Err(e) => return Saved::refused(e),
                };
                let results: Vec<_> = targets
                    .iter()
                    .map(|(k, v)| wf.triage_ticket(*k, *v, triage.clone()))
                    .collect();
                if targets.len() > 1 {
                    return self.report_many("triaged", results, ctx);
                }
                results
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| Err(WorkflowError::invalid("ticket", "none")))
                    .map(|t| format!("{} triaged: {}", t.key, t.priority))
            }
            TicketForm::Assign(targets) => {
                let (group, assignee) = (
                    picked(form.value(FieldName::Group)),
                    picked(form.value(FieldName::Assignee)),
                );
                let results: Vec<_> = targets
                    .iter()
                    .map(|(k, v)| wf.assign_ticket(*k, *v, group.clone(), assignee.clone()))
                    .collect();
                if targets.len() > 1 {
                    return self.report_many("reassigned", results, ctx);
                }
                results
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| Err(WorkflowError::invalid("ticket", "none")))
                    .map(|t| format!("{} reassigned", t.key))
            }
            TicketForm::Comment(key) => wf
                .comment_ticket(*key, &form.value(FieldName::Comment))
                .map(|_| format!("{key}: comment added")),
            TicketForm::Pending(key, v) => match form.value(FieldName::Vendor) {
                vendor if vendor == NO_VENDOR => wf
                    .set_ticket_pending(*key, *v, &form.value(FieldName::Reason))
                    .map(|t| format!("{} pending; SLA clock paused", t.key)),
                vendor => wf
                    .pend_on_vendor(*key, *v, &vendor, &form.value(FieldName::Case))
                    .map(|(t, case)| {
                        format!(
                            "{} pending on {} (case {}); their clock runs",
                            t.key,
                            case.vendor,
                            crate::domain::sanitize_line(&case.case_number)
                        )
                    }),
            },
            TicketForm::Reopen(key, v) => wf
                .reopen_ticket(*key, *v, &form.value(FieldName::Reason))
                .map(|t| format!("{} reopened", t.key)),
            TicketForm::Resolve(key, v) => {
                let code = form
                    .value(FieldName::Code)
                    .parse()
                    .unwrap_or(ResolutionCode::Fixed);
                let resolution = Resolution {
                    code,
                    note: form.value(FieldName::Note),
                    first_contact: form
                        .field(FieldName::FirstContact)
                        .is_some_and(Field::is_on),
                };
                let link = match article_link(&form.value(FieldName::Article)) {
                    Ok(link) => link,
                    Err(e) => return Saved::refused(e),
                };
                super::verdict_fields::verdict_of(form)
                    .and_then(|verdict| {
                        wf.resolve_ticket_with_article(*key, *v, resolution, verdict.as_ref(), link)
                    })
                    .map(|(t, article)| match (article, link) {
                        (Some(a), Some(ArticleLink::Start)) => {
                            edit_started(a, ctx);
                            format!("{} resolved ({code}); {a} started as a draft", t.key)
                        }
                        (Some(a), _) => format!("{} resolved ({code}) with {a}", t.key),
                        (None, _) => format!("{} resolved ({code})", t.key),
                    })
            }
            TicketForm::Duplicate(key, v) => {
                let text = form.value(FieldName::DuplicateOf);
                let first_word = text
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string();
                match first_word.parse::<TicketKey>() {
                    Ok(of) => wf
                        .mark_duplicate(*key, *v, of)
                        .map(|t| format!("{} resolved as a duplicate of {of}", t.key)),
                    Err(e) => Err(WorkflowError::invalid("duplicate of", e.to_string())),
                }
            }
            TicketForm::New => {
                let mut input = NewTicket::new(form.value(FieldName::Title));
                input.description = form.value(FieldName::Description);
                input.kind = form
                    .value(FieldName::Kind)
                    .parse()
                    .unwrap_or(TicketKind::Incident);
                input.impact = form.level(FieldName::Impact).unwrap_or(Level::MEDIUM);
                input.urgency = form.level(FieldName::Urgency).unwrap_or(Level::MEDIUM);
                input.service = picked(form.value(FieldName::Service)).flatten();
                input.group = picked(form.value(FieldName::Group)).flatten();
                wf.create_ticket(input).map(|t| {
                    ctx.ask(Effect::OpenOnClose(t.key.into()));
                    format!("{} opened ({})", t.key, t.priority)
                })
            }
            TicketForm::Close(..) => return Saved::Closed,
        };
        outcome.into()
    }

    /// The answer `y` to a question of the queue's (closing a ticket).
    pub fn confirmed(&mut self, purpose: &TicketForm, ctx: &PaneContext<'_>) {
        if let TicketForm::Close(key, version) = purpose {
            let result = ctx.session.workflow().close_ticket(*key, *version);
            ctx.report(result.map(|t| format!("{} closed", t.key)));
        }
    }

    /// One message for a bulk action: how many worked, and the first refusal.
    pub(super) fn report_many(
        &mut self,
        verb: &str,
        results: Vec<Result<Ticket, WorkflowError>>,
        ctx: &PaneContext<'_>,
    ) -> Saved {
        let total = results.len();
        let errors: Vec<String> = results
            .iter()
            .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
            .collect();
        let done = total - errors.len();
        let first_key = results.iter().find_map(|r| r.as_ref().ok().map(|t| t.key));
        self.marked.clear();
        ctx.ask(Effect::Refresh);
        match (total, errors.first()) {
            (1, None) => ctx.info(format!(
                "{} {verb}",
                first_key.map(|k| k.to_string()).unwrap_or_default()
            )),
            (_, None) => ctx.info(format!("{done} tickets {verb}")),
            (1, Some(e)) => ctx.error(e.clone()),
            (_, Some(e)) => ctx.error(format!("{done} of {total} {verb}; {e}")),
        }
        Saved::Closed
    }
}

/// Up to three open tickets on the same service whose titles look alike.
fn duplicate_hints(t: &Ticket, ctx: &PaneContext<'_>) -> Vec<(TicketKey, String)> {
    let Some(service) = &t.service else {
        return Vec::new();
    };
    let query = TicketQuery {
        filter: TicketFilter::Open,
        service: Some(service.clone()),
        ..TicketQuery::default()
    };
    let others: Vec<Ticket> = ctx
        .session
        .store
        .list_tickets(&query, 0, 500)
        .unwrap_or_default()
        .into_iter()
        .filter(|o| o.key != t.key)
        .collect();
    let titles: Vec<&str> = others.iter().map(|o| o.title.as_str()).collect();
    most_similar(&t.title, &titles, 3)
        .into_iter()
        .map(|i| (others[i].key, others[i].title.clone()))
        .collect()
}

fn categories() -> Vec<String> {
    [
        "access",
        "application",
        "database",
        "hardware",
        "network",
        "security",
        "software",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The triage form's values as a workflow request.
fn triage_from(form: &Form) -> Result<Triage, String> {
    let priority = form.value(FieldName::Priority);
    let priority_override = if priority == MATRIX || priority.is_empty() {
        None
    } else {
        let p: Priority = priority
            .parse()
            .map_err(|e: crate::domain::priority::InvalidPriority| e.to_string())?;
        Some((p, form.value(FieldName::OverrideReason)))
    };
    Ok(Triage {
        impact: form.level(FieldName::Impact),
        urgency: form.level(FieldName::Urgency),
        priority_override,
        category: picked(form.value(FieldName::Category)),
        service: picked(form.value(FieldName::Service)),
        group: picked(form.value(FieldName::Group)),
        assignee: picked(form.value(FieldName::Assignee)),
    })
}
