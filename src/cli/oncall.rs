//! `watchfloor oncall …` and `watchfloor policy …`: rotations, overrides, who is on
//! call, iCalendar export, pages per person, and escalation policies.

use super::table;
use super::ticket_print::json;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::escalation::{EscalationPolicy, EscalationTarget, PolicyLevel};
use crate::domain::oncall::{Override, Rotation, next_handoff};
use crate::domain::{Timestamp, sanitize_line};
use chrono::{NaiveDateTime, NaiveTime, TimeZone};
use clap::Subcommand;
use serde::Serialize;

#[derive(Debug, Subcommand)]
pub enum OncallCommand {
    /// Who is on call now, and who is next, for every team.
    Now {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: super::table::TextStyle,
    },
    /// The coming hand-offs of every team (next 7 days).
    Next {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: super::table::TextStyle,
    },
    /// One team's rotation, overrides and coming shifts.
    Show {
        team: String,
        #[arg(long)]
        json: bool,
    },
    /// Create or replace a team's rotation.
    Set {
        team: String,
        /// Logins in hand-off order, comma separated.
        #[arg(long, value_delimiter = ',', required = true)]
        participants: Vec<String>,
        /// Hand-off weekday: mon … sun.
        #[arg(long, default_value = "mon")]
        weekday: crate::config::Weekday,
        /// Hand-off time of day, HH:MM, in the rotation's time zone.
        #[arg(long, default_value = "09:00")]
        time: String,
        /// Days per shift (1 to 366).
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
        length: u32,
        /// IANA time zone of the hand-off.
        #[arg(long, default_value = "UTC")]
        tz: String,
        #[arg(long, default_value = "primary")]
        name: String,
    },
    /// Someone covers the rotation from one local time to another ("YYYY-MM-DD HH:MM").
    Override {
        team: String,
        #[arg(long)]
        person: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "primary")]
        rotation: String,
    },
    /// The team's coming shifts as iCalendar on standard output.
    Ics {
        team: String,
        /// Weeks ahead (up to ten years).
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=520))]
        weeks: u64,
    },
    /// Sends a test page down every method of everyone due on call in the next days
    /// (of TEAM's rotations, or all) and reports each; who confirms is recorded.
    Check {
        team: Option<String>,
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(i64).range(1..=90))]
        days: i64,
        #[arg(long)]
        json: bool,
    },
    /// Confirm that you (or --as LOGIN) got a test page.
    Confirm,
    /// The hand-off report of a team's rotation: active incidents and their last
    /// update, held pages, the next 24 hours' changes, the team's at-risk and breached
    /// tickets, and the outgoing shift's pages.
    Handoff {
        team: String,
        /// Markdown (the default), for pasting into a hand-off note.
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
        #[arg(long)]
        json: bool,
    },
    /// Acknowledge the hand-off paged to you (or --as LOGIN): TEAM's, or your latest.
    Ack { team: Option<String> },
    /// The hand-offs sent, the latest first: to whom, and whether and how each was
    /// acknowledged.
    Handoffs {
        team: Option<String>,
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..=10000))]
        limit: i64,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: super::table::TextStyle,
    },
    /// Hours on call per person — weekday, weekend, public holiday, covering by
    /// override — with pages and pages after hours, and who has carried most.
    Hours {
        /// 7d, 30d, 90d, quarter, or YYYY-MM-DD..YYYY-MM-DD.
        #[arg(long, default_value = "30d")]
        period: String,
        /// Only this team's rotations.
        #[arg(long)]
        team: Option<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: super::table::TextStyle,
    },
    /// Pages and escalations per person (the on-call load).
    Load {
        /// Days back (up to ten years).
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..=3650))]
        days: i64,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: super::table::TextStyle,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Create or replace a policy: levels in order, each `team:NAME:MINUTES` or `person:LOGIN:MINUTES`.
    Set {
        name: String,
        #[arg(long = "level", required = true)]
        levels: Vec<String>,
        /// How many times to run the levels again after the last.
        #[arg(long, default_value_t = 0)]
        repeat: u32,
        /// Services that use this policy (repeat for more).
        #[arg(long = "service")]
        services: Vec<String>,
    },
    /// Every policy with its levels and services.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: super::table::TextStyle,
    },
}

