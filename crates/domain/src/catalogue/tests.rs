//! The rules of an item definition: every problem at once, each with its field, code and message.

use super::fixtures::item;
use super::*;

#[test]
fn a_valid_definition_of_every_shape_has_no_problems() {
    for shape in [
        WorkflowShape::Immediate,
        WorkflowShape::TwoStep,
        WorkflowShape::FourStep,
    ] {
        let def = item(shape);
        assert_eq!(def.problems(), vec![], "{shape:?}");
        assert_eq!(def.validate(), Ok(()));
    }
}

#[test]
fn keywords_are_searched_trimmed_without_blanks() {
    assert_eq!(
        item(WorkflowShape::TwoStep).keyword_line(),
        "就业证 失业登记"
    );
    let none = ItemDefinition {
        keywords: vec![],
        ..item(WorkflowShape::TwoStep)
    };
    assert_eq!(none.keyword_line(), "");
}

#[test]
fn every_problem_is_reported_at_once_in_field_order() {
    let mut def = item(WorkflowShape::FourStep);
    def.name = "  ".into();
    def.promised_time_limit_days = 30; // legal is 20
    def.steps.pop();
    def.materials.push(def.materials[0].clone());
    def.materials[1].name = String::new();
    let problems = def.problems();
    let fields: Vec<String> = problems.iter().map(DefinitionError::field).collect();
    assert_eq!(
        fields,
        [
            "name",
            "promised_time_limit_days",
            "steps",
            "materials[1].name",
            "materials[2].code"
        ]
    );
    let codes: Vec<&str> = problems.iter().map(DefinitionError::code).collect();
    assert_eq!(
        codes,
        [
            "item_name_required",
            "promise_beyond_legal_limit",
            "steps_do_not_match_shape",
            "material_name_required",
            "duplicate_material_code"
        ]
    );
    // `validate` is the first of them.
    assert_eq!(def.validate(), Err(DefinitionError::MissingName));
}

#[test]
fn a_material_form_is_its_own_fields_each_labelled_with_room_to_write() {
    let field = |label: &str, sample: &str, lines| FormField {
        label: label.into(),
        sample: sample.into(),
        lines,
    };
    let mut def = item(WorkflowShape::TwoStep);
    assert!(!def.materials[0].has_form(), "no fields, no form");
    def.materials[0].fields = vec![field("姓名", "", 1), field("住所", "", 2)];
    assert!(def.materials[0].has_form());
    assert!(!def.materials[0].has_sample(), "a sample needs a value");
    def.materials[0].fields[0].sample = "张三".into();
    assert!(def.materials[0].has_sample());
    assert_eq!(def.problems(), vec![]);

    def.materials[1].fields = vec![field(" ", "x", 1), field("经营范围", "", 0)];
    def.materials[1]
        .fields
        .push(field("日期", "", MAX_FIELD_LINES + 1));
    let fields: Vec<String> = def.problems().iter().map(DefinitionError::field).collect();
    assert_eq!(
        fields,
        [
            "materials[1].fields[0].label",
            "materials[1].fields[1].lines",
            "materials[1].fields[2].lines"
        ]
    );
    def.materials[1].fields = vec![field("栏", "", 1); MAX_FORM_FIELDS + 1];
    assert_eq!(
        def.problems(),
        vec![DefinitionError::TooManyFormFields { index: 1 }]
    );
    // A stored field without its lines takes one.
    let parsed: FormField = serde_json::from_str(r#"{"label":"姓名","sample":"张三"}"#).unwrap();
    assert_eq!(parsed.lines, 1);
}

#[test]
fn limits_are_checked_against_the_promise_and_each_other() {
    let mut def = item(WorkflowShape::Immediate);
    def.promised_time_limit_days = 1;
    assert_eq!(def.problems(), vec![DefinitionError::ImmediateWithLimit]);

    let mut def = item(WorkflowShape::TwoStep);
    def.steps[0].time_limit_days = 9; // 9 + 2 > 10 promised
    let problems = def.problems();
    assert_eq!(
        problems,
        vec![DefinitionError::StepsBeyondPromise {
            sum: 11,
            promised: 10
        }]
    );
    assert_eq!(problems[0].field(), "steps");
    assert!(problems[0].message_zh().contains("11"), "{problems:?}");

    let mut def = item(WorkflowShape::TwoStep);
    def.implementation_code = String::new();
    assert_eq!(def.problems()[0].field(), "implementation_code");
}

#[test]
fn codes_are_snake_case_and_distinct_and_messages_are_present() {
    let all = [
        DefinitionError::MissingName,
        DefinitionError::MissingCode,
        DefinitionError::PromiseBeyondLegal {
            promised: 30,
            legal: 20,
        },
        DefinitionError::ImmediateWithLimit,
        DefinitionError::StepsDoNotMatchShape(WorkflowShape::TwoStep),
        DefinitionError::StepsBeyondPromise {
            sum: 11,
            promised: 10,
        },
        DefinitionError::DuplicateMaterial {
            index: 2,
            code: "M01".into(),
        },
        DefinitionError::UnnamedMaterial { index: 0 },
        DefinitionError::UnlabelledFormField { index: 0, field: 1 },
        DefinitionError::FormFieldLines { index: 0, field: 1 },
        DefinitionError::TooManyFormFields { index: 0 },
        DefinitionError::ClerkStepNotImmediate { index: 0 },
    ];
    let mut codes: Vec<&str> = all.iter().map(DefinitionError::code).collect();
    for e in &all {
        assert!(
            e.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{}",
            e.code()
        );
        assert!(!e.to_string().is_empty());
        assert!(!e.message_zh().is_empty());
    }
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
    assert_eq!(
        DefinitionError::StepsDoNotMatchShape(WorkflowShape::TwoStep).message_zh(),
        "办理环节应依次为：审查、审批"
    );
    // Material positions count from 1 for people, from 0 in the field path.
    let unnamed = DefinitionError::UnnamedMaterial { index: 0 };
    assert_eq!(unnamed.field(), "materials[0].name");
    assert!(unnamed.message_zh().contains("第1项"));
    assert_eq!(unnamed.to_string(), "material 1 has no name");
}

#[test]
fn step_limits_too_large_to_add_up_in_32_bits_are_a_problem_not_a_panic() {
    let mut def = item(WorkflowShape::TwoStep);
    for step in &mut def.steps {
        step.time_limit_days = u32::MAX;
    }
    let problems = def.problems();
    assert!(
        problems.contains(&DefinitionError::StepsBeyondPromise {
            sum: 2 * u64::from(u32::MAX),
            promised: def.promised_time_limit_days,
        }),
        "{problems:?}"
    );
}

#[test]
fn only_an_immediate_items_decision_is_the_window_clerks() {
    let mut def = item(WorkflowShape::Immediate);
    def.steps[0].role = StepRole::Clerk;
    assert_eq!(def.problems(), vec![]);
    assert!(def.proposes_delegation());
    let mut def = item(WorkflowShape::TwoStep);
    def.steps[0].role = StepRole::Clerk;
    def.steps[1].role = StepRole::Clerk;
    let fields: Vec<String> = def.problems().iter().map(DefinitionError::field).collect();
    assert_eq!(fields, ["steps[0].role", "steps[1].role"]);
}
