//! An auditor's bundle of the controls of a period, written into a directory:
//!
//! - `index.md`: what was done, waived and is overdue, the recovery measured against
//!   its targets, the findings, every file with its SHA-256, and each control's trail
//!   (who did what, when) from the audit log;
//! - `index.csv`: one row per piece of evidence of each occurrence (a waiver: one row);
//! - `findings.csv` and `audit.csv`;
//! - `evidence/CTL-n/RUN-NAME`: each evidence file as it was kept, its SHA-256 checked
//!   again on the way out, and `SHA256SUMS` for `sha256sum -c`.
//!
//! A directory already holding files is refused, so two bundles never mix.

use crate::config::Config;
use crate::domain::Timestamp;
use crate::domain::control::{Control, ControlRun, EvidenceKind, Finding};
use crate::domain::{markdown_text, spreadsheet_cell};
use crate::store::{AuditEntry, Store};
use sha2::Digest;
use std::collections::BTreeMap;
use std::path::Path;

/// What a bundle holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub runs: usize,
    pub files: usize,
    pub findings: usize,
}

pub fn write(
    store: &Store,
    config: &Config,
    from: Timestamp,
    to: Timestamp,
    out: &Path,
    now: Timestamp,
) -> Result<Written, String> {
    if out.exists() {
        let mut entries = std::fs::read_dir(out).map_err(|e| e.to_string())?;
        if entries.next().is_some() {
            return Err("the directory is not empty; give a new or empty one".into());
        }
    }
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let zone = config.business_hours.time_zone.0;
    let local = |t: Timestamp| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
    let today = now.with_timezone(&zone).date_naive();
    let controls: BTreeMap<i64, Control> = store
        .controls()
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|c| (c.number, c))
        .collect();
    let runs = store
        .control_runs_between(from, to)
        .map_err(|e| e.to_string())?;
    let overdue: Vec<&Control> = controls
        .values()
        .filter(|c| c.days_overdue(today).is_some())
        .collect();
    // The controls the bundle speaks of: those with an occurrence in it, and those overdue.
    let mut concerned: Vec<i64> = runs.iter().map(|r| r.control).collect();
    concerned.extend(overdue.iter().map(|c| c.number));
    concerned.sort_unstable();
    concerned.dedup();
    let mut findings: Vec<Finding> = Vec::new();
    let mut trails: BTreeMap<i64, Vec<AuditEntry>> = BTreeMap::new();
    for number in &concerned {
        findings.extend(
            store
                .control_findings(*number)
                .map_err(|e| e.to_string())?
                .into_iter()
                .filter(|f| f.created_at < to && (f.is_open() || f.created_at >= from)),
        );
        trails.insert(
            *number,
            store
                .audit_for(&format!("CTL-{number}"))
                .map_err(|e| e.to_string())?
                .into_iter()
                .filter(|a| a.at >= from && a.at < to)
                .collect(),
        );
    }

    let files = write_evidence(out, &runs)?;
    let name = |n: i64| {
        controls
            .get(&n)
            .map(|c| c.title.clone())
            .unwrap_or_default()
    };

    // index.csv
    let mut csv = csv::Writer::from_writer(Vec::new());
    let cell = |s: &str| spreadsheet_cell(&crate::domain::sanitize_line(s));
    let header = [
        "control",
        "title",
        "kind",
        "service",
        "due_on",
        "outcome",
        "at",
        "by",
        "rto_minutes",
        "rto_target",
        "rpo_minutes",
        "rpo_target",
        "evidence_kind",
        "evidence",
        "sha256",
        "file",
    ];
    csv.write_record(header).map_err(|e| e.to_string())?;
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    for r in &runs {
        let c = controls.get(&r.control);
        let base = vec![
            format!("CTL-{}", r.control),
            cell(&name(r.control)),
            c.map(|c| c.kind.to_string()).unwrap_or_default(),
            cell(&c.and_then(|c| c.service.clone()).unwrap_or_default()),
            r.due_on.to_string(),
            r.outcome.to_string(),
            r.at.to_rfc3339(),
            cell(&r.actor),
            opt(r.recovery.rto_minutes),
            opt(r.recovery.rto_target),
            opt(r.recovery.rpo_minutes),
            opt(r.recovery.rpo_target),
        ];
        let pieces: Vec<[String; 4]> = if r.evidence.is_empty() {
            vec![[String::new(), cell(&r.reason), String::new(), String::new()]]
        } else {
            r.evidence
                .iter()
                .map(|e| {
                    [
                        e.kind.to_string(),
                        cell(&e.text),
                        e.sha256.clone().unwrap_or_default(),
                        files
                            .get(&(r.id, e.text.clone()))
                            .cloned()
                            .unwrap_or_default(),
                    ]
                })
                .collect()
        };
        for piece in pieces {
            let mut row = base.clone();
            row.extend(piece);
            csv.write_record(&row).map_err(|e| e.to_string())?;
        }
    }
    write_file(
        out,
        "index.csv",
        &csv.into_inner().map_err(|e| e.to_string())?,
    )?;

    // findings.csv
    let mut fcsv = csv::Writer::from_writer(Vec::new());
    fcsv.write_record([
        "finding", "control", "title", "owner", "state", "due", "opened", "closed", "reason",
    ])
    .map_err(|e| e.to_string())?;
    for f in &findings {
        fcsv.write_record([
            f.id.to_string(),
            format!("CTL-{}", f.control),
            cell(&f.title),
            cell(f.owner.as_deref().unwrap_or("")),
            f.state.to_string(),
            f.due_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            f.created_at.to_rfc3339(),
            f.closed_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            cell(f.wont_do_reason.as_deref().unwrap_or("")),
        ])
        .map_err(|e| e.to_string())?;
    }
    write_file(
        out,
        "findings.csv",
        &fcsv.into_inner().map_err(|e| e.to_string())?,
    )?;

    // audit.csv
    let mut acsv = csv::Writer::from_writer(Vec::new());
    acsv.write_record(["at", "actor", "control", "action", "detail"])
        .map_err(|e| e.to_string())?;
    for entries in trails.values() {
        for a in entries {
            acsv.write_record([
                a.at.to_rfc3339(),
                cell(&a.actor),
                a.entity.clone(),
                a.action.clone(),
                cell(&a.after.as_ref().map(|v| v.to_string()).unwrap_or_default()),
            ])
            .map_err(|e| e.to_string())?;
        }
    }
    write_file(
        out,
        "audit.csv",
        &acsv.into_inner().map_err(|e| e.to_string())?,
    )?;

    // index.md
    let md = |s: &str| markdown_text(&crate::domain::sanitize_line(s)).replace('|', "\\|");
    let done = runs
        .iter()
        .filter(|r| r.outcome == crate::domain::control::RunOutcome::Done)
        .count();
    let mut text = format!(
        "# Operational controls evidence, {} to {}\n\nWritten {} by watchfloor. {} occurrences done, {} waived; {} controls overdue now; {} findings, {} still open.\n",
        local(from),
        local(to),
        local(now),
        done,
        runs.len() - done,
        overdue.len(),
        findings.len(),
        findings.iter().filter(|f| f.is_open()).count()
    );
    text.push_str(
        "\n## Occurrences\n\n| control | title | due | outcome | when | by | recovery | evidence |\n|---|---|---|---|---|---|---|---|\n",
    );
    for r in &runs {
        let evidence: Vec<String> = r
            .evidence
            .iter()
            .map(|e| match e.kind {
                EvidenceKind::File => files
                    .get(&(r.id, e.text.clone()))
                    .map(|path| format!("[{}](<{path}>)", md(&e.text)))
                    .unwrap_or_else(|| md(&e.text)),
                EvidenceKind::Link => format!("<{}>", md(&e.text)),
                EvidenceKind::Text => md(&e.text),
            })
            .collect();
        let evidence = if evidence.is_empty() {
            format!("waived: {}", md(&r.reason))
        } else {
            evidence.join("; ")
        };
        text.push_str(&format!(
            "| CTL-{} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.control,
            md(&name(r.control)),
            r.due_on,
            r.outcome,
            local(r.at),
            md(&r.actor),
            md(&r.recovery.shown()),
            evidence
        ));
    }
    if runs.is_empty() {
        text.push_str("| — | nothing done or waived in the period | | | | | | |\n");
    }
    text.push_str("\n## Overdue now\n\n");
    if overdue.is_empty() {
        text.push_str("None.\n");
    }
    for c in &overdue {
        text.push_str(&format!(
            "- CTL-{} {} — due {}, {} days overdue (owner {})\n",
            c.number,
            md(&c.title),
            c.due_on.map(|d| d.to_string()).unwrap_or_default(),
            c.days_overdue(today).unwrap_or(0),
            md(&c.owner)
        ));
    }
    text.push_str("\n## Findings\n\n");
    if findings.is_empty() {
        text.push_str("None.\n");
    }
    for f in &findings {
        text.push_str(&format!(
            "- #{} CTL-{} {} — {} (owner {}, due {})\n",
            f.id,
            f.control,
            md(&f.title),
            f.state,
            md(f.owner.as_deref().unwrap_or("-")),
            f.due_at
                .map(|t| t.with_timezone(&zone).format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "-".into())
        ));
    }
    text.push_str("\n## Evidence files\n\n");
    if files.is_empty() {
        text.push_str("None.\n");
    }
    for r in &runs {
        for e in r.evidence.iter().filter(|e| e.kind == EvidenceKind::File) {
            if let Some(path) = files.get(&(r.id, e.text.clone())) {
                text.push_str(&format!(
                    "- `{path}` — {} bytes, SHA-256 `{}`\n",
                    e.size.unwrap_or(0),
                    e.sha256.as_deref().unwrap_or("")
                ));
            }
        }
    }
    text.push_str("\n## Who did what, when\n");
    for (number, entries) in &trails {
        text.push_str(&format!("\n### CTL-{number} {}\n\n", md(&name(*number))));
        if entries.is_empty() {
            text.push_str("Nothing in the period.\n");
        }
        for a in entries {
            text.push_str(&format!(
                "- {} {} {}\n",
                local(a.at),
                md(&a.actor),
                a.action
            ));
        }
    }
    write_file(out, "index.md", text.as_bytes())?;
    Ok(Written {
        runs: runs.len(),
        files: files.len(),
        findings: findings.len(),
    })
}

