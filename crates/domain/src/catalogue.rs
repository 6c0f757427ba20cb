//! The item catalogue (事项): what a service is, what it needs and how it is decided.
//! An [`ItemVersion`] is immutable once published; cases keep the version they were accepted under.

use serde::{Deserialize, Serialize};

/// National item types (事项类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemType {
    /// 行政许可
    AdministrativeLicence,
    /// 行政确认
    AdministrativeConfirmation,
    /// 行政给付
    AdministrativePayment,
    /// 行政征收
    AdministrativeLevy,
    /// 行政奖励
    AdministrativeAward,
    /// 行政裁决
    AdministrativeAdjudication,
    /// 其他行政权力
    OtherAdministrativePower,
    /// 公共服务
    PublicService,
}

/// 即办件 (decided on the spot) or 承诺件 (decided within the promised limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Promise {
    Immediate,
    Promised,
}

/// Who may apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ItemApplicantKind))]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    Person,
    Enterprise,
    Both,
}

/// The level at which an item is handled (服务层级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceLevel {
    District,
    Street,
    Community,
}

/// Where an item can be handled (通办范围).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HandlingScope {
    /// Only at the district centre.
    CentreOnly,
    /// At any station of the district (同区通办).
    DistrictWide,
    /// Anywhere in the city (全市通办).
    CityWide,
}

/// Online depth (网办深度), 1 = guide online … 4 = fully online, no visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OnlineDepth {
    GuideOnly,
    FormsOnline,
    ApplyOnline,
    FullyOnline,
}

/// 原件 or 复印件.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MaterialForm {
    Original,
    Copy,
    OriginalAndCopy,
    Electronic,
}

/// A material the applicant submits (申请材料).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Material {
    /// Stable within an item across versions, e.g. "M01".
    pub code: String,
    pub name: String,
    pub form: MaterialForm,
    pub copies: u32,
    pub required: bool,
    /// May be accepted with the material missing, on the applicant's written promise (容缺).
    pub waivable: bool,
    /// Where the material comes from, e.g. "申请人自备", "公安部门核发".
    pub source: String,
    /// The material's own form (申请表, 申请书), as the fields printed on it: the centre prints it
    /// blank (空白表格) and filled in with each field's sample (示例样表). Empty when the material
    /// is not a form the centre provides, and then no form is offered.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub fields: Vec<FormField>,
    pub note: String,
}

impl Material {
    /// Whether the material has a blank form to print.
    pub fn has_form(&self) -> bool {
        !self.fields.is_empty()
    }

    /// Whether its form has a filled-in sample: some field has a sample value.
    pub fn has_sample(&self) -> bool {
        self.fields.iter().any(|f| !f.sample.trim().is_empty())
    }
}

/// Most fields one form may have: a form is a page or two, not a questionnaire.
pub const MAX_FORM_FIELDS: usize = 40;
/// Most rows of writing space one field may take.
pub const MAX_FIELD_LINES: u32 = 10;

/// One field of a material's form: its printed label, the sample's value, and the rows of
/// writing space it needs on paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FormField {
    pub label: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub sample: String,
    #[serde(default = "one_line")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub lines: u32,
}

fn one_line() -> u32 {
    1
}

/// A fee (收费项目).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Fee {
    pub name: String,
    /// Standard in fen (分) per unit; 0 for free items is expressed by having no fees.
    pub amount_fen: i64,
    /// Unit of charge, e.g. "件", "本".
    pub unit: String,
    pub legal_basis: String,
}

/// The kind of a back-office step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// 审查
    Review,
    /// 审核
    Verify,
    /// 审批/决定: the step that approves or denies.
    Decide,
}

/// The role that performs a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepRole {
    Approver,
    ChiefRepresentative,
    /// The clerk at the window that accepted the case, on the spot: only the decision of an
    /// immediate item (即办件) delegated to the window.
    Clerk,
}

/// One step of the workflow after acceptance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub kind: StepKind,
    pub name: String,
    pub role: StepRole,
    /// Department code of the department whose staff perform the step.
    pub department: String,
    /// Working days for this step; 0 means the same working day.
    pub time_limit_days: u32,
}

/// Workflow shapes a centre uses (seed 001): immediate, 一审一核, 受理/审查/审核/审批.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkflowShape {
    Immediate,
    TwoStep,
    FourStep,
}

impl WorkflowShape {
    /// The step kinds after acceptance that a shape consists of.
    pub fn step_kinds(self) -> &'static [StepKind] {
        match self {
            WorkflowShape::Immediate => &[StepKind::Decide],
            WorkflowShape::TwoStep => &[StepKind::Review, StepKind::Decide],
            WorkflowShape::FourStep => &[StepKind::Review, StepKind::Verify, StepKind::Decide],
        }
    }
}

