//! Each hall's opening hours: read by anyone, day by day on the region's calendar, and set by
//! the centre admin (ADR 0041).

use axum::Json;
use axum::extract::{Path, State};
use chrono::{Days, NaiveDate};
use onewindow_domain::identity::RegionCode;
use onewindow_domain::opening_hours::{DayHours, OpeningHours};
use onewindow_domain::organisation::{Role, administers_region};
use onewindow_store::{HallHours, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::centre_district;
use crate::problem::{ApiError, Body, Params};
use crate::reads::Reads;
use crate::session::Caller;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_opening_hours))
        .routes(routes!(get_opening_hours, update_opening_hours))
}

/// Most days one answer lays out: a month.
const MOST_DAYS: u32 = 31;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct DaysQuery {
    /// The first day, YYYY-MM-DD; defaults to today.
    from: Option<NaiveDate>,
    /// How many days from it, 1 to 31; defaults to 7.
    #[param(minimum = 1, maximum = 31)]
    days: Option<u32>,
}

impl DaysQuery {
    fn dates(&self, today: NaiveDate) -> Result<Vec<NaiveDate>, ApiError> {
        let count = self.days.unwrap_or(7);
        if !(1..=MOST_DAYS).contains(&count) {
            return Err(ApiError::invalid(
                "days",
                "days_out_of_range",
                format!("天数须在 1 到 {MOST_DAYS} 之间"),
                format!("days must be 1..={MOST_DAYS}"),
            ));
        }
        let from = self.from.unwrap_or(today);
        Ok((0..u64::from(count))
            .map_while(|d| from.checked_add_days(Days::new(d)))
            .collect())
    }
}

/// A hall's opening hours and the days they make.
#[derive(Serialize, utoipa::ToSchema)]
pub struct HallOpening {
    hall: String,
    /// None: the hall has published no opening hours.
    hours: Option<OpeningHours>,
    /// Each day asked for, on the calendar of the hall's region; none when no hours are set.
    days: Vec<DayHours>,
}

async fn opening(
    state: &AppState,
    hall: String,
    found: HallHours,
    dates: &[NaiveDate],
) -> Result<HallOpening, ApiError> {
    let district = RegionCode::parse(&found.region)
        .map_err(|_| ApiError::internal())?
        .district();
    let cal = state.calendar(district.as_str()).await?;
    let days = match &found.hours {
        Some(hours) => dates.iter().map(|d| hours.on(&cal, *d)).collect(),
        None => Vec::new(),
    };
    Ok(HallOpening {
        hall,
        hours: found.hours,
        days,
    })
}

async fn hall_hours(store: &Store, hall: &str) -> Result<HallHours, ApiError> {
    store.opening_hours(hall).await.map_err(|e| match e {
        StoreError::NotFound => ApiError::not_found("大厅", "Hall"),
        other => other.into(),
    })
}

/// Every hall's opening hours and its days from `from`, for the portal.
#[utoipa::path(get, path = "/opening-hours", tag = "opening_hours", params(DaysQuery),
    responses((status = 200, body = Vec<HallOpening>,
        description = "Every hall by code, with its hours and days")))]
async fn list_opening_hours(
    State(state): State<AppState>,
    Reads(store): Reads,
    Params(q): Params<DaysQuery>,
) -> Result<Json<Vec<HallOpening>>, ApiError> {
    let dates = q.dates(state.today())?;
    let mut all = Vec::new();
    for (hall, found) in store.all_opening_hours().await? {
        all.push(opening(&state, hall, found, &dates).await?);
    }
    Ok(Json(all))
}

/// A hall's opening hours and its days from `from`.
#[utoipa::path(get, path = "/opening-hours/{hall}", tag = "opening_hours",
    params(("hall" = String, Path, description = "Hall code", example = "H1"), DaysQuery),
    responses((status = 200, body = HallOpening,
        description = "The hall's weekly hours and what they make of each day asked for")))]
async fn get_opening_hours(
    State(state): State<AppState>,
    Reads(store): Reads,
    Path(hall): Path<String>,
    Params(q): Params<DaysQuery>,
) -> Result<Json<HallOpening>, ApiError> {
    let dates = q.dates(state.today())?;
    let found = hall_hours(&store, &hall).await?;
    Ok(Json(opening(&state, hall, found, &dates).await?))
}

/// Sets a hall's weekly opening hours (centre admin only). Closures and make-up working days
/// come from the calendar of the hall's region.
#[utoipa::path(put, path = "/opening-hours/{hall}", tag = "opening_hours",
    params(("hall" = String, Path, description = "Hall code", example = "H1")),
    request_body = OpeningHours,
    security(("session" = [])),
    responses((status = 200, body = HallOpening,
        description = "Saved: the hall's hours and the next seven days they make")))]
async fn update_opening_hours(
    State(state): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Body(hours): Body<OpeningHours>,
) -> Result<Json<HallOpening>, ApiError> {
    caller.require(Role::CentreAdmin)?;
    let found = hall_hours(&state.store, &hall).await?;
    let region = RegionCode::parse(&found.region).map_err(|_| ApiError::internal())?;
    if !administers_region(&centre_district(&state).await?, &region) {
        return Err(ApiError::outside_centre("大厅", "hall"));
    }
    hours
        .check()
        .map_err(|e| ApiError::invalid(e.field(), e.code(), e.message_zh(), e.to_string()))?;
    state.store.put_opening_hours(&hall, &hours).await?;
    state
        .audit(
            caller.id(),
            "opening_hours_set",
            &json!({ "hall": hall, "hours": hours }),
        )
        .await?;
    let saved = HallHours {
        region: found.region,
        hours: Some(hours),
    };
    let week = DaysQuery {
        from: None,
        days: None,
    };
    let opening = opening(&state, hall, saved, &week.dates(state.today())?).await?;
    Ok(Json(opening))
}
