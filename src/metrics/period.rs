//! The period a KPI covers: the last 7, 30 or 90 days, the current quarter, or a custom
//! range; and the period before it, for trends.

use crate::domain::Timestamp;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Timestamp,
    pub to: Timestamp,
}

impl Period {
    /// `7d`, `30d`, `90d`, `quarter` (the calendar quarter so far) or `YYYY-MM-DD..YYYY-MM-DD`.
    pub fn parse(text: &str, now: Timestamp) -> Result<Period, String> {
        let t = text.trim();
        if let Some(days) = t
            .strip_suffix('d')
            .and_then(|d| d.parse::<i64>().ok())
            .filter(|d| *d > 0)
        {
            return Ok(Period {
                from: now - Duration::days(days),
                to: now,
            });
        }
        if t == "quarter" {
            let month = (now.month0() / 3) * 3 + 1;
            let start = NaiveDate::from_ymd_opt(now.year(), month, 1).ok_or("bad quarter")?;
            return Ok(Period {
                from: Utc.from_utc_datetime(&start.and_hms_opt(0, 0, 0).unwrap_or_default()),
                to: now,
            });
        }
        if let Some((a, b)) = t.split_once("..") {
            let day = |s: &str| {
                NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                    .map_err(|_| format!("'{s}' is not YYYY-MM-DD"))
            };
            let (from, to) = (day(a)?, day(b)?);
            if to < from {
                return Err(format!("'{t}': the end is before the start"));
            }
            let at =
                |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default());
            return Ok(Period {
                from: at(from),
                to: at(to) + Duration::days(1),
            });
        }
        Err(format!(
            "'{t}' is not a period (7d, 30d, 90d, quarter, or YYYY-MM-DD..YYYY-MM-DD)"
        ))
    }

    /// The period of the same length just before this one.
    pub fn previous(self) -> Period {
        let length = self.to - self.from;
        Period {
            from: self.from - length,
            to: self.from,
        }
    }

    /// Whether an instant falls in `[from, to)`.
    pub fn contains(self, t: Timestamp) -> bool {
        self.from <= t && t < self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::fixtures::utc;

    #[test]
    fn periods_parse_and_have_a_previous() {
        let now = utc("2026-11-23 12:00");
        let p = Period::parse("30d", now).unwrap();
        assert_eq!((p.from, p.to), (utc("2026-10-24 12:00"), now));
        assert_eq!(p.previous().to, p.from);
        assert_eq!(
            Period::parse("quarter", now).unwrap().from,
            utc("2026-10-01 00:00")
        );
        let custom = Period::parse("2026-11-01..2026-11-07", now).unwrap();
        assert_eq!(
            (custom.from, custom.to),
            (utc("2026-11-01 00:00"), utc("2026-11-08 00:00"))
        );
        assert!(
            custom.contains(utc("2026-11-07 23:59")) && !custom.contains(utc("2026-11-08 00:00")),
            "half-open"
        );
        assert!(
            Period::parse("fortnight", now)
                .unwrap_err()
                .contains("not a period")
        );
        assert!(Period::parse("2026-11-07..2026-11-01", now).is_err());
    }
}
