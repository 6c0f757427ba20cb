//! Assignment (指派) of cases' current steps: several cases given to one member of staff in one
//! request, and whom the caller may give them to. The rules are the domain's
//! (`case::assignment`); each case goes through the same `assign` command as
//! `POST /cases/{number}/actions`, in its own transaction, so one refused case holds up nothing.

use axum::Json;
use axum::extract::State;
use onewindow_domain::case::{Command, TransitionError, assigns_for, takes_steps};
use onewindow_domain::organisation::Role;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::cases::{assignee_facts, readable, transition};
use crate::problem::{ApiError, Body, Problem};
use crate::session::Caller;
use crate::state::AppState;

/// At most this many cases in one request: a page of the inbox is at most 200 rows, and each
/// case is its own transaction.
const MAX_CASES: usize = 200;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_case_assignments))
        .routes(routes!(list_assignees))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAssignments {
    /// Case numbers, 1 to 200, each once.
    cases: Vec<String>,
    /// Staff id of the member of staff to give the cases' current steps to.
    assignee: String,
}

/// What became of one case of the request.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AssignmentResult {
    number: String,
    assigned: bool,
    /// Why the case was not assigned (it is unchanged), as the single action would answer.
    problem: Option<Problem>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AssignmentResults {
    /// One per requested case, in the order of the request.
    items: Vec<AssignmentResult>,
}

/// Gives the current step of each case to one member of staff (the department's chief
/// representative shares out the work). Answers per case: assigned, or the problem that left it
/// unchanged. A case the caller may not read makes the whole request `not_found`, as everywhere,
/// and nothing changes: one may only share out what one's own inbox shows.
#[utoipa::path(post, path = "/cases/assignments", tag = "cases", request_body = CreateAssignments,
    security(("session" = [])), responses((status = 200, body = AssignmentResults,
        description = "Per case, in request order: assigned, or the problem that left it as is")))]
async fn create_case_assignments(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<CreateAssignments>,
) -> Result<Json<AssignmentResults>, ApiError> {
    let Caller::Staff(me) = &caller else {
        return Err(ApiError::forbidden());
    };
    assigns_for(&me.roles, me.department.as_deref()).ok_or_else(ApiError::forbidden)?;
    if req.cases.is_empty() || req.cases.len() > MAX_CASES {
        return Err(ApiError::invalid(
            "cases",
            "cases_out_of_range",
            format!("请选择 1 到 {MAX_CASES} 件办件"),
            format!("choose 1 to {MAX_CASES} cases"),
        ));
    }
    if let Some(i) = (1..req.cases.len()).find(|&i| req.cases[..i].contains(&req.cases[i])) {
        return Err(ApiError::invalid(
            &format!("cases[{i}]"),
            "duplicate_case",
            format!("办件 {} 重复列出", req.cases[i]),
            format!("case {} is listed twice", req.cases[i]),
        ));
    }
    for number in &req.cases {
        readable(&state, &caller, number).await?;
    }
    let found = assignee_facts(&state, &req.assignee).await?;
    if found.is_none() {
        return Err(TransitionError::UnknownAssignee(req.assignee).into());
    }
    let command = Command::Assign {
        assignee: req.assignee,
        found,
    };
    let mut items = Vec::with_capacity(req.cases.len());
    for number in req.cases {
        let outcome = transition(&state, &caller, &number, &command, None)
            .await
            .map(|(result, _)| result);
        if let Err(e) = &outcome
            && e.status.is_server_error()
        {
            // The cases before it are assigned and stay so; the caller retries the rest.
            return Err(e.clone());
        }
        items.push(AssignmentResult {
            number,
            assigned: outcome.is_ok(),
            problem: outcome.err().map(Problem::from),
        });
    }
    Ok(Json(AssignmentResults { items }))
}

/// A member of staff the caller may give steps to.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AssigneeView {
    /// Staff id, the `assignee` of an assignment.
    id: String,
    name: String,
    title: String,
    roles: Vec<Role>,
    /// How many of the department's current steps are assigned to them now.
    assigned_steps: i64,
}

/// Whom the caller may assign their department's steps to: its approvers and chief
/// representatives (a step with the chief representative's role goes only to one of those).
/// Only a chief representative shares out work.
#[utoipa::path(get, path = "/assignees", tag = "cases", security(("session" = [])),
    responses((status = 200, body = Vec<AssigneeView>,
        description = "Whom the caller may assign steps to, with the steps each holds now")))]
async fn list_assignees(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<AssigneeView>>, ApiError> {
    let Caller::Staff(me) = &caller else {
        return Err(ApiError::forbidden());
    };
    let department =
        assigns_for(&me.roles, me.department.as_deref()).ok_or_else(ApiError::forbidden)?;
    let staff = state.store.department_staff(department).await?;
    Ok(Json(
        staff
            .into_iter()
            .filter(|(s, _)| takes_steps(&s.roles))
            .map(|(s, held)| AssigneeView {
                id: s.id,
                name: s.name,
                title: s.title,
                roles: s.roles,
                assigned_steps: held,
            })
            .collect(),
    ))
}
