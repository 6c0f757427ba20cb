//! Cases: apply, list the inboxes, read one, act on one, and the public progress query.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use onewindow_domain::calendar::{Light, LightBounds, light_bounds};
use onewindow_domain::case::inbox::{
    AssigneeFilter, CaseFilter, Desk, InboxScope, StaffInbox, staff_inbox,
};
use onewindow_domain::case::search::{MIN_NAME_CHARS, Search};
use onewindow_domain::case::{
    Actor, Case, CaseStatus, Channel, Command, Entry, IssueMethod, Now, SpecialProcedure,
    StepProgress, acting_role, apply, available_actions, barred_by_separation, can_read,
    may_open_draft, may_reveal_identity, not_uploaded,
};
use onewindow_domain::catalogue::ItemDefinition;
use onewindow_domain::identity::{CaseNumber, IdentityError, ResidentId};
use onewindow_domain::organisation::{DocumentPattern, Role};
use onewindow_domain::supervision::{lit, watched_light};
use onewindow_store::Staff;
use onewindow_store::{
    CaseRecord, CaseSummary, EventActor, EventRecord, NewCase, NewFile, Page, StatusCount,
    StoreError, now_ms,
};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::centre_region;
use crate::client::ClientAddr;
use crate::messages::{stage_message, text_applicant};
use crate::problem::{ApiError, Body, Params};
use crate::rate_limit::Limit;
use crate::session::Caller;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cases, create_case))
        .routes(routes!(count_cases))
        .routes(routes!(get_case))
        .routes(routes!(apply_case_action))
        .routes(routes!(get_progress))
}

fn case_not_found() -> ApiError {
    ApiError::not_found("办件", "Case")
}

/// The inbox a caller sees, its hall looked up for a clerk's window.
async fn scope_with_hall(state: &AppState, caller: &Caller) -> Result<InboxScope, ApiError> {
    let s = match caller {
        Caller::Applicant(a) => return Ok(InboxScope::Applicant(a.id.clone())),
        Caller::Staff(s) => s,
    };
    match staff_inbox(&s.roles, s.department.as_deref(), s.window.as_deref()) {
        Some(StaffInbox::Centre) => Ok(InboxScope::Centre),
        Some(StaffInbox::Department(d)) => Ok(InboxScope::Department(d)),
        Some(StaffInbox::Window(window)) => {
            let w = state
                .store
                .window(&window)
                .await?
                .ok_or_else(ApiError::forbidden)?;
            Ok(InboxScope::Hall {
                hall: w.hall,
                window,
            })
        }
        None => Err(ApiError::forbidden()),
    }
}

/// Whose current step a back office lists: the caller's own, or those nobody was given yet.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentFilter {
    Mine,
    Unassigned,
}

impl AssignmentFilter {
    fn for_caller(self, caller: &Caller) -> AssigneeFilter {
        match self {
            AssignmentFilter::Mine => AssigneeFilter::Staff(caller.id().to_owned()),
            AssignmentFilter::Unassigned => AssigneeFilter::Nobody,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    #[param(value_type = Option<CaseStatus>)]
    status: Option<String>,
    light: Option<Light>,
    /// Department code.
    department: Option<String>,
    /// Window code of the accepting window.
    window: Option<String>,
    /// Item implementation code.
    item: Option<String>,
    /// Submitted on or after this day.
    from: Option<NaiveDate>,
    /// Submitted on or before this day.
    to: Option<NaiveDate>,
    /// Back office: only the current steps assigned to the caller (`mine`) or to nobody yet
    /// (`unassigned`).
    #[param(inline)]
    assignment: Option<AssignmentFilter>,
    /// Search: a case number, an applicant's ID number (resident ID or credit code) or phone
    /// number, or at least two characters of their name.
    q: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// 1..=200, default 20.
    limit: Option<u32>,
}

/// The caller's inbox, soonest deadline first, a page at a time: a clerk's hall, an approver's
/// department, an applicant's own cases, or the whole centre for supervisors.
#[utoipa::path(get, path = "/cases", tag = "cases", params(ListQuery), security(("session" = [])),
    responses((status = 200, body = Page<InboxRow>,
        description = "A page of the caller's inbox, soonest deadline first")))]
