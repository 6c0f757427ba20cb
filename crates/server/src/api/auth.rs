//! Log in and out. Staff use username and password (argon2id; five failures lock the account for
//! fifteen minutes); applicants register with a phone number and a verification code.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use onewindow_domain::auth::CODE_TTL_MS;
use onewindow_domain::identity::{PhoneNumber, mask_name};
use onewindow_domain::organisation::check_password;
use onewindow_store::crypto::random_digits;
use onewindow_store::{Applicant, ApplicantKind, Staff, SubjectKind, now_ms};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::applicants;
use crate::problem::{ApiError, Body};
use crate::session::{COOKIE, Caller, session_token};
use crate::state::AppState;

const MAX_FAILURES: i64 = 5;
const LOCK_MS: i64 = 15 * 60 * 1000;
const SESSION_MS: i64 = 12 * 3600 * 1000;
/// The version of the user agreement and privacy notice (web: /terms, /privacy) an applicant
/// consents to at registration; a new version is a new date.
pub const TERMS_VERSION: &str = "2026-12";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(log_in_staff))
        .routes(routes!(send_verification_code))
        .routes(routes!(register_applicant))
        .routes(routes!(log_in_applicant))
        .routes(routes!(log_out))
        .routes(routes!(get_me))
}

/// Who is logged in.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Me {
    Staff { staff: Staff },
    Applicant { applicant: Applicant },
}

impl From<Caller> for Me {
    fn from(caller: Caller) -> Me {
        match caller {
            Caller::Staff(staff) => Me::Staff { staff },
            Caller::Applicant(applicant) => Me::Applicant { applicant },
        }
    }
}

pub fn hash_password(password: &str) -> String {
    // Argon2id with a fresh random salt (the crate draws it from the operating system).
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2id hashing")
        .to_string()
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

fn bad_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "bad_credentials",
        "账号或密码错误",
        "Wrong account or password",
    )
}

fn deactivated() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "account_deactivated",
        "账号已停用，请联系中心管理员",
        "This account has been deactivated; ask the centre administrator",
    )
}

fn locked(until_ms: i64) -> ApiError {
    let minutes = ((until_ms - now_ms()) / 60_000).max(1);
    ApiError::too_many(
        "account_locked",
        format!("密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试"),
        format!("Too many failed attempts; the account is locked for {minutes} more minutes"),
        (until_ms - now_ms()) / 1000,
    )
}

/// Counts a failure or clears the count; returns the new (failures, locked_until).
fn after_attempt(ok: bool, failures: i64) -> (i64, i64) {
    match (ok, failures + 1) {
        (true, _) => (0, 0),
        (false, n) if n >= MAX_FAILURES => (0, now_ms() + LOCK_MS),
        (false, n) => (n, 0),
    }
}

/// What a log-in checks of an account, staff or applicant alike.
pub(super) struct Account<'a> {
    pub kind: SubjectKind,
    pub id: &'a str,
    pub password_hash: &'a str,
    pub failed_logins: i64,
    pub locked_until_ms: i64,
}

/// One log-in attempt: refused while the account is locked; otherwise the password is checked
/// and the failure counted (the fifth in a row locks it) or the count cleared. Staff failures go
/// to the audit log.
pub(super) async fn attempt(
    state: &AppState,
    account: &Account<'_>,
    password: &str,
) -> Result<(), ApiError> {
    if account.locked_until_ms > now_ms() {
        return Err(locked(account.locked_until_ms));
    }
    let ok = verify_password(password, account.password_hash);
    let (failures, until) = after_attempt(ok, account.failed_logins);
    state
        .store
        .record_login(account.kind, account.id, failures, until)
        .await?;
    if ok {
        return Ok(());
    }
    if account.kind == SubjectKind::Staff {
        let what = json!({ "failures": failures, "locked": until > 0 });
        state.store.audit(account.id, "login_failed", &what).await?;
    }
    Err(if until > 0 {
        locked(until)
    } else {
        bad_credentials()
    })
}

