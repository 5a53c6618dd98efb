//! `watchfloor review …`, `watchfloor action …` and `watchfloor problem …`.

use super::existing;
use super::table;
use super::ticket_print::json;
use crate::app::error::AppError;
use crate::app::output::write_private;
use crate::app::session::Session;
use crate::domain::review::{ActionItemKind, ActionItemState, ProblemState, ReviewState};
use crate::domain::review_rules::{
    action_overdue, problem_candidates, review_markdown, review_overdue,
};
use crate::domain::{IncidentKey, ProblemKey, ReviewKey, Timestamp, sanitize_line, sanitize_text};
use crate::workflow::ReviewField;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Every review; overdue ones are marked.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: super::table::TextStyle,
    },
    /// One review with its action items.
    Show {
        key: ReviewKey,
        #[arg(long)]
        json: bool,
    },
    /// Open a review for a resolved incident of any severity.
    New {
        incident: IncidentKey,
        #[arg(long)]
        json: bool,
    },
    /// Write one part: summary, impact, detection, response, timeline, root_cause,
    /// contributing_factors, went_well, went_poorly, got_lucky, lessons, no_action_reason.
    /// Text "-" reads standard input; without --text, $EDITOR opens the current text.
    Edit {
        key: ReviewKey,
        field: ReviewField,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Move to draft, in_review or published.
    State {
        key: ReviewKey,
        state: ReviewState,
        #[arg(long)]
        json: bool,
    },
    /// Publish (needs a root cause and an action, or a no-action reason).
    Publish {
        key: ReviewKey,
        #[arg(long)]
        json: bool,
    },
    /// The postmortem as Markdown.
    Export {
        key: ReviewKey,
        #[arg(long, default_value = "md")]
        format: String,
        /// Write here (a new private file) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the --out file if it exists (never through a link).
        #[arg(long, requires = "out")]
        replace: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ActionCommand {
    /// Every action item, overdue first, by owner.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: super::table::TextStyle,
    },
    /// Add an action to a review.
    New {
        review: ReviewKey,
        #[arg(long)]
        title: String,
        #[arg(long)]
        owner: Option<String>,
        /// Due date, YYYY-MM-DD.
        #[arg(long)]
        due: Option<String>,
        /// prevent, mitigate, detect or process.
        #[arg(long, default_value = "prevent")]
        kind: ActionItemKind,
        #[arg(long)]
        json: bool,
    },
    /// Change an action's state, owner or due date.
    Update {
        id: i64,
        #[arg(long)]
        state: Option<ActionItemState>,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        due: Option<String>,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Close: done, or --wont-do with a reason.
    Close {
        id: i64,
        #[arg(long)]
        wont_do: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProblemCommand {
    /// Open a problem from one or more incidents.
    New {
        #[arg(long)]
        title: String,
        #[arg(long = "incident", required = true)]
        incidents: Vec<IncidentKey>,
        #[arg(long)]
        json: bool,
    },
    /// Link another incident.
    Link {
        key: ProblemKey,
        incident: IncidentKey,
        #[arg(long)]
        json: bool,
    },
    /// Incidents that look like the same problem as this one (same service or similar title, 90 days).
    Candidates { incident: IncidentKey },
    /// Known error (needs --workaround), resolved (needs --root-cause), or open.
    State {
        key: ProblemKey,
        state: ProblemState,
        #[arg(long)]
        root_cause: Option<String>,
        #[arg(long)]
        workaround: Option<String>,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: super::table::TextStyle,
    },
    Show {
        key: ProblemKey,
        #[arg(long)]
        json: bool,
    },
}

fn date(text: &str) -> Result<Timestamp, AppError> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(|d| d.and_hms_opt(23, 59, 0).unwrap_or_default().and_utc())
        .map_err(|_| AppError::Usage(format!("'{text}' is not a date (YYYY-MM-DD)")))
}

fn day(t: Option<Timestamp>) -> String {
    t.map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "-".into())
}

pub fn run_review(command: ReviewCommand, session: &Session) -> Result<(), AppError> {
    let wf = session.workflow();
    let now = session.clock.now();
    let current = |key: ReviewKey| {
        session
            .store
            .review(key)?
            .ok_or_else(|| AppError::Failed(format!("{key} does not exist")))
    };
    match command {
        ReviewCommand::List {
            json: as_json,
            style,
        } => {
            let reviews = session.store.reviews()?;
            let incidents = session.store.reviewed_incidents()?;
            let days = session.config.reviews.overdue_days;
            let rows: Vec<(crate::domain::review::Review, bool)> = reviews
                .into_iter()
                .map(|r| {
                    let resolved = incidents.get(&r.incident).and_then(|(_, at)| *at);
                    let overdue = review_overdue(&r, resolved, days, now);
                    (r, overdue)
                })
                .collect();
            if as_json {
                let out: Vec<_> = rows
                    .iter()
                    .map(|(r, o)| serde_json::json!({"review": r, "overdue": o}))
                    .collect();
                return json(&out);
            }
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|(r, o)| {
                    vec![
                        r.key.to_string(),
                        r.incident.to_string(),
                        r.state.to_string(),
                        if *o { "OVERDUE".into() } else { String::new() },
                        r.text.summary.clone(),
                    ]
                })
                .collect();
            table::print(
                style,
                &["KEY", "INCIDENT", "STATE", "OVERDUE", "SUMMARY"],
                &cells,
                &[8, 8, 10, 7, 60],
            );
            Ok(())
        }
        ReviewCommand::Show { key, json: as_json } => {
            let r = current(key)?;
            let actions = session.store.actions_for(key)?;
            if as_json {
                return json(&serde_json::json!({"review": r, "actions": actions}));
            }
            let incident = session
                .store
                .incident(r.incident)?
                .ok_or_else(|| AppError::Failed(format!("{} does not exist", r.incident)))?;
            print!("{}", review_markdown(&r, &incident, &actions));
            Ok(())
        }
        ReviewCommand::New {
            incident,
            json: as_json,
        } => {
            let r = wf.create_review(incident)?;
            if as_json {
                return json(&r);
            }
            println!("{}", r.key);
            Ok(())
        }
        ReviewCommand::Edit {
            key,
            field,
            text,
            json: as_json,
        } => {
            let r = current(key)?;
            let text = match text.as_deref() {
                Some("-") => std::io::read_to_string(std::io::stdin())
                    .map_err(|e| AppError::Failed(e.to_string()))?,
                Some(t) => t.to_string(),
                None => {
                    crate::app::editor::edit_in_editor(&field.get(&r)).map_err(AppError::Failed)?
                }
            };
            let r = wf.edit_review(key, r.version, field, &text)?;
            if as_json {
                return json(&r);
            }
            println!("{key}: {field} saved");
            Ok(())
        }
        ReviewCommand::State {
            key,
            state,
            json: as_json,
        } => {
            let r = wf.set_review_state(key, current(key)?.version, state)?;
            if as_json {
                return json(&r);
            }
            println!("{} is {}", r.key, r.state);
            Ok(())
        }
        ReviewCommand::Publish { key, json: as_json } => {
            let mut r = current(key)?;
            if r.state == ReviewState::Draft {
                r = wf.set_review_state(key, r.version, ReviewState::InReview)?;
            }
            let r = wf.set_review_state(key, r.version, ReviewState::Published)?;
            if as_json {
                return json(&r);
            }
            println!("{} is {}", r.key, r.state);
            Ok(())
        }
        ReviewCommand::Export {
            key,
            format,
            out,
            replace,
        } => {
            if format != "md" {
                return Err(AppError::Usage(format!(
                    "--format '{format}': only md is supported"
                )));
            }
            let r = current(key)?;
            let incident = session
                .store
                .incident(r.incident)?
                .ok_or_else(|| AppError::Failed(format!("{} does not exist", r.incident)))?;
            let text = review_markdown(&r, &incident, &session.store.actions_for(key)?);
            match out {
                Some(path) => {
                    write_private(&path, text.as_bytes(), existing(replace))
                        .map_err(AppError::Failed)?;
                    println!("{key} written to {}", path.display());
                }
                None => print!("{text}"),
            }
            Ok(())
        }
    }
}

pub fn run_action(command: ActionCommand, session: &Session) -> Result<(), AppError> {
    let wf = session.workflow();
    let now = session.clock.now();
    match command {
        ActionCommand::List {
            json: as_json,
            style,
        } => {
            let mut actions = session.store.actions()?;
            actions.sort_by_key(|a| {
                (
                    !action_overdue(a, now),
                    a.state.is_closed(),
                    a.owner.clone(),
                    a.due_at,
                )
            });
            if as_json {
                let out: Vec<_> = actions
                    .iter()
                    .map(|a| serde_json::json!({"action": a, "overdue": action_overdue(a, now)}))
                    .collect();
                return json(&out);
            }
            let cells: Vec<Vec<String>> = actions
                .iter()
                .map(|a| {
                    vec![
                        format!("#{}", a.id),
                        a.review.to_string(),
                        a.owner.clone().unwrap_or_else(|| "-".into()),
                        day(a.due_at),
                        a.state.to_string(),
                        if action_overdue(a, now) {
                            "OVERDUE".into()
                        } else {
                            String::new()
                        },
                        a.title.clone(),
                    ]
                })
                .collect();
            table::print(
                style,
                &["ID", "REVIEW", "OWNER", "DUE", "STATE", "OVERDUE", "ACTION"],
                &cells,
                &[6, 7, 20, 10, 11, 7, 50],
            );
            Ok(())
        }
        ActionCommand::New {
            review,
            title,
            owner,
            due,
            kind,
            json: as_json,
        } => {
            let due = due.as_deref().map(date).transpose()?;
            let a = wf.add_action(review, &title, owner, due, kind)?;
            if as_json {
                return json(&a);
            }
            println!("#{} added to {review}", a.id);
            Ok(())
        }
        ActionCommand::Update {
            id,
            state,
            owner,
            due,
            reason,
            json: as_json,
        } => {
            let due = due
                .as_deref()
                .map(|d| {
                    if d.is_empty() {
                        Ok(None)
                    } else {
                        date(d).map(Some)
                    }
                })
                .transpose()?;
            let owner = owner.map(|o| Some(o).filter(|o| !o.is_empty()));
            let a = wf.update_action(id, state, owner, due, reason.as_deref())?;
            if as_json {
                return json(&a);
            }
            println!(
                "#{} is {} (owner {}, due {})",
                a.id,
                a.state,
                a.owner.unwrap_or_else(|| "-".into()),
                day(a.due_at)
            );
            Ok(())
        }
        ActionCommand::Close {
            id,
            wont_do,
            json: as_json,
        } => {
            let state = if wont_do.is_some() {
                ActionItemState::WontDo
            } else {
                ActionItemState::Done
            };
            let a = wf.update_action(id, Some(state), None, None, wont_do.as_deref())?;
            if as_json {
                return json(&a);
            }
            println!("#{} is {}", a.id, a.state);
            Ok(())
        }
    }
}

pub fn run_problem(command: ProblemCommand, session: &Session) -> Result<(), AppError> {
    let wf = session.workflow();
    match command {
        ProblemCommand::New {
            title,
            incidents,
            json: as_json,
        } => {
            let p = wf.create_problem(&title, &incidents)?;
            if as_json {
                return json(&p);
            }
            println!("{}", p.key);
            Ok(())
        }
        ProblemCommand::Link {
            key,
            incident,
            json: as_json,
        } => {
            let p = wf.link_problem(key, incident)?;
            if as_json {
                return json(&p);
            }
            println!("{}: {} incidents", p.key, p.incidents.len());
            Ok(())
        }
        ProblemCommand::Candidates { incident } => {
            let of = session
                .store
                .incident(incident)?
                .ok_or_else(|| AppError::Failed(format!("{incident} does not exist")))?;
            let others = session
                .store
                .incidents_since(of.detected_at - chrono::Duration::days(90))?;
            for i in problem_candidates(&of, &others).into_iter().take(10) {
                println!(
                    "{}  {}  {}  {}",
                    i.key,
                    i.detected_at.format("%Y-%m-%d"),
                    i.services.join(","),
                    sanitize_line(&i.title)
                );
            }
            Ok(())
        }
        ProblemCommand::State {
            key,
            state,
            root_cause,
            workaround,
            json: as_json,
        } => {
            let p =
                wf.set_problem_state(key, state, root_cause.as_deref(), workaround.as_deref())?;
            if as_json {
                return json(&p);
            }
            println!("{} is {}", p.key, p.state);
            Ok(())
        }
        ProblemCommand::List {
            json: as_json,
            style,
        } => {
            let problems = session.store.problems()?;
            if as_json {
                return json(&problems);
            }
            let cells: Vec<Vec<String>> = problems
                .iter()
                .map(|p| {
                    vec![
                        p.key.to_string(),
                        p.state.to_string(),
                        p.incidents.len().to_string(),
                        p.title.clone(),
                    ]
                })
                .collect();
            table::print(
                style,
                &["KEY", "STATE", "REPEATS", "TITLE"],
                &cells,
                &[8, 12, 7, 60],
            );
            Ok(())
        }
        ProblemCommand::Show { key, json: as_json } => {
            let p = session
                .store
                .problem(key)?
                .ok_or_else(|| AppError::Failed(format!("{key} does not exist")))?;
            if as_json {
                return json(&p);
            }
            println!("{}  {}", p.key, sanitize_line(&p.title));
            println!("  state       {}", p.state);
            println!(
                "  incidents   {} ({} repeats)",
                p.incidents
                    .iter()
                    .map(|k| k.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                p.incidents.len()
            );
            println!("  root cause  {}", sanitize_text(&p.root_cause));
            println!("  workaround  {}", sanitize_text(&p.workaround));
            Ok(())
        }
    }
}