async fn list_cases(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<ListQuery>,
) -> Result<Json<Page<InboxRow>>, ApiError> {
    let scope = scope_with_hall(&state, &caller).await?;
    let status = match &q.status {
        Some(s) => Some(CaseStatus::parse(s).ok_or_else(|| {
            ApiError::invalid(
                "status",
                "unknown_status",
                format!("未知的办件状态：{s}"),
                format!("unknown status: {s}"),
            )
        })?),
        None => None,
    };
    let mut filter = CaseFilter {
        status,
        department: q.department,
        window: q.window,
        item: q.item,
        submitted_from: q.from,
        submitted_to: q.to,
        assignee: q.assignment.map(|a| a.for_caller(&caller)),
        ..CaseFilter::default()
    };
    if let Some(text) = q.q.as_deref().filter(|t| !t.trim().is_empty()) {
        search(&state, text, &mut filter).await?;
    }
    let region = centre_region(&state).await?;
    let b = light_bounds(
        &state.calendar(&region).await?,
        state.today(),
        state.warn_days(),
    );
    if let Some(light) = q.light {
        filter.open_only = true;
        filter.lit = Some(lit(&b, light));
    }
    let limit = q.limit.unwrap_or(20);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            "limit_out_of_range",
            "每页条数须在 1 到 200 之间".into(),
            "limit must be 1..=200".into(),
        ));
    }
    let page = state
        .store
        .list_cases(&scope, &filter, q.cursor.as_deref(), limit)
        .await?;
    let by_step = matches!(scope, InboxScope::Department(_));
    Ok(Json(Page {
        items: page
            .items
            .into_iter()
            .map(|summary| InboxRow::new(summary, by_step, &b))
            .collect(),
        next_cursor: page.next_cursor,
    }))
}

/// A row of an inbox with the light of the deadline it is sorted by.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InboxRow {
    #[serde(flatten)]
    summary: CaseSummary,
    /// The current step's light in a back office, the case's elsewhere; none once decided.
    light: Option<Light>,
}

impl InboxRow {
    fn new(summary: CaseSummary, by_step: bool, bounds: &LightBounds) -> InboxRow {
        let open = CaseStatus::parse(&summary.status).is_some_and(CaseStatus::is_open);
        let due = if by_step {
            &summary.step_due_on
        } else {
            &summary.due_on
        };
        let light = due
            .as_deref()
            .and_then(|d| d.parse::<NaiveDate>().ok())
            .filter(|_| open)
            .map(|d| bounds.classify_case(d, summary.promised_days == Some(0)));
        InboxRow { summary, light }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct CountQuery {
    /// Count only the current steps assigned to the caller (`mine`) or to nobody yet (`unassigned`).
    #[param(inline)]
    assignment: Option<AssignmentFilter>,
    /// Which desk's statuses (default: the whole inbox).
    #[param(inline)]
    desk: Option<Desk>,
}

/// Every status of the desk that the caller's inbox can hold, in the order a case moves
/// through them, each with how many cases stand in it (the desk's tabs); optionally only the
/// steps assigned to the caller or to nobody.
#[utoipa::path(get, path = "/cases/counts", tag = "cases", params(CountQuery),
    security(("session" = [])), responses((status = 200, body = Vec<StatusCount>,
        description = "Each status of the desk with its count, in the order cases move through")))]
async fn count_cases(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<CountQuery>,
) -> Result<Json<Vec<StatusCount>>, ApiError> {
    let scope = scope_with_hall(&state, &caller).await?;
    let assignee = q.assignment.map(|a| a.for_caller(&caller));
    let counted = state.store.status_counts(&scope, assignee.as_ref()).await?;
    let counts = q
        .desk
        .unwrap_or_default()
        .statuses(&scope)
        .into_iter()
        .map(|status| StatusCount {
            count: counted
                .iter()
                .find(|c| c.status == status.as_str())
                .map_or(0, |c| c.count),
            status: status.as_str().to_owned(),
        })
        .collect();
    Ok(Json(counts))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCase {
    /// Implementation code of the item.
    item: String,
    /// A clerk registering at the window names the applicant; an applicant applies for themself.
    applicant: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseCreated {
    number: String,
    status: CaseStatus,
}

/// An online draft (applicant) or an application registered and submitted at the window (clerk).
#[utoipa::path(post, path = "/cases", tag = "cases", request_body = CreateCase,
    security(("session" = [])), responses((status = 201, body = CaseCreated,
        description = "The case is created (online draft, or submitted at the window)")))]
