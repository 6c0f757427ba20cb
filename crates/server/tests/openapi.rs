//! The OpenAPI document is a contract: the committed copy (`web/openapi.json`, from which the web
//! app's client is generated) must be what the server serves, and every operation must follow
//! docs/API-DESIGN.md. `make openapi` rewrites the copy after a deliberate change.

use serde_json::Value;

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/openapi.json");
const OAS_3_1_SCHEMA: &str = include_str!("openapi-3.1-schema.json");

fn live() -> String {
    onewindow_server::api::document()
        .to_pretty_json()
        .expect("serializes")
}

#[test]
fn the_committed_document_is_the_served_one() {
    let live = live();
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    if live.trim() == committed.trim() {
        return;
    }
    let first = live
        .lines()
        .zip(committed.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| live.lines().count().min(committed.lines().count()));
    panic!(
        "web/openapi.json is not the document the server serves (first difference at line {}):\n  \
         served:    {}\n  committed: {}\nIf the change is deliberate, run `make openapi` and commit it.",
        first + 1,
        live.lines().nth(first).unwrap_or("<end>"),
        committed.lines().nth(first).unwrap_or("<end>"),
    );
}

#[test]
fn every_operation_is_named_tagged_and_answers_problems() {
    let doc: Value = serde_json::from_str(&live()).unwrap();
    let verbs = [
        "list_",
        "get_",
        "create_",
        "update_",
        "delete_",
        "count_",
        "apply_",
        "log_in_",
        "log_out",
        "send_",
        "register_",
    ];
    let mut ids = std::collections::HashSet::new();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 20, "only {} paths", paths.len());
    for (path, item) in paths {
        assert!(
            path.starts_with("/api/v1/")
                || ["/healthz", "/readyz", "/metrics"].contains(&path.as_str()),
            "{path} is outside /api/v1"
        );
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(
                verbs.iter().any(|v| id.starts_with(v)),
                "{method} {path}: operation id {id:?} is not <verb>_<resource>"
            );
            assert!(ids.insert(id.to_owned()), "operation id {id} twice");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{id}: no tag"
            );
            // Each tag is declared with a description, for the API reference to group by.
            for tag in op["tags"].as_array().unwrap() {
                assert!(
                    doc["tags"].as_array().is_some_and(|declared| declared
                        .iter()
                        .any(|d| d["name"] == *tag && d["description"].is_string())),
                    "{id}: tag {tag} is not declared with a description"
                );
            }
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{id}: no success response"
            );
            assert_eq!(
                op["responses"]["4XX"]["content"]["application/problem+json"]["schema"]["$ref"],
                "#/components/schemas/Problem",
                "{id}: 4XX is not a problem"
            );
        }
    }
}

/// The served document is valid OpenAPI 3.1, judged by the specification's own JSON Schema rather
/// than by the library that wrote it: strict client generators refuse what the schema refuses,
/// such as a response without its description. tests/openapi-3.1-schema.json is the OpenAPI
/// Initiative's schema of OpenAPI 3.1 documents, iteration 2022-10-07
/// (https://spec.openapis.org/oas/3.1/schema/2022-10-07), under the Apache License 2.0.
#[test]
fn the_document_is_valid_openapi_3_1() {
    let schema: Value = serde_json::from_str(OAS_3_1_SCHEMA).expect("the schema is JSON");
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the OpenAPI 3.1 schema compiles");
    let problems = |doc: &Value| -> Vec<String> {
        validator
            .iter_errors(doc)
            .map(|e| format!("  at {:?}: {e}", e.instance_path().to_string()))
            .collect()
    };
    let doc: Value = serde_json::from_str(&live()).unwrap();
    let found = problems(&doc);
    assert!(
        found.is_empty(),
        "the served document is not valid OpenAPI 3.1 ({} problem(s)):\n{}",
        found.len(),
        found.join("\n")
    );

    // The judge is awake: it refuses a success response without its description, and a component
    // schema that is no schema (reached through the schema's `$dynamicRef`).
    let mut undescribed = doc.clone();
    let response = undescribed["paths"]["/api/v1/cases/{number}"]["get"]["responses"]["200"]
        .as_object_mut()
        .expect("GET /api/v1/cases/{number} answers 200");
    assert!(response.remove("description").is_some());
    assert!(
        !problems(&undescribed).is_empty(),
        "a response without a description passed"
    );
    let mut not_a_schema = doc;
    not_a_schema["components"]["schemas"]["Problem"] = Value::from(5);
    assert!(
        !problems(&not_a_schema).is_empty(),
        "a schema that is a number passed"
    );
}