/// Opens a session for whoever `me` is and answers `me` with the session's cookie.
pub(super) async fn logged_in(
    state: &AppState,
    status: StatusCode,
    me: Me,
) -> Result<Response, ApiError> {
    let (kind, id) = match &me {
        Me::Staff { staff } => (SubjectKind::Staff, staff.id.as_str()),
        Me::Applicant { applicant } => (SubjectKind::Applicant, applicant.id.as_str()),
    };
    let token = state
        .store
        .open_session(kind, id, now_ms(), SESSION_MS)
        .await?;
    Ok(with_cookie(
        state,
        &token,
        SESSION_MS / 1000,
        (status, Json(me)),
    ))
}

/// Sets the session cookie; `Secure` when the centre is reached over https.
fn with_cookie(state: &AppState, token: &str, max_age_s: i64, body: impl IntoResponse) -> Response {
    let secure = if state.public_url.is_https() {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age_s}{secure}");
    ([(SET_COOKIE, cookie)], body).into_response()
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffLogin {
    username: String,
    password: String,
}

/// Staff log in with username and password; five failures lock the account for 15 minutes.
#[utoipa::path(post, path = "/auth/staff/login", tag = "auth", request_body = StaffLogin,
    responses((status = 200, body = Me, description = "Logged in; the session cookie is set")))]
async fn log_in_staff(
    State(state): State<AppState>,
    Body(req): Body<StaffLogin>,
) -> Result<Response, ApiError> {
    let Some(staff) = state.store.staff_by_username(req.username.trim()).await? else {
        return Err(bad_credentials());
    };
    if !staff.active() {
        // Only someone who knows the password learns that the account was deactivated.
        return Err(if verify_password(&req.password, &staff.password_hash) {
            deactivated()
        } else {
            bad_credentials()
        });
    }
    let account = Account {
        kind: SubjectKind::Staff,
        id: &staff.id,
        password_hash: &staff.password_hash,
        failed_logins: staff.failed_logins,
        locked_until_ms: staff.locked_until_ms,
    };
    attempt(&state, &account, &req.password).await?;
    let id = staff.id.clone();
    let answer = logged_in(&state, StatusCode::OK, Me::Staff { staff }).await?;
    state.store.audit(&id, "login", &json!({})).await?;
    Ok(answer)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    phone: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CodeSent {
    /// The phone number, masked.
    sent_to: String,
    expires_in_s: i64,
}

/// Sends a six-digit verification code to a phone (crate::notifier).
#[utoipa::path(post, path = "/auth/applicant/code", tag = "auth", request_body = CodeRequest,
    responses((status = 200, body = CodeSent)))]
