//! The command line: clap definitions whose subcommands mirror the workflows, and the
//! dispatch to them. Output goes to stdout, errors to stderr, and the exit code says
//! which: 0 ok, 1 refused or failed, 2 usage error.

mod accent;
mod alert;
mod audience;
mod change;
mod control;
mod control_print;
mod demo;
mod directory;
mod directory_print;
mod escalation_print;
mod export;
mod handoff_receipts;
mod heartbeat;
mod http;
mod import;
mod incident;
mod incident_print;
mod ingest;
mod kb;
mod kb_print;
mod keys;
mod kpi;
mod ldap_sync;
mod migrate_store;
mod oncall;
mod org;
mod page;
mod page_links;
mod pager;
mod person_import;
mod rate_limit;
mod report;
mod review;
pub mod scheduled_reports;
mod serve;
mod shell;
mod sla;
mod standup;
mod status_page;
mod store_care;
mod survey_link;
mod table;
mod ticket;
mod ticket_print;
mod vendor;

use crate::app::error::AppError;
use crate::app::paths::Paths;
use crate::app::session::{Missing, Session};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "watchfloor", version, about = "An IT operations console for the terminal", long_about = None)]
pub struct Cli {
    /// Database file (default: the platform data directory).
    #[arg(
        long,
        global = true,
        env = "WATCHFLOOR_DB",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub db: Option<PathBuf>,
    /// Config file (default: the platform config directory, if present).
    #[arg(
        long,
        global = true,
        env = "WATCHFLOOR_CONFIG",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub config: Option<PathBuf>,
    /// Open the database without writing anything.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Act under this name (recorded in the audit log beside the OS user).
    #[arg(long = "as", global = true, value_name = "NAME")]
    pub as_name: Option<String>,
    /// Colour theme for the console: default, high-contrast, light, or one of the
    /// config's [themes].
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the console on a generated, realistic 90-day history.
    Demo(demo::DemoArgs),
    /// Tickets: list, show and open them, and every ticket action.
    Ticket {
        #[command(subcommand)]
        command: ticket::TicketCommand,
    },
    /// Declare, run and resolve incidents.
    Incident {
        #[command(subcommand)]
        command: incident::IncidentCommand,
    },
    /// Change requests, the CAB, outcomes, freezes and the calendar export.
    Change {
        #[command(subcommand)]
        command: change::ChangeCommand,
    },
    /// The operations report of a period: KPIs as Markdown, JSON or CSV.
    Report(report::ReportArgs),
    /// The whole store as JSON (`import json` loads it into a new database).
    Export(export::ExportArgs),
    /// Tickets from another ITSM tool's export, or a whole-store JSON export.
    Import {
        #[command(subcommand)]
        command: import::ImportCommand,
    },
    /// Alerts from monitoring: one webhook body on standard input.
    Ingest {
        #[command(subcommand)]
        command: ingest::IngestCommand,
    },
    /// Listen for Alertmanager / Grafana webhooks (POST /alertmanager).
    Serve(serve::ServeArgs),
    /// The stand-up screen for the team's screen share: read-only, refreshing itself.
    Standup(standup::StandupArgs),
    /// Post-incident reviews.
    Review {
        #[command(subcommand)]
        command: review::ReviewCommand,
    },
    /// Review action items.
    Action {
        #[command(subcommand)]
        command: review::ActionCommand,
    },
    /// Problems: recurring incidents and known errors.
    Problem {
        #[command(subcommand)]
        command: review::ProblemCommand,
    },
    /// Who is on call; rotations, overrides, iCalendar, on-call load.
    Oncall {
        #[command(subcommand)]
        command: oncall::OncallCommand,
    },
    /// Alert names muted for a while: mute, unmute, the mutes in force.
    Alert {
        #[command(subcommand)]
        command: alert::AlertCommand,
    },
    /// Knowledge articles: runbooks, how-tos, known errors, FAQs.
    Kb {
        #[command(subcommand)]
        command: kb::KbCommand,
    },
    /// KPIs other systems measure (compliance, accuracy, licences, NPS, automation):
    /// record, import, list.
    Kpi {
        #[command(subcommand)]
        command: kpi::KpiCommand,
    },
    /// The operational controls calendar: DR drills, restore tests, access reviews and
    /// other recurring controls, done with evidence or waived; an auditor's bundle.
    Control {
        #[command(subcommand)]
        command: control::ControlCommand,
    },
    /// Vendors and their contracts: support hours, targets per priority, renewal.
    Vendor {
        #[command(subcommand)]
        command: vendor::VendorCommand,
    },
    /// Audiences: who hears of incidents (mail, mailing lists, chat channels).
    Audience {
        #[command(subcommand)]
        command: audience::AudienceCommand,
    },
    /// The public status page as a static site: index.html, status.json, feed.atom.
    StatusPage(status_page::StatusPageArgs),
    /// Heartbeats: jobs that must run; a missed beat opens a record and pages.
    Heartbeat {
        #[command(subcommand)]
        command: heartbeat::HeartbeatCommand,
    },
    /// Pages: what was sent to whom and what became of it; test pages; ack by hand.
    Page {
        #[command(subcommand)]
        command: page::PageCommand,
    },
    /// Escalation policies.
    Policy {
        #[command(subcommand)]
        command: oncall::PolicyCommand,
    },
    /// Teams (resolver groups): add, edit, show, list, archive.
    Team {
        #[command(subcommand)]
        command: directory::TeamCommand,
    },
    /// People: add, edit, show, list, deactivate, and import from an HR export.
    Person {
        #[command(subcommand)]
        command: directory::PersonCommand,
    },
    /// Services: add, edit, show (with what depends on them), list, archive.
    Service {
        #[command(subcommand)]
        command: directory::ServiceCommand,
    },
    /// The whole directory as a reviewable TOML file: plan, apply, export.
    Org {
        #[command(subcommand)]
        command: org::OrgCommand,
    },
    /// Write a starter org file and config beside the database, and say what next.
    Init(org::InitArgs),
    /// Print where the database, config and log live.
    Path,
    /// A shell completion script: `watchfloor completions bash > /etc/bash_completion.d/watchfloor`.
    Completions(shell::CompletionsArgs),
    /// The man page (roff): `watchfloor man > watchfloor.1`.
    Man,
    /// The console's key bindings with the config's [keys] applied, by context and action.
    Keys(keys::KeysArgs),
    /// Copy the database to a new file, safely while consoles are open.
    Backup(store_care::BackupArgs),
    /// Replace the database with a backup, after checking the backup.
    Restore(store_care::RestoreArgs),
    /// Check the database file: integrity and foreign keys (non-zero exit on a problem).
    Check,
    /// Copy a whole store into a new one: a file to a PostgreSQL server or back.
    MigrateStore(migrate_store::MigrateStoreArgs),
    /// The database's status-bar colour, the same on every console that opens it.
    Accent(accent::AccentArgs),
    /// SLA upkeep: the stored due times computed again after the rules changed.
    Sla {
        #[command(subcommand)]
        command: sla::SlaCommand,
    },
}

