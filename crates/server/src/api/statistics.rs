//! Statistics for supervisors and leaders (C15): the kept case counts behind the dashboard.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use onewindow_domain::organisation::Role;
use onewindow_store::CaseCount;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::problem::{ApiError, Params};
use crate::session::Caller;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_case_counts))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct MonthRange {
    /// First month counted, `YYYY-MM`.
    from: Option<String>,
    /// Last month counted, `YYYY-MM`.
    to: Option<String>,
}

/// Cases by department × month of registration × current status, from the counts the store
/// keeps with every change, so the answer costs the same at ten million cases as at ten.
#[utoipa::path(get, path = "/statistics/case-counts", tag = "statistics", params(MonthRange),
    security(("session" = [])), responses((status = 200, body = Vec<CaseCount>,
        description = "Non-zero case counts by department, month of registration and status")))]
async fn get_case_counts(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<MonthRange>,
) -> Result<Json<Vec<CaseCount>>, ApiError> {
    if ![Role::Supervisor, Role::Leader, Role::CentreAdmin]
        .into_iter()
        .any(|r| caller.has(r))
    {
        return Err(ApiError::forbidden());
    }
    let from = month(q.from.as_deref(), "from")?;
    let to = month(q.to.as_deref(), "to")?;
    Ok(Json(state.store.case_counts(from, to).await?))
}

/// A `YYYY-MM` month, or a field error.
fn month<'a>(text: Option<&'a str>, field: &str) -> Result<Option<&'a str>, ApiError> {
    match text {
        Some(m)
            if m.len() != 7
                || NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").is_err() =>
        {
            Err(ApiError::invalid(
                field,
                "bad_month",
                format!("月份 {m} 应为 YYYY-MM 格式"),
                format!("month {m} must be YYYY-MM"),
            ))
        }
        other => Ok(other),
    }
}