async fn send_verification_code(
    State(state): State<AppState>,
    Body(req): Body<CodeRequest>,
) -> Result<Json<CodeSent>, ApiError> {
    let phone = PhoneNumber::parse(&req.phone).map_err(|e| ApiError::identity("phone", &e))?;
    let code = random_digits(6);
    let today = state.today();
    state
        .store
        .put_verification_code(&state.vault, phone.as_str(), &code, now_ms(), today)
        .await?
        .map_err(|refusal| {
            let rest_of_day_s = state.seconds_left_today();
            ApiError::too_many(
                refusal.code(),
                refusal.message_zh(),
                refusal.to_string(),
                refusal.retry_after_s(rest_of_day_s),
            )
        })?;
    let minutes = CODE_TTL_MS / 60_000;
    state
        .notifier
        .send_sms(
            &phone.masked(),
            &format!("【一窗通办】验证码 {code}，{minutes} 分钟内有效。请勿将验证码告诉他人。"),
        )
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "the verification code could not be sent");
            ApiError::internal()
        })?;
    Ok(Json(CodeSent {
        sent_to: phone.masked(),
        expires_in_s: CODE_TTL_MS / 1000,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Register {
    kind: ApplicantKind,
    name: String,
    phone: String,
    code: String,
    password: String,
    /// Resident ID for a person, unified social credit code for an enterprise.
    identifier: String,
    /// Whether the applicant read and accepted the user agreement and the privacy notice of
    /// [`TERMS_VERSION`]; registration needs it.
    consent: bool,
}

/// An applicant registers with a verified phone number and is logged in.
#[utoipa::path(post, path = "/auth/applicant/register", tag = "auth", request_body = Register,
    responses((status = 201, body = Me, description = "Registered and logged in")))]
async fn register_applicant(
    State(state): State<AppState>,
    Body(req): Body<Register>,
) -> Result<Response, ApiError> {
    let valid = applicants::validate(
        req.kind,
        &req.name,
        &req.phone,
        &req.identifier,
        state.today(),
    )?;
    check_password(&req.password).map_err(|e| ApiError::organisation(&e))?;
    if !req.consent {
        return Err(ApiError::invalid(
            "consent",
            "consent_required",
            "请阅读并同意《用户协议》和《隐私政策》".into(),
            "Read and accept the user agreement and the privacy notice".into(),
        ));
    }
    verified_code(&state, &valid.phone, &req.code).await?;
    let hash = hash_password(&req.password);
    let id = applicants::insert(&state, &valid, &hash, Some(TERMS_VERSION)).await?;
    tracing::info!(applicant = %id, name = %mask_name(&req.name), "applicant registered");
    let applicant = state
        .store
        .applicant_by_id(&id)
        .await?
        .ok_or_else(ApiError::internal)?;
    logged_in(&state, StatusCode::CREATED, Me::Applicant { applicant }).await
}

/// Checks and spends the code sent to `phone`; a phone's wrong tries count across the day's
/// codes (ADR 0031).
pub(super) async fn verified_code(
    state: &AppState,
    phone: &PhoneNumber,
    code: &str,
) -> Result<(), ApiError> {
    let store = &state.store;
    if store
        .take_verification_code(
            &state.vault,
            phone.as_str(),
            code.trim(),
            now_ms(),
            state.today(),
        )
        .await?
    {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "code",
            "bad_verification_code",
            "验证码错误或已过期".into(),
            "Wrong or expired verification code".into(),
        ))
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantLogin {
    phone: String,
    password: String,
}

/// Applicants log in with phone number and password.
#[utoipa::path(post, path = "/auth/applicant/login", tag = "auth", request_body = ApplicantLogin,
    responses((status = 200, body = Me, description = "Logged in; the session cookie is set")))]
async fn log_in_applicant(
    State(state): State<AppState>,
    Body(req): Body<ApplicantLogin>,
) -> Result<Response, ApiError> {
    let phone = PhoneNumber::parse(&req.phone).map_err(|e| ApiError::identity("phone", &e))?;
    let Some(a) = state
        .store
        .applicant_by_phone(&state.vault, phone.as_str())
        .await?
    else {
        return Err(bad_credentials());
    };
    let account = Account {
        kind: SubjectKind::Applicant,
        id: &a.id,
        password_hash: &a.password_hash,
        failed_logins: a.failed_logins,
        locked_until_ms: a.locked_until_ms,
    };
    attempt(&state, &account, &req.password).await?;
    logged_in(&state, StatusCode::OK, Me::Applicant { applicant: a }).await
}

/// Ends the session and clears its cookie.
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204, description = "Logged out")))]
async fn log_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (mut parts, _) = axum::http::Request::new(()).into_parts();
    parts.headers = headers;
    if let Some(token) = session_token(&parts) {
        state.store.close_session(&token).await?;
    }
    Ok(with_cookie(&state, "", 0, StatusCode::NO_CONTENT))
}

/// The caller.
#[utoipa::path(get, path = "/me", tag = "auth", security(("session" = [])),
    responses((status = 200, body = Me)))]
async fn get_me(caller: Caller) -> Json<Me> {
    Json(caller.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_hash_only_and_never_against_an_empty_one() {
        let hash = hash_password("OneWindow@2026");
        assert!(verify_password("OneWindow@2026", &hash));
        assert!(!verify_password("onewindow@2026", &hash));
        // Applicants registered at a window have no password yet.
        assert!(!verify_password("", ""));
        assert!(!verify_password("OneWindow@2026", ""));
    }
}
