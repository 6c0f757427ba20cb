//! One's own account: an applicant logs in by a text-message code, resets a forgotten password
//! or moves to a new phone number; anyone logged in changes their own password.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use onewindow_domain::identity::PhoneNumber;
use onewindow_domain::organisation::check_password;
use onewindow_store::{Applicant, StoreError, SubjectKind};
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{
    Attempt, Me, attempt, hash_password, logged_in, name_key, not_reused, verified_code,
};
use crate::client::ClientAddr;
use crate::problem::{ApiError, Body};
use crate::rate_limit::Limit;
use crate::session::{Caller, session_token};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(log_in_by_code))
        .routes(routes!(update_forgotten_password))
        .routes(routes!(update_own_password))
        .routes(routes!(update_own_phone))
}

fn not_registered() -> ApiError {
    ApiError::invalid(
        "phone",
        "phone_not_registered",
        "该手机号尚未注册，请先注册".into(),
        "No applicant is registered with this phone number; register first".into(),
    )
}

/// The applicant registered with `phone`, once the code sent to it is verified: whoever holds
/// the phone may be told whether it is registered.
async fn holder_of(state: &AppState, phone: &str, code: &str) -> Result<Applicant, ApiError> {
    let phone = PhoneNumber::parse(phone).map_err(|e| ApiError::identity("phone", &e))?;
    verified_code(state, &phone, code).await?;
    state
        .store
        .applicant_by_phone(&state.vault, phone.as_str())
        .await?
        .ok_or_else(not_registered)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeLogin {
    phone: String,
    /// The code sent by `POST /auth/applicant/code`.
    code: String,
}

/// An applicant logs in with a code sent to their phone instead of the password.
#[utoipa::path(post, path = "/auth/applicant/code-login", tag = "auth", request_body = CodeLogin,
    responses((status = 200, body = Me, description = "Logged in; the session cookie is set")))]
async fn log_in_by_code(
    State(state): State<AppState>,
    client: ClientAddr,
    Body(req): Body<CodeLogin>,
) -> Result<Response, ApiError> {
    state.rate_limits.check(Limit::LogIn, client)?;
    let applicant = holder_of(&state, &req.phone, &req.code).await?;
    logged_in(&state, StatusCode::OK, Me::Applicant { applicant }).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgottenPassword {
    phone: String,
    code: String,
    /// The new password.
    password: String,
}

/// An applicant who forgot the password sets a new one with a code sent to their phone. Every
/// earlier session ends, the lock is cleared, and they are logged in.
#[utoipa::path(post, path = "/auth/applicant/password-reset", tag = "auth",
    request_body = ForgottenPassword,
    responses((status = 200, body = Me, description = "New password set; logged in")))]
async fn update_forgotten_password(
    State(state): State<AppState>,
    Body(req): Body<ForgottenPassword>,
) -> Result<Response, ApiError> {
    check_password(&req.password, req.phone.trim()).map_err(|e| ApiError::organisation(&e))?;
    let applicant = holder_of(&state, &req.phone, &req.code).await?;
    let kind = SubjectKind::Applicant;
    not_reused(
        &state,
        kind,
        &applicant.id,
        &applicant.password_hash,
        &req.password,
    )
    .await?;
    let hash = hash_password(&req.password);
    state
        .store
        .set_password(SubjectKind::Applicant, &applicant.id, &hash, None)
        .await?;
    let key = name_key(&state, SubjectKind::Applicant, &applicant.id);
    state.store.clear_name_failures(&key).await?;
    tracing::info!(applicant = %applicant.id, "password reset by text-message code");
    logged_in(&state, StatusCode::OK, Me::Applicant { applicant }).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    current: String,
    /// The new password.
    password: String,
}

/// Checks the caller's current password as a log-in does: failures count, and slow the next
/// try down, so a session left open cannot be used to guess it.
async fn confirm_password(
    state: &AppState,
    client: ClientAddr,
    caller: &Caller,
    field: &str,
    password: &str,
) -> Result<(), ApiError> {
    let who = match caller {
        Caller::Staff(s) => Attempt {
            kind: SubjectKind::Staff,
            subject: &s.id,
            password_hash: Some(&s.password_hash),
        },
        Caller::Applicant(a) => Attempt {
            kind: SubjectKind::Applicant,
            subject: &a.id,
            password_hash: Some(&a.password_hash),
        },
    };
    attempt(state, client, &who, password).await.map_err(|e| {
        if e.code == "bad_credentials" {
            ApiError::invalid(
                field,
                "wrong_password",
                "当前密码不正确".into(),
                "The current password is wrong".into(),
            )
        } else {
            e
        }
    })
}

/// Changes the caller's own password, staff or applicant; the current one is needed. Every
/// other session of the account ends.
#[utoipa::path(post, path = "/me/password", tag = "auth", request_body = PasswordChange,
    security(("session" = [])),
    responses((status = 204, description = "Changed")))]
async fn update_own_password(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientAddr,
    headers: HeaderMap,
    Body(req): Body<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    let (kind, id, current, name) = match &caller {
        Caller::Staff(s) => (
            SubjectKind::Staff,
            &s.id,
            &s.password_hash,
            s.username.clone(),
        ),
        Caller::Applicant(a) => {
            let phone = state.store.applicant_phone(&state.vault, &a.id).await?;
            (
                SubjectKind::Applicant,
                &a.id,
                &a.password_hash,
                phone.unwrap_or_default(),
            )
        }
    };
    check_password(&req.password, &name).map_err(|e| ApiError::organisation(&e))?;
    confirm_password(&state, client, &caller, "current", &req.current).await?;
    not_reused(&state, kind, id, current, &req.password).await?;
    let (mut parts, _) = axum::http::Request::new(()).into_parts();
    parts.headers = headers;
    let keep = session_token(&parts);
    let hash = hash_password(&req.password);
    state
        .store
        .set_password(kind, id, &hash, keep.as_deref())
        .await?;
    state
        .store
        .clear_name_failures(&name_key(&state, kind, id))
        .await?;
    if kind == SubjectKind::Staff {
        state.audit(id, "password_changed", &json!({})).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneChange {
    /// The new phone number, and the code sent to it.
    phone: String,
    code: String,
    /// The applicant's password.
    password: String,
}

/// An applicant moves their account to a new phone number: the code sent to the new phone
/// proves they hold it, and the password that the account is theirs. Staff have no phone here.
#[utoipa::path(post, path = "/me/phone", tag = "auth", request_body = PhoneChange,
    security(("session" = [])),
    responses((status = 200, body = Me, description = "The account with its new phone")))]
async fn update_own_phone(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientAddr,
    Body(req): Body<PhoneChange>,
) -> Result<Response, ApiError> {
    let Caller::Applicant(applicant) = &caller else {
        return Err(ApiError::forbidden());
    };
    let phone = PhoneNumber::parse(&req.phone).map_err(|e| ApiError::identity("phone", &e))?;
    confirm_password(&state, client, &caller, "password", &req.password).await?;
    verified_code(&state, &phone, &req.code).await?;
    state
        .store
        .set_applicant_phone(&state.vault, &applicant.id, phone.as_str(), &phone.masked())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ApiError::new(
                StatusCode::CONFLICT,
                "phone_taken",
                "该手机号已被其他账号使用",
                "Another account uses this phone number",
            ),
            other => other.into(),
        })?;
    let applicant = state
        .store
        .applicant_by_id(&applicant.id)
        .await?
        .ok_or_else(ApiError::internal)?;
    Ok(Json(Me::Applicant { applicant }).into_response())
}
