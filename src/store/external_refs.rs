//! Which tickets came from which record of another tool.

use super::db::params;
use super::{Store, StoreError, WriteTx};
use crate::domain::TicketKey;
use std::collections::HashSet;

impl Store {
    /// The external ids already imported from `source`.
    pub fn external_ids(&self, source: &str) -> Result<HashSet<String>, StoreError> {
        let rows = self.db.query_map(
            "SELECT external_id FROM external_refs WHERE source = ?1",
            params![source],
            |r| r.get(0),
        )?;
        Ok(rows.into_iter().collect())
    }
}

impl WriteTx<'_> {
    pub fn insert_external_ref(
        &self,
        source: &str,
        external_id: &str,
        ticket: TicketKey,
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO external_refs (source, external_id, ticket_id) VALUES (?1, ?2, ?3)",
            params![source, external_id, ticket.0],
        )?;
        Ok(())
    }
}
