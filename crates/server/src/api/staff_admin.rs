//! Staff accounts, for centre admins only: list, create, edit the profile and roles, reset the
//! password, lift a lock, deactivate. Accounts are named by username; each change is audited
//! (never with the password).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use onewindow_domain::organisation::{Role, StaffProfile, check_password, check_username};
use onewindow_store::{NewStaff, Staff, SubjectKind, now_ms};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{name_key, not_reused};
use super::organisation_admin::{missing, taken, unknown};
use super::{centre_region, hash_password};
use crate::problem::{ApiError, Body, FieldError};
use crate::session::Caller;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_staff, create_staff))
        .routes(routes!(update_staff, delete_staff))
        .routes(routes!(update_staff_password))
        .routes(routes!(delete_staff_lock))
}

/// A staff account as the centre admin sees it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StaffAccount {
    username: String,
    /// Staff number (工号), given at creation.
    staff_number: String,
    name: String,
    title: String,
    roles: Vec<Role>,
    department: Option<String>,
    window: Option<String>,
    public: bool,
    /// Until when failed log-ins make the next attempt wait (from some address, or from all);
    /// `null` when none waits.
    locked_until_ms: Option<i64>,
    /// When the account was deactivated; `null` while it is active.
    deactivated_ms: Option<i64>,
}

impl StaffAccount {
    fn of(s: Staff, locked_until_ms: Option<i64>) -> StaffAccount {
        StaffAccount {
            locked_until_ms,
            deactivated_ms: s.deactivated_ms,
            username: s.username,
            staff_number: s.staff_number,
            name: s.name,
            title: s.title,
            roles: s.roles,
            department: s.department,
            window: s.window,
            public: s.public,
        }
    }
}

/// The accounts `staff` as the admin sees them, with the waits failed log-ins put on them.
async fn accounts(state: &AppState, staff: Vec<Staff>) -> Result<Vec<StaffAccount>, ApiError> {
    let keys: Vec<String> = staff
        .iter()
        .map(|s| name_key(state, SubjectKind::Staff, &s.id))
        .collect();
    let waits = state.store.login_waits(&keys, now_ms()).await?;
    Ok(staff
        .into_iter()
        .zip(keys)
        .map(|(s, key)| StaffAccount::of(s, waits.get(&key).copied()))
        .collect())
}

async fn staff_member(state: &AppState, username: &str) -> Result<Staff, ApiError> {
    state
        .store
        .staff_by_username(username)
        .await?
        .ok_or_else(|| ApiError::not_found("工作人员", "Staff member"))
}

async fn account(state: &AppState, username: &str) -> Result<StaffAccount, ApiError> {
    let staff = staff_member(state, username).await?;
    let mut one = accounts(state, vec![staff]).await?;
    Ok(one.pop().expect("one account in, one out"))
}

/// Forgets the failed log-ins of an account, so it is not made to wait.
async fn forget_failures(state: &AppState, staff: &Staff) -> Result<(), ApiError> {
    let key = name_key(state, SubjectKind::Staff, &staff.id);
    state.store.clear_name_failures(&key).await?;
    Ok(())
}

/// Whether the caller is the account `username`: an admin may not lock themselves out.
fn is_self(caller: &Caller, username: &str) -> bool {
    matches!(caller, Caller::Staff(s) if s.username == username)
}

/// Every problem of a profile: the domain's rules (and, for the admin's own account, keeping the
/// admin role) and the department and window it names.
async fn profile_errors(
    state: &AppState,
    profile: &StaffProfile,
    own: bool,
) -> Result<Vec<FieldError>, ApiError> {
    let rules = if own {
        profile.problems_for_self()
    } else {
        profile.problems()
    };
    let mut errors: Vec<FieldError> = rules.iter().map(FieldError::from).collect();
    let org = state.store.organisation().await?;
    if let Some(d) = &profile.department
        && !org.departments.iter().any(|x| &x.code == d)
    {
        errors.push(unknown("department", "部门", "department", d));
    }
    if let Some(w) = &profile.window
        && !org.windows.iter().any(|x| &x.code == w)
    {
        errors.push(unknown("window", "窗口", "window", w));
    }
    Ok(errors)
}

/// Every staff account, deactivated ones too (centre admin only).
#[utoipa::path(get, path = "/staff", tag = "organisation", security(("session" = [])),
    responses((status = 200, body = Vec<StaffAccount>,
        description = "Every staff account, deactivated ones too")))]
async fn list_staff(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<StaffAccount>>, ApiError> {
    caller.require(Role::CentreAdmin)?;
    let staff = state.store.all_staff().await?;
    Ok(Json(accounts(&state, staff).await?))
}

/// A new account: its username, its first password and its profile.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaffAccount {
    username: String,
    /// The first password, handed to the person, who should change it.
    password: String,
    name: String,
    title: String,
    roles: Vec<Role>,
    department: Option<String>,
    window: Option<String>,
    public: bool,
}

/// Creates a staff account (centre admin only); every problem is answered at once, per field.
#[utoipa::path(post, path = "/staff", tag = "organisation", request_body = NewStaffAccount,
    security(("session" = [])), responses((status = 201, body = StaffAccount,
        description = "The account is created")))]
