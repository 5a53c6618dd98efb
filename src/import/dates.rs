//! Dates as exports write them.

use crate::domain::Timestamp;
use chrono::{NaiveDateTime, TimeZone};

/// Day first, without zero padding, in a time zone: `29/2/2016 01:16`, `5/3/2016 12:00`.
pub fn day_first(text: &str, tz: chrono_tz::Tz) -> Result<Timestamp, String> {
    let t = text.trim();
    NaiveDateTime::parse_from_str(t, "%d/%m/%Y %H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%d/%m/%Y %H:%M:%S"))
        .map_err(|_| format!("'{t}' is not a date (day/month/year hour:minute)"))
        .and_then(|naive| {
            tz.from_local_datetime(&naive)
                .earliest()
                .map(|t| t.with_timezone(&chrono::Utc))
                .ok_or_else(|| format!("'{t}' does not exist in {tz}"))
        })
}

/// A day (`2026-11-30`, the start of that day in the zone) or a moment in RFC 3339
/// (`2026-11-30T09:00:00Z`), as readings from other systems give them.
pub fn day_or_moment(text: &str, tz: chrono_tz::Tz) -> Result<Timestamp, String> {
    let t = text.trim();
    if let Ok(moment) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(moment.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| format!("'{t}' is not a day (2026-11-30) or a moment (2026-11-30T09:00:00Z)"))
        .and_then(|day| {
            tz.from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
                .earliest()
                .map(|t| t.with_timezone(&chrono::Utc))
                .ok_or_else(|| format!("'{t}' does not begin in {tz}"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::fixtures::utc;

    #[test]
    fn a_day_is_its_start_in_the_zone_and_a_moment_is_itself() {
        let lisbon: chrono_tz::Tz = "Europe/Lisbon".parse().unwrap();
        assert_eq!(
            day_or_moment("2026-07-01", lisbon),
            Ok(utc("2026-06-30 23:00"))
        );
        assert_eq!(
            day_or_moment("2026-07-01T09:30:00+02:00", lisbon),
            Ok(utc("2026-07-01 07:30"))
        );
        assert!(
            day_or_moment("1 July", lisbon)
                .unwrap_err()
                .contains("is not a day")
        );
    }

    #[test]
    fn day_first_dates_without_padding() {
        let tz = chrono_tz::UTC;
        assert_eq!(
            day_first("29/2/2016 01:16", tz),
            Ok(utc("2016-02-29 01:16"))
        );
        assert_eq!(day_first("5/3/2016 12:00", tz), Ok(utc("2016-03-05 12:00")));
        assert_eq!(
            day_first("05/03/2016 12:00:30", tz).unwrap().timestamp() % 60,
            30
        );
        for bad in [
            "?",
            "",
            "2016-03-05 12:00",
            "31/2/2016 10:00",
            "5/13/2016 10:00",
        ] {
            assert!(day_first(bad, tz).is_err(), "{bad}");
        }
        // A time that does not exist (a spring-forward gap) is an error, not a guess.
        let london = chrono_tz::Europe::London;
        assert!(day_first("27/3/2016 01:30", london).is_err());
    }
}