async fn create_case(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<CreateCase>,
) -> Result<(StatusCode, Json<CaseCreated>), ApiError> {
    let (version, def) = state
        .store
        .item(&req.item, None)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::invalid(
                "item",
                "unknown_item",
                format!("事项 {} 不存在", req.item),
                format!("unknown item {}", req.item),
            ),
            other => other.into(),
        })?;
    let (channel, applicant) = match (&caller, &req.applicant) {
        (Caller::Applicant(a), None) => {
            may_open_draft(state.store.open_drafts(&a.id).await?)?;
            (Channel::Online, a.clone())
        }
        (Caller::Staff(s), Some(id)) if s.roles.contains(&Role::Clerk) => {
            let a = state.store.applicant_by_id(id).await?.ok_or_else(|| {
                ApiError::invalid(
                    "applicant",
                    "unknown_applicant",
                    "申请人不存在".into(),
                    "unknown applicant".into(),
                )
            })?;
            (Channel::Window, a)
        }
        _ => return Err(ApiError::forbidden()),
    };
    let region = centre_region(&state).await?;
    let today = state.today();
    let cal = state.calendar(&region).await?;
    let mut case = Case::new(
        channel,
        &region,
        &applicant.id,
        &def.implementation_code,
        version as u32,
        def.promised_time_limit_days,
        def.comments_public,
        StepProgress::for_item(&def, state.store.item_delegated(&req.item).await?),
    );
    let mut events = Vec::new();
    if channel == Channel::Window {
        let actor = caller.actor(&state, &def.implementation_code).await?;
        let out = apply(
            &case,
            &def,
            &actor,
            &Command::Submit { waive: vec![] },
            Now {
                today,
                calendar: &cal,
            },
        )?;
        case = out.case;
        events = out.entries;
    }
    let masked = onewindow_domain::identity::listed_name(
        &applicant.name,
        applicant.kind == onewindow_store::ApplicantKind::Enterprise,
    );
    let ctx = EventActor {
        id: caller.id(),
        role: caller.primary_role(),
        window: None,
        at_ms: now_ms(),
    };
    let new = NewCase {
        case: &case,
        item_name: &def.name,
        department: &def.department,
        applicant_masked: &masked,
    };
    let number = state
        .store
        .register_case(&new, &events, &ctx, &cal, today)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CaseCreated {
            number,
            status: case.status,
        }),
    ))
}

/// The case for the caller: 404 unless they may read it, so strangers learn nothing.
pub(crate) async fn readable(
    state: &AppState,
    caller: &Caller,
    number: &str,
) -> Result<(onewindow_store::CaseRecord, Actor), ApiError> {
    let record = state.store.case(number).await.map_err(|e| match e {
        StoreError::NotFound => case_not_found(),
        other => other.into(),
    })?;
    let actor = caller.actor(state, &record.case.item).await?;
    if !can_read(&actor, &record.case) {
        return Err(case_not_found());
    }
    Ok((record, actor))
}

/// A step of the case with its own deadline.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StepView {
    step: StepProgress,
    /// None until the step has started.
    due_on: Option<NaiveDate>,
    /// The name of the member of staff the step is assigned to (staff only).
    assignee_name: Option<String>,
}

/// An entry of the case's log with who did it, as far as the reader may know.
#[derive(Serialize, utoipa::ToSchema)]
pub struct EventView {
    #[serde(flatten)]
    event: EventRecord,
    /// The actor's name: staff see every name; an applicant sees the names the public board
    /// already shows (staff whose profile is public) and, for their own actions, their masked name.
    actor_name: Option<String>,
    /// The actor's department (code), the unit an applicant sees where the name is not public;
    /// for window staff the event's `window` says where.
    actor_department: Option<String>,
}

/// A case as the caller may see it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseDetail {
    number: String,
    item_name: String,
    department: String,
    /// The applicant's name, masked.
    applicant: String,
    case: Case,
    /// None until the case is accepted.
    due_on: Option<NaiveDate>,
    light: Option<Light>,
    steps: Vec<StepView>,
    /// The event log; applicants see the public events only.
    events: Vec<EventView>,
    /// The actions (the `action` words of `apply_case_action`) the caller may take now; the
    /// server still decides each one when it is sent.
    actions: Vec<String>,
    /// The name of the earlier step the caller performed, when separation of duties (职责分离)
    /// bars them from the current one they could otherwise perform.
    performed_earlier_step: Option<String>,
    /// While a draft: the required materials (codes) that have no file yet. Online, each must
    /// be uploaded, or asked to be brought later (容缺) if the item allows, before sending.
    not_uploaded: Vec<String>,
    /// The running special procedure has outlasted the time the applicant was told.
    special_procedure_overdue: bool,
    /// When the caller may start a special procedure: the most working days each kind may take.
    special_procedure_limits: Vec<SpecialProcedureLimit>,
    /// Whether the caller serves the case and may reveal its applicant's full identity, with a
    /// reason (`POST /cases/{number}/applicant/reveal`).
    may_reveal_applicant: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SpecialProcedureLimit {
    procedure: SpecialProcedure,
    max_days: u32,
}

