//! What a case is at one moment.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, ClockStop, Light, due_date, light, unwarned};
use crate::catalogue::{StepKind, StepRole, WorkflowShape};

/// Where a case stands. `Draft` exists only online; `Refused`, `Withdrawn` and `Closed` are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Draft,
    Submitted,
    AwaitingSupplement,
    InProgress,
    Suspended,
    Approved,
    Denied,
    Refused,
    Issued,
    Closed,
    Withdrawn,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 11] = [
        CaseStatus::Draft,
        CaseStatus::Submitted,
        CaseStatus::AwaitingSupplement,
        CaseStatus::InProgress,
        CaseStatus::Suspended,
        CaseStatus::Approved,
        CaseStatus::Denied,
        CaseStatus::Refused,
        CaseStatus::Issued,
        CaseStatus::Closed,
        CaseStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Draft => "draft",
            CaseStatus::Submitted => "submitted",
            CaseStatus::AwaitingSupplement => "awaiting_supplement",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::Suspended => "suspended",
            CaseStatus::Approved => "approved",
            CaseStatus::Denied => "denied",
            CaseStatus::Refused => "refused",
            CaseStatus::Issued => "issued",
            CaseStatus::Closed => "closed",
            CaseStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Open cases can still be withdrawn and are watched by supervision.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            CaseStatus::Draft
                | CaseStatus::Submitted
                | CaseStatus::AwaitingSupplement
                | CaseStatus::InProgress
                | CaseStatus::Suspended
        )
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            CaseStatus::Refused | CaseStatus::Closed | CaseStatus::Withdrawn
        )
    }
}

/// How the application came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Online,
    Window,
}

/// Special procedures that stop the clock (特别程序).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SpecialProcedure {
    Hearing,
    SiteInspection,
    ExpertReview,
    Testing,
    PublicNotice,
}

impl SpecialProcedure {
    pub const ALL: [SpecialProcedure; 5] = [
        SpecialProcedure::Hearing,
        SpecialProcedure::SiteInspection,
        SpecialProcedure::ExpertReview,
        SpecialProcedure::Testing,
        SpecialProcedure::PublicNotice,
    ];

    /// The most working days a procedure of this kind may be given (ADR 0026). The applicant is
    /// told the time it needs in writing (行政许可法 第四十五条), so it is bounded, not open-ended.
    pub fn max_days(self) -> u32 {
        match self {
            // 第四十七条: the hearing is held within 20 days of the request, asked within 5.
            SpecialProcedure::Hearing => 25,
            SpecialProcedure::SiteInspection => 10,
            SpecialProcedure::PublicNotice => 20,
            SpecialProcedure::ExpertReview => 30,
            SpecialProcedure::Testing => 60,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            SpecialProcedure::Hearing => "听证",
            SpecialProcedure::SiteInspection => "现场核查",
            SpecialProcedure::ExpertReview => "专家评审",
            SpecialProcedure::Testing => "检验检测",
            SpecialProcedure::PublicNotice => "公示",
        }
    }
}

/// What is wrong with a material named in a supplement notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MaterialProblem {
    Missing,
    Faulty,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplementItem {
    pub material: String,
    pub problem: MaterialProblem,
    pub note: String,
}

/// A material accepted as missing on the applicant's promise (容缺), due by a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaivedMaterial {
    pub material: String,
    pub due_on: NaiveDate,
    pub provided_on: Option<NaiveDate>,
}

/// What a review or verify step recommends the decision be (审查意见): to grant, or to deny.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    #[default]
    Approve,
    Deny,
}

/// Where a back-office step sends a case back (退回).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReturnTarget {
    /// The step before, to be done again.
    PreviousStep,
    /// The accepting window: the acceptance is undone and the case waits to be accepted,
    /// refused or sent for a supplement as if just submitted.
    Window,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approved,
    Denied,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum IssueMethod {
    /// The exit window that handed the result out; set from the issuing clerk's window, so a
    /// command may leave it out.
    Window {
        #[serde(default)]
        window: String,
        /// Who collected the result. Required to hand it out; absent only from results handed
        /// out before the collector was recorded.
        #[serde(default)]
        collector: Option<Collector>,
    },
    Post {
        tracking_number: String,
        /// Where it was posted. Required to post it; empty only on results posted before the
        /// address was recorded.
        #[serde(default)]
        address: String,
    },
}