fn parse_level(text: &str) -> Result<PolicyLevel, AppError> {
    let parts: Vec<&str> = text.splitn(3, ':').collect();
    let bad = || {
        AppError::Usage(format!(
            "--level '{text}': expected team:NAME:MINUTES or person:LOGIN:MINUTES"
        ))
    };
    let [kind, name, minutes] = parts[..] else {
        return Err(bad());
    };
    let delay_minutes = minutes.parse().map_err(|_| bad())?;
    let target = match kind {
        "team" => EscalationTarget::Team(name.to_string()),
        "person" => EscalationTarget::Person(name.to_string()),
        _ => return Err(bad()),
    };
    Ok(PolicyLevel {
        target,
        delay_minutes,
    })
}

fn local_time(session: &Session, text: &str, flag: &str) -> Result<Timestamp, AppError> {
    let _ = session;
    let naive = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M").map_err(|_| {
        AppError::Usage(format!(
            "{flag} '{text}': expected \"YYYY-MM-DD HH:MM\" (local time)"
        ))
    })?;
    chrono::Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok_or_else(|| AppError::Usage(format!("{flag} '{text}' does not exist in local time")))
}

#[derive(Serialize)]
struct TeamOnCall {
    team: String,
    now: Option<String>,
    until: Option<Timestamp>,
    next: Option<String>,
}

fn on_call_now(session: &Session) -> Result<Vec<TeamOnCall>, AppError> {
    let now = session.clock.now();
    Ok(session
        .store
        .rotations()?
        .into_iter()
        .map(|(r, o)| {
            let shifts = r.upcoming(&o, now, 2);
            TeamOnCall {
                team: r.team.clone(),
                now: shifts.first().map(|s| s.person.clone()),
                until: shifts.first().map(|s| s.to),
                next: shifts.get(1).map(|s| s.person.clone()),
            }
        })
        .collect())
}

fn local(t: Timestamp) -> String {
    t.with_timezone(&chrono::Local)
        .format("%a %d %b %H:%M")
        .to_string()
}

