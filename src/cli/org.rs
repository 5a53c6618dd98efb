//! `watchfloor org plan|apply|export` — the directory as a reviewable file — and
//! `watchfloor init`, the starter files a team moves in with.

use crate::app::error::AppError;
use crate::app::paths::Paths;
use crate::app::session::Session;
use crate::import::org_file::{self, OrgFileRead};
use crate::workflow::{Missing, WorkflowError};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum OrgCommand {
    /// What applying the file would add (+), change (~) and archive (-), per record.
    Plan {
        file: PathBuf,
        /// Keep the records the file leaves out (without it they are archived).
        #[arg(long)]
        keep_missing: bool,
        #[arg(long)]
        json: bool,
    },
    /// Apply the file in one transaction; applying it again changes nothing.
    Apply {
        file: PathBuf,
        #[arg(long)]
        keep_missing: bool,
    },
    /// People and teams from a directory server (LDAP): the plan unless --commit.
    SyncLdap(super::ldap_sync::SyncLdapArgs),
    /// The store's directory as an org file, on standard output or into --out.
    Export {
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        replace: bool,
    },
}

fn missing(keep: bool) -> Missing {
    if keep {
        Missing::Keep
    } else {
        Missing::Archive
    }
}

fn read(file: &Path) -> Result<OrgFileRead, AppError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| AppError::Failed(format!("{}: {e}", file.display())))?;
    org_file::parse(&text).map_err(|l| {
        AppError::Failed(format!(
            "{}\nnothing was applied",
            l.render(&file.display().to_string())
        ))
    })
}

/// A refused plan as lines naming the file, the line and the record.
fn located(file: &Path, read: &OrgFileRead, e: WorkflowError) -> AppError {
    match e {
        WorkflowError::Directory(problems) => {
            let shown = file.display().to_string();
            let mut lines: Vec<String> = problems
                .0
                .iter()
                .map(|p| read.locate(p).render(&shown))
                .collect();
            lines.push("nothing was applied".into());
            AppError::Failed(lines.join("\n"))
        }
        other => other.into(),
    }
}

pub fn run(command: OrgCommand, session: &Session) -> Result<(), AppError> {
    let workflow = session.workflow();
    match command {
        OrgCommand::Plan {
            file,
            keep_missing,
            json,
        } => {
            let read = read(&file)?;
            let steps = workflow
                .plan_directory(&read.directory, missing(keep_missing))
                .map_err(|e| located(&file, &read, e))?;
            if json {
                return super::ticket_print::json(&steps);
            }
            if steps.is_empty() {
                println!(
                    "no changes: the store's directory is what {} says",
                    file.display()
                );
            }
            for step in &steps {
                println!("{}", step.line());
            }
            Ok(())
        }
        OrgCommand::Apply { file, keep_missing } => {
            let read = read(&file)?;
            let steps = workflow
                .apply_directory(&read.directory, missing(keep_missing))
                .map_err(|e| located(&file, &read, e))?;
            for step in &steps {
                println!("{}", step.line());
            }
            if steps.is_empty() {
                println!(
                    "no changes: the store's directory is what {} says",
                    file.display()
                );
            } else {
                println!(
                    "applied {}: {} records changed",
                    file.display(),
                    steps.len()
                );
            }
            Ok(())
        }
        OrgCommand::SyncLdap(args) => super::ldap_sync::run(args, session),
        OrgCommand::Export { out, replace } => {
            let text = org_file::render(&session.store.directory()?);
            match out {
                None => print!("{text}"),
                Some(path) => {
                    crate::app::output::write_private(
                        &path,
                        text.as_bytes(),
                        super::existing(replace),
                    )
                    .map_err(AppError::Failed)?;
                    println!("wrote {}", path.display());
                }
            }
            Ok(())
        }
    }
}

pub const STARTER_ORG: &str = include_str!("../../assets/starter_org.toml");

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write the two files (default: beside the database).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Replace files that are already there.
    #[arg(long)]
    replace: bool,
}

/// The shipped defaults with every line commented out: a config that changes nothing
/// until a line is uncommented, and shows every key there is.
fn starter_config() -> String {
    let mut out = String::from(
        "# watchfloor's config. Every key below is a shipped default, commented out; uncomment\n\
         # and change only what you need — a section you write keeps the defaults of the keys\n\
         # it leaves out.\n\n",
    );
    for line in crate::config::DEFAULT_CONFIG_TOML.lines() {
        if line.trim().is_empty() {
            out.push('\n');
        } else if line.trim_start().starts_with('#') {
            out.push_str(line);
            out.push('\n');
        } else {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

pub fn init(args: InitArgs, paths: &Paths) -> Result<(), AppError> {
    let config = crate::config::Config::load(
        paths.explicit_config.as_deref(),
        paths.default_config.as_deref(),
    )?;
    let database = paths.database_in(&config);
    let dir = match args.dir {
        Some(d) => d,
        None if crate::store::Store::is_server_location(&database) => {
            return Err(AppError::Usage(
                "the database is on a server; say where the files go with --dir".into(),
            ));
        }
        None => database
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| AppError::Failed(format!("{}: {e}", dir.display())))?;
    let org = dir.join("org.toml");
    let config_file = dir.join("config.toml");
    for (path, text) in [
        (&org, STARTER_ORG.to_string()),
        (&config_file, starter_config()),
    ] {
        crate::app::output::write_private(path, text.as_bytes(), super::existing(args.replace))
            .map_err(|e| AppError::Failed(format!("{e} (add --replace to write over it)")))?;
        println!("wrote {}", path.display());
    }
    let db = if paths.database_given {
        format!(" --db {}", crate::store::Store::shown_location(&database))
    } else {
        String::new()
    };
    println!(
        "next, once {} names your teams, people and services (`org plan` shows what applying does):",
        org.display()
    );
    println!("  watchfloor{db} org apply {}", org.display());
    println!("  watchfloor{db} --config {}", config_file.display());
    Ok(())
}
