//! The stand-up as sections of short lines, shared by the stand-up screen and
//! `watchfloor standup --once`. Screen-share safe: keys, names, states, counts and times
//! only — never a title, a description or a comment.

use crate::domain::display::short_duration;
use crate::domain::incident::{Incident, Severity};
use crate::domain::{Timestamp, sanitize_line};
use crate::metrics::scorecard::{Judgement, Trend};
use crate::metrics::standup::{KPI_PERIOD, Standup};

/// How a line should stand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    /// Needs attention: a major incident, a breach, a conflict, a missed target.
    Alert,
    Good,
    Quiet,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub lines: Vec<(Tone, String)>,
    /// Shown instead of lines when there are none.
    pub empty: &'static str,
}

fn keys<T>(items: &[T], key: impl Fn(&T) -> String, total: usize) -> String {
    let mut shown: Vec<String> = items.iter().take(6).map(key).collect();
    if total > shown.len() {
        shown.push("…".into());
    }
    shown.join(" ")
}

fn names(list: &[String]) -> String {
    sanitize_line(&list.join(", "))
}

/// An age for a screen share: whole days once past one, else hours and minutes.
fn age(seconds: i64) -> String {
    if seconds >= 86_400 {
        format!("{}d", seconds / 86_400)
    } else {
        short_duration(seconds)
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn local(config_tz: chrono_tz::Tz, t: Timestamp, format: &str) -> String {
    t.with_timezone(&config_tz).format(format).to_string()
}

/// A KPI's name short enough for a stand-up column of 40.
fn short_label(kpi: &str) -> &str {
    match kpi {
        "Change failure rate" => "Change failure",
        "SLA met (response)" => "SLA response",
        "SLA met (resolution)" => "SLA resolution",
        "First-contact resolution" => "First contact",
        "PIR action closure" => "PIR actions",
        "Services meeting target" => "Svcs on target",
        "Knowledge coverage" => "KB coverage",
        "Articles past review" => "KB past review",
        "MTTR with a runbook" => "MTTR runbook",
        "MTTR without a runbook" => "MTTR no runbk",
        "Standard change lead time" => "Std lead time",
        "On-call load (busiest)" => "On-call load",
        "Endpoint compliance" => "Endpoints",
        "Critical patch compliance" => "Patching",
        "Asset inventory accuracy" => "Asset accuracy",
        "Licence utilisation" => "Licence use",
        "Stakeholder NPS" => "Leaders' NPS",
        "Automation rate" => "Automation",
        other => other,
    }
}

/// Under an incident, what depends on its services: "  impacts storefront-web, mobile-api".
fn impact_line(impacted: &[crate::domain::directory::Impact]) -> Option<(Tone, String)> {
    if impacted.is_empty() {
        return None;
    }
    let reached: Vec<String> = impacted.iter().map(|m| m.service.clone()).collect();
    Some((Tone::Plain, format!("  impacts {}", names(&reached))))
}

fn incident_line(i: &Incident, now: Timestamp) -> (Tone, String) {
    let update = match i.next_update_due_at {
        Some(due) if due < now => {
            format!("update LATE {}", short_duration((now - due).num_seconds()))
        }
        Some(due) => format!("update in {}", short_duration((due - now).num_seconds())),
        None => "no update due".into(),
    };
    let late = i.next_update_due_at.is_some_and(|d| d < now);
    // Most telling first: a narrow column cuts the end.
    let mut parts = vec![
        format!("{} {}", i.severity, i.key),
        update,
        crate::domain::display::words(i.state.as_str()),
    ];
    if let Some(ic) = &i.commander {
        parts.push(format!("IC {}", sanitize_line(ic)));
    }
    if !i.services.is_empty() {
        parts.push(names(&i.services));
    }
    let major = matches!(i.severity, Severity::Sev1 | Severity::Sev2);
    (
        if major || late {
            Tone::Alert
        } else {
            Tone::Plain
        },
        parts.join(" · "),
    )
}

/// The stand-up in display order: what changed, active incidents, changes, KPIs,
/// overdue actions, oldest tickets.
/// How many of [`sections`] make the left column: what changed, the active incidents,
/// the changes and the overdue controls (and the vendor renewals, when there are any).
pub const LEFT_SECTIONS: usize = 4;

/// The left column's sections of this stand-up.
pub fn left_sections(s: &Standup) -> usize {
    LEFT_SECTIONS + usize::from(!s.renewals.is_empty())
}

pub fn sections(s: &Standup, tz: chrono_tz::Tz) -> Vec<Section> {
    let count_tone = |n: usize| if n > 0 { Tone::Alert } else { Tone::Good };
    let mut changed = vec![
        (
            count_tone(s.new_major.len()),
            format!(
                "{} new SEV1/SEV2  {}",
                s.new_major.len(),
                keys(&s.new_major, |i| i.key.to_string(), s.new_major.len())
            ),
        ),
        (
            count_tone(s.new_breaches),
            format!(
                "{} new SLA breaches  {}",
                s.new_breaches,
                keys(&s.new_breach_tickets, |t| t.key.to_string(), s.new_breaches)
            ),
        ),
        (
            Tone::Good,
            format!(
                "{} and {} resolved",
                plural(s.resolved_incidents.len(), "incident", "incidents"),
                plural(s.resolved_tickets, "ticket", "tickets")
            ),
        ),
    ];
    for line in &mut changed {
        line.1 = line.1.trim_end().to_string();
    }

    let changes = s
        .changes
        .iter()
        .map(|(c, conflicts)| {
            let start = c.planned_start_at.unwrap_or(s.now);
            let end = c
                .planned_end_at
                .map(|e| local(tz, e, "–%H:%M"))
                .unwrap_or_default();
            // Most telling first: a narrow column cuts the end.
            let mut parts = vec![format!("{}{end} {}", local(tz, start, "%a %H:%M"), c.key)];
            if *conflicts > 0 {
                parts.push(format!(
                    "{conflicts} conflict{}",
                    if *conflicts == 1 { "" } else { "s" }
                ));
            }
            parts.push(crate::domain::display::words(c.state.as_str()));
            parts.push(c.kind.to_string());
            if !c.services.is_empty() {
                parts.push(names(&c.services));
            }
            let text = parts.join(" · ");
            (
                if *conflicts > 0 {
                    Tone::Alert
                } else {
                    Tone::Plain
                },
                text,
            )
        })
        .collect();

    // Off target first: on a short screen those are the ones left showing.
    // A KPI measured elsewhere that nobody records is not news at a stand-up.
    let measured_elsewhere = |kpi: &str| {
        crate::domain::kpi_reading::RecordedKpi::ALL
            .iter()
            .any(|k| k.label() == kpi)
    };
    let mut judged: Vec<_> = s
        .kpis
        .iter()
        .filter(|l| l.target.is_some() && (l.value.is_some() || !measured_elsewhere(l.kpi)))
        .collect();
    judged.sort_by_key(|l| match l.judgement {
        Judgement::Bad => 0,
        Judgement::Warning => 1,
        Judgement::NoData => 2,
        Judgement::Ok => 3,
    });
    let kpis = judged
        .into_iter()
        .map(|l| {
            let (tone, verdict) = match l.judgement {
                Judgement::Ok => (Tone::Good, "ok"),
                Judgement::Warning => (Tone::Alert, "near"),
                Judgement::Bad => (Tone::Alert, "MISSED"),
                Judgement::NoData => (Tone::Quiet, "no data"),
            };
            let arrow = match l.trend {
                Trend::Better => " ▲",
                Trend::Worse => " ▼",
                Trend::Same | Trend::Unknown => "",
            };
            (
                tone,
                format!(
                    "{:<14} {:>7}/{:<7} {verdict}{arrow}",
                    short_label(l.kpi),
                    l.value_text(),
                    l.target_text()
                ),
            )
        })
        .collect();

    let actions = s
        .overdue_actions
        .iter()
        .map(|a| {
            let late = a
                .due_at
                .map(|d| format!("{} late", age((s.now - d).num_seconds())))
                .unwrap_or_default();
            let owner = a
                .owner
                .as_deref()
                .map(sanitize_line)
                .unwrap_or_else(|| "no owner".into());
            (
                Tone::Alert,
                format!("#{} {} · {owner} · {late}", a.id, a.review),
            )
        })
        .collect();

    let mut controls: Vec<(Tone, String)> = s
        .overdue_controls
        .iter()
        .map(|c| {
            (
                Tone::Alert,
                // The most telling first: a narrow column cuts the end.
                format!(
                    "{} {}d overdue · {} · {}{}",
                    c.key(),
                    c.days_overdue(s.today).unwrap_or(0),
                    sanitize_line(&c.owner),
                    crate::domain::display::words(c.kind.as_str()),
                    c.service
                        .as_deref()
                        .map(|s| format!(" · {}", sanitize_line(s)))
                        .unwrap_or_default(),
                ),
            )
        })
        .collect();
    controls.extend(s.overdue_findings.iter().map(|f| {
        let late = f
            .due_at
            .map(|d| format!("{} late", age((s.now - d).num_seconds())))
            .unwrap_or_default();
        (
            Tone::Alert,
            format!(
                "finding #{} of CTL-{} · {late} · {}",
                f.id,
                f.control,
                f.owner
                    .as_deref()
                    .map(sanitize_line)
                    .unwrap_or_else(|| "no owner".into())
            ),
        )
    }));

    let oldest = s
        .oldest_tickets
        .iter()
        .map(|t| {
            let mut parts = vec![
                format!("{} {}", t.key, t.priority),
                format!("{} old", age((s.now - t.opened_at).num_seconds())),
            ];
            for name in [&t.group, &t.service].into_iter().flatten() {
                parts.push(sanitize_line(name));
            }
            parts.push(crate::domain::display::words(t.state.as_str()));
            (Tone::Plain, parts.join(" · "))
        })
        .collect();

    let mut sections = vec![
        Section {
            title: format!("Since {}", local(tz, s.since, "%a %d %b %H:%M")),
            lines: changed,
            empty: "",
        },
        Section {
            title: format!("Active incidents ({})", s.active.len()),
            lines: s
                .active
                .iter()
                .enumerate()
                .flat_map(|(n, i)| {
                    let mut lines = vec![incident_line(i, s.now)];
                    lines.extend(impact_line(s.impacted.get(n).map_or(&[], Vec::as_slice)));
                    lines
                })
                .collect(),
            empty: "none",
        },
        Section {
            title: format!("Changes today and tomorrow ({})", s.changes.len()),
            lines: changes,
            empty: "none planned",
        },
        Section {
            title: if s.overdue_findings.is_empty() {
                format!("Overdue controls ({})", s.overdue_controls.len())
            } else {
                format!(
                    "Overdue controls ({}), findings ({})",
                    s.overdue_controls.len(),
                    s.overdue_findings.len()
                )
            },
            lines: controls,
            empty: "none",
        },
        Section {
            title: format!("KPIs {KPI_PERIOD} vs target (▲ better ▼ worse)"),
            lines: kpis,
            empty: "no targets configured",
        },
        Section {
            title: format!("Trends that warn ({})", s.trend_flags.len()),
            lines: s
                .trend_flags
                .iter()
                .map(|f| (Tone::Alert, f.clone()))
                .collect(),
            empty: "none",
        },
        Section {
            title: format!("Overdue review actions ({})", s.overdue_actions.len()),
            lines: actions,
            empty: "none",
        },
        Section {
            title: "Oldest open tickets".into(),
            lines: oldest,
            empty: "none open",
        },
    ];
    // A renewal is rare: its section shows, after the overdue controls, only when due.
    if !s.renewals.is_empty() {
        let renewals = Section {
            title: format!("Vendor renewals ({})", s.renewals.len()),
            lines: s
                .renewals
                .iter()
                .map(|(name, by, left, on)| {
                    (
                        Tone::Alert,
                        format!(
                            "{} · {left}d to give notice (by {by}, renews {on})",
                            sanitize_line(name)
                        ),
                    )
                })
                .collect(),
            empty: "none due",
        };
        sections.insert(LEFT_SECTIONS, renewals);
    }
    sections
}

/// The stand-up as plain text, for `watchfloor standup --once` (a chat post, a log).
pub fn text(s: &Standup, tz: chrono_tz::Tz) -> String {
    let mut out = format!("Stand-up {}\n", local(tz, s.now, "%a %d %b %Y %H:%M %Z"));
    for section in sections(s, tz) {
        out.push_str(&format!("\n{}\n", section.title));
        if section.lines.is_empty() {
            out.push_str(&format!("  {}\n", section.empty));
        }
        for (_, line) in section.lines {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}
