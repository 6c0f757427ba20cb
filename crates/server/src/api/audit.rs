//! The audit log as the centre admin and the supervisors read it: who did what, to what, when and
//! from where, filtered and paged newest first.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use onewindow_domain::audit::may_read_log;
use onewindow_store::{AuditEntry, AuditFilter};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::problem::{ApiError, Params};
use crate::session::Caller;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

/// Entries a page holds at most.
const MAX_LIMIT: i64 = 200;
/// Longest text a filter takes.
const MAX_FILTER_CHARS: usize = 100;
/// ms in a day, and China's offset from UTC.
const DAY_MS: i64 = 24 * 3600 * 1000;
const CHINA_OFFSET_MS: i64 = 8 * 3600 * 1000;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct AuditQuery {
    /// Who acted: a staff username.
    actor: Option<String>,
    /// What they did, e.g. `login_failed`, `calendar_edited`, `identity_revealed`.
    action: Option<String>,
    /// Text the entry's details contain: a username, a case number, an item code.
    object: Option<String>,
    /// First day (China), YYYY-MM-DD.
    from: Option<NaiveDate>,
    /// Last day (China), YYYY-MM-DD.
    to: Option<NaiveDate>,
    /// Entries older than this sequence number (the page before's `next_before`).
    before: Option<i64>,
    /// 1 to 200; default 50.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

/// One entry of the audit log.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditRecord {
    seq: i64,
    at_ms: i64,
    actor_id: String,
    /// The actor's username and name, when the actor is staff.
    actor_username: Option<String>,
    actor_name: Option<String>,
    action: String,
    /// The client address the request came from, where it was recorded.
    address: Option<String>,
    /// What the action concerned, as recorded.
    #[schema(value_type = Object)]
    details: serde_json::Value,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    entries: Vec<AuditRecord>,
    /// Pass as `before` for the next (older) page; `null` on the last page.
    next_before: Option<i64>,
}

fn filter_text(field: &str, value: Option<String>) -> Result<Option<String>, ApiError> {
    let value = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    if value
        .as_ref()
        .is_some_and(|v| v.chars().count() > MAX_FILTER_CHARS)
    {
        return Err(ApiError::invalid(
            field,
            "filter_too_long",
            format!("筛选条件不能超过 {MAX_FILTER_CHARS} 个字符"),
            format!("a filter is at most {MAX_FILTER_CHARS} characters"),
        ));
    }
    Ok(value)
}

/// The first moment of `day` in China, in ms.
fn day_start_ms(day: NaiveDate) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    midnight.and_utc().timestamp_millis() - CHINA_OFFSET_MS
}

/// The audit log, newest first (centre admin and supervisors).
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditQuery),
    security(("session" = [])),
    responses((status = 200, body = AuditPage,
        description = "A page of the audit log, newest first")))]
async fn list_audit(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    let Caller::Staff(me) = &caller else {
        return Err(ApiError::forbidden());
    };
    if !may_read_log(&me.roles) {
        return Err(ApiError::forbidden());
    }
    let limit = q.limit.unwrap_or(50);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            "limit_out_of_range",
            format!("每页条数须在 1 到 {MAX_LIMIT} 之间"),
            format!("limit must be 1..={MAX_LIMIT}"),
        ));
    }
    if let (Some(from), Some(to)) = (q.from, q.to)
        && from > to
    {
        return Err(ApiError::invalid(
            "to",
            "date_range_reversed",
            "结束日期不能早于开始日期".into(),
            "the last day is before the first".into(),
        ));
    }
    let actor = match filter_text("actor", q.actor)? {
        // An unknown username has done nothing: the filter keeps no entry.
        Some(username) => Some(
            state
                .store
                .staff_by_username(&username)
                .await?
                .map_or(username, |s| s.id),
        ),
        None => None,
    };
    let filter = AuditFilter {
        actor,
        action: filter_text("action", q.action)?,
        object: filter_text("object", q.object)?,
        from_ms: q.from.map(day_start_ms),
        until_ms: q.to.map(|d| day_start_ms(d) + DAY_MS),
    };
    let entries = state.store.audit_page(&filter, q.before, limit).await?;
    let next_before = (entries.len() as i64 == limit)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    let ids: Vec<&str> = entries.iter().map(|e| e.actor_id.as_str()).collect();
    let staff = state.store.staff_by_ids(&ids).await?;
    let entries = entries
        .into_iter()
        .map(|e: AuditEntry| {
            let who = staff.iter().find(|s| s.id == e.actor_id);
            let mut details: serde_json::Value =
                serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null);
            let address = details
                .as_object_mut()
                .and_then(|d| d.remove("address"))
                .and_then(|a| a.as_str().map(str::to_owned));
            AuditRecord {
                seq: e.seq,
                at_ms: e.at_ms,
                actor_username: who.map(|s| s.username.clone()),
                actor_name: who.map(|s| s.name.clone()),
                actor_id: e.actor_id,
                action: e.action,
                address,
                details,
            }
        })
        .collect();
    Ok(Json(AuditPage {
        entries,
        next_before,
    }))
}