/// The result of an item (办理结果).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemResult {
    pub name: String,
    /// 证照 / 批文 / 其他.
    pub kind: ResultKind,
    /// The result can be sent by post (送达).
    pub deliverable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResultKind {
    Certificate,
    ApprovalDocument,
    Other,
}

/// Everything that defines an item, as published in one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemDefinition {
    /// 基本编码 (national basic code).
    pub basic_code: String,
    /// 实施编码 (implementation code, unique per implementing body).
    pub implementation_code: String,
    pub name: String,
    /// Implementation code of the main item when this is a sub-item (子项).
    pub parent_code: Option<String>,
    pub item_type: ItemType,
    /// Code of the implementing department.
    pub department: String,
    /// Theme of the comprehensive window that accepts it, if any.
    pub theme: Option<crate::organisation::Theme>,
    pub applicant_kind: ApplicantKind,
    pub legal_basis: String,
    pub conditions: String,
    pub materials: Vec<Material>,
    pub legal_time_limit_days: u32,
    pub promised_time_limit_days: u32,
    pub promise: Promise,
    pub fees: Vec<Fee>,
    pub result: ItemResult,
    pub shape: WorkflowShape,
    pub steps: Vec<Step>,
    pub location: String,
    pub office_hours: String,
    pub consultation_phone: String,
    pub complaint_phone: String,
    pub online_depth: OnlineDepth,
    pub visits_needed: u32,
    pub service_level: ServiceLevel,
    pub scope: HandlingScope,
    /// Whether reviewers' comments are shown to the applicant.
    pub comments_public: bool,
    /// Whether one person may perform only one step of a case (职责分离); unset means the
    /// shape's default, see [`ItemDefinition::separates_duties`].
    #[serde(default)]
    pub separate_duties: Option<bool>,
    /// The words people use for the item besides its name (常用名称, e.g. 就业证 for
    /// 《就业创业证》申领), which the portal's search finds it by.
    #[serde(default)]
    pub keywords: Vec<String>,
}