/// Who collected a result at the exit window (领取人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Collector {
    pub name: String,
    /// The resident ID number the clerk checked. A command gives it whole; the case and its
    /// log keep it masked.
    pub id_number: String,
    /// 代领: the written entrustment (委托书) of someone collecting for the applicant; none when
    /// the applicant collects in person.
    #[serde(default)]
    pub entrustment: Option<String>,
}

/// One workflow step of an accepted case, copied from the item version it was accepted under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepProgress {
    pub kind: StepKind,
    pub name: String,
    pub role: StepRole,
    pub department: String,
    pub time_limit_days: u32,
    /// Set when the step becomes current.
    pub started_on: Option<NaiveDate>,
    pub stops: Vec<ClockStop>,
    pub finished_on: Option<NaiveDate>,
    /// Who finished it (staff id).
    pub finished_by: Option<String>,
    /// The one member of staff the step was given to (staff id), if the chief representative
    /// assigned it; then only they may perform it. Absent in cases stored before assignment existed.
    #[serde(default)]
    pub assignee: Option<String>,
}

impl StepProgress {
    /// The steps a new case of `item` will go through, none started yet. Delegation (授权)
    /// decides who takes the decision: an item `delegated` to the window is decided there, by the
    /// accepting clerk on the spot if it is immediate, else by the chief representative; one
    /// that is not goes to the department's back office (ADR 0029).
    pub fn for_item(item: &crate::catalogue::ItemDefinition, delegated: bool) -> Vec<StepProgress> {
        item.steps
            .iter()
            .map(|s| StepProgress {
                kind: s.kind,
                name: s.name.clone(),
                role: match s.kind {
                    // 即办件: decided on the spot, by the clerk who accepts it.
                    StepKind::Decide if delegated && item.shape == WorkflowShape::Immediate => {
                        StepRole::Clerk
                    }
                    StepKind::Decide if delegated => StepRole::ChiefRepresentative,
                    StepKind::Decide => StepRole::Approver,
                    _ => s.role,
                },
                department: s.department.clone(),
                time_limit_days: s.time_limit_days,
                started_on: None,
                stops: vec![],
                finished_on: None,
                finished_by: None,
                assignee: None,
            })
            .collect()
    }

    /// The step as before it was ever started: unassigned, nothing done.
    pub fn reset(&mut self) {
        self.started_on = None;
        self.stops.clear();
        self.finished_on = None;
        self.finished_by = None;
        self.assignee = None;
    }

    pub fn due_on(&self, cal: &Calendar, today: NaiveDate) -> Option<NaiveDate> {
        let start = self.started_on?;
        let until = self.finished_on.unwrap_or(today);
        Some(due_date(
            cal,
            start,
            self.time_limit_days,
            &self.stops,
            until,
        ))
    }
}