/// One case with its steps, deadlines and event log; 404 unless the caller may read it.
#[utoipa::path(get, path = "/cases/{number}", tag = "cases",
    params(("number" = String, Path, description = "Case number, e.g. 440511-20261121-0001237")),
    security(("session" = [])), responses((status = 200, body = CaseDetail,
        description = "The case as the caller may see it, with the actions they may take now")))]
async fn get_case(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<CaseDetail>, ApiError> {
    let (record, actor) = readable(&state, &caller, &number).await?;
    let today = state.today();
    let cal = state.calendar(&record.case.region).await?;
    let applicant_view = matches!(caller, Caller::Applicant(_));
    let item = state.case_item(&record.case).await?;
    let now = Now {
        today,
        calendar: &cal,
    };
    let actions: Vec<String> = available_actions(&record.case, &item, &actor, now)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let special_procedure_limits = if actions.iter().any(|a| a == "start_special_procedure") {
        SpecialProcedure::ALL
            .into_iter()
            .map(|procedure| SpecialProcedureLimit {
                procedure,
                max_days: procedure.max_days(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let performed_earlier_step =
        barred_by_separation(&record.case, &item, &actor).map(|s| s.name.clone());
    let not_uploaded = if record.case.status == CaseStatus::Draft {
        not_uploaded(&record.case, &item)
            .into_iter()
            .map(|m| m.code.clone())
            .collect()
    } else {
        Vec::new()
    };
    let events: Vec<_> = state
        .store
        .events(&number)
        .await?
        .into_iter()
        .filter(|e| !applicant_view || e.public)
        .collect();
    let named: Vec<&str> = events
        .iter()
        .map(|e| e.actor_id.as_str())
        .chain(
            record
                .case
                .steps
                .iter()
                .filter_map(|s| s.assignee.as_deref()),
        )
        .collect();
    let staff = state.store.staff_by_ids(&named).await?;
    let find = |id: &str| staff.iter().find(|s| s.id == id);
    let events = events
        .into_iter()
        .map(|event| {
            let by = find(&event.actor_id);
            let actor_name = match by {
                Some(s) if !applicant_view || s.public => Some(s.name.clone()),
                Some(_) => None,
                None => (event.actor_id == record.case.applicant)
                    .then(|| record.applicant_masked.clone()),
            };
            EventView {
                actor_department: by.and_then(|s| s.department.clone()),
                actor_name,
                event,
            }
        })
        .collect();
    let steps = record
        .case
        .steps
        .iter()
        .map(|s| StepView {
            step: s.clone(),
            due_on: s.due_on(&cal, today),
            assignee_name: s
                .assignee
                .as_deref()
                .and_then(find)
                .filter(|_| !applicant_view)
                .map(|s| s.name.clone()),
        })
        .collect();
    Ok(Json(CaseDetail {
        due_on: record.case.due_on(&cal, today),
        // As the lists show it: a case whose clock no longer runs shows no warning light.
        light: watched_light(&record.case, &cal, today, state.warn_days()),
        number: record.number,
        item_name: record.item_name,
        department: record.department,
        applicant: record.applicant_masked,
        special_procedure_overdue: record.case.special_procedure_overdue(today),
        may_reveal_applicant: may_reveal_identity(&actor, &record.case),
        case: record.case,
        steps,
        events,
        actions,
        performed_earlier_step,
        not_uploaded,
        special_procedure_limits,
    }))
}

/// The case after an action.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ActionResult {
    number: String,
    status: CaseStatus,
    due_on: Option<NaiveDate>,
    /// Kinds of the events the action appended.
    events: Vec<String>,
}

/// Every transition of a case: one door to the state machine (docs/API-DESIGN.md).
#[utoipa::path(post, path = "/cases/{number}/actions", tag = "cases",
    params(("number" = String, Path, description = "Case number")),
    request_body = Command, security(("session" = [])),
    responses((status = 200, body = ActionResult,
        description = "The action is done: the case's status, due date and the events appended")))]
async fn apply_case_action(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
    Body(mut command): Body<Command>,
) -> Result<Json<ActionResult>, ApiError> {
    match &mut command {
        Command::Assign { assignee, found } => {
            *found = assignee_facts(&state, assignee).await?;
        }
        Command::Issue {
            method:
                IssueMethod::Window {
                    collector: Some(collector),
                    ..
                },
            collector_applicant,
        } => {
            *collector_applicant = identity_holder(&state, &collector.id_number).await?;
        }
        _ => {}
    }
    let (result, _) = transition(&state, &caller, &number, &command, None).await?;
    Ok(Json(result))
}

/// The applicant registered under a resident ID number, for the domain to decide whether the
/// person collecting a result is the applicant; `None` for a number no applicant holds.
async fn identity_holder(state: &AppState, id_number: &str) -> Result<Option<String>, ApiError> {
    let Ok(id) = ResidentId::parse(id_number) else {
        return Ok(None);
    };
    Ok(state
        .store
        .applicant_by_identifier(&state.vault, id.as_str())
        .await?
        .map(|a| a.id))
}

/// What the staff directory says of an assignee, for the domain to decide whether the step may
/// go to them; `None` when there is no such active member of staff.
pub(crate) async fn assignee_facts(
    state: &AppState,
    id: &str,
) -> Result<Option<onewindow_domain::case::Assignee>, ApiError> {
    Ok(state
        .store
        .staff_by_id(id)
        .await?
        .filter(Staff::active)
        .map(|s: Staff| onewindow_domain::case::Assignee {
            id: s.id,
            name: s.name,
            roles: s.roles,
            department: s.department,
        }))
}

/// Decides a command on the case as it stands (404 unless readable) and stores the outcome in
/// one transaction, with the uploaded `file` when the command is an upload. One retry covers a
/// concurrent writer; the domain decides again on the fresh state. Answers the result and the
/// sequence number of the first new event.
pub(crate) async fn transition(
    state: &AppState,
    caller: &Caller,
    number: &str,
    command: &Command,
    file: Option<&NewFile<'_>>,
) -> Result<(ActionResult, i64), ApiError> {
    // A decision's document number, taken once: a retry after a concurrent change reuses it.
    let mut document_number = None;
    for attempt in 0..2 {
        let (record, actor) = readable(state, caller, number).await?;
        let def = state.case_item(&record.case).await?;
        let today = state.today();
        let cal = state.calendar(&record.case.region).await?;
        let mut out = apply(
            &record.case,
            &def,
            &actor,
            command,
            Now {
                today,
                calendar: &cal,
            },
        )?;
        if out.decides() {
            if document_number.is_none() {
                document_number =
                    Some(next_document_number(state, &record.department, today).await?);
            }
            out.number_decision(document_number.as_deref().unwrap_or_default());
        }
        let window = actor.window.as_ref().map(|w| w.code.as_str());
        let ctx = EventActor {
            id: caller.id(),
            role: acting_role(&actor, &record.case).map_or(caller.primary_role(), Role::as_str),
            window,
            at_ms: now_ms(),
        };
        let (after, events) = (&out.case, &out.entries);
        let saved = match file {
            None => {
                state
                    .store
                    .save_transition(&record, after, events, &ctx, &cal, today)
                    .await
            }
            Some(file) => {
                state
                    .store
                    .save_upload(&record, after, events, &ctx, &cal, today, file)
                    .await
            }
        };
        match saved {
            Ok(()) => {
                tell_applicant(state, &record, &def, events);
                let result = ActionResult {
                    number: number.to_owned(),
                    status: out.case.status,
                    due_on: out.case.due_on(&cal, today),
                    events: out
                        .entries
                        .iter()
                        .map(|e| e.event.kind().to_owned())
                        .collect(),
                };
                return Ok((result, record.event_count + 1));
            }
            Err(StoreError::Conflict(_)) if attempt == 0 => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::internal())
}

/// Narrows `filter` to what a clerk's search `text` finds; the inbox's scope still applies.
async fn search(state: &AppState, text: &str, filter: &mut CaseFilter) -> Result<(), ApiError> {
    let store = &state.store;
    let one = |a: Option<onewindow_store::Applicant>| Some(a.map(|a| a.id).into_iter().collect());
    match Search::parse(text) {
        None => {
            return Err(ApiError::invalid(
                "q",
                "search_too_short",
                format!(
                    "请输入完整的办件编号、证件号码、手机号码，或申请人名称中至少 {MIN_NAME_CHARS} 个字"
                ),
                format!(
                    "Enter a whole case number, ID number or phone number, or at least {MIN_NAME_CHARS} characters of a name"
                ),
            ));
        }
        Some(Search::Number(n)) => filter.number = Some(n),
        Some(Search::Identifier(id)) => {
            filter.applicants = one(store.applicant_by_identifier(&state.vault, &id).await?);
        }
        Some(Search::Phone(p)) => {
            filter.applicants = one(store.applicant_by_phone(&state.vault, &p).await?);
        }
        Some(Search::Name(n)) => filter.applicants = Some(store.applicants_named(&n).await?),
    }
    Ok(())
}

/// The document number (文号) of a decision of `department` made `today`, after the
/// department's pattern.
async fn next_document_number(
    state: &AppState,
    department: &str,
    today: NaiveDate,
) -> Result<String, ApiError> {
    let org = state.store.organisation().await?;
    let pattern = org
        .departments
        .iter()
        .find(|d| d.code == department)
        .map(|d| DocumentPattern::of_department(d.document_pattern.as_deref(), &d.short_name))
        .unwrap_or_else(|| DocumentPattern::default_for(department));
    let year = today.year();
    let seq = state.store.next_document_sequence(department, year).await?;
    Ok(pattern.number(year, seq))
}

/// Texts the applicant what the stored `events` mean for them ([`stage_message`]), in a task of
/// its own: the answer does not wait for the gateway, and a failed message is logged, not lost
/// with the request.
fn tell_applicant(state: &AppState, record: &CaseRecord, item: &ItemDefinition, events: &[Entry]) {
    let texts: Vec<String> = events
        .iter()
        .filter_map(|e| stage_message(&record.number, item, &e.event))
        .collect();
    if texts.is_empty() {
        return;
    }
    let (state, applicant) = (state.clone(), record.case.applicant.clone());
    tokio::spawn(async move { text_applicant(&state, &applicant, &texts).await });
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ProgressQuery {
    /// Case number.
    number: String,
    /// Last four digits of the applicant's phone number.
    phone_last4: String,
}

/// A public event of a case: what happened, when, and which unit acted. No names: whoever holds
/// a case number and four phone digits may ask.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProgressEvent {
    kind: String,
    at_ms: i64,
    /// The acting staff member's department (code), if they belong to one.
    actor_department: Option<String>,
    /// The window the event happened at (code), if any.
    window: Option<String>,
}

/// What anyone holding the case number and phone digits may know of a case.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Progress {
    number: String,
    item_name: String,
    status: CaseStatus,
    due_on: Option<NaiveDate>,
    events: Vec<ProgressEvent>,
}

/// Public progress query (C13): the case number plus the last four digits of the applicant's phone.
#[utoipa::path(get, path = "/progress", tag = "cases", params(ProgressQuery),
    responses((status = 200, body = Progress,
        description = "The case's status, due date and public events")))]