/// `--replace` as what to do with an existing `--out` file.
fn existing(replace: bool) -> crate::app::output::Existing {
    if replace {
        crate::app::output::Existing::Replace
    } else {
        crate::app::output::Existing::Refuse
    }
}

/// What a command line leaves for `main` to do once the CLI is through with it.
pub enum Next {
    /// The command ran to completion.
    Done,
    /// The command prepared a session for the console face to open.
    Console(Box<ConsoleRequest>),
}

/// A console face to open: `main` hands it to the TUI, which the CLI never imports.
pub struct ConsoleRequest {
    pub session: Session,
    pub theme: Option<String>,
    pub screen: Screen,
    /// A throwaway directory (the demo's without `--db`) to remove when the console closes.
    pub remove_after: Option<PathBuf>,
}

/// Which screen the console opens on.
pub enum Screen {
    /// The whole console, panes and all.
    Console,
    /// The stand-up screen alone, looking back `since` (like `12h`) when given.
    Standup { since: Option<String> },
}

impl Next {
    fn console(session: Session, theme: Option<String>, screen: Screen) -> Next {
        Next::Console(Box::new(ConsoleRequest {
            session,
            theme,
            screen,
            remove_after: None,
        }))
    }
}

/// Runs a parsed command line: to completion, or up to the console it asks for.
pub fn run(cli: Cli) -> Result<Next, AppError> {
    let Cli {
        db,
        config,
        read_only,
        as_name,
        theme,
        command,
    } = cli;
    let paths = Paths::resolve(db.as_deref(), config.as_deref());
    let Some(command) = command else {
        let session = Session::open_or(&paths, read_only, as_name, Missing::Create)?;
        return Ok(Next::console(session, theme, Screen::Console));
    };
    match command {
        Command::Demo(args) => {
            if read_only {
                return Err(AppError::Usage(
                    "demo writes a new database; it cannot run with --read-only".into(),
                ));
            }
            demo::run(args, db.is_some(), &paths, as_name, theme)
        }
        Command::Standup(args) => {
            // The stand-up is a display: it never writes, whatever the flags say.
            let session = Session::open(&paths, true, as_name)?;
            Ok(match standup::run(args, &session)? {
                standup::Shown::Printed => Next::Done,
                standup::Shown::OnScreen { since } => {
                    Next::console(session, theme, Screen::Standup { since })
                }
            })
        }
        command => run_to_completion(command, &paths, read_only, as_name).map(|()| Next::Done),
    }
}

