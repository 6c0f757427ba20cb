//! Who is calling: the session cookie resolved to a staff member or an applicant.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use onewindow_domain::auth::idle_refresh;
use onewindow_domain::case::{Actor, ActorWindow};
use onewindow_domain::organisation::Role;
use onewindow_store::{Applicant, Staff, Subject, now_ms};

use crate::problem::ApiError;
use crate::state::AppState;

pub const COOKIE: &str = "ow_session";

/// The authenticated caller.
#[derive(Debug, Clone)]
pub enum Caller {
    Staff(Staff),
    Applicant(Applicant),
}

impl Caller {
    pub fn id(&self) -> &str {
        match self {
            Caller::Staff(s) => &s.id,
            Caller::Applicant(a) => &a.id,
        }
    }

    pub fn has(&self, role: Role) -> bool {
        match self {
            Caller::Staff(s) => s.roles.contains(&role),
            Caller::Applicant(_) => role == Role::Applicant,
        }
    }

    /// Forbidden unless the caller holds `role`.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.has(role) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// The role the event log records: the most specific one the caller holds.
    pub fn primary_role(&self) -> &'static str {
        match self {
            Caller::Applicant(_) => Role::Applicant.as_str(),
            Caller::Staff(s) => s.roles.first().map_or("staff", |r| r.as_str()),
        }
    }

    /// The caller as the domain rules see them, for a case of `item`.
    pub async fn actor(&self, state: &AppState, item: &str) -> Result<Actor, ApiError> {
        Ok(match self {
            Caller::Applicant(a) => Actor {
                id: a.id.clone(),
                roles: vec![Role::Applicant],
                department: None,
                window: None,
            },
            Caller::Staff(s) => {
                let window = match &s.window {
                    Some(code) => match state.store.window(code).await? {
                        Some(w) => Some(ActorWindow {
                            accepts_item: state.store.window_accepts(code, item).await?,
                            code: w.code,
                            hall: w.hall,
                            issues_results: w.issues_results,
                        }),
                        None => None,
                    },
                    None => None,
                };
                Actor {
                    id: s.id.clone(),
                    roles: s.roles.clone(),
                    department: s.department.clone(),
                    window,
                }
            }
        })
    }
}

/// What a staff member whose password the admin set may do before choosing their own.
const PASSWORD_CHANGE_PATHS: [&str; 3] =
    ["/api/v1/me", "/api/v1/me/password", "/api/v1/auth/logout"];

/// The path as the client asked for it (a nested router sees it without its prefix).
fn requested_path(parts: &Parts) -> &str {
    parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map_or(parts.uri.path(), |u| u.0.path())
}

fn password_change_required() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::FORBIDDEN,
        "password_change_required",
        "请先修改初始密码（管理员设置的密码须在首次登录时修改）",
        "Choose your own password first: one set by the administrator must be changed at first log-in",
    )
}

pub fn session_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_token(parts).ok_or_else(ApiError::unauthenticated)?;
        let now = now_ms();
        let Some((subject, idle_until)) = state.store.session_subject(&token, now).await? else {
            return Err(ApiError::unauthenticated());
        };
        let caller = match subject {
            // Deactivation ends the sessions; this keeps a session opened meanwhile from counting.
            Subject::Staff(staff) => Some(staff).filter(Staff::active).map(Caller::Staff),
            Subject::Applicant(applicant) => Some(Caller::Applicant(applicant)),
        }
        .ok_or_else(ApiError::unauthenticated)?;
        let idle = match caller {
            Caller::Staff(_) => state.staff_idle_ms,
            Caller::Applicant(_) => None,
        };
        if let Caller::Staff(staff) = &caller
            && staff.must_change_password
            && !PASSWORD_CHANGE_PATHS.contains(&requested_path(parts))
        {
            return Err(password_change_required());
        }
        if let (Some(until), Some(idle)) = (idle_until, idle)
            && let Some(moved) = idle_refresh(until, idle, now)
        {
            state.store.touch_session(&token, moved).await?;
        }
        Ok(caller)
    }
}
