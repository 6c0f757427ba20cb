//! A valid item definition of each workflow shape, for the domain's tests.

use super::*;

/// A valid item of `shape` (food business licence, department SCJ, materials M01 and M02 of
/// which M02 is waivable).
pub(crate) fn item(shape: WorkflowShape) -> ItemDefinition {
    let steps: Vec<Step> = shape
        .step_kinds()
        .iter()
        .map(|k| Step {
            kind: *k,
            name: format!("{k:?}"),
            role: if *k == StepKind::Decide {
                StepRole::ChiefRepresentative
            } else {
                StepRole::Approver
            },
            department: "SCJ".into(),
            time_limit_days: if shape == WorkflowShape::Immediate {
                0
            } else {
                2
            },
        })
        .collect();
    let material = |code: &str, waivable| Material {
        code: code.into(),
        name: format!("材料{code}"),
        form: MaterialForm::Original,
        copies: 1,
        required: true,
        waivable,
        source: "申请人自备".into(),
        fields: vec![],
        note: String::new(),
    };
    ItemDefinition {
        basic_code: "000".into(),
        implementation_code: "440511-SCJ-001".into(),
        name: "食品经营许可".into(),
        parent_code: None,
        item_type: ItemType::AdministrativeLicence,
        department: "SCJ".into(),
        theme: None,
        applicant_kind: ApplicantKind::Both,
        legal_basis: "《食品安全法》第三十五条".into(),
        conditions: "".into(),
        materials: vec![material("M01", false), material("M02", true)],
        legal_time_limit_days: 20,
        promised_time_limit_days: if shape == WorkflowShape::Immediate {
            0
        } else {
            10
        },
        promise: if shape == WorkflowShape::Immediate {
            Promise::Immediate
        } else {
            Promise::Promised
        },
        fees: vec![],
        result: ItemResult {
            name: "许可证".into(),
            kind: ResultKind::Certificate,
            deliverable: true,
        },
        shape,
        steps,
        location: "".into(),
        office_hours: "".into(),
        consultation_phone: "".into(),
        complaint_phone: "".into(),
        online_depth: OnlineDepth::ApplyOnline,
        visits_needed: 1,
        service_level: ServiceLevel::District,
        scope: HandlingScope::CentreOnly,
        comments_public: true,
        separate_duties: None,
        keywords: vec![" 就业证 ".into(), String::new(), "失业登记".into()],
    }
}
