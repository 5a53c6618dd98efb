//! `control show` as text: the control, its checklist, every occurrence done or waived
//! with who, when, the evidence and the recovery measured, and its findings. Outside
//! text is sanitised for the terminal.

use crate::domain::control::{Control, ControlRun, EvidenceKind, Finding, RunOutcome};
use crate::domain::{sanitize_line, sanitize_text};
use chrono::NaiveDate;
use chrono_tz::Tz;

pub fn detail(
    c: &Control,
    runs: &[ControlRun],
    findings: &[Finding],
    today: NaiveDate,
    zone: Tz,
) -> String {
    let local = |t: crate::domain::Timestamp| t.with_timezone(&zone).format("%Y-%m-%d %H:%M");
    let mut out = format!("{}  {}\n", c.key(), sanitize_line(&c.title));
    let state = match c.days_overdue(today) {
        Some(days) => format!("OVERDUE by {days} days"),
        None => c.state(today).to_string(),
    };
    let fields = [
        ("kind", c.kind.to_string()),
        ("owner", c.owner.clone()),
        ("service", c.service.clone().unwrap_or_else(|| "-".into())),
        ("cadence", c.cadence.to_string()),
        (
            "due",
            c.due_on
                .map_or_else(|| "-".to_string(), |d| format!("{d} ({state})")),
        ),
        ("state", state.clone()),
    ];
    for (name, value) in fields {
        out.push_str(&format!("  {name:<10} {}\n", sanitize_line(&value)));
    }
    if !c.checklist.is_empty() {
        out.push_str("\nChecklist\n");
        for (n, item) in c.checklist.iter().enumerate() {
            out.push_str(&format!("  {}. {}\n", n + 1, sanitize_line(item)));
        }
    }
    out.push_str("\nOccurrences\n");
    if runs.is_empty() {
        out.push_str("  none yet\n");
    }
    for r in runs.iter().rev() {
        let recovery = r.recovery.shown();
        out.push_str(&format!(
            "  due {}  {} {} by {}{}\n",
            r.due_on,
            r.outcome,
            local(r.at),
            sanitize_line(&r.actor),
            if recovery.is_empty() {
                String::new()
            } else {
                format!(" — {recovery}")
            }
        ));
        if !r.reason.is_empty() {
            let label = if r.outcome == RunOutcome::Waived {
                "reason"
            } else {
                "note"
            };
            out.push_str(&format!("      {label}: {}\n", sanitize_line(&r.reason)));
        }
        if !r.checked.is_empty() {
            out.push_str(&format!(
                "      checklist: all {} steps confirmed\n",
                r.checked.len()
            ));
        }
        for e in &r.evidence {
            let line = match e.kind {
                EvidenceKind::Text => format!("\"{}\"", sanitize_text(&e.text).replace('\n', " ")),
                EvidenceKind::Link => sanitize_line(&e.text),
                EvidenceKind::File => format!(
                    "{} ({} bytes, sha256 {})",
                    sanitize_line(&e.text),
                    e.size.unwrap_or(0),
                    e.sha256.as_deref().unwrap_or("-")
                ),
            };
            out.push_str(&format!("      evidence ({}): {line}\n", e.kind));
        }
    }
    if !findings.is_empty() {
        out.push_str("\nFindings\n");
        for f in findings {
            out.push_str(&format!(
                "  #{} {:<11} due {}  owner {}  {}{}\n",
                f.id,
                f.state.to_string(),
                f.due_at
                    .map(|d| d.with_timezone(&zone).format("%Y-%m-%d").to_string())
                    .unwrap_or_else(|| "-".into()),
                f.owner.as_deref().unwrap_or("-"),
                sanitize_line(&f.title),
                f.wont_do_reason
                    .as_deref()
                    .map(|r| format!(" — won't do: {}", sanitize_line(r)))
                    .unwrap_or_default()
            ));
        }
    }
    out
}
