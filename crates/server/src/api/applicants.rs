//! Applicants at the acceptance desk: a clerk finds an applicant by resident ID or credit code,
//! or registers one who has never used the online portal. Answers carry masked data only
//! (ADR 0004), but for the one audited reveal of a case's applicant to those serving it
//! (ADR 0027). Also the checks every registration shares, online (auth) or at a window.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use onewindow_domain::case::reveal_identity;
use onewindow_domain::identity::{CreditCode, IdentityError, PhoneNumber, ResidentId};
use onewindow_domain::organisation::Role;
use onewindow_store::{Applicant, ApplicantKind, Identity, NewApplicant, StoreError};
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::cases::readable;
use crate::problem::{ApiError, Body, Params};
use crate::session::Caller;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_applicants, register_applicant_at_window))
        .routes(routes!(create_identity_reveal))
}

/// An applicant's particulars, checked by the domain's parsers.
pub(crate) struct ValidApplicant {
    pub kind: ApplicantKind,
    pub name: String,
    pub phone: PhoneNumber,
    /// The normalised resident ID or credit code, and its masked form.
    pub identifier: (String, String),
}

/// A resident ID for a person, a credit code for an enterprise: normalised, and masked.
fn identifier(
    kind: ApplicantKind,
    raw: &str,
    today: NaiveDate,
) -> Result<(String, String), IdentityError> {
    Ok(match kind {
        ApplicantKind::Person => {
            let id = ResidentId::parse_on(raw, today)?;
            (id.as_str().to_owned(), id.masked())
        }
        ApplicantKind::Enterprise => {
            let c = CreditCode::parse(raw)?;
            (c.as_str().to_owned(), c.masked())
        }
    })
}

/// What every registration checks, online or at a window: the phone number, the identifier of
/// the applicant's kind (check character included), and a name.
pub(crate) fn validate(
    kind: ApplicantKind,
    name: &str,
    phone: &str,
    id: &str,
    today: NaiveDate,
) -> Result<ValidApplicant, ApiError> {
    let phone = PhoneNumber::parse(phone).map_err(|e| ApiError::identity("phone", &e))?;
    let identifier =
        identifier(kind, id, today).map_err(|e| ApiError::identity("identifier", &e))?;
    if name.trim().is_empty() {
        return Err(ApiError::invalid(
            "name",
            "field_required",
            "姓名或名称不能为空".into(),
            "name is required".into(),
        ));
    }
    Ok(ValidApplicant {
        kind,
        name: name.trim().to_owned(),
        phone,
        identifier,
    })
}

/// Stores a validated applicant, with the version of the terms they consented to online; 409
/// when the phone number or identifier is already registered.
pub(crate) async fn insert(
    state: &AppState,
    a: &ValidApplicant,
    password_hash: &str,
    consent_version: Option<&str>,
) -> Result<String, ApiError> {
    let (identifier, masked) = &a.identifier;
    state
        .store
        .insert_applicant(
            &state.vault,
            &NewApplicant {
                kind: a.kind,
                name: &a.name,
                phone: a.phone.as_str(),
                phone_masked: &a.phone.masked(),
                identifier: Some((identifier, masked)),
                password_hash,
                consent_version,
            },
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ApiError::new(
                StatusCode::CONFLICT,
                "applicant_exists",
                "该手机号或证件号已注册",
                "This phone number or identifier is already registered",
            ),
            other => other.into(),
        })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ApplicantQuery {
    /// Resident ID number (person) or unified social credit code (enterprise), in full.
    identifier: String,
}

/// Either kind of identifier, checked; when it is neither, the error of the kind it looks like
/// (seventeen digits first: a resident ID).
fn any_identifier(raw: &str, today: NaiveDate) -> Result<String, ApiError> {
    let as_person = match identifier(ApplicantKind::Person, raw, today) {
        Ok((id, _)) => return Ok(id),
        Err(e) => e,
    };
    let as_enterprise = match identifier(ApplicantKind::Enterprise, raw, today) {
        Ok((code, _)) => return Ok(code),
        Err(e) => e,
    };
    let looks_like_id = raw.trim().chars().take(17).all(|c| c.is_ascii_digit());
    let e = if looks_like_id {
        as_person
    } else {
        as_enterprise
    };
    Err(ApiError::identity("identifier", &e))
}

/// Finds an applicant by resident ID or credit code, exactly (clerks only): none or one, masked.
#[utoipa::path(get, path = "/applicants", tag = "applicants", params(ApplicantQuery),
    security(("session" = [])), responses((status = 200, body = Vec<Applicant>,
        description = "The applicant with that identifier, phone and ID masked: none or one")))]
async fn list_applicants(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<ApplicantQuery>,
) -> Result<Json<Vec<Applicant>>, ApiError> {
    caller.require(Role::Clerk)?;
    let id = any_identifier(&q.identifier, state.today())?;
    let found = state
        .store
        .applicant_by_identifier(&state.vault, &id)
        .await?;
    Ok(Json(found.into_iter().collect()))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowRegistration {
    kind: ApplicantKind,
    name: String,
    phone: String,
    /// Resident ID for a person, unified social credit code for an enterprise.
    identifier: String,
}

/// Registers an applicant at the window (clerks only): the clerk has seen the ID card or the
/// business licence, so no verification code; the applicant sets a password online later.
#[utoipa::path(post, path = "/applicants", tag = "applicants", request_body = WindowRegistration,
    security(("session" = [])), responses((status = 201, body = Applicant,
        description = "The applicant is registered, phone and ID masked")))]
async fn register_applicant_at_window(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<WindowRegistration>,
) -> Result<(StatusCode, Json<Applicant>), ApiError> {
    caller.require(Role::Clerk)?;
    let valid = validate(
        req.kind,
        &req.name,
        &req.phone,
        &req.identifier,
        state.today(),
    )?;
    // An empty hash never verifies: no one can log in as this applicant until a password is set.
    let id = insert(&state, &valid, "", None).await?;
    state
        .audit(
            caller.id(),
            "applicant_registered_at_window",
            &json!({ "applicant": id }),
        )
        .await?;
    let applicant = state
        .store
        .applicant_by_id(&id)
        .await?
        .ok_or_else(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(applicant)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevealRequest {
    /// Why the full identity is needed (e.g. 核对领取人身份), kept in the audit log.
    reason: String,
}

/// The applicant of a case in full: name, phone and resident ID or credit code, which every list
/// and page shows masked. Only for the hall's clerks and the back office serving the case, with
/// a reason; each reveal is audited (`identity_revealed`) before the answer leaves. 404 unless the
/// caller may read the case, 403 if they do not serve it.
#[utoipa::path(post, path = "/cases/{number}/applicant/reveal", tag = "applicants",
    params(("number" = String, Path, description = "Case number")),
    request_body = RevealRequest, security(("session" = [])),
    responses((status = 200, body = Identity,
        description = "The applicant's full identity, sent with Cache-Control: no-store")))]
async fn create_identity_reveal(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
    Body(req): Body<RevealRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let (record, actor) = readable(&state, &caller, &number).await?;
    let reason = reveal_identity(&actor, &record.case, &req.reason)?;
    let identity = state
        .store
        .applicant_identity(&state.vault, &record.case.applicant)
        .await?
        .ok_or_else(ApiError::internal)?;
    state
        .audit(
            caller.id(),
            "identity_revealed",
            &json!({ "case": number, "applicant": record.case.applicant, "reason": reason }),
        )
        .await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(identity)))
}
