//! `watchfloor person import FILE.csv`: people from an HR or identity-provider export,
//! merged into the directory (new people added, known ones updated from the columns
//! the file has). A plan by default, like every import; `--commit` applies it in one
//! transaction. A problem names the file, the line and the person.

use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::directory::PlannedStep;
use crate::domain::org::RecordKind;
use crate::import::people_csv::{self, PeopleMapping};
use crate::workflow::{Missing, WorkflowError};
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct PersonImportArgs {
    file: PathBuf,
    /// A mapping file: `[columns] login = "Employee ID"`, `inactive_values`,
    /// `team_separator` (the usual header names are known without one).
    #[arg(long, value_name = "MAPPING.toml")]
    mapping: Option<PathBuf>,
    /// Teams the file names that the directory lacks are created (tier l2).
    #[arg(long)]
    create_teams: bool,
    /// People of the directory the file leaves out are deactivated (a full export).
    #[arg(long)]
    deactivate_missing: bool,
    /// Apply it (without it: the plan, nothing written).
    #[arg(long)]
    commit: bool,
}

fn failed(file: &std::path::Path, message: impl std::fmt::Display) -> AppError {
    AppError::Failed(format!("{}: {message}", file.display()))
}

pub fn run(args: PersonImportArgs, session: &Session) -> Result<(), AppError> {
    let mapping = match &args.mapping {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| failed(path, e))?;
            toml::from_str::<PeopleMapping>(&text)
                .map_err(|e| failed(path, e.to_string().trim_end()))?
        }
        None => PeopleMapping::default(),
    };
    let input = std::fs::File::open(&args.file).map_err(|e| failed(&args.file, e))?;
    let rows = people_csv::parse(input, &mapping).map_err(|e| failed(&args.file, e))?;
    let current = session.store.directory()?;
    let wanted = people_csv::merge(&current, &rows, args.create_teams, args.deactivate_missing)
        .map_err(|e| failed(&args.file, e))?;
    let workflow = session.workflow();
    let lines: HashMap<&str, u64> = rows.iter().map(|r| (r.login.as_str(), r.line)).collect();
    let located = |e: WorkflowError| -> AppError {
        match e {
            WorkflowError::Directory(problems) => AppError::Failed(
                problems
                    .0
                    .iter()
                    .map(|p| {
                        let line = (p.kind == RecordKind::Person)
                            .then(|| lines.get(p.name.as_str()))
                            .flatten()
                            .map(|l| format!(":{l}"))
                            .unwrap_or_default();
                        format!("{}{line}: {p}", args.file.display())
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\nnothing was imported",
            ),
            other => other.into(),
        }
    };
    let steps = if args.commit {
        workflow.apply_directory(&wanted, Missing::Keep)
    } else {
        workflow.plan_directory(&wanted, Missing::Keep)
    }
    .map_err(located)?;
    print_steps(&steps, rows.len(), args.commit);
    Ok(())
}

pub(super) fn print_steps(steps: &[PlannedStep], read: usize, committed: bool) {
    for step in steps {
        println!("{}", step.line());
    }
    println!(
        "{read} people read: {} to add, {} to change, {} to deactivate",
        steps
            .iter()
            .filter(|s| matches!(s.step, crate::domain::directory::Step::Add))
            .count(),
        steps
            .iter()
            .filter(|s| matches!(
                s.step,
                crate::domain::directory::Step::Change(_)
                    | crate::domain::directory::Step::Restore(_)
            ))
            .count(),
        steps
            .iter()
            .filter(|s| matches!(s.step, crate::domain::directory::Step::Archive))
            .count(),
    );
    if !committed {
        println!("dry run: nothing was written (add --commit)");
    }
}