/// The whole state of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Case {
    pub status: CaseStatus,
    pub channel: Channel,
    /// District code that owns the case.
    pub region: String,
    /// Applicant's id.
    pub applicant: String,
    /// Implementation code of the item and the version the case is bound to.
    pub item: String,
    pub item_version: u32,
    pub promised_days: u32,
    /// Whether the item lets the applicant read reviewers' comments.
    pub comments_public: bool,
    pub submitted_on: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    /// Window that accepted the case and its hall.
    pub accepted_at_window: Option<String>,
    pub hall: Option<String>,
    pub stops: Vec<ClockStop>,
    pub steps: Vec<StepProgress>,
    pub current_step: Option<usize>,
    pub supplement_notices: u32,
    /// What the open supplement notice lists, the materials the applicant may upload again;
    /// empty when no notice is open.
    #[serde(default)]
    pub open_supplement: Vec<SupplementItem>,
    pub waived: Vec<WaivedMaterial>,
    /// The materials with at least one uploaded file, in the order of their first upload.
    #[serde(default)]
    pub provided: Vec<String>,
    /// Files uploaded to the case and their bytes together, for its quota (cases stored before
    /// the quota count from then on).
    #[serde(default)]
    pub files: u32,
    #[serde(default)]
    pub file_bytes: u64,
    /// The materials the applicant asked, when submitting, to bring later (容缺): the window
    /// decides at acceptance, with a due date.
    #[serde(default)]
    pub waive_requested: Vec<String>,
    pub special_procedure: Option<SpecialProcedure>,
    /// The last working day of the running special procedure, as the applicant was told.
    #[serde(default)]
    pub special_procedure_due: Option<NaiveDate>,
    pub decision: Option<Decision>,
    pub decided_on: Option<NaiveDate>,
    /// The decision's document number (文号); none before numbering began.
    #[serde(default)]
    pub document_number: Option<String>,
    pub issue: Option<IssueMethod>,
    pub finished_on: Option<NaiveDate>,
}

impl Case {
    /// A new application, as a draft (online) or already submitted (registered at a window).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        channel: Channel,
        region: &str,
        applicant: &str,
        item: &str,
        item_version: u32,
        promised_days: u32,
        comments_public: bool,
        steps: Vec<StepProgress>,
    ) -> Case {
        Case {
            status: CaseStatus::Draft,
            channel,
            region: region.to_owned(),
            applicant: applicant.to_owned(),
            item: item.to_owned(),
            item_version,
            promised_days,
            comments_public,
            submitted_on: None,
            accepted_on: None,
            accepted_at_window: None,
            hall: None,
            stops: Vec::new(),
            steps,
            current_step: None,
            supplement_notices: 0,
            open_supplement: Vec::new(),
            waived: Vec::new(),
            provided: Vec::new(),
            files: 0,
            file_bytes: 0,
            waive_requested: Vec::new(),
            special_procedure: None,
            special_procedure_due: None,
            decision: None,
            decided_on: None,
            document_number: None,
            issue: None,
            finished_on: None,
        }
    }

    /// The overall deadline (限时办结), once accepted; frozen at the decision.
    pub fn due_on(&self, cal: &Calendar, today: NaiveDate) -> Option<NaiveDate> {
        let start = self.accepted_on?;
        let until = self.decided_on.unwrap_or(today);
        Some(due_date(cal, start, self.promised_days, &self.stops, until))
    }

    /// The case's light: only cases whose clock is still running can turn yellow or red, and
    /// an immediate one never turns yellow.
    pub fn light(&self, cal: &Calendar, today: NaiveDate, warn_days: u32) -> Option<Light> {
        let due = self.due_on(cal, today)?;
        let at = self.decided_on.unwrap_or(today);
        Some(unwarned(
            light(cal, due, at, warn_days),
            self.is_immediate(),
        ))
    }

    /// Promised the day it is accepted (即办件).
    pub fn is_immediate(&self) -> bool {
        self.promised_days == 0
    }

    pub fn current(&self) -> Option<&StepProgress> {
        self.current_step.and_then(|i| self.steps.get(i))
    }

    /// Whether the running special procedure has outlasted the time the applicant was told.
    pub fn special_procedure_overdue(&self, today: NaiveDate) -> bool {
        self.status == CaseStatus::Suspended
            && self.special_procedure_due.is_some_and(|due| today > due)
    }

    pub fn clock_stopped(&self) -> bool {
        self.stops.last().is_some_and(|s| s.to.is_none())
    }

    pub fn outstanding_waived(&self) -> impl Iterator<Item = &WaivedMaterial> {
        self.waived.iter().filter(|w| w.provided_on.is_none())
    }
}

/// A material waived on promise (容缺) at acceptance, and the day it is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WaiveRequest {
    pub material: String,
    pub due_on: NaiveDate,
}
