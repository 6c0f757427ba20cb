//! Why a command was refused, with a stable code and a message in Chinese and English.

use super::materials::{MAX_CASE_FILE_BYTES, MAX_CASE_FILES, MAX_FILE_BYTES, MAX_OPEN_DRAFTS};
use super::state::{CaseStatus, SpecialProcedure};

/// Why a command was refused. Nothing changes when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("'{action}' is not possible while the case is {status:?}")]
    NotAllowed {
        action: &'static str,
        status: CaseStatus,
    },
    #[error("you may not '{0}' this case")]
    Forbidden(&'static str),
    #[error("{0} must not be empty")]
    Required(&'static str),
    #[error("the item has no material {0}")]
    UnknownMaterial(String),
    #[error("material {0} may not be waived")]
    NotWaivable(String),
    #[error("material {0} is named twice")]
    DuplicateMaterial(String),
    #[error("the collector's ID number is not a valid resident ID number")]
    CollectorIdInvalid,
    #[error("the collector is not the applicant: a written entrustment (代领) is required")]
    EntrustmentRequired,
    #[error("required materials were neither uploaded, received nor waived: {0}")]
    MaterialsMissing(String),
    #[error(
        "required materials have no file yet: {0}; upload them, or ask to bring later those the item allows"
    )]
    MaterialsNotUploaded(String),
    #[error("the due date for a waived material must be after today")]
    WaivedDueNotInFuture,
    #[error("a supplement notice must name at least one material")]
    EmptySupplement,
    #[error("this case already had a supplement notice; a second one needs a reason")]
    RepeatReasonRequired,
    #[error("waived materials are still outstanding: {0}")]
    WaivedOutstanding(String),
    #[error("material {0} is not an outstanding waived material")]
    NotOutstanding(String),
    #[error(
        "material {0} takes no upload now: only the materials the supplement notice lists, or outstanding waived ones"
    )]
    MaterialNotOpen(String),
    #[error("only PDF, JPEG and PNG files are accepted")]
    UnsupportedFileType,
    #[error("a file may be at most {} MiB", MAX_FILE_BYTES / 1024 / 1024)]
    FileTooLarge,
    #[error("a case holds at most {MAX_CASE_FILES} files of {} MiB together", MAX_CASE_FILE_BYTES / 1024 / 1024)]
    CaseFilesFull,
    #[error(
        "an applicant holds at most {MAX_OPEN_DRAFTS} unsent applications; send or delete one first"
    )]
    TooManyDrafts,
    #[error("there is no member of staff {0}")]
    UnknownAssignee(String),
    #[error("{0} may not perform this step (another department, or not the step's role)")]
    AssigneeNotQualified(String),
    #[error("the step is already assigned to {0}")]
    AlreadyAssigned(String),
    #[error("a {procedure:?} needs between 1 and {max} working days")]
    SpecialProcedureDays {
        procedure: SpecialProcedure,
        max: u32,
    },
    #[error("{field} may be at most {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("the first step has no step before it to return to")]
    NoPreviousStep,
    /// 职责分离: someone who performed an earlier step of the case may not perform another.
    /// `assignee` names the person when it is not the actor (an assignment).
    #[error("{} already performed the step '{step}' of this case; separation of duties needs another person", assignee.as_deref().unwrap_or("you"))]
    DutiesNotSeparated {
        assignee: Option<String>,
        step: String,
    },
}