pub fn run(command: OncallCommand, session: &Session) -> Result<(), AppError> {
    let now = session.clock.now();
    match command {
        OncallCommand::Now {
            json: as_json,
            style,
        } => {
            let rows = on_call_now(session)?;
            if as_json {
                return json(&rows);
            }
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.team.clone(),
                        r.now.clone().unwrap_or_else(|| "-".into()),
                        r.until.map(local).unwrap_or_else(|| "-".into()),
                        r.next.clone().unwrap_or_else(|| "-".into()),
                    ]
                })
                .collect();
            table::print(
                style,
                &["TEAM", "ON CALL", "UNTIL", "NEXT"],
                &cells,
                &[20, 24, 16, 24],
            );
            Ok(())
        }
        OncallCommand::Next {
            json: as_json,
            style,
        } => {
            let mut handoffs = Vec::new();
            for (r, o) in session.store.rotations()? {
                for s in r.upcoming(&o, now, 8).into_iter().skip(1) {
                    if s.from <= now + chrono::Duration::days(7) {
                        handoffs.push((s.from, r.team.clone(), s.person, s.is_override));
                    }
                }
            }
            handoffs.sort();
            if as_json {
                let rows: Vec<_> = handoffs
                    .iter()
                    .map(|(at, team, person, o)| serde_json::json!({"at": at, "team": team, "person": person, "override": o}))
                    .collect();
                return json(&rows);
            }
            let cells: Vec<Vec<String>> = handoffs
                .iter()
                .map(|(at, team, person, o)| {
                    vec![
                        local(*at),
                        team.clone(),
                        format!("{person}{}", if *o { " (override)" } else { "" }),
                    ]
                })
                .collect();
            table::print(
                style,
                &["HAND-OFF", "TEAM", "TAKES OVER"],
                &cells,
                &[16, 20, 36],
            );
            Ok(())
        }
        OncallCommand::Show {
            team,
            json: as_json,
        } => {
            let (r, o) = session
                .store
                .rotation_for_team(&team)?
                .ok_or_else(|| AppError::Failed(format!("team '{team}' has no rotation")))?;
            let shifts = r.upcoming(&o, now, 6);
            if as_json {
                return json(&serde_json::json!({"rotation": r, "overrides": o, "shifts": shifts}));
            }
            println!(
                "{} / {}: {} in turn, every {} days at {} {}",
                sanitize_line(&r.team),
                sanitize_line(&r.name),
                sanitize_line(&r.participants.join(", ")),
                r.length_days,
                r.handoff_time.format("%H:%M"),
                r.time_zone.name()
            );
            for s in &shifts {
                println!(
                    "  {} → {}  {}{}",
                    local(s.from),
                    local(s.to),
                    sanitize_line(&s.person),
                    if s.is_override { " (override)" } else { "" }
                );
            }
            Ok(())
        }
        OncallCommand::Set {
            team,
            participants,
            weekday,
            time,
            length,
            tz,
            name,
        } => {
            let time_zone: chrono_tz::Tz = tz.parse().map_err(|_| {
                AppError::Usage(format!(
                    "--tz '{tz}': not an IANA time zone (like Europe/London)"
                ))
            })?;
            let handoff_time = NaiveTime::parse_from_str(&time, "%H:%M")
                .map_err(|_| AppError::Usage(format!("--time '{time}': expected HH:MM")))?;
            let weekday_index = crate::config::Weekday::ALL
                .iter()
                .position(|d| *d == weekday)
                .unwrap_or(0) as u32;
            // The rotation starts at the last hand-off, so the first person is on call now.
            let starts_at = next_handoff(
                now - chrono::Duration::days(7),
                weekday_index,
                handoff_time,
                time_zone,
            );
            let rotation = Rotation {
                team: team.clone(),
                name,
                participants,
                starts_at,
                length_days: length,
                handoff_time,
                time_zone,
            };
            session.workflow().set_rotation(&rotation)?;
            println!(
                "{team}: rotation set; {} is on call now",
                rotation
                    .on_call_at(&[], now)
                    .map(|s| s.person)
                    .unwrap_or_default()
            );
            Ok(())
        }
        OncallCommand::Override {
            team,
            person,
            from,
            to,
            rotation,
        } => {
            let o = Override {
                person,
                from: local_time(session, &from, "--from")?,
                to: local_time(session, &to, "--to")?,
            };
            session.workflow().add_override(&team, &rotation, &o)?;
            println!(
                "{team}: {} covers {} → {}",
                o.person,
                local(o.from),
                local(o.to)
            );
            Ok(())
        }
        OncallCommand::Ics { team, weeks } => {
            let (r, o) = session
                .store
                .rotation_for_team(&team)?
                .ok_or_else(|| AppError::Failed(format!("team '{team}' has no rotation")))?;
            let until = now + chrono::Duration::weeks(weeks as i64);
            let shifts: Vec<_> = r
                .upcoming(&o, now, weeks as usize * 8 + 8)
                .into_iter()
                .filter(|s| s.from < until)
                .collect();
            print!(
                "{}",
                crate::export::ics::shifts_calendar(&r.team, &r.name, &shifts, now)
            );
            Ok(())
        }
        OncallCommand::Check {
            team,
            days,
            json: as_json,
        } => check(session, team.as_deref(), days, as_json),
        OncallCommand::Confirm => {
            let me = session.actor.name().to_string();
            session.workflow().confirm_reachable(&me, "cli")?;
            println!("{me} confirmed reachable");
            Ok(())
        }
        OncallCommand::Handoff {
            team,
            markdown: _,
            json: as_json,
        } => {
            if session.store.rotation_for_team(&team)?.is_none()
                && !session.store.teams()?.iter().any(|t| t.name == team)
            {
                return Err(AppError::Usage(format!("unknown team '{team}'")));
            }
            let report =
                crate::views::handoff::handoff(&session.store, &session.config, &team, now)?;
            if as_json {
                return json(&report);
            }
            print!(
                "{}",
                crate::views::handoff::markdown(&report, session.config.business_hours.time_zone.0)
            );
            Ok(())
        }
        OncallCommand::Ack { team } => {
            super::handoff_receipts::acknowledge(session, team.as_deref())
        }
        OncallCommand::Handoffs {
            team,
            limit,
            json: as_json,
            style,
        } => super::handoff_receipts::list(session, team.as_deref(), limit, as_json, style),
        OncallCommand::Hours {
            period,
            team,
            json: as_json,
            style,
        } => hours(session, &period, team.as_deref(), as_json, style),
        OncallCommand::Load {
            days,
            json: as_json,
            style,
        } => {
            let rows = session.store.pages_per_person(
                now - chrono::Duration::days(days),
                now,
                &Default::default(),
            )?;
            if as_json {
                let rows: Vec<_> = rows
                    .iter()
                    .map(|(p, n)| serde_json::json!({"person": p, "pages": n}))
                    .collect();
                return json(&rows);
            }
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|(p, n)| vec![p.clone(), n.to_string()])
                .collect();
            table::print(style, &["PERSON", "PAGES"], &cells, &[24, 6]);
            Ok(())
        }
    }
}

