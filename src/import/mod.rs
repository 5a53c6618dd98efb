//! Tickets from other ITSM tools: readers that turn an export into tickets with their
//! history, and the problems found on the way (with line numbers). Pure: reading a
//! file never writes; `Workflow::import_tickets` does, in one transaction.

pub mod article_file;
pub mod dates;
pub mod kpi_csv;
pub mod ldap;
pub mod mapping;
pub mod org_file;
pub mod people_csv;
pub mod servicenow;

use crate::domain::Ticket;
use crate::domain::ticket::TicketTransition;
use serde::Serialize;

/// One ticket from elsewhere, with what happened to it there.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Its number in the other tool: what makes a re-import skip it.
    pub external_id: String,
    /// Key 0: the store numbers it.
    pub ticket: Ticket,
    /// In order; the ticket keys are filled in when written.
    pub transitions: Vec<TicketTransition>,
    pub reassignments: Vec<Reassignment>,
    /// What the requester said with their rating (`csat_comment`), kept beside it.
    pub csat_comment: String,
}

pub use crate::domain::ticket::Reassignment;

/// A row that could not be read: where, and why. Reported, never fatal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub line: u64,
    pub message: String,
}

/// What an export held.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub rows: u64,
    pub records: Vec<Imported>,
    pub problems: Vec<RowProblem>,
}

/// A file that cannot be read at all (missing columns, not CSV).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ImportError(pub String);

/// A CSV export's header: where each named column is (a BOM before the first is ignored).
pub(crate) struct Header(csv::StringRecord);

impl Header {
    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        self.0
            .iter()
            .position(|h| h.trim().trim_start_matches('\u{feff}') == name)
    }
}

/// A CSV reader over an export, with its header read. Rows may have any number of
/// fields: a short row is reported by the reader of that format, not refused here.
pub(crate) fn csv_reader<R: std::io::Read>(
    input: R,
) -> Result<(csv::Reader<R>, Header), ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header = reader
        .headers()
        .map_err(|e| ImportError(format!("not a CSV file: {e}")))?
        .clone();
    Ok((reader, Header(header)))
}

/// Hands every record to `each` with the line it starts on, counting the rows; a record
/// that is not even CSV is a problem at its line.
pub(crate) fn each_record<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    parsed: &mut Parsed,
    mut each: impl FnMut(&csv::StringRecord, u64, &mut Parsed),
) {
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                parsed.rows += 1;
                each(&record, line, parsed);
            }
            Err(e) => parsed.problems.push(RowProblem {
                line,
                message: format!("unreadable row: {e}"),
            }),
        }
    }
}