impl ItemDefinition {
    /// The keywords as the catalogue search reads them: trimmed, without blanks, one line.
    pub fn keyword_line(&self) -> String {
        self.keywords
            .iter()
            .map(|k| k.trim())
            .filter(|k| !k.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Why an item definition cannot be published.
///
/// `Display` is the English message; [`field`](Self::field) names the field concerned as a JSON
/// path of the definition, [`code`](Self::code) is a stable machine code for the API and
/// [`message_zh`](Self::message_zh) is what the centre's administrator reads next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefinitionError {
    #[error("the item has no name")]
    MissingName,
    #[error("the item has no implementation code")]
    MissingCode,
    #[error("the promised limit ({promised}) exceeds the legal limit ({legal})")]
    PromiseBeyondLegal { promised: u32, legal: u32 },
    #[error("an immediate item must have a promised limit of 0 days")]
    ImmediateWithLimit,
    #[error("the steps do not follow the {0:?} shape")]
    StepsDoNotMatchShape(WorkflowShape),
    #[error("the step limits add up to {sum} days, more than the promised {promised}")]
    StepsBeyondPromise { sum: u64, promised: u32 },
    /// `index` is the position of the second occurrence in `materials`.
    #[error("material code {code} appears twice")]
    DuplicateMaterial { index: usize, code: String },
    #[error("material {} has no name", .index + 1)]
    UnnamedMaterial { index: usize },
    #[error("field {} of the form of material {} has no label", .field + 1, .index + 1)]
    UnlabelledFormField { index: usize, field: usize },
    #[error("field {} of the form of material {} needs 1 to {MAX_FIELD_LINES} lines", .field + 1, .index + 1)]
    FormFieldLines { index: usize, field: usize },
    #[error("the form of material {} has more than {MAX_FORM_FIELDS} fields", .index + 1)]
    TooManyFormFields { index: usize },
    #[error("step {} is the window clerk's, which only an immediate item's decision may be", .index + 1)]
    ClerkStepNotImmediate { index: usize },
}

impl DefinitionError {
    /// The JSON path of the field concerned, e.g. `promised_time_limit_days`, `materials[2].name`.
    pub fn field(&self) -> String {
        match self {
            DefinitionError::MissingName => "name".to_owned(),
            DefinitionError::MissingCode => "implementation_code".to_owned(),
            DefinitionError::PromiseBeyondLegal { .. } | DefinitionError::ImmediateWithLimit => {
                "promised_time_limit_days".to_owned()
            }
            DefinitionError::StepsDoNotMatchShape(_)
            | DefinitionError::StepsBeyondPromise { .. } => "steps".to_owned(),
            DefinitionError::DuplicateMaterial { index, .. } => format!("materials[{index}].code"),
            DefinitionError::UnnamedMaterial { index } => format!("materials[{index}].name"),
            DefinitionError::UnlabelledFormField { index, field } => {
                format!("materials[{index}].fields[{field}].label")
            }
            DefinitionError::FormFieldLines { index, field } => {
                format!("materials[{index}].fields[{field}].lines")
            }
            DefinitionError::TooManyFormFields { index } => format!("materials[{index}].fields"),
            DefinitionError::ClerkStepNotImmediate { index } => format!("steps[{index}].role"),
        }
    }

    /// Stable snake_case code for API responses.
    pub fn code(&self) -> &'static str {
        match self {
            DefinitionError::MissingName => "item_name_required",
            DefinitionError::MissingCode => "implementation_code_required",
            DefinitionError::PromiseBeyondLegal { .. } => "promise_beyond_legal_limit",
            DefinitionError::ImmediateWithLimit => "immediate_item_with_time_limit",
            DefinitionError::StepsDoNotMatchShape(_) => "steps_do_not_match_shape",
            DefinitionError::StepsBeyondPromise { .. } => "steps_beyond_promised_limit",
            DefinitionError::DuplicateMaterial { .. } => "duplicate_material_code",
            DefinitionError::UnnamedMaterial { .. } => "material_name_required",
            DefinitionError::UnlabelledFormField { .. } => "form_field_label_required",
            DefinitionError::FormFieldLines { .. } => "form_field_lines",
            DefinitionError::TooManyFormFields { .. } => "too_many_form_fields",
            DefinitionError::ClerkStepNotImmediate { .. } => "clerk_step_not_immediate",
        }
    }

    /// Message for the centre's administrator, in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            DefinitionError::MissingName => "请填写事项名称".to_owned(),
            DefinitionError::MissingCode => "请填写实施编码".to_owned(),
            DefinitionError::PromiseBeyondLegal { promised, legal } => {
                format!("承诺时限（{promised}个工作日）不能超过法定时限（{legal}个工作日）")
            }
            DefinitionError::ImmediateWithLimit => "即办件的承诺时限应为0个工作日".to_owned(),
            DefinitionError::StepsDoNotMatchShape(shape) => format!(
                "办理环节应依次为：{}",
                shape
                    .step_kinds()
                    .iter()
                    .map(|k| k.name_zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            DefinitionError::StepsBeyondPromise { sum, promised } => {
                format!("各环节时限合计{sum}个工作日，超过承诺时限{promised}个工作日")
            }
            DefinitionError::DuplicateMaterial { code, .. } => {
                format!("材料编号 {code} 重复，同一事项内材料编号须唯一")
            }
            DefinitionError::UnnamedMaterial { index } => {
                format!("请填写第{}项材料的名称", index + 1)
            }
            DefinitionError::UnlabelledFormField { index, field } => {
                format!("请填写第{}项材料表格第{}栏的名称", index + 1, field + 1)
            }
            DefinitionError::FormFieldLines { index, field } => format!(
                "第{}项材料表格第{}栏的行数应为 1 至 {MAX_FIELD_LINES} 行",
                index + 1,
                field + 1
            ),
            DefinitionError::TooManyFormFields { index } => {
                format!("第{}项材料的表格最多 {MAX_FORM_FIELDS} 栏", index + 1)
            }
            DefinitionError::ClerkStepNotImmediate { index } => format!(
                "第{}个环节：只有即办件的决定环节可以由窗口人员当场办理",
                index + 1
            ),
        }
    }
}

impl StepKind {
    /// The step's name in Chinese: 审查, 审核, 审批.
    pub fn name_zh(self) -> &'static str {
        match self {
            StepKind::Review => "审查",
            StepKind::Verify => "审核",
            StepKind::Decide => "审批",
        }
    }

    /// The kind as the API and the database spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Review => "review",
            StepKind::Verify => "verify",
            StepKind::Decide => "decide",
        }
    }
}

impl ItemDefinition {
    /// The delegation (授权) a new item starts with, until the centre admin sets it: to the
    /// window when its definition has the chief representative decide, or when it is done on the
    /// spot. Afterwards the centre's flag, not the definition, decides (ADR 0029).
    pub fn proposes_delegation(&self) -> bool {
        self.shape == WorkflowShape::Immediate
            || self.steps.iter().any(|s| {
                s.kind == StepKind::Decide
                    && matches!(s.role, StepRole::ChiefRepresentative | StepRole::Clerk)
            })
    }