impl TransitionError {
    /// Stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } => "transition_not_allowed",
            TransitionError::Forbidden(_) => "forbidden",
            TransitionError::Required(_) => "field_required",
            TransitionError::UnknownMaterial(_) => "unknown_material",
            TransitionError::NotWaivable(_) => "material_not_waivable",
            TransitionError::DuplicateMaterial(_) => "duplicate_material",
            TransitionError::MaterialsMissing(_) => "materials_missing",
            TransitionError::MaterialsNotUploaded(_) => "materials_not_uploaded",
            TransitionError::CollectorIdInvalid => "collector_id_invalid",
            TransitionError::EntrustmentRequired => "entrustment_required",
            TransitionError::WaivedDueNotInFuture => "waived_due_not_in_future",
            TransitionError::EmptySupplement => "empty_supplement",
            TransitionError::RepeatReasonRequired => "repeat_supplement_reason_required",
            TransitionError::WaivedOutstanding(_) => "waived_materials_outstanding",
            TransitionError::NotOutstanding(_) => "material_not_outstanding",
            TransitionError::MaterialNotOpen(_) => "material_not_open",
            TransitionError::UnsupportedFileType => "unsupported_file_type",
            TransitionError::FileTooLarge => "file_too_large",
            TransitionError::CaseFilesFull => "case_files_full",
            TransitionError::TooManyDrafts => "too_many_drafts",
            TransitionError::UnknownAssignee(_) => "unknown_assignee",
            TransitionError::AssigneeNotQualified(_) => "assignee_not_qualified",
            TransitionError::AlreadyAssigned(_) => "already_assigned",
            TransitionError::DutiesNotSeparated { .. } => "duties_not_separated",
            TransitionError::NoPreviousStep => "no_previous_step",
            TransitionError::SpecialProcedureDays { .. } => "special_procedure_days",
            TransitionError::TooLong { .. } => "too_long",
        }
    }

    /// The field of the command the error is about, for a form to show it there.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            TransitionError::Required(field) | TransitionError::TooLong { field, .. } => {
                Some(field)
            }
            TransitionError::RepeatReasonRequired => Some("repeat_reason"),
            TransitionError::EmptySupplement => Some("items"),
            TransitionError::WaivedDueNotInFuture => Some("waived"),
            TransitionError::MaterialsMissing(_) => Some("received"),
            TransitionError::MaterialsNotUploaded(_) => Some("waive"),
            TransitionError::NoPreviousStep => Some("to"),
            TransitionError::SpecialProcedureDays { .. } => Some("days"),
            TransitionError::CollectorIdInvalid => Some("collector.id_number"),
            TransitionError::EntrustmentRequired => Some("collector.entrustment"),
            TransitionError::NotOutstanding(_) | TransitionError::MaterialNotOpen(_) => {
                Some("material")
            }
            TransitionError::UnsupportedFileType
            | TransitionError::FileTooLarge
            | TransitionError::CaseFilesFull => Some("file"),
            TransitionError::UnknownAssignee(_)
            | TransitionError::AssigneeNotQualified(_)
            | TransitionError::AlreadyAssigned(_)
            | TransitionError::DutiesNotSeparated {
                assignee: Some(_), ..
            } => Some("assignee"),
            _ => None,
        }
    }

    pub fn message_zh(&self) -> String {
        match self {
            TransitionError::NotAllowed { action, status } => {
                format!(
                    "办件当前状态（{}）下不能执行“{}”",
                    status_zh(*status),
                    action_zh(action)
                )
            }
            TransitionError::Forbidden(action) => {
                format!("您无权对该办件执行“{}”", action_zh(action))
            }
            TransitionError::Required(field) => format!("{}不能为空", field_zh(field)),
            TransitionError::TooLong { field, max } => {
                format!("{}不能超过 {max} 个字", field_zh(field))
            }
            TransitionError::UnknownMaterial(m) => format!("该事项没有编号为 {m} 的材料"),
            TransitionError::NotWaivable(m) => format!("材料 {m} 不属于可容缺材料"),
            TransitionError::DuplicateMaterial(m) => format!("材料 {m} 重复列出"),
            TransitionError::CollectorIdInvalid => "领取人身份证号码无效".to_owned(),
            TransitionError::EntrustmentRequired => {
                "领取人不是申请人本人，代领须出具申请人的书面委托书".to_owned()
            }
            TransitionError::MaterialsMissing(m) => {
                format!("以下必交材料既未上传、未收取，也未容缺：{m}")
            }
            TransitionError::MaterialsNotUploaded(m) => {
                format!("以下必交材料尚未上传：{m}。请上传，可容缺的材料也可申请容缺后补")
            }
            TransitionError::WaivedDueNotInFuture => "容缺材料的补交期限必须晚于今天".to_owned(),
            TransitionError::EmptySupplement => "补正告知须列明至少一项材料".to_owned(),
            TransitionError::RepeatReasonRequired => {
                "该办件已一次性告知过，再次告知须说明理由".to_owned()
            }
            TransitionError::WaivedOutstanding(m) => format!("容缺材料尚未补齐：{m}"),
            TransitionError::NotOutstanding(m) => format!("材料 {m} 不是待补交的容缺材料"),
            TransitionError::MaterialNotOpen(m) => {
                format!("材料 {m} 现在不能上传：只能上传补正告知列明的材料或待补交的容缺材料")
            }
            TransitionError::UnsupportedFileType => "只接受 PDF、JPEG、PNG 格式的文件".to_owned(),
            TransitionError::FileTooLarge => {
                format!("文件不能超过 {} MB", MAX_FILE_BYTES / 1024 / 1024)
            }
            TransitionError::TooManyDrafts => {
                format!("最多保存 {MAX_OPEN_DRAFTS} 份未提交的申请，请先提交或删除已有的申请")
            }
            TransitionError::CaseFilesFull => format!(
                "一件办件最多上传 {MAX_CASE_FILES} 个文件、合计 {} MB",
                MAX_CASE_FILE_BYTES / 1024 / 1024
            ),
            TransitionError::UnknownAssignee(s) => format!("没有工作人员 {s}"),
            TransitionError::AssigneeNotQualified(s) => {
                format!("{s} 不能办理该环节（不属于该部门或不具备该环节的岗位）")
            }
            TransitionError::AlreadyAssigned(s) => format!("该环节已指派给 {s}"),
            TransitionError::NoPreviousStep => "当前是第一个环节，没有上一环节可退回".to_owned(),
            TransitionError::SpecialProcedureDays { procedure, max } => {
                format!("{}所需时间须为 1 至 {max} 个工作日", procedure.name_zh())
            }
            TransitionError::DutiesNotSeparated { assignee, step } => format!(
                "{}已办理本案的“{step}”环节，按职责分离要求，本环节须由其他人员办理",
                assignee
                    .as_deref()
                    .map_or("您".to_owned(), |a| format!("{a} "))
            ),
        }
    }
}

