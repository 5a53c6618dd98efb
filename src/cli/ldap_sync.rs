//! `watchfloor org sync-ldap`: people and teams from a directory server, a plan unless
//! `--commit`. The bind password comes from a file or the environment, never from the
//! command line.

use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::org::SupportTier;
use crate::import::ldap::{self, LdapSource, MergeRules};
use crate::workflow::Missing;
use std::path::PathBuf;

/// Where the bind password comes from when no file is named.
pub const PASSWORD_ENV: &str = "WATCHFLOOR_LDAP_PASSWORD";

#[derive(Debug, clap::Args)]
pub struct SyncLdapArgs {
    /// The server: ldap://host:389 or ldaps://host:636.
    #[arg(long)]
    url: String,
    /// The base of both searches, unless --people-base or --groups-base say otherwise.
    #[arg(long)]
    base: String,
    /// Bind as this DN (without it: anonymous).
    #[arg(long, default_value = "")]
    bind_dn: String,
    /// A file holding the bind password, readable by its owner alone (else
    /// WATCHFLOOR_LDAP_PASSWORD).
    #[arg(long)]
    password_file: Option<PathBuf>,
    /// Upgrade an ldap:// connection with STARTTLS.
    #[arg(long)]
    starttls: bool,
    #[arg(long)]
    people_base: Option<String>,
    #[arg(long, default_value = ldap::PEOPLE_FILTER)]
    people_filter: String,
    #[arg(long)]
    groups_base: Option<String>,
    #[arg(long, default_value = ldap::GROUPS_FILTER)]
    groups_filter: String,
    /// The attribute holding the login (sAMAccountName on Active Directory).
    #[arg(long, default_value = "uid")]
    login_attribute: String,
    /// The tier of teams first seen on the server.
    #[arg(long, default_value = "l2")]
    team_tier: SupportTier,
    /// Leave people the server lacks active (without it they are deactivated).
    #[arg(long)]
    keep_missing: bool,
    /// Apply it (without it: the plan, nothing written).
    #[arg(long)]
    commit: bool,
}

fn password(args: &SyncLdapArgs) -> Result<String, AppError> {
    if let Some(path) = &args.password_file {
        let what = format!("--password-file '{}'", path.display());
        return crate::app::secret_file::read_private(path, &what);
    }
    Ok(std::env::var(PASSWORD_ENV).unwrap_or_default())
}

pub fn run(args: SyncLdapArgs, session: &Session) -> Result<(), AppError> {
    let source = LdapSource {
        url: args.url.clone(),
        bind_dn: args.bind_dn.clone(),
        password: password(&args)?,
        starttls: args.starttls,
        people_base: args
            .people_base
            .clone()
            .unwrap_or_else(|| args.base.clone()),
        people_filter: args.people_filter.clone(),
        groups_base: args
            .groups_base
            .clone()
            .unwrap_or_else(|| args.base.clone()),
        groups_filter: args.groups_filter.clone(),
        login_attribute: args.login_attribute.clone(),
    };
    let read = ldap::fetch(&source).map_err(AppError::Failed)?;
    let current = session.store.directory()?;
    let wanted = ldap::merge(
        &current,
        &read,
        MergeRules {
            new_team_tier: args.team_tier,
            deactivate_missing: !args.keep_missing,
        },
    );
    let workflow = session.workflow();
    let steps = if args.commit {
        workflow.apply_directory(&wanted, Missing::Keep)
    } else {
        workflow.plan_directory(&wanted, Missing::Keep)
    }
    .map_err(|e| AppError::Failed(format!("{}: {e}\nnothing was synced", args.url)))?;
    for step in &steps {
        println!("{}", step.line());
    }
    println!(
        "{}: {} people and {} groups read; {} records {}",
        args.url,
        read.people.len(),
        read.groups.len(),
        steps.len(),
        if args.commit {
            "changed"
        } else {
            "would change"
        }
    );
    if !args.commit {
        println!("dry run: nothing was written (add --commit)");
    }
    Ok(())
}
