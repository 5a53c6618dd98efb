//! `watchfloor ticket …`: the ticket queue from the command line. Every action the
//! console has is here too, with the same validation (it is the same workflow call).

use super::ticket_print;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::ticket::ResolutionCode;
use crate::domain::{Level, Priority, Ticket, TicketKey, TicketKind, TicketState};
use crate::store::{TicketFilter, TicketSort};
use crate::views::ticket_views::{ViewContext, find_view};
use crate::workflow::LATEST_VERSION;
use crate::workflow::{ArticleLink, NewTicket, Resolution, Triage};
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct Target {
    /// The ticket's key, like TKT-1042 (or just 1042).
    pub key: TicketKey,
    /// Refuse if the ticket is no longer at this version (optimistic concurrency for scripts).
    #[arg(long, value_name = "N")]
    pub if_version: Option<i64>,
    /// Print the changed ticket as a JSON object.
    #[arg(long)]
    pub json: bool,
}

fn level(n: Option<i64>) -> Option<Level> {
    n.and_then(|n| Level::new(n).ok())
}

/// `--group ""` (or `--assignee ""`) clears the field; absent leaves it.
fn clearable(value: Option<String>) -> Option<Option<String>> {
    value.map(|v| Some(v).filter(|v| !v.trim().is_empty()))
}

#[derive(Debug, Subcommand)]
pub enum TicketCommand {
    /// List tickets: a view (default all_open), narrowed by state or text.
    List {
        /// A view by name: all_open, my_queue, unassigned, my_group, at_risk, breached,
        /// pending, recently_resolved, all, or one from the config.
        #[arg(long, default_value = "all_open")]
        view: String,
        /// Include resolved and closed tickets (the same as --view all).
        #[arg(long)]
        all: bool,
        /// Only tickets in this state.
        #[arg(long)]
        state: Option<TicketState>,
        /// Only tickets whose key, title, description, service, group or assignee contains this.
        #[arg(long)]
        search: Option<String>,
        /// Order: priority, sla_due, age (oldest first) or updated (newest first).
        #[arg(long)]
        sort: Option<TicketSort>,
        /// At most this many tickets.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print a JSON array.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV (the queue's columns).
        #[arg(long, conflicts_with = "plain")]
        csv: bool,
        /// Print tab-separated rows without a header, alignment or cutting (for scripts).
        #[arg(long)]
        plain: bool,
    },
    /// Show one ticket with its SLA clocks and activity.
    Show {
        key: TicketKey,
        #[arg(long)]
        json: bool,
    },
    /// Open a new ticket.
    New {
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long)]
        category: Option<String>,
        /// Affected service, by name.
        #[arg(long)]
        service: Option<String>,
        /// Resolver group (team), by name.
        #[arg(long)]
        group: Option<String>,
        /// Assignee, by login.
        #[arg(long)]
        assignee: Option<String>,
        /// Who asked: a person of the directory (login or name) or a mail address; the
        /// satisfaction survey goes to them.
        #[arg(long)]
        requester: Option<String>,
        /// incident or request.
        #[arg(long, default_value = "incident")]
        kind: TicketKind,
        /// 1 high, 2 medium, 3 low.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(i64).range(1..=3))]
        impact: i64,
        /// 1 high, 2 medium, 3 low.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(i64).range(1..=3))]
        urgency: i64,
        #[arg(long)]
        json: bool,
    },
    /// Triage: impact, urgency (priority from the matrix, or overridden with a reason),
    /// category, service, group and assignee. A new ticket becomes triaged.
    Triage {
        #[command(flatten)]
        target: Target,
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..=3))]
        impact: Option<i64>,
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..=3))]
        urgency: Option<i64>,
        /// Override the matrix's priority (P1..P5); needs --reason.
        #[arg(long)]
        priority: Option<Priority>,
        /// Why the priority is overridden.
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        service: Option<String>,
        #[arg(long)]
        group: Option<String>,
        #[arg(long)]
        assignee: Option<String>,
    },
    /// Reassign to a group and/or person ("" clears). Counted as a reassignment.
    Assign {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        group: Option<String>,
        #[arg(long)]
        assignee: Option<String>,
    },
    /// Assign to yourself (--as, or the OS user) and start work.
    Take {
        #[command(flatten)]
        target: Target,
    },
    /// Add a comment (text "-" reads standard input).
    Comment {
        key: TicketKey,
        #[arg(long)]
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// Wait on the requester: the resolution clock pauses.
    Pending {
        #[command(flatten)]
        target: Target,
        /// What it waits on (required unless --vendor).
        #[arg(long, required_unless_present = "vendor")]
        reason: Option<String>,
        /// Waiting on this vendor (`watchfloor vendor list`): opens their case, whose
        /// clock runs in the vendor's support hours against their contract.
        #[arg(long, requires = "case", conflicts_with = "reason")]
        vendor: Option<String>,
        /// The vendor's case number.
        #[arg(long, requires = "vendor")]
        case: Option<String>,
    },
    /// The vendor a ticket waits on answered (their first response on the case).
    VendorResponse { key: TicketKey },
    /// Back to work after pending.
    Resume {
        #[command(flatten)]
        target: Target,
    },
    /// Resolve with a resolution code.
    Resolve {
        #[command(flatten)]
        target: Target,
        /// fixed, workaround, no_fault_found, user_error, duplicate or cancelled.
        #[arg(long, default_value = "fixed")]
        code: ResolutionCode,
        #[arg(long, default_value = "")]
        note: String,
        /// Resolved at first contact, without escalation.
        #[arg(long)]
        first_contact: bool,
        /// The article that answered it (KB-n), linked to the ticket.
        #[arg(long, conflicts_with = "start_article")]
        article: Option<crate::domain::ArticleKey>,
        /// Start a draft article from the ticket (its description and the note) and
        /// link it; `kb edit KB-n` writes the rest.
        #[arg(long)]
        start_article: bool,
        #[command(flatten)]
        verdict: super::alert::VerdictArgs,
    },
    /// Link an article to a ticket after it was resolved.
    Article {
        key: TicketKey,
        article: crate::domain::ArticleKey,
    },
    /// Record the requester's satisfaction with a resolved ticket (1 to 5), by hand;
    /// a later rating replaces an earlier one.
    Csat {
        key: TicketKey,
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..=5))]
        rating: i64,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Close a resolved ticket.
    Close {
        #[command(flatten)]
        target: Target,
    },
    /// Reopen a resolved ticket (counted); the reason becomes a comment.
    Reopen {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        reason: String,
    },
    /// Escalate to the next resolver: --to a team or person, or the service policy's next level.
    Escalate {
        #[command(flatten)]
        target: Target,
        /// A team (its current on-call is paged) or a person's login.
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        reason: String,
    },
    /// Raise to the next manager up the chain (as far as the priority allows).
    Raise {
        key: TicketKey,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Resolve as a duplicate of another ticket.
    Duplicate {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        of: TicketKey,
    },
}

