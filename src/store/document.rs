//! The whole store as one JSON document, and reading it back: what `watchfloor export
//! --json` writes and `watchfloor import json` reads.

use crate::domain::Timestamp;
use crate::store::{LATEST_SCHEMA_VERSION, TableDump};
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "watchfloor";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreExport {
    pub format: String,
    pub schema_version: i64,
    pub exported_at: Timestamp,
    pub tables: Vec<TableDump>,
}

impl StoreExport {
    pub fn new(tables: Vec<TableDump>, now: Timestamp) -> StoreExport {
        StoreExport {
            format: FORMAT.into(),
            schema_version: LATEST_SCHEMA_VERSION,
            exported_at: now,
            tables,
        }
    }

    /// Reads a document, refusing another format or another schema version.
    pub fn parse(text: &str) -> Result<StoreExport, String> {
        let doc: StoreExport =
            serde_json::from_str(text).map_err(|e| format!("not a watchfloor export: {e}"))?;
        if doc.format != FORMAT {
            return Err(format!("format '{}' is not '{FORMAT}'", doc.format));
        }
        if doc.schema_version != LATEST_SCHEMA_VERSION {
            return Err(format!(
                "it was written by schema version {}, this watchfloor has {LATEST_SCHEMA_VERSION}: import it with the same version",
                doc.schema_version
            ));
        }
        Ok(doc)
    }
}