/// Writes each evidence file and `SHA256SUMS`; the path of each by run and name.
fn write_evidence(
    out: &Path,
    runs: &[ControlRun],
) -> Result<BTreeMap<(i64, String), String>, String> {
    let mut paths = BTreeMap::new();
    let mut sums = String::new();
    for r in runs {
        for e in r.evidence.iter().filter(|e| e.kind == EvidenceKind::File) {
            let bytes = e.bytes().ok_or_else(|| {
                format!(
                    "CTL-{}: the file {} was not kept readable",
                    r.control, e.text
                )
            })?;
            let hash = crate::domain::page_link::hex(&sha2::Sha256::digest(&bytes));
            if Some(hash.as_str()) != e.sha256.as_deref() {
                return Err(format!(
                    "CTL-{}: the file {} no longer matches its SHA-256",
                    r.control, e.text
                ));
            }
            let dir = format!("evidence/CTL-{}", r.control);
            std::fs::create_dir_all(out.join(&dir)).map_err(|e| e.to_string())?;
            let path = format!("{dir}/{}-{}", r.id, e.text);
            write_file(out, &path, &bytes)?;
            sums.push_str(&format!("{hash}  {path}\n"));
            paths.insert((r.id, e.text.clone()), path);
        }
    }
    write_file(out, "SHA256SUMS", sums.as_bytes())?;
    Ok(paths)
}

fn write_file(out: &Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(out.join(name), bytes).map_err(|e| format!("{name}: {e}"))
}
