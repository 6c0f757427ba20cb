//! Log in and out. Staff use username and password (argon2id; five failures lock the account for
//! fifteen minutes); applicants register with a phone number and a verification code.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use onewindow_domain::identity::{CreditCode, PhoneNumber, ResidentId, mask_name};
use onewindow_store::{ApplicantKind, NewApplicant, SubjectKind, now_ms};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::problem::{ApiError, Body};
use crate::session::{COOKIE, Caller, session_token};
use crate::state::AppState;

const MAX_FAILURES: i64 = 5;
const LOCK_MS: i64 = 15 * 60 * 1000;
const SESSION_MS: i64 = 12 * 3600 * 1000;
const CODE_MS: i64 = 5 * 60 * 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/staff/login", post(staff_login))
        .route("/auth/applicant/code", post(send_code))
        .route("/auth/applicant/register", post(register))
        .route("/auth/applicant/login", post(applicant_login))
        .route("/auth/logout", post(logout))
        .route("/me", get(me))
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

fn locked(until_ms: i64) -> ApiError {
    let minutes = ((until_ms - now_ms()) / 60_000).max(1);
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "account_locked",
        format!("密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试"),
        format!("Too many failed attempts; the account is locked for {minutes} more minutes"),
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

fn with_cookie(token: &str, max_age_s: i64, body: Value) -> Response {
    let cookie = format!("{COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age_s}");
    ([(SET_COOKIE, cookie)], Json(body)).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StaffLogin {
    username: String,
    password: String,
}

async fn staff_login(
    State(state): State<AppState>,
    Body(req): Body<StaffLogin>,
) -> Result<Response, ApiError> {
    let Some(staff) = state.store.staff_by_username(req.username.trim()).await? else {
        return Err(bad_credentials());
    };
    if staff.locked_until_ms > now_ms() {
        return Err(locked(staff.locked_until_ms));
    }
    let ok = verify_password(&req.password, &staff.password_hash);
    let (failures, until) = after_attempt(ok, staff.failed_logins);
    state
        .store
        .record_staff_login(&staff.id, failures, until)
        .await?;
    if !ok {
        state
            .store
            .audit(
                &staff.id,
                "login_failed",
                &json!({ "failures": failures, "locked": until > 0 }),
            )
            .await?;
        return Err(if until > 0 {
            locked(until)
        } else {
            bad_credentials()
        });
    }
    let token = state
        .store
        .open_session(SubjectKind::Staff, &staff.id, now_ms(), SESSION_MS)
        .await?;
    state.store.audit(&staff.id, "login", &json!({})).await?;
    Ok(with_cookie(
        &token,
        SESSION_MS / 1000,
        json!({ "kind": "staff", "staff": staff }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeRequest {
    phone: String,
}

/// Sends a six-digit code. The development notifier writes it to the log.
async fn send_code(
    State(state): State<AppState>,
    Body(req): Body<CodeRequest>,
) -> Result<Json<Value>, ApiError> {
    let phone = PhoneNumber::parse(&req.phone).map_err(|e| ApiError::identity("phone", &e))?;
    let code = format!("{:06}", fastrand::u32(0..1_000_000));
    state
        .store
        .put_verification_code(&state.vault, phone.as_str(), &code, now_ms() + CODE_MS)
        .await?;
    tracing::info!(phone = %phone.masked(), %code, "verification code (development notifier)");
    Ok(Json(
        json!({ "sent_to": phone.masked(), "expires_in_s": CODE_MS / 1000 }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Register {
    kind: ApplicantKind,
    name: String,
    phone: String,
    code: String,
    password: String,
    /// Resident ID for a person, unified social credit code for an enterprise.
    identifier: String,
}

async fn register(
    State(state): State<AppState>,
    Body(req): Body<Register>,
) -> Result<Response, ApiError> {
    let phone = PhoneNumber::parse(&req.phone).map_err(|e| ApiError::identity("phone", &e))?;
    let (identifier, masked) = match req.kind {
        ApplicantKind::Person => {
            let id = ResidentId::parse_on(&req.identifier, state.today())
                .map_err(|e| ApiError::identity("identifier", &e))?;
            (id.as_str().to_owned(), id.masked())
        }
        ApplicantKind::Enterprise => {
            let c = CreditCode::parse(&req.identifier)
                .map_err(|e| ApiError::identity("identifier", &e))?;
            (c.as_str().to_owned(), c.masked())
        }
    };
    if req.name.trim().is_empty() {
        return Err(ApiError::invalid(
            "name",
            "field_required",
            "姓名或名称不能为空".into(),
            "name is required".into(),
        ));
    }
    if req.password.chars().count() < 8 {
        return Err(ApiError::invalid(
            "password",
            "password_too_short",
            "密码至少 8 位".into(),
            "The password needs at least 8 characters".into(),
        ));
    }
    if !state
        .store
        .take_verification_code(&state.vault, phone.as_str(), req.code.trim(), now_ms())
        .await?
    {
        return Err(ApiError::invalid(
            "code",
            "bad_verification_code",
            "验证码错误或已过期".into(),
            "Wrong or expired verification code".into(),
        ));
    }
    let id = state
        .store
        .insert_applicant(
            &state.vault,
            &NewApplicant {
                kind: req.kind,
                name: req.name.trim(),
                phone: phone.as_str(),
                phone_masked: &phone.masked(),
                identifier: Some((&identifier, &masked)),
                password_hash: &hash_password(&req.password),
            },
        )
        .await
        .map_err(|e| match e {
            onewindow_store::StoreError::Conflict(_) => ApiError::new(
                StatusCode::CONFLICT,
                "applicant_exists",
                "该手机号或证件号已注册",
                "This phone number or identifier is already registered",
            ),
            other => other.into(),
        })?;
    let token = state
        .store
        .open_session(SubjectKind::Applicant, &id, now_ms(), SESSION_MS)
        .await?;
    tracing::info!(applicant = %id, name = %mask_name(&req.name), "applicant registered");
    Ok(with_cookie(
        &token,
        SESSION_MS / 1000,
        json!({ "kind": "applicant", "id": id }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApplicantLogin {
    phone: String,
    password: String,
}

async fn applicant_login(
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
    if a.locked_until_ms > now_ms() {
        return Err(locked(a.locked_until_ms));
    }
    let ok = verify_password(&req.password, &a.password_hash);
    let (failures, until) = after_attempt(ok, a.failed_logins);
    state
        .store
        .record_applicant_login(&a.id, failures, until)
        .await?;
    if !ok {
        return Err(if until > 0 {
            locked(until)
        } else {
            bad_credentials()
        });
    }
    let token = state
        .store
        .open_session(SubjectKind::Applicant, &a.id, now_ms(), SESSION_MS)
        .await?;
    Ok(with_cookie(
        &token,
        SESSION_MS / 1000,
        json!({ "kind": "applicant", "applicant": a }),
    ))
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (mut parts, _) = axum::http::Request::new(()).into_parts();
    parts.headers = headers;
    if let Some(token) = session_token(&parts) {
        state.store.close_session(&token).await?;
    }
    Ok(with_cookie("", 0, json!({ "logged_out": true })))
}

async fn me(caller: Caller) -> Json<Value> {
    Json(match caller {
        Caller::Staff(s) => json!({ "kind": "staff", "staff": s }),
        Caller::Applicant(a) => json!({ "kind": "applicant", "applicant": a }),
    })
}
