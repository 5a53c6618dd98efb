//! Time is injected, so that every rule that depends on "now" is testable.

use chrono::{DateTime, TimeZone, Utc};
use std::sync::Mutex;

pub type Timestamp = DateTime<Utc>;

pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The wall clock, truncated to whole seconds (the store's resolution).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        from_epoch_seconds(Utc::now().timestamp())
    }
}

/// A clock that stands still until told to move; for tests and for demo generation.
#[derive(Debug)]
pub struct FixedClock(Mutex<Timestamp>);

impl FixedClock {
    pub fn at(time: Timestamp) -> Self {
        FixedClock(Mutex::new(time))
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }

    pub fn set(&self, to: Timestamp) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = to;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Seconds since the epoch, as stored, back to a timestamp. Out-of-range values clamp
/// to the epoch rather than panic: a corrupt row must not take the console down.
pub fn from_epoch_seconds(secs: i64) -> Timestamp {
    Utc.timestamp_opt(secs, 0).single().unwrap_or_default()
}

/// A compact age for lists: `45s`, `12m`, `5h`, `3d`, `7w`.
pub fn format_age(from: Timestamp, now: Timestamp) -> String {
    let secs = (now - from).num_seconds().max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3_600),
        s if s < 86_400 * 14 => format!("{}d", s / 86_400),
        s => format!("{}w", s / (86_400 * 7)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let t0 = from_epoch_seconds(1_700_000_000);
        let clock = FixedClock::at(t0);
        assert_eq!(clock.now(), t0);
        clock.advance(chrono::Duration::minutes(5));
        assert_eq!(clock.now(), from_epoch_seconds(1_700_000_300));
    }

    #[test]
    fn ages_are_compact_at_each_boundary() {
        let t0 = from_epoch_seconds(1_700_000_000);
        let at = |s: i64| format_age(t0, from_epoch_seconds(1_700_000_000 + s));
        assert_eq!(at(0), "0s");
        assert_eq!(at(59), "59s");
        assert_eq!(at(60), "1m");
        assert_eq!(at(3_599), "59m");
        assert_eq!(at(3_600), "1h");
        assert_eq!(at(86_399), "23h");
        assert_eq!(at(86_400), "1d");
        assert_eq!(at(86_400 * 14), "2w");
        assert_eq!(at(-50), "0s", "clock skew never shows a negative age");
    }
}