async fn create_staff(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<NewStaffAccount>,
) -> Result<(StatusCode, Json<StaffAccount>), ApiError> {
    caller.require(Role::CentreAdmin)?;
    let username = req.username.trim().to_owned();
    let profile = StaffProfile {
        name: req.name,
        title: req.title,
        roles: req.roles,
        department: req.department,
        window: req.window,
        public: req.public,
    };
    let mut errors = profile_errors(&state, &profile, false).await?;
    errors.extend(
        check_username(&username)
            .err()
            .as_ref()
            .map(FieldError::from),
    );
    errors.extend(
        check_password(&req.password, &username)
            .err()
            .as_ref()
            .map(FieldError::from),
    );
    ApiError::unless_fields("invalid_staff", errors)?;
    let region = centre_region(&state).await?;
    let new = NewStaff::with_profile(&username, &profile);
    state
        .store
        .insert_staff(&new, &hash_password(&req.password), &region, true)
        .await
        .map_err(|e| taken("username", &username, e))?;
    state
        .audit(
            caller.id(),
            "staff_created",
            &json!({ "username": username, "profile": profile }),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(account(&state, &username).await?)))
}

/// Edits an account's profile and roles (centre admin only). An admin keeps their own admin role.
#[utoipa::path(put, path = "/staff/{username}", tag = "organisation",
    params(("username" = String, Path, description = "Username")),
    request_body = StaffProfile, security(("session" = [])),
    responses((status = 200, body = StaffAccount, description = "The account as updated")))]
async fn update_staff(
    State(state): State<AppState>,
    caller: Caller,
    Path(username): Path<String>,
    Body(profile): Body<StaffProfile>,
) -> Result<Json<StaffAccount>, ApiError> {
    caller.require(Role::CentreAdmin)?;
    // The account must be there before its new particulars are judged.
    account(&state, &username).await?;
    let errors = profile_errors(&state, &profile, is_self(&caller, &username)).await?;
    ApiError::unless_fields("invalid_staff", errors)?;
    state
        .store
        .update_staff(&username, &profile)
        .await
        .map_err(missing("工作人员", "Staff member"))?;
    state
        .audit(
            caller.id(),
            "staff_updated",
            &json!({ "username": username, "profile": profile }),
        )
        .await?;
    Ok(Json(account(&state, &username).await?))
}

/// A password the admin sets for someone who lost theirs.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    password: String,
}

/// Sets a new password (centre admin only); it also lifts a lock and ends the account's sessions.
#[utoipa::path(put, path = "/staff/{username}/password", tag = "organisation",
    params(("username" = String, Path, description = "Username")),
    request_body = PasswordReset, security(("session" = [])),
    responses((status = 204, description = "The password is set")))]
async fn update_staff_password(
    State(state): State<AppState>,
    caller: Caller,
    Path(username): Path<String>,
    Body(req): Body<PasswordReset>,
) -> Result<StatusCode, ApiError> {
    caller.require(Role::CentreAdmin)?;
    let staff = staff_member(&state, &username).await?;
    check_password(&req.password, &username).map_err(|e| ApiError::organisation(&e))?;
    let kind = SubjectKind::Staff;
    not_reused(&state, kind, &staff.id, &staff.password_hash, &req.password).await?;
    state
        .store
        .reset_staff_password(&username, &hash_password(&req.password))
        .await
        .map_err(missing("工作人员", "Staff member"))?;
    forget_failures(&state, &staff).await?;
    audit_account(&state, &caller, "staff_password_reset", &username).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Writes what the admin did to an account to the audit log.
async fn audit_account(
    state: &AppState,
    caller: &Caller,
    action: &str,
    username: &str,
) -> Result<(), ApiError> {
    let what = json!({ "username": username });
    Ok(state.audit(caller.id(), action, &what).await?)
}

/// Lifts the waits that failed log-ins put on an account, from every address (centre admin
/// only).
#[utoipa::path(delete, path = "/staff/{username}/lock", tag = "organisation",
    params(("username" = String, Path, description = "Username")),
    security(("session" = [])),
    responses((status = 204, description = "The account is unlocked")))]
async fn delete_staff_lock(
    State(state): State<AppState>,
    caller: Caller,
    Path(username): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require(Role::CentreAdmin)?;
    let staff = staff_member(&state, &username).await?;
    forget_failures(&state, &staff).await?;
    audit_account(&state, &caller, "staff_unlocked", &username).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deactivates an account (centre admin only): it can no longer log in and its sessions end. The
/// account is kept, because case events and the audit log name it. An admin cannot deactivate
/// themselves.
#[utoipa::path(delete, path = "/staff/{username}", tag = "organisation",
    params(("username" = String, Path, description = "Username")),
    security(("session" = [])),
    responses((status = 204, description = "The account is deactivated")))]
async fn delete_staff(
    State(state): State<AppState>,
    caller: Caller,
    Path(username): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require(Role::CentreAdmin)?;
    if is_self(&caller, &username) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "own_account",
            "不能停用自己的账号",
            "You cannot deactivate your own account",
        ));
    }
    state
        .store
        .deactivate_staff(&username, now_ms())
        .await
        .map_err(missing("工作人员", "Staff member"))?;
    audit_account(&state, &caller, "staff_deactivated", &username).await?;
    Ok(StatusCode::NO_CONTENT)
}