    /// Whether the same person is refused a second step of one case. On by default for the
    /// four-step shape, whose review, verification and decision exist to be three pairs of eyes.
    pub fn separates_duties(&self) -> bool {
        self.separate_duties
            .unwrap_or(self.shape == WorkflowShape::FourStep)
    }

    /// Checks the rules every published item must satisfy; the first problem, if any.
    pub fn validate(&self) -> Result<(), DefinitionError> {
        match self.problems().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Every rule the definition breaks, in the order of its fields, so a form can show them all
    /// at once. Empty when the definition may be published.
    pub fn problems(&self) -> Vec<DefinitionError> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push(DefinitionError::MissingName);
        }
        if self.implementation_code.trim().is_empty() {
            problems.push(DefinitionError::MissingCode);
        }
        if self.promised_time_limit_days > self.legal_time_limit_days {
            problems.push(DefinitionError::PromiseBeyondLegal {
                promised: self.promised_time_limit_days,
                legal: self.legal_time_limit_days,
            });
        }
        if self.promise == Promise::Immediate && self.promised_time_limit_days != 0 {
            problems.push(DefinitionError::ImmediateWithLimit);
        }
        let kinds: Vec<StepKind> = self.steps.iter().map(|s| s.kind).collect();
        if kinds != self.shape.step_kinds() {
            problems.push(DefinitionError::StepsDoNotMatchShape(self.shape));
        }
        for (index, s) in self.steps.iter().enumerate() {
            let on_the_spot = self.shape == WorkflowShape::Immediate && s.kind == StepKind::Decide;
            if s.role == StepRole::Clerk && !on_the_spot {
                problems.push(DefinitionError::ClerkStepNotImmediate { index });
            }
        }
        // Summed wide: step limits come from imported or edited definitions, and two large
        // ones would overflow a u32 (a panic in a debug build, a wrong answer in release).
        let sum: u64 = self
            .steps
            .iter()
            .map(|s| u64::from(s.time_limit_days))
            .sum();
        if sum > u64::from(self.promised_time_limit_days) {
            problems.push(DefinitionError::StepsBeyondPromise {
                sum,
                promised: self.promised_time_limit_days,
            });
        }
        let mut seen = std::collections::HashSet::new();
        for (index, m) in self.materials.iter().enumerate() {
            if m.name.trim().is_empty() {
                problems.push(DefinitionError::UnnamedMaterial { index });
            }
            if !seen.insert(m.code.as_str()) {
                problems.push(DefinitionError::DuplicateMaterial {
                    index,
                    code: m.code.clone(),
                });
            }
            if m.fields.len() > MAX_FORM_FIELDS {
                problems.push(DefinitionError::TooManyFormFields { index });
            }
            for (field, f) in m.fields.iter().enumerate() {
                if f.label.trim().is_empty() {
                    problems.push(DefinitionError::UnlabelledFormField { index, field });
                }
                if !(1..=MAX_FIELD_LINES).contains(&f.lines) {
                    problems.push(DefinitionError::FormFieldLines { index, field });
                }
            }
        }
        problems
    }

    /// The ten public elements (十公开) of the guide, in their customary order.
    pub fn ten_public_elements(&self, department_name: &str) -> TenPublicElements {
        TenPublicElements {
            authority: department_name.to_owned(),
            legal_basis: self.legal_basis.clone(),
            conditions: self.conditions.clone(),
            procedure: self.steps.iter().map(|s| s.name.clone()).collect(),
            promised_time_limit_days: self.promised_time_limit_days,
            legal_time_limit_days: self.legal_time_limit_days,
            fee_standards: self
                .fees
                .iter()
                .map(|f| FeeStandard {
                    name: f.name.clone(),
                    amount_fen: f.amount_fen,
                    unit: f.unit.clone(),
                })
                .collect(),
            fee_basis: self.fees.iter().map(|f| f.legal_basis.clone()).collect(),
            result: self.result.name.clone(),
            consultation_phone: self.consultation_phone.clone(),
            complaint_phone: self.complaint_phone.clone(),
        }
    }
}

/// 十公开: 审批主体、审批依据、办理条件、办事程序、承诺时限、收费标准、收费依据、办事结果、咨询电话、投诉电话 (seed 000).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenPublicElements {
    pub authority: String,
    pub legal_basis: String,
    pub conditions: String,
    pub procedure: Vec<String>,
    pub promised_time_limit_days: u32,
    pub legal_time_limit_days: u32,
    pub fee_standards: Vec<FeeStandard>,
    pub fee_basis: Vec<String>,
    pub result: String,
    pub consultation_phone: String,
    pub complaint_phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeStandard {
    pub name: String,
    pub amount_fen: i64,
    pub unit: String,
}

pub mod windows;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
