//! Readings of the KPIs other systems measure, from a CSV file: a header row naming
//! the columns `kpi` (or `name`), `value`, `at` (a day or an RFC 3339 moment), and
//! optionally `service` and `source` (the file's name when left out), one reading a
//! row. A problem names the file's line.

use crate::domain::kpi_reading::{KpiReading, RecordedKpi};

/// Most rows one file may hold.
pub const MAX_ROWS: usize = 100_000;

/// Reads the readings of `text`; `source` is the source of rows that name none.
pub fn parse(text: &str, source: &str, tz: chrono_tz::Tz) -> Result<Vec<KpiReading>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("line 1: {e}"))?
        .iter()
        .map(|h| h.to_lowercase())
        .collect();
    let column = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (Some(kpi), Some(value), Some(at)) = (
        column(&["kpi", "name"]),
        column(&["value"]),
        column(&["at", "date", "time"]),
    ) else {
        return Err(format!(
            "line 1: the header needs kpi, value and at columns (and may have service and source); it has {}",
            headers.join(", ")
        ));
    };
    let service = column(&["service"]);
    let from = column(&["source"]);
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        if out.len() == MAX_ROWS {
            return Err(format!(
                "line {line}: more than {MAX_ROWS} readings in one file"
            ));
        }
        let cell = |c: usize| record.get(c).unwrap_or_default();
        let kpi: RecordedKpi = cell(kpi).parse().map_err(|e| format!("line {line}: {e}"))?;
        let value: f64 = cell(value)
            .parse()
            .map_err(|_| format!("line {line}: value '{}' is not a number", cell(value)))?;
        kpi.check_value(value)
            .map_err(|e| format!("line {line}: value: {e}"))?;
        let at = crate::import::dates::day_or_moment(cell(at), tz)
            .map_err(|e| format!("line {line}: at: {e}"))?;
        let service = service
            .map(cell)
            .filter(|s| !s.is_empty())
            .map(String::from);
        let source = from
            .map(cell)
            .filter(|s| !s.is_empty())
            .unwrap_or(source)
            .to_string();
        out.push(KpiReading {
            kpi,
            value,
            at,
            service,
            source,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_with_their_defaults_and_a_bad_row_names_its_line() {
        let text = "\u{feff}KPI,Value,At,Service\n\
                    endpoint_compliance,0.97,2026-11-30,\n\
                    patch_compliance,0.88,2026-11-30T09:00:00Z,vpn\n\
                    \n";
        let r = parse(text, "intune.csv", chrono_tz::UTC).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].service, None);
        assert_eq!(r[0].source, "intune.csv");
        assert_eq!(r[1].service.as_deref(), Some("vpn"));
        let bad = "kpi,value,at\nendpoint_compliance,97,2026-11-30\n";
        let e = parse(bad, "x.csv", chrono_tz::UTC).unwrap_err();
        assert!(e.starts_with("line 2: value: 97 is not a share"), "{e}");
        let e = parse("kpi,value,at\nuptime,1,2026-11-30\n", "x", chrono_tz::UTC).unwrap_err();
        assert!(e.starts_with("line 2: ") && e.contains("uptime"), "{e}");
        let e = parse("name,value\n", "x", chrono_tz::UTC).unwrap_err();
        assert!(e.contains("needs kpi, value and at"), "{e}");
    }
}
