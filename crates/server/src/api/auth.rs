//! Log in and out. Staff use username and password (argon2id; failures slow the next attempt
//! down, ADR 0033); applicants register with a phone number and a verification code.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use onewindow_domain::auth::{CODE_TTL_MS, Throttled};
use onewindow_domain::identity::{PhoneNumber, mask_name};
use onewindow_domain::organisation::{OrganisationError, PASSWORD_HISTORY, check_password};
use onewindow_store::crypto::random_digits;
use onewindow_store::{Applicant, ApplicantKind, Staff, SubjectKind, now_ms};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::applicants;
use crate::client::ClientAddr;
use crate::problem::{ApiError, Body};
use crate::rate_limit::Limit;
use crate::session::{COOKIE, Caller, session_token};
use crate::state::AppState;

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
    Staff {
        /// The admin set the password (a new account, or a reset): nothing but choosing one's
        /// own is allowed until it is changed.
        must_change_password: bool,
        staff: Staff,
    },
    Applicant {
        applicant: Applicant,
    },
}

impl Me {
    fn staff(staff: Staff) -> Me {
        Me::Staff {
            must_change_password: staff.must_change_password,
            staff,
        }
    }
}

impl From<Caller> for Me {
    fn from(caller: Caller) -> Me {
        match caller {
            Caller::Staff(staff) => Me::staff(staff),
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

fn throttled(t: Throttled) -> ApiError {
    let seconds = (t.retry_after_ms + 999) / 1000;
    ApiError::too_many(
        "login_throttled",
        format!("登录失败次数过多，请 {seconds} 秒后再试"),
        t.to_string(),
        seconds,
    )
}

/// Who tries to log in: the account found under the name given, or none.
pub(super) struct Attempt<'a> {
    pub kind: SubjectKind,
    /// The account's id; for a name no account has, the name itself, counted alike.
    pub subject: &'a str,
    /// The account's password hash; none for a name no account has.
    pub password_hash: Option<&'a str>,
}

/// The key failed log-ins under `subject` are kept by, whichever address they came from.
pub(super) fn name_key(state: &AppState, kind: SubjectKind, subject: &str) -> String {
    state
        .vault
        .lookup_hash(&format!("login:{}:{subject}", kind.as_str()))
}

/// A hash no password matches, checked for a name no account has, so that the answer takes as
/// long as for a real one.
fn unknown_account_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&onewindow_store::crypto::random_hex(16)))
}

/// One log-in attempt (ADR 0033): reserved first, under the name and under the name from this
/// address, and refused while either must wait; then the password is checked (for an unknown
/// name too, against a hash nothing matches). A right one clears both counts. Failures on a
/// staff account go to the audit log with the address.
pub(super) async fn attempt(
    state: &AppState,
    client: ClientAddr,
    who: &Attempt<'_>,
    password: &str,
) -> Result<(), ApiError> {
    state.rate_limits.check(Limit::LogIn, client)?;
    let name_key = name_key(state, who.kind, who.subject);
    let address_key = state.vault.lookup_hash(&format!(
        "login:{}:{}@{client}",
        who.kind.as_str(),
        who.subject
    ));
    state
        .store
        .reserve_login(&name_key, &address_key, now_ms())
        .await?
        .map_err(throttled)?;
    let hash = match who.password_hash {
        Some(hash) => hash,
        None => unknown_account_hash(),
    };
    if verify_password(password, hash) && who.password_hash.is_some() {
        state
            .store
            .clear_login_failures(&[&name_key, &address_key])
            .await?;
        return Ok(());
    }
    if who.kind == SubjectKind::Staff && who.password_hash.is_some() {
        state.audit(who.subject, "login_failed", &json!({})).await?;
    }
    Err(bad_credentials())
}

/// Refuses `password` when it is the account's current one (`current_hash`) or one of the
/// others of its last [`PASSWORD_HISTORY`].
pub(super) async fn not_reused(
    state: &AppState,
    kind: SubjectKind,
    id: &str,
    current_hash: &str,
    password: &str,
) -> Result<(), ApiError> {
    let mut hashes = vec![current_hash.to_owned()];
    hashes.extend(state.store.password_history(kind, id).await?);
    if hashes
        .iter()
        .take(PASSWORD_HISTORY)
        .any(|h| verify_password(password, h))
    {
        return Err(ApiError::organisation(&OrganisationError::PasswordReused));
    }
    Ok(())
}

/// Opens a session for whoever `me` is and answers `me` with the session's cookie.
pub(super) async fn logged_in(
    state: &AppState,
    status: StatusCode,
    me: Me,
) -> Result<Response, ApiError> {
    let (kind, id, idle) = match &me {
        Me::Staff { staff, .. } => (SubjectKind::Staff, staff.id.as_str(), state.staff_idle_ms),
        Me::Applicant { applicant } => (SubjectKind::Applicant, applicant.id.as_str(), None),
    };
    let token = state
        .store
        .open_session(kind, id, now_ms(), SESSION_MS, idle)
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

/// Staff log in with username and password; after five failures from one address (twenty from
/// all) each attempt waits, a minute at first and doubling up to 15 minutes.
#[utoipa::path(post, path = "/auth/staff/login", tag = "auth", request_body = StaffLogin,
    responses((status = 200, body = Me, description = "Logged in; the session cookie is set")))]
async fn log_in_staff(
    State(state): State<AppState>,
    client: ClientAddr,
    Body(req): Body<StaffLogin>,
) -> Result<Response, ApiError> {
    let username = req.username.trim();
    let staff = state.store.staff_by_username(username).await?;
    let who = Attempt {
        kind: SubjectKind::Staff,
        subject: staff.as_ref().map_or(username, |s| s.id.as_str()),
        password_hash: staff.as_ref().map(|s| s.password_hash.as_str()),
    };
    attempt(&state, client, &who, &req.password).await?;
    let staff = staff.expect("only an account's password is accepted");
    if !staff.active() {
        // Only someone who knows the password learns that the account was deactivated.
        return Err(deactivated());
    }
    let id = staff.id.clone();
    let answer = logged_in(&state, StatusCode::OK, Me::staff(staff)).await?;
    state.audit(&id, "login", &json!({})).await?;
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
    responses((status = 200, body = CodeSent,
        description = "The code is sent: to which phone (masked), and for how long it holds")))]
async fn send_verification_code(
    State(state): State<AppState>,
    client: ClientAddr,
    Body(req): Body<CodeRequest>,
) -> Result<Json<CodeSent>, ApiError> {
    state.rate_limits.check(Limit::Code, client)?;
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
    check_password(&req.password, valid.phone.as_str()).map_err(|e| ApiError::organisation(&e))?;
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
    client: ClientAddr,
    Body(req): Body<ApplicantLogin>,
) -> Result<Response, ApiError> {
    let phone = PhoneNumber::parse(&req.phone).map_err(|e| ApiError::identity("phone", &e))?;
    let applicant = state
        .store
        .applicant_by_phone(&state.vault, phone.as_str())
        .await?;
    let who = Attempt {
        kind: SubjectKind::Applicant,
        subject: applicant.as_ref().map_or(phone.as_str(), |a| a.id.as_str()),
        password_hash: applicant.as_ref().map(|a| a.password_hash.as_str()),
    };
    attempt(&state, client, &who, &req.password).await?;
    let applicant = applicant.expect("only an account's password is accepted");
    logged_in(&state, StatusCode::OK, Me::Applicant { applicant }).await
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
    responses((status = 200, body = Me, description = "The logged-in caller")))]
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
