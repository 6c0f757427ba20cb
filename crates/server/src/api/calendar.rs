//! A region's working-day calendar: read the year, edit holidays and make-up working days.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use onewindow_domain::calendar::DayOverride;
use onewindow_domain::identity::RegionCode;
use onewindow_domain::organisation::{Role, administers_region};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::centre_district;
use crate::messages::tell_moved_promises;
use crate::problem::{ApiError, Body, Params};
use crate::session::Caller;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_calendar, update_calendar))
        .routes(routes!(delete_calendar_day))
}

/// Years a calendar can be asked for: far wider than any deadline, and narrow enough that
/// every day of the year is a valid date.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct YearQuery {
    /// 1900 to 2999; defaults to the current year.
    #[param(minimum = 1900, maximum = 2999)]
    year: Option<i32>,
}

fn region(code: &str) -> Result<RegionCode, ApiError> {
    RegionCode::parse(code).map_err(|e| ApiError::identity("region", &e))
}

/// One year of a region's calendar.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CalendarYear {
    /// The district whose calendar this is (streets and communities share it).
    region: String,
    year: i32,
    /// Holidays and make-up working days (调休) that differ from a plain Monday–Friday week.
    days: Vec<DayOverride>,
    /// Working days in each month, January first.
    working_days_per_month: Vec<u32>,
    /// The days of `days` the district set itself (the rest are the national calendar's); only
    /// these can be removed.
    edited: Vec<NaiveDate>,
}

/// The year's holidays and make-up working days, and the working days per month.
#[utoipa::path(get, path = "/calendar/{region}", tag = "calendar",
    params(("region" = String, Path, description = "Region code (6, 9 or 12 digits)", example = "440511"), YearQuery),
    responses((status = 200, body = CalendarYear,
        description = "The year's holidays and make-up days, working days per month, own edits")))]
async fn get_calendar(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Params(q): Params<YearQuery>,
) -> Result<Json<CalendarYear>, ApiError> {
    let region = region(&code)?;
    let year = q.year.unwrap_or_else(|| state.today().year());
    if !YEARS.contains(&year) {
        return Err(ApiError::invalid(
            "year",
            "year_out_of_range",
            format!("年份须在 {} 到 {} 之间", YEARS.start(), YEARS.end()),
            format!("year must be {}..={}", YEARS.start(), YEARS.end()),
        ));
    }
    let cal = state.calendar(region.district().as_str()).await?;
    let edited = state
        .store
        .calendar_overrides(region.district().as_str())
        .await?
        .into_iter()
        .map(|d| d.date)
        .filter(|d| d.year() == year)
        .collect();
    let days: Vec<DayOverride> = cal
        .overrides()
        .into_iter()
        .filter(|d| d.date.year() == year)
        .collect();
    let working_days_per_month = (1..=12)
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
        .collect();
    Ok(Json(CalendarYear {
        region: region.district().as_str().to_owned(),
        year,
        days,
        working_days_per_month,
        edited,
    }))
}

/// The region of `code`, if the caller is a centre admin of the district it lies in.
async fn administered_region(
    state: &AppState,
    caller: &Caller,
    code: &str,
) -> Result<RegionCode, ApiError> {
    caller.require(Role::CentreAdmin)?;
    let region = region(code)?;
    if !administers_region(&centre_district(state).await?, &region) {
        return Err(ApiError::outside_centre("地区", "region"));
    }
    Ok(region)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarUpdate {
    /// Days to set; a day already present is replaced.
    days: Vec<DayOverride>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CalendarSaved {
    region: String,
    saved: usize,
    /// Open cases whose due date, or whose current step's, the edit moved.
    moved: u64,
    /// Applicants being told by text message that their promised date moved (in the
    /// background: the answer does not wait for the gateway).
    told: u64,
}

/// Sets holidays and make-up working days of a district (centre admin only).
#[utoipa::path(put, path = "/calendar/{region}", tag = "calendar",
    params(("region" = String, Path, description = "Region code", example = "440511")),
    request_body = CalendarUpdate,
    security(("session" = [])),
    responses((status = 200, body = CalendarSaved,
        description = "Saved: how many days, open cases moved and applicants being told")))]
async fn update_calendar(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Body(req): Body<CalendarUpdate>,
) -> Result<Json<CalendarSaved>, ApiError> {
    let region = administered_region(&state, &caller, &code).await?;
    if let Some(bad) = req.days.iter().position(|d| d.name.trim().is_empty()) {
        return Err(ApiError::invalid(
            &format!("days[{bad}].name"),
            "field_required",
            "请填写节假日名称".into(),
            "name is required".into(),
        ));
    }
    for (i, day) in req.days.iter().enumerate() {
        if let Err(e) = day.check_edit() {
            return Err(ApiError::invalid(
                &format!("days[{i}].{}", e.field()),
                e.code(),
                e.message_zh(),
                e.to_string(),
            ));
        }
    }
    let district = region.district();
    state
        .store
        .put_calendar_overrides(district.as_str(), &req.days)
        .await?;
    state.calendar_changed(district.as_str()).await?;
    state
        .audit(
            caller.id(),
            "calendar_edited",
            &json!({ "region": district.as_str(), "days": req.days }),
        )
        .await?;
    let (moved, told) = recompute_deadlines(&state, district.as_str()).await?;
    Ok(Json(CalendarSaved {
        region: district.as_str().to_owned(),
        saved: req.days.len(),
        moved,
        told,
    }))
}

/// Removes the district's own edit of one day (centre admin only): the national calendar holds
/// for it again. 404 when the district never edited that day.
#[utoipa::path(delete, path = "/calendar/{region}/days/{day}", tag = "calendar",
    params(
        ("region" = String, Path, description = "Region code", example = "440511"),
        ("day" = NaiveDate, Path, description = "The day, YYYY-MM-DD", example = "2026-12-24"),
    ),
    security(("session" = [])),
    responses((status = 204, description = "The day follows the national calendar again")))]
async fn delete_calendar_day(
    State(state): State<AppState>,
    caller: Caller,
    Path((code, day)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let region = administered_region(&state, &caller, &code).await?;
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|_| {
        ApiError::invalid(
            "day",
            "bad_date",
            "日期格式应为 YYYY-MM-DD".into(),
            "the day must be YYYY-MM-DD".into(),
        )
    })?;
    let district = region.district();
    if !state
        .store
        .delete_calendar_override(district.as_str(), day)
        .await?
    {
        return Err(ApiError::not_found("日历调整", "Calendar edit"));
    }
    state.calendar_changed(district.as_str()).await?;
    state
        .audit(
            caller.id(),
            "calendar_day_removed",
            &json!({ "region": district.as_str(), "day": day }),
        )
        .await?;
    recompute_deadlines(&state, district.as_str()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes a calendar edit take effect on the district's open cases: every due date derived again
/// on the new calendar, the lights that follow turned, each with its event, and the applicants
/// whose promised date moved told. How many cases moved, and how many applicants are told.
async fn recompute_deadlines(state: &AppState, district: &str) -> Result<(u64, u64), ApiError> {
    let cal = state.calendar(district).await?;
    let report = state
        .store
        .recompute_deadlines(district, &cal, state.today())
        .await?;
    tracing::info!(
        region = district,
        moved = report.moved,
        lights_changed = report.pass.changed(),
        "deadlines derived again after a calendar edit"
    );
    let told = report.promises.len() as u64;
    drop(tell_moved_promises(state, district, report.promises));
    Ok((report.moved, told))
}
