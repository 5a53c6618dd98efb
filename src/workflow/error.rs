use crate::domain::ticket::InvalidTransition;
use crate::store::StoreError;

/// Why a workflow call was refused. Each names the record or field concerned.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("{key}: {source}")]
    Transition {
        key: String,
        #[source]
        source: InvalidTransition,
    },
    #[error("{0} does not exist")]
    NotFound(String),
    #[error("{key} was changed since you opened it — {}; reload to see the change", changes.join("; "))]
    Stale { key: String, changes: Vec<String> },
    #[error("{0}")]
    Directory(super::directory::DirectoryProblems),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl WorkflowError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        WorkflowError::Invalid {
            field,
            message: message.into(),
        }
    }
}
