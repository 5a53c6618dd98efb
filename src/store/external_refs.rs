//! Which tickets came from which record of another tool.

use super::{Store, StoreError, WriteTx};
use crate::domain::TicketKey;
use std::collections::HashSet;

impl Store {
    /// The external ids already imported from `source`.
    pub fn external_ids(&self, source: &str) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT external_id FROM external_refs WHERE source = ?1")?;
        let rows = stmt.query_map([source], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl WriteTx<'_> {
    pub fn insert_external_ref(
        &self,
        source: &str,
        external_id: &str,
        ticket: TicketKey,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO external_refs (source, external_id, ticket_id) VALUES (?1, ?2, ?3)",
            )?
            .execute(rusqlite::params![source, external_id, ticket.0])?;
        Ok(())
    }
}