/// Runs every command that does not open a console.
fn run_to_completion(
    command: Command,
    paths: &Paths,
    read_only: bool,
    as_name: Option<String>,
) -> Result<(), AppError> {
    match command {
        // Opened by `run`, which never passes them here.
        Command::Demo(_) | Command::Standup(_) => Ok(()),
        Command::Ticket { command } => {
            let session = Session::open(paths, read_only, as_name)?;
            ticket::run(command, &session)
        }
        Command::Incident { command } => {
            let session = Session::open(paths, read_only, as_name)?;
            incident::run(command, &session)
        }
        Command::Change { command } => {
            let session = Session::open(paths, read_only, as_name)?;
            change::run(command, &session)
        }
        Command::Report(args) => report::run(args, &Session::open(paths, read_only, as_name)?),
        Command::Export(args) => export::run(args, &Session::open(paths, read_only, as_name)?),
        Command::Import { command } => import::run(
            command,
            &Session::open_or(paths, read_only, as_name, Missing::Create)?,
        ),
        Command::Ingest { command } => ingest::run(
            command,
            &Session::open_or(paths, read_only, as_name, Missing::Create)?,
        ),
        Command::Serve(args) => serve::run(
            args,
            &Session::open_or(paths, read_only, as_name, Missing::Create)?,
        ),
        Command::Review { command } => {
            review::run_review(command, &Session::open(paths, read_only, as_name)?)
        }
        Command::Action { command } => {
            review::run_action(command, &Session::open(paths, read_only, as_name)?)
        }
        Command::Problem { command } => {
            review::run_problem(command, &Session::open(paths, read_only, as_name)?)
        }
        Command::Oncall { command } => {
            let session = Session::open(paths, read_only, as_name)?;
            oncall::run(command, &session)
        }
        Command::Alert { command } => {
            let session = Session::open(paths, read_only, as_name)?;
            alert::run(command, &session)
        }
        Command::Kb { command } => {
            let session = Session::open(paths, read_only, as_name)?;
            kb::run(command, &session)
        }
        Command::Kpi { command } => {
            let session = Session::open(paths, read_only, as_name)?;
            kpi::run(command, &session)
        }
        Command::Vendor { command } => {
            let session = Session::open(paths, read_only, as_name)?;
            vendor::run(command, &session)
        }
        Command::Control { command } => {
            let session = Session::open(paths, read_only, as_name)?;
            control::run(command, &session)
        }
        Command::Audience { command } => {
            let session = Session::open(paths, read_only, as_name)?;
            audience::run(command, &session)
        }
        Command::StatusPage(args) => {
            let session = Session::open(paths, read_only, as_name)?;
            status_page::run(args, &session)
        }
        Command::Heartbeat { command } => {
            let session = Session::open(paths, read_only, as_name)?;
            heartbeat::run(command, &session)
        }
        Command::Page { command } => {
            let session = Session::open(paths, read_only, as_name)?;
            page::run(command, &session)
        }
        Command::Policy { command } => {
            let session = Session::open(paths, read_only, as_name)?;
            oncall::run_policy(command, &session)
        }
        Command::Backup(args) => store_care::backup(args, &Session::open(paths, true, as_name)?),
        Command::Restore(args) => store_care::restore(
            args,
            &Session::open_or(paths, read_only, as_name, Missing::Create)?,
        ),
        Command::Accent(args) => accent::run(args, &Session::open(paths, read_only, as_name)?),
        Command::MigrateStore(args) => migrate_store::run(args, paths, as_name),
        Command::Check => store_care::check(&Session::open(paths, true, as_name)?),
        Command::Sla { command } => sla::run(command, &Session::open(paths, read_only, as_name)?),
        Command::Team { command } => directory::run_team(
            command,
            &Session::open_or(paths, read_only, as_name, Missing::Create)?,
        ),
        Command::Person { command } => directory::run_person(
            command,
            &Session::open_or(paths, read_only, as_name, Missing::Create)?,
        ),
        Command::Service { command } => directory::run_service(
            command,
            &Session::open_or(paths, read_only, as_name, Missing::Create)?,
        ),
        Command::Org { command } => org::run(
            command,
            &Session::open_or(paths, read_only, as_name, Missing::Create)?,
        ),
        Command::Init(args) => org::init(args, paths),
        Command::Keys(args) => keys::run(args, paths),
        Command::Completions(args) => shell::completions(args),
        Command::Man => shell::man(),
        Command::Path => {
            let config = crate::config::Config::load(
                paths.explicit_config.as_deref(),
                paths.default_config.as_deref(),
            )?;
            println!(
                "database  {}",
                crate::store::Store::shown_location(&paths.database_in(&config))
            );
            match paths.config_file() {
                Some(p) => println!("config    {}", p.display()),
                None => println!("config    (none: built-in defaults)"),
            }
            println!("log       {}", paths.log_file().display());
            Ok(())
        }
    }
}
