//! A region's working-day calendar: read the year, edit holidays and make-up working days.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{Datelike, NaiveDate};
use onewindow_domain::calendar::DayOverride;
use onewindow_domain::identity::RegionCode;
use onewindow_domain::organisation::Role;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::problem::{ApiError, Body, Params};
use crate::session::Caller;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/calendar/{region}", get(get_calendar).put(put_calendar))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearQuery {
    year: Option<i32>,
}

fn region(code: &str) -> Result<RegionCode, ApiError> {
    RegionCode::parse(code).map_err(|e| ApiError::identity("region", &e))
}

async fn get_calendar(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Params(q): Params<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    let region = region(&code)?;
    let year = q.year.unwrap_or_else(|| state.today().year());
    let cal = state.calendar(region.district().as_str()).await?;
    let days: Vec<DayOverride> = cal
        .overrides()
        .into_iter()
        .filter(|d| d.date.year() == year)
        .collect();
    let working = (1..=12)
        .map(|m| {
            let first = NaiveDate::from_ymd_opt(year, m, 1).expect("valid month");
            let next = first
                .checked_add_months(chrono::Months::new(1))
                .expect("in range");
            cal.working_days_between(
                first.pred_opt().expect("in range"),
                next.pred_opt().expect("in range"),
            )
        })
        .collect::<Vec<_>>();
    Ok(Json(
        json!({ "region": region.district().as_str(), "year": year, "days": days, "working_days_per_month": working }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PutDays {
    days: Vec<DayOverride>,
}

async fn put_calendar(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Body(req): Body<PutDays>,
) -> Result<Json<Value>, ApiError> {
    if !caller.has(Role::CentreAdmin) {
        return Err(ApiError::forbidden());
    }
    let region = region(&code)?;
    if let Some(bad) = req.days.iter().position(|d| d.name.trim().is_empty()) {
        return Err(ApiError::invalid(
            &format!("days[{bad}].name"),
            "field_required",
            "请填写节假日名称".into(),
            "name is required".into(),
        ));
    }
    let district = region.district();
    state
        .store
        .put_calendar_overrides(district.as_str(), &req.days)
        .await?;
    state.forget_calendar(district.as_str());
    state
        .store
        .audit(
            caller.id(),
            "calendar_edited",
            &json!({ "region": district.as_str(), "days": req.days }),
        )
        .await?;
    Ok(Json(
        json!({ "region": district.as_str(), "saved": req.days.len() }),
    ))
}
