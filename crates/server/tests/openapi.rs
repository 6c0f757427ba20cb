//! The OpenAPI document is a contract: the committed copy (`web/openapi.json`, from which the web
//! app's client is generated) must be what the server serves, and every operation must follow
//! docs/API-DESIGN.md. `make openapi` rewrites the copy after a deliberate change.

use serde_json::Value;

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/openapi.json");

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