fn status_zh(s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::Draft => "草稿",
        CaseStatus::Submitted => "已提交",
        CaseStatus::AwaitingSupplement => "待补正",
        CaseStatus::InProgress => "办理中",
        CaseStatus::Suspended => "特别程序中",
        CaseStatus::Approved => "已办结（准予）",
        CaseStatus::Denied => "已办结（不予）",
        CaseStatus::Refused => "不予受理",
        CaseStatus::Issued => "已出件",
        CaseStatus::Closed => "已归档",
        CaseStatus::Withdrawn => "已撤回",
    }
}

fn action_zh(action: &str) -> &'static str {
    match action {
        "submit" => "提交",
        "accept" => "受理",
        "refuse" => "不予受理",
        "request_supplement" => "补正告知",
        "provide_supplement" => "补正材料",
        "complete_step" => "提交审查意见",
        "return" => "退回",
        "decide" => "作出决定",
        "start_special_procedure" => "启动特别程序",
        "end_special_procedure" => "结束特别程序",
        "provide_waived_material" => "补交容缺材料",
        "withdraw" => "撤回",
        "issue" => "出件",
        "close" => "归档",
        "upload_material" => "上传材料",
        "assign" => "指派",
        "reveal_identity" => "查看申请人完整身份信息",
        _ => "操作",
    }
}

fn field_zh(field: &str) -> &'static str {
    match field {
        "reason" => "理由",
        "legal_basis" => "法律依据",
        "redirect" => "告知申请人向何处申请",
        "comment" => "意见",
        "outcome" => "结果说明",
        "tracking_number" => "邮件单号",
        "address" => "邮寄地址",
        "collector" => "领取人",
        "collector.name" => "领取人姓名",
        "file_name" => "文件名",
        "note" => "说明",
        "repeat_reason" => "再次补正的理由",
        "collector.id_number" => "领取人身份证号码",
        "collector.entrustment" => "委托书说明",
        "waive" | "waived" | "received" | "items" | "material" => "材料编号",
        "window" => "窗口编号",
        "assignee" => "承办人",
        _ => "必填项",
    }
}
