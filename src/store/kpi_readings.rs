//! Readings of the KPIs other systems measure: one per KPI, time and service.

use super::db::params;
use super::row::secs;
use super::{Store, StoreError, WriteTx};
use crate::domain::Timestamp;
use crate::domain::kpi_reading::KpiReading;

impl Store {
    /// The readings measured in `[from, to)`, oldest first.
    pub fn kpi_readings_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<KpiReading>, StoreError> {
        self.db.query_map(
            "SELECT kpi, value, at, service, source FROM kpi_readings
             WHERE at >= ?1 AND at < ?2 ORDER BY at, kpi, service",
            params![secs(from), secs(to)],
            |r| {
                let service: String = r.get(3)?;
                Ok(KpiReading {
                    kpi: r.parsed(0)?,
                    value: r.get(1)?,
                    at: r.ts(2)?,
                    service: (!service.is_empty()).then_some(service),
                    source: r.get(4)?,
                })
            },
        )
    }
}

impl WriteTx<'_> {
    /// Writes a reading, replacing the one of the same KPI, time and service; whether
    /// anything changed.
    pub fn put_kpi_reading(
        &self,
        r: &KpiReading,
        by: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let service = r.service.clone().unwrap_or_default();
        let before: Option<(f64, String)> = self.tx.query_opt(
            "SELECT value, source FROM kpi_readings WHERE kpi = ?1 AND at = ?2 AND service = ?3",
            params![r.kpi.as_str(), secs(r.at), service],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        match before {
            Some((value, source)) if value == r.value && source == r.source => Ok(false),
            Some(_) => {
                self.tx.execute(
                    "UPDATE kpi_readings SET value = ?4, source = ?5, recorded_by = ?6,
                        recorded_at = ?7 WHERE kpi = ?1 AND at = ?2 AND service = ?3",
                    params![
                        r.kpi.as_str(),
                        secs(r.at),
                        service,
                        r.value,
                        r.source,
                        by,
                        secs(now)
                    ],
                )?;
                Ok(true)
            }
            None => {
                self.tx.execute(
                    "INSERT INTO kpi_readings (kpi, value, at, service, source, recorded_by,
                        recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        r.kpi.as_str(),
                        r.value,
                        secs(r.at),
                        service,
                        r.source,
                        by,
                        secs(now)
                    ],
                )?;
                Ok(true)
            }
        }
    }
}
