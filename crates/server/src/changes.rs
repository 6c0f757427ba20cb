//! Hearing what other server processes on the same PostgreSQL database changed (ADR 0038): a
//! calendar another process edited is read again before its next use.

use onewindow_store::{Announcement, StoreError};

use crate::AppState;

/// Starts listening for `state`'s process; none on SQLite, where one process serves.
pub async fn spawn(state: AppState) -> Result<Option<tokio::task::JoinHandle<()>>, StoreError> {
    let Some(mut ear) = state.store.announcements().await? else {
        return Ok(None);
    };
    Ok(Some(tokio::spawn(async move {
        loop {
            match ear.next().await {
                Ok(Announcement::Calendar(region)) => state.forget_calendar(&region),
                // What was told while the connection was down is unknown: read every calendar
                // again.
                Ok(Announcement::Missed) => state.forget_calendars(),
                Err(e) => {
                    tracing::warn!("listening for other processes' changes: {e}");
                    state.forget_calendars();
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    })))
}
