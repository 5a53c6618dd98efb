//! Recording a requester's satisfaction with a resolved ticket: the rating on the
//! ticket (through the ticket's one change path, versioned and audited) and the answer
//! in full beside it, in one transaction.

use super::{LATEST_VERSION, Workflow, WorkflowError};
use crate::domain::csat::{MAX_COMMENT, check_rating};
use crate::domain::ticket::TicketState;
use crate::domain::{Ticket, TicketKey};
use crate::store::{CsatResponse, WriteTx};

impl Workflow<'_> {
    /// Records a rating (1 to 5) and a comment for a resolved or closed ticket; `via`
    /// says how it came (`hand`, `import`, `survey`). A later answer replaces an
    /// earlier one.
    pub fn record_csat(
        &self,
        key: TicketKey,
        rating: i64,
        comment: &str,
        via: &str,
    ) -> Result<Ticket, WorkflowError> {
        let answer = self.csat_answer(rating, comment, via)?;
        self.store.write(|tx| self.record_csat_in(tx, key, &answer))
    }

    /// An answer checked: the rating one of 1 to 5, the comment clean and not too long.
    pub(super) fn csat_answer(
        &self,
        rating: i64,
        comment: &str,
        via: &str,
    ) -> Result<CsatResponse, WorkflowError> {
        check_rating(rating).map_err(|e| WorkflowError::invalid("rating", e))?;
        let comment = super::tickets::clean_text("comment", comment)?;
        let comment = comment.trim().to_string();
        if comment.chars().count() > MAX_COMMENT {
            return Err(WorkflowError::invalid(
                "comment",
                format!("longer than {MAX_COMMENT} characters"),
            ));
        }
        Ok(CsatResponse {
            rating,
            comment,
            answered_at: self.clock.now(),
            via: via.to_string(),
        })
    }

    pub(super) fn record_csat_in(
        &self,
        tx: &WriteTx<'_>,
        key: TicketKey,
        answer: &CsatResponse,
    ) -> Result<Ticket, WorkflowError> {
        self.change_ticket_in(tx, key, LATEST_VERSION, "ticket.csat", |t, tx| {
            if !matches!(t.state, TicketState::Resolved | TicketState::Closed) {
                return Err(WorkflowError::invalid(
                    "ticket",
                    format!(
                        "{key} is {}: satisfaction is asked once it is resolved",
                        t.state
                    ),
                ));
            }
            t.csat = Some(answer.rating);
            tx.put_csat_response(key, answer)?;
            Ok(())
        })
    }
}