fn check(session: &Session, team: Option<&str>, days: i64, as_json: bool) -> Result<(), AppError> {
    if let Some(team) = team
        && session.store.rotation_for_team(team)?.is_none()
    {
        return Err(AppError::Usage(format!("team '{team}' has no rotation")));
    }
    let until = session.clock.now() + chrono::Duration::days(days);
    let asked = session.workflow().reachability_check(team, until)?;
    let mut report = Vec::new();
    for (person, enqueued) in &asked {
        let outcomes = super::page::send_now(session, person, enqueued)?;
        report.push(serde_json::json!({ "person": person, "methods": outcomes }));
        if !as_json {
            println!("{person}:");
            for o in &outcomes {
                println!("  {:<50} {}", o.method, o.outcome);
            }
        }
    }
    if as_json {
        return json(&report);
    }
    if asked.is_empty() {
        println!("Nobody is due on call in the next {days} days.");
    } else {
        println!(
            "Asked {} people; each confirms with the test page's link or `watchfloor oncall confirm`.",
            asked.len()
        );
    }
    Ok(())
}

fn hours(
    session: &Session,
    period: &str,
    team: Option<&str>,
    as_json: bool,
    style: super::table::TextStyle,
) -> Result<(), AppError> {
    use crate::metrics::oncall_hours::{carried_most, oncall_hours};
    let now = session.clock.now();
    let period = crate::metrics::period::Period::parse(period, now)
        .map_err(|e| AppError::Usage(format!("--period {e}")))?;
    if let Some(team) = team
        && session.store.rotation_for_team(team)?.is_none()
    {
        return Err(AppError::Usage(format!("team '{team}' has no rotation")));
    }
    let rows = oncall_hours(&session.store, &session.config, period, team)?;
    if as_json {
        return json(&serde_json::json!({
            "from": period.from,
            "to": period.to,
            "people": rows,
            "carried_most": carried_most(&rows).map(|r| &r.person),
        }));
    }
    let h = |seconds: i64| format!("{:.1}", seconds as f64 / 3_600.0);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.person.clone(),
                r.teams.join(", "),
                h(r.on_call.total()),
                h(r.on_call.weekday),
                h(r.on_call.weekend),
                h(r.on_call.holiday),
                h(r.covering),
                r.pages.to_string(),
                r.after_hours_pages.to_string(),
            ]
        })
        .collect();
    table::print(
        style,
        &[
            "PERSON",
            "TEAMS",
            "HOURS",
            "WEEKDAY",
            "WEEKEND",
            "HOLIDAY",
            "COVERING",
            "PAGES",
            "AFTER HRS",
        ],
        &cells,
        &[22, 24, 7, 7, 7, 7, 8, 5, 9],
    );
    if !style.csv
        && !style.plain
        && let Some(most) = carried_most(&rows)
    {
        println!(
            "Carried most: {} — {} h on call ({} weekend, {} holiday), {} pages ({} after hours)",
            most.person,
            h(most.on_call.total()),
            h(most.on_call.weekend),
            h(most.on_call.holiday),
            most.pages,
            most.after_hours_pages
        );
    }
    Ok(())
}

pub fn run_policy(command: PolicyCommand, session: &Session) -> Result<(), AppError> {
    match command {
        PolicyCommand::Set {
            name,
            levels,
            repeat,
            services,
        } => {
            let levels = levels
                .iter()
                .map(|l| parse_level(l))
                .collect::<Result<Vec<_>, _>>()?;
            let policy = EscalationPolicy {
                name: name.clone(),
                levels,
                repeat,
            };
            session.workflow().set_policy(&policy, &services)?;
            println!(
                "policy {name} set ({} levels, repeat {repeat})",
                policy.levels.len()
            );
            Ok(())
        }
        PolicyCommand::List {
            json: as_json,
            style,
        } => {
            let policies = session.store.policies()?;
            if as_json {
                let rows: Vec<_> = policies
                    .iter()
                    .map(|(p, s)| serde_json::json!({"policy": p, "services": s}))
                    .collect();
                return json(&rows);
            }
            let rows: Vec<Vec<String>> = policies
                .iter()
                .map(|(p, services)| {
                    let levels: Vec<String> = p
                        .levels
                        .iter()
                        .map(|l| format!("{} ({}m)", l.target, l.delay_minutes))
                        .collect();
                    vec![
                        p.name.clone(),
                        levels.join(" → "),
                        p.repeat.to_string(),
                        services.join(", "),
                    ]
                })
                .collect();
            table::print(
                style,
                &["POLICY", "LEVELS", "REPEAT", "SERVICES"],
                &rows,
                &[20, 60, 6, 40],
            );
            Ok(())
        }
    }
}