async fn get_progress(
    State(state): State<AppState>,
    client: ClientAddr,
    Params(q): Params<ProgressQuery>,
) -> Result<Json<Progress>, ApiError> {
    state.rate_limits.check(Limit::Progress, client)?;
    // A wrong check digit is an unknown number like any other: its message would name the right
    // digit, and so turn a guessed number into a real one.
    let number = CaseNumber::parse(&q.number).map_err(|e| match e {
        IdentityError::BadCheckDigit { .. } => case_not_found(),
        e => ApiError::identity("number", &e),
    })?;
    let record = state
        .store
        .case(&number.to_string())
        .await
        .map_err(|_| case_not_found())?;
    let phone = state
        .store
        .applicant_phone(&state.vault, &record.case.applicant)
        .await?
        .unwrap_or_default();
    if q.phone_last4.len() != 4 || !phone.ends_with(&q.phone_last4) {
        return Err(case_not_found());
    }
    let events: Vec<_> = state
        .store
        .events(&record.number)
        .await?
        .into_iter()
        .filter(|e| e.public)
        .collect();
    let ids: Vec<&str> = events.iter().map(|e| e.actor_id.as_str()).collect();
    let staff = state.store.staff_by_ids(&ids).await?;
    let events = events
        .into_iter()
        .map(|e| ProgressEvent {
            actor_department: staff
                .iter()
                .find(|s| s.id == e.actor_id)
                .and_then(|s| s.department.clone()),
            kind: e.event.kind().to_owned(),
            at_ms: e.at_ms,
            window: e.window,
        })
        .collect();
    let cal = state.calendar(&record.case.region).await?;
    Ok(Json(Progress {
        due_on: record.case.due_on(&cal, state.today()),
        number: record.number,
        item_name: record.item_name,
        status: record.case.status,
        events,
    }))
}
