//! The listener's per-source limits: a token bucket of requests a minute for each
//! address, and how many connections one address may hold at once, so one sender (a
//! loop gone wrong, or a hostile one) cannot take the listener from the others.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// Addresses remembered at most; past this, the idlest are forgotten (they start full).
const MAX_SOURCES: usize = 4096;

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    filled_at: Instant,
    connections: usize,
}

/// Why a source was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Over its requests a minute: try again after this many seconds.
    TooMany { retry_after_seconds: u64 },
    /// Holding too many connections already.
    TooManyConnections,
}

#[derive(Debug)]
pub struct SourceLimits {
    per_minute: u32,
    connections_per_source: usize,
    sources: Mutex<HashMap<IpAddr, Bucket>>,
}

impl SourceLimits {
    /// `per_minute` requests a minute from one address (0: no limit), in bursts of as
    /// many; at most `connections_per_source` connections from it at once.
    pub fn new(per_minute: u32, connections_per_source: usize) -> SourceLimits {
        SourceLimits {
            per_minute,
            connections_per_source: connections_per_source.max(1),
            sources: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `source`'s allowance and one connection slot, or says why not.
    pub fn admit(&self, source: IpAddr, now: Instant) -> Result<(), Refusal> {
        let mut sources = self.sources.lock().unwrap_or_else(|e| e.into_inner());
        if sources.len() >= MAX_SOURCES && !sources.contains_key(&source) {
            sources.retain(|_, b| b.connections > 0);
        }
        let full = f64::from(self.per_minute);
        let bucket = sources.entry(source).or_insert(Bucket {
            tokens: full,
            filled_at: now,
            connections: 0,
        });
        if bucket.connections >= self.connections_per_source {
            return Err(Refusal::TooManyConnections);
        }
        if self.per_minute > 0 {
            let elapsed = now
                .saturating_duration_since(bucket.filled_at)
                .as_secs_f64();
            bucket.tokens = (bucket.tokens + elapsed * full / 60.0).min(full);
            bucket.filled_at = now;
            if bucket.tokens < 1.0 {
                let wait = (1.0 - bucket.tokens) * 60.0 / full;
                return Err(Refusal::TooMany {
                    retry_after_seconds: wait.ceil().max(1.0) as u64,
                });
            }
            bucket.tokens -= 1.0;
        }
        bucket.connections += 1;
        Ok(())
    }

    /// The connection `admit` let in has ended.
    pub fn release(&self, source: IpAddr) {
        let mut sources = self.sources.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(b) = sources.get_mut(&source) {
            b.connections = b.connections.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_source_gets_its_burst_then_its_rate_and_others_are_untouched() {
        let limits = SourceLimits::new(60, 100);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t = Instant::now();
        for _ in 0..60 {
            limits.admit(a, t).unwrap();
            limits.release(a);
        }
        assert_eq!(
            limits.admit(a, t),
            Err(Refusal::TooMany {
                retry_after_seconds: 1
            })
        );
        assert!(limits.admit(b, t).is_ok(), "another source has its own");
        assert!(
            limits.admit(a, t + Duration::from_secs(1)).is_ok(),
            "one a second comes back"
        );
        assert!(limits.admit(a, t + Duration::from_secs(1)).is_err());
    }

    #[test]
    fn connections_held_at_once_are_capped_per_source() {
        let limits = SourceLimits::new(0, 2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let t = Instant::now();
        limits.admit(a, t).unwrap();
        limits.admit(a, t).unwrap();
        assert_eq!(limits.admit(a, t), Err(Refusal::TooManyConnections));
        limits.release(a);
        assert!(limits.admit(a, t).is_ok());
    }
}