pub fn run(command: TicketCommand, session: &Session) -> Result<(), AppError> {
    let wf = session.workflow();
    let act = |target: &Target,
               verb: &str,
               f: &dyn Fn(i64) -> Result<Ticket, crate::workflow::WorkflowError>| {
        // Without --if-version the change applies to the ticket as it is when written.
        let ticket = f(target.if_version.unwrap_or(LATEST_VERSION))?;
        ticket_print::changed(&ticket, verb, target.json)
    };
    match command {
        TicketCommand::List {
            view,
            all,
            state,
            search,
            sort,
            limit,
            json,
            csv,
            plain,
        } => {
            let view = find_view(&session.config, if all { "all" } else { &view })
                .map_err(AppError::Usage)?;
            let me = session.actor.name();
            let my_group = session.store.team_of(me)?;
            let ctx = ViewContext {
                me,
                my_group: my_group.as_deref(),
                now: session.clock.now(),
                config: &session.config,
            };
            let mut query = view.query(&ctx, search);
            if let Some(state) = state {
                query.state = Some(state);
                if !state.is_open() && query.filter == TicketFilter::Open {
                    query.filter = TicketFilter::All;
                }
            }
            if let Some(sort) = sort {
                query.sort = sort;
            }
            let tickets = session.store.list_tickets(&query, 0, limit)?;
            if csv {
                let text = crate::export::tickets_csv::write(
                    &tickets,
                    session.clock.now(),
                    &session.config,
                )
                .map_err(AppError::Failed)?;
                print!("{text}");
                return Ok(());
            }
            ticket_print::list(&tickets, session, json, plain, view.columns())
        }
        TicketCommand::Show { key, json } => {
            ticket_print::detail(&current(session, key)?, session, json)
        }
        TicketCommand::New {
            title,
            description,
            category,
            service,
            group,
            assignee,
            requester,
            kind,
            impact,
            urgency,
            json,
        } => {
            let ticket = wf.create_ticket(NewTicket {
                kind,
                title,
                description,
                impact: level(Some(impact)).unwrap_or(Level::MEDIUM),
                urgency: level(Some(urgency)).unwrap_or(Level::MEDIUM),
                category,
                service,
                group,
                assignee,
                requester,
            })?;
            ticket_print::changed(&ticket, "opened", json)
        }
        TicketCommand::Triage {
            target,
            impact,
            urgency,
            priority,
            reason,
            category,
            service,
            group,
            assignee,
        } => {
            if priority.is_some() != reason.is_some() && priority.is_some() {
                return Err(AppError::Usage(
                    "--priority needs --reason (why the matrix is overridden)".into(),
                ));
            }
            let triage = Triage {
                impact: level(impact),
                urgency: level(urgency),
                priority_override: priority.map(|p| (p, reason.clone().unwrap_or_default())),
                category: clearable(category),
                service: clearable(service),
                group: clearable(group),
                assignee: clearable(assignee),
            };
            act(&target, "triaged", &|v| {
                wf.triage_ticket(target.key, v, triage.clone())
            })
        }
        TicketCommand::Assign {
            target,
            group,
            assignee,
        } => {
            if group.is_none() && assignee.is_none() {
                return Err(AppError::Usage(
                    "assign needs --group and/or --assignee".into(),
                ));
            }
            let (group, assignee) = (clearable(group), clearable(assignee));
            act(&target, "assigned", &|v| {
                wf.assign_ticket(target.key, v, group.clone(), assignee.clone())
            })
        }
        TicketCommand::Take { target } => act(&target, "taken", &|v| wf.take_ticket(target.key, v)),
        TicketCommand::Comment { key, text, json } => {
            let text = if text == "-" {
                std::io::read_to_string(std::io::stdin())
                    .map_err(|e| AppError::Failed(format!("reading standard input: {e}")))?
            } else {
                text
            };
            let comment = wf.comment_ticket(key, &text)?;
            if json {
                ticket_print::json(&comment)
            } else {
                println!("{key}: comment added");
                Ok(())
            }
        }
        TicketCommand::Pending {
            target,
            reason,
            vendor,
            case,
        } => match (vendor, case) {
            (Some(vendor), Some(case)) => act(&target, "pending on a vendor", &|v| {
                wf.pend_on_vendor(target.key, v, &vendor, &case)
                    .map(|(ticket, _)| ticket)
            }),
            _ => act(&target, "pending", &|v| {
                wf.set_ticket_pending(target.key, v, reason.as_deref().unwrap_or(""))
            }),
        },
        TicketCommand::VendorResponse { key } => {
            let case = wf.vendor_responded(key)?;
            println!(
                "{key}: {} responded on case {}",
                case.vendor,
                crate::domain::sanitize_line(&case.case_number)
            );
            Ok(())
        }
        TicketCommand::Resume { target } => {
            act(&target, "resumed", &|v| wf.resume_ticket(target.key, v))
        }
        TicketCommand::Resolve {
            target,
            code,
            note,
            first_contact,
            article,
            start_article,
            verdict,
        } => {
            let resolution = Resolution {
                code,
                note,
                first_contact,
            };
            let verdict = verdict.verdict()?;
            let link = match (article, start_article) {
                (Some(article), _) => Some(ArticleLink::Existing(article)),
                (None, true) => Some(ArticleLink::Start),
                (None, false) => None,
            };
            let (ticket, linked) = wf.resolve_ticket_with_article(
                target.key,
                target.if_version.unwrap_or(LATEST_VERSION),
                resolution,
                verdict.as_ref(),
                link,
            )?;
            ticket_print::resolved(&ticket, linked, start_article, target.json)
        }
        TicketCommand::Article { key, article } => {
            wf.link_ticket_article(key, article)?;
            println!("{key}: {article} linked");
            Ok(())
        }
        TicketCommand::Csat {
            key,
            rating,
            comment,
        } => {
            wf.record_csat(key, rating, &comment, "hand")?;
            println!("{key}: satisfaction {rating} of 5 recorded");
            Ok(())
        }
        TicketCommand::Close { target } => {
            act(&target, "closed", &|v| wf.close_ticket(target.key, v))
        }
        TicketCommand::Reopen { target, reason } => act(&target, "reopened", &|v| {
            wf.reopen_ticket(target.key, v, &reason)
        }),
        TicketCommand::Duplicate { target, of } => act(&target, "marked duplicate", &|v| {
            wf.mark_duplicate(target.key, v, of)
        }),
        TicketCommand::Escalate { target, to, reason } => {
            let to = to.map(|t| wf.parse_escalation_target(&t)).transpose()?;
            let version = target.if_version.unwrap_or(LATEST_VERSION);
            let (ticket, escalated) = wf.escalate_ticket(target.key, version, to, &reason)?;
            super::escalation_print::report(&escalated, target.json)?;
            if !target.json {
                ticket_print::changed(&ticket, "escalated", false)?;
            }
            Ok(())
        }
        TicketCommand::Raise { key, reason, json } => {
            let escalated = wf.raise_ticket(key, &reason)?;
            super::escalation_print::report(&escalated, json)
        }
    }
}

fn current(session: &Session, key: TicketKey) -> Result<Ticket, AppError> {
    session
        .store
        .ticket(key)?
        .ok_or_else(|| AppError::Failed(format!("{key} does not exist")))
}
