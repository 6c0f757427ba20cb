//! The access-control matrix (docs/TESTING.md), on SQLite and on PostgreSQL: every operation of
//! the OpenAPI document × anonymous, an applicant and every staff role × an object that belongs
//! to someone else. Each request must be refused (401 without a session on a protected
//! operation, else 403 or 404 as docs/API-DESIGN.md says) and must change nothing: every row of
//! every table is compared before and after.
//!
//! Nothing here lists routes. Path and query parameters are filled by name from the fixtures of
//! `world()`, and bodies are made from each operation's request schema, so a new route is covered
//! as soon as it is in the document; a parameter without a fixture fails the test and says where
//! to add one.
//!
//! The object is chosen outside the caller's scope, by rule: hall, department and person-scoped
//! callers (applicant, clerk, approver, chief representative) get an in-centre case of another
//! applicant, hall and department; the whole-centre roles (supervisor, leader, centre admin), who
//! legitimately read every case of the centre, get another applicant's draft, and an item and a
//! calendar of a district the centre does not serve.

mod common;

use std::collections::BTreeMap;

use common::{PDF, TestApp, enterprise_phones};
use onewindow_domain::organisation::Role;
use onewindow_store::testing::TestDb;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// A licence enterprises apply for; its first step is in RSJ, accepted in hall H1.
const ITEM: &str = "440511-RSJ-005";
/// An item the centre admin is drafting and has not published: only centre admins see it.
const NEW_ITEM: &str = "440511-RSJ-900";
/// A district next to the centre's, which it does not serve.
const OTHER_DISTRICT: &str = "440512";
const OTHER_DISTRICT_ITEM: &str = "440512-RSJ-001";

/// The account each staff role is tested with: in hall H2 and department GSJ, away from the
/// case's hall H1 and department RSJ. Exhaustive, so a new role must be given one.
fn account(role: Role) -> &'static str {
    match role {
        Role::Clerk => "clerk.b01",
        Role::Approver => "approver.gsj.1",
        Role::ChiefRepresentative => "chief.gsj",
        Role::Supervisor => "supervisor.1",
        Role::CentreAdmin => "admin",
        Role::Leader => "leader",
        Role::Applicant => unreachable!("applicants log in by phone"),
    }
}

/// Roles whose scope is the whole centre (docs/API-DESIGN.md, "the scope comes from the caller").
fn whole_centre(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Leader | Role::CentreAdmin)
}

/// What a role may legitimately do to the objects it is given, by resource: clerks serve every
/// applicant at the desk (they hold the ID card), so finding or registering one is their job
/// (revealing a case's applicant is not: that is only for the case's own hall and department);
/// the centre admin creates departments, windows and accounts, and whatever it creates belongs
/// to its own centre (the body names no district), and sets the opening hours of the centre's
/// halls (every hall of the database is the centre's); the centre admin and the supervisors read the
/// audit log, which names what everyone did, drafts included: overseeing that is their job.
fn legitimate(role: Option<Role>, op: &Operation) -> bool {
    match role {
        Some(Role::Clerk) => op.tag == "applicants" && op.path.starts_with("/api/v1/applicants"),
        Some(Role::CentreAdmin) => {
            op.tag == "audit"
                || op.tag == "opening_hours"
                || (op.tag == "organisation"
                    && op.method == Method::POST
                    && op.path_params().next().is_none())
        }
        Some(Role::Supervisor) => op.tag == "audit",
        _ => false,
    }
}

/// Parameter or body field name → an object owned by someone else, for one scope of callers.
type Fixtures = BTreeMap<&'static str, String>;

/// The objects of the test, and the strings that must never appear in a successful answer to a
/// caller outside their scope.
struct World {
    near: Fixtures,
    near_markers: Vec<String>,
    far: Fixtures,
    far_markers: Vec<String>,
    /// The in-centre case, which whole-centre roles read but must not act on.
    case: String,
}

struct Applicant {
    phone: String,
    credit_code: String,
}

fn enterprises() -> Vec<Applicant> {
    let phones = enterprise_phones();
    let all: Vec<Value> =
        serde_json::from_str(include_str!("../seed/demo/applicants.json")).unwrap();
    phones
        .into_iter()
        .map(|phone| {
            let a = all.iter().find(|a| a["phone"] == phone.as_str()).unwrap();
            Applicant {
                credit_code: a["credit_code"].as_str().unwrap().to_owned(),
                phone,
            }
        })
        .collect()
}

async fn applicant_id(app: &TestApp, c: &Client) -> String {
    let (s, me) = app.get(c, "/api/v1/me").await;
    assert_eq!(s, StatusCode::OK, "{me}");
    me["applicant"]["id"].as_str().unwrap().to_owned()
}

/// A phone's last four digits changed, so the progress query is asked with the wrong ones.
fn wrong_last4(phone: &str) -> String {
    phone[phone.len() - 4..]
        .chars()
        .map(|c| char::from(b'0' + (c as u8 - b'0' + 1) % 10))
        .collect()
}

/// A new online draft of `item` by `c`, with a PDF uploaded for M01: the draft's number and the
/// file's sequence number.
async fn draft_with_file(app: &TestApp, c: &Client) -> (String, String) {
    let (s, created) = app
        .send(
            c,
            Method::POST,
            "/api/v1/cases",
            Some(&json!({"item": ITEM})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let number = created["number"].as_str().unwrap().to_owned();
    let (s, file) = app.upload(c, &number, "M01", "营业执照.pdf", PDF).await;
    assert_eq!(s, StatusCode::CREATED, "{file}");
    (number, file["seq"].to_string())
}

/// The other applicant's accepted case, another's draft (each with a file), and an unpublished
/// item draft.
async fn world(app: &TestApp) -> World {
    let people = enterprises();
    let (owner, drafter) = (&people[0], &people[1]);
    let owner_client = app.applicant(&owner.phone).await;
    let owner_id = applicant_id(app, &owner_client).await;
    let (case, case_file) = draft_with_file(app, &owner_client).await;
    app.upload_required(&owner_client, &case, ITEM).await;
    let (s, body) = app
        .act(&owner_client, &case, json!({"action": "submit"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let clerk = app.staff("clerk.a01").await;
    let (s, body) = app.accept(&clerk, &case, json!([])).await;
    assert_eq!(s, StatusCode::OK, "{body}");

    let drafter_client = app.applicant(&drafter.phone).await;
    let drafter_id = applicant_id(app, &drafter_client).await;
    let (draft, draft_file) = draft_with_file(app, &drafter_client).await;

    let admin = app.staff("admin").await;
    let (_, item) = app.get(&admin, &format!("/api/v1/items/{ITEM}")).await;
    let mut fresh = item["definition"].clone();
    fresh["implementation_code"] = json!(NEW_ITEM);
    let path = format!("/api/v1/items/{NEW_ITEM}/draft");
    let (s, body) = app.send(&admin, Method::PUT, &path, Some(&fresh)).await;
    assert_eq!(s, StatusCode::OK, "{body}");

    let common = [
        ("kind", "acceptance".to_owned()),
        ("material", "M01".to_owned()),
        ("variant", "blank".to_owned()),
        ("region", OTHER_DISTRICT.to_owned()),
        ("item", ITEM.to_owned()),
        ("department", "RSJ".to_owned()),
        ("name", "scan.pdf".to_owned()),
        ("day", "2026-12-24".to_owned()),
        ("window", "A01".to_owned()),
        ("hall", "H1".to_owned()),
    ];
    let near: Fixtures = common
        .iter()
        .cloned()
        .chain([
            ("number", case.clone()),
            ("seq", case_file),
            // The centre's own staff, whom only its admin manages.
            ("username", "clerk.a01".to_owned()),
            ("code", NEW_ITEM.to_owned()),
            ("implementation_code", NEW_ITEM.to_owned()),
            ("applicant", owner_id.clone()),
            ("identifier", owner.credit_code.clone()),
            ("phone", owner.phone.clone()),
            ("phone_last4", wrong_last4(&owner.phone)),
        ])
        .collect();
    let far: Fixtures = common
        .iter()
        .cloned()
        .chain([
            ("number", draft.clone()),
            ("seq", draft_file),
            // An account the centre does not have: its admin manages only its own staff.
            ("username", "clerk.440512".to_owned()),
            ("code", OTHER_DISTRICT_ITEM.to_owned()),
            ("implementation_code", OTHER_DISTRICT_ITEM.to_owned()),
            ("applicant", drafter_id.clone()),
            ("identifier", drafter.credit_code.clone()),
            ("phone", drafter.phone.clone()),
            ("phone_last4", wrong_last4(&drafter.phone)),
        ])
        .collect();
    World {
        near,
        near_markers: vec![case.clone(), owner_id],
        far,
        far_markers: vec![draft, drafter_id],
        case,
    }
}

/// One operation of the OpenAPI document.
struct Operation {
    id: String,
    method: Method,
    path: String,
    tag: String,
    protected: bool,
    /// (name, in, required)
    params: Vec<(String, String, bool)>,
    body: Option<Value>,
}

impl Operation {
    fn path_params(&self) -> impl Iterator<Item = &str> {
        self.params
            .iter()
            .filter(|(_, at, _)| at == "path")
            .map(|(n, _, _)| n.as_str())
    }

    /// The URL with the fixtures filled in; a parameter without one fails the test.
    fn url(&self, fixtures: &Fixtures) -> String {
        let mut path = self.path.clone();
        let mut query = Vec::new();
        for (name, at, required) in &self.params {
            let value = fixtures.get(name.as_str());
            match (at.as_str(), value) {
                ("path", Some(v)) => path = path.replace(&format!("{{{name}}}"), v),
                ("query", Some(v)) => query.push(format!("{name}={v}")),
                ("query", None) if !required => {}
                _ => panic!(
                    "{}: no fixture for the {at} parameter `{name}`. Add an object owned by \
                     someone else under that name to `world()` in \
                     crates/server/tests/access_matrix.rs",
                    self.id
                ),
            }
        }
        if query.is_empty() {
            path
        } else {
            format!("{path}?{}", query.join("&"))
        }
    }
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let params = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap().to_owned(),
                        p["in"].as_str().unwrap().to_owned(),
                        p["required"].as_bool().unwrap_or(false),
                    )
                })
                .collect();
            ops.push(Operation {
                id: op["operationId"].as_str().unwrap().to_owned(),
                method: method.to_uppercase().parse().unwrap(),
                path: path.clone(),
                tag: op["tags"][0].as_str().unwrap_or_default().to_owned(),
                protected: op["security"]
                    .as_array()
                    .is_some_and(|s| s.iter().any(|r| r.get("session").is_some())),
                params,
                body: op["requestBody"]["content"]["application/json"]
                    .get("schema")
                    .cloned(),
            });
        }
    }
    ops
}

/// Request bodies made from a schema: one per variant of a top-level `oneOf` (every case
/// action), each with every property, fields named like a fixture taking its value.
struct Bodies<'a> {
    doc: &'a Value,
    fixtures: &'a Fixtures,
}

impl Bodies<'_> {
    fn resolve<'s>(&'s self, schema: &'s Value) -> &'s Value {
        match schema["$ref"].as_str() {
            Some(r) => {
                let name = r.trim_start_matches("#/components/schemas/");
                self.resolve(&self.doc["components"]["schemas"][name])
            }
            None => schema,
        }
    }

    fn variants(&self, schema: &Value) -> Vec<Value> {
        let schema = self.resolve(schema);
        match schema["oneOf"].as_array() {
            Some(vs) => vs.iter().map(|v| self.example(v, None)).collect(),
            None => vec![self.example(schema, None)],
        }
    }

    fn example(&self, schema: &Value, name: Option<&str>) -> Value {
        let schema = self.resolve(schema);
        // Objects are named by free strings; an enumeration (`kind`) is a word, not an object.
        let free_string = schema["enum"].is_null()
            && (schema["type"] == "string"
                || schema["type"]
                    .as_array()
                    .is_some_and(|t| t.contains(&json!("string"))));
        if let Some(v) = name
            .and_then(|n| self.fixtures.get(n))
            .filter(|_| free_string)
        {
            return json!(v);
        }
        if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
            return first.clone();
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let Some(vs) = schema[key].as_array() {
                let v = vs
                    .iter()
                    .find(|v| self.resolve(v)["type"] != "null")
                    .unwrap_or(&vs[0]);
                return self.example(v, name);
            }
        }
        let kind = match &schema["type"] {
            Value::Array(kinds) => kinds.iter().find(|k| *k != "null").cloned(),
            Value::Null if schema.get("properties").is_some() => Some(json!("object")),
            k => Some(k.clone()),
        }
        .unwrap_or(Value::Null);
        match kind.as_str().unwrap_or("null") {
            "object" => Value::Object(
                schema["properties"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, s)| (k.clone(), self.example(s, Some(k))))
                    .collect(),
            ),
            "array" => json!([self.example(&schema["items"], None)]),
            // A documented example is a well-formed value (a time as `09:00`), so the request
            // reaches the access check rather than stopping at the body's shape.
            "string" => match (schema["example"].as_str(), schema["format"].as_str()) {
                (Some(example), _) => json!(example),
                (None, Some("date")) => json!("2026-12-31"),
                _ => json!("甲"),
            },
            "integer" | "number" => schema["minimum"]
                .as_i64()
                .map_or(json!(1), |m| json!(m.max(1))),
            "boolean" => json!(false),
            _ => Value::Null,
        }
    }
}

/// What the rules expect of one request.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// A protected operation without a session: 401.
    Unauthenticated,
    /// Someone else's object: 403 or 404.
    Refused,
    /// An operation on the caller's own view (a GET with no object in its path): their own
    /// things, or 403; never the other's.
    OwnView,
    /// A case the caller may read but not act on: 403, or 409 where its state already rules the
    /// action out (the state is no secret to a reader).
    ReadOnly,
    /// Public, or the role's own job: anything but a server error.
    Served,
}

fn expect(op: &Operation, role: Option<Role>, logged_in: bool) -> Expect {
    if !op.protected {
        Expect::Served
    } else if !logged_in {
        Expect::Unauthenticated
    } else if legitimate(role, op) {
        Expect::Served
    } else if op.method == Method::GET && op.path_params().next().is_none() {
        Expect::OwnView
    } else {
        Expect::Refused
    }
}

fn meets(expect: Expect, status: StatusCode) -> bool {
    match expect {
        Expect::Unauthenticated => status == StatusCode::UNAUTHORIZED,
        Expect::Refused => matches!(status.as_u16(), 403 | 404),
        Expect::OwnView => status == StatusCode::OK || status == StatusCode::FORBIDDEN,
        Expect::ReadOnly => matches!(status.as_u16(), 403 | 409),
        Expect::Served => status.as_u16() < 500,
    }
}

/// A logged-in (or anonymous) caller and the scope their objects are chosen from.
struct Caller {
    label: String,
    role: Option<Role>,
    logged_in: bool,
    client: Client,
    far: bool,
}

async fn callers(app: &TestApp) -> Vec<Caller> {
    let people = enterprises();
    let mut callers = vec![
        Caller {
            label: "anonymous".into(),
            role: None,
            logged_in: false,
            client: app.client(),
            far: false,
        },
        Caller {
            label: "applicant".into(),
            role: Some(Role::Applicant),
            logged_in: true,
            client: app.applicant(&people[2].phone).await,
            far: false,
        },
    ];
    for role in Role::STAFF {
        callers.push(Caller {
            label: format!("{} ({})", role.as_str(), account(role)),
            role: Some(role),
            logged_in: true,
            client: app.staff(account(role)).await,
            far: whole_centre(role),
        });
    }
    callers
}

/// The first difference between two snapshots: the table and a row.
fn difference(
    before: &BTreeMap<String, Vec<String>>,
    after: &BTreeMap<String, Vec<String>>,
) -> String {
    for (table, rows) in after {
        let old = before.get(table).cloned().unwrap_or_default();
        if *rows != old {
            let added = rows.iter().find(|r| !old.contains(r));
            let removed = old.iter().find(|r| !rows.contains(r));
            return format!("table {table}: added {added:?}, removed {removed:?}");
        }
    }
    "a table was dropped".into()
}

/// One request of the matrix and what the rules expect of it.
struct Probe<'a> {
    url: String,
    body: Option<&'a Value>,
    expect: Expect,
    /// Strings a successful answer must not contain.
    markers: &'a [String],
}

struct Run<'a> {
    app: &'a TestApp,
    snapshot: BTreeMap<String, Vec<String>>,
    failures: Vec<String>,
    requests: usize,
}

impl Run<'_> {
    async fn check(&mut self, caller: &Caller, op: &Operation, probe: Probe<'_>) {
        let Probe {
            url,
            body,
            expect,
            markers,
        } = probe;
        let mut req = caller.client.request(op.method.clone(), self.app.url(&url));
        if let Some(body) = body {
            req = req.json(body);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        self.requests += 1;
        let what = format!(
            "{} {} as {}{}",
            op.method,
            url,
            caller.label,
            body.map(|b| format!(" with {b}")).unwrap_or_default()
        );
        if !meets(expect, status) {
            self.failures.push(format!(
                "{what}: expected {expect:?}, got {status}: {}",
                text.chars().take(300).collect::<String>()
            ));
        }
        if status.is_success() {
            for m in markers.iter().filter(|m| text.contains(m.as_str())) {
                self.failures
                    .push(format!("{what}: answered {status} showing {m}, not theirs"));
            }
        }
        let after = self.app.db.snapshot().await;
        if after != self.snapshot {
            self.failures.push(format!(
                "{what} ({status}) changed the database: {}",
                difference(&self.snapshot, &after)
            ));
            self.snapshot = after;
        }
    }
}

async fn matrix(db: TestDb) {
    let engine = db.engine();
    let app = TestApp::start(db).await;
    let world = world(&app).await;
    let callers = callers(&app).await;
    let doc = serde_json::to_value(onewindow_server::api::document()).unwrap();
    let ops = operations(&doc);
    let mut run = Run {
        snapshot: app.db.snapshot().await,
        app: &app,
        failures: Vec::new(),
        requests: 0,
    };
    for op in &ops {
        if !op.protected && op.method != Method::GET {
            // The doors in (log in, register, verification codes, log out) act on the caller's
            // own session or account by design; tests/api.rs and tests/applicants.rs cover them.
            assert_eq!(
                op.tag, "auth",
                "{}: a public write outside auth; protect it with the session scheme",
                op.id
            );
            continue;
        }
        if op.tag == "auth" && op.path.starts_with("/api/v1/me/") {
            // The caller's own password and phone: there is no one else's object to try, and a
            // wrong password counts as a failed log-in by design; tests/account.rs covers them.
            continue;
        }
        for caller in &callers {
            let (fixtures, mut markers) = match caller {
                Caller { far: true, .. } => (&world.far, world.far_markers.clone()),
                Caller {
                    logged_in: false, ..
                } => (
                    &world.near,
                    [world.near_markers.clone(), world.far_markers.clone()].concat(),
                ),
                _ => (&world.near, world.near_markers.clone()),
            };
            // Unpublished drafts are the catalogue administration's.
            if caller.role != Some(Role::CentreAdmin) {
                markers.push(NEW_ITEM.to_owned());
            }
            let url = op.url(fixtures);
            let bodies = Bodies {
                doc: &doc,
                fixtures,
            };
            let bodies: Vec<Option<Value>> = match &op.body {
                Some(schema) => bodies.variants(schema).into_iter().map(Some).collect(),
                None => vec![None],
            };
            let expect = expect(op, caller.role, caller.logged_in);
            // What the role may legitimately do it may also see.
            let markers: &[String] = if legitimate(caller.role, op) {
                &[]
            } else {
                &markers
            };
            for body in &bodies {
                let probe = Probe {
                    url: url.clone(),
                    body: body.as_ref(),
                    expect,
                    markers,
                };
                run.check(caller, op, probe).await;
            }
            // Whole-centre roles read every case of the centre, and act on none.
            let on_case = op.path_params().any(|p| p == "number");
            if caller.far && on_case && op.method != Method::GET {
                let mut near = world.far.clone();
                near.insert("number", world.case.clone());
                for body in &bodies {
                    let probe = Probe {
                        url: op.url(&near),
                        body: body.as_ref(),
                        expect: Expect::ReadOnly,
                        markers: &[],
                    };
                    run.check(caller, op, probe).await;
                }
            }
        }
    }
    assert!(
        run.failures.is_empty(),
        "{engine:?}: {} of {} requests broke the access rules:\n{}",
        run.failures.len(),
        run.requests,
        run.failures.join("\n")
    );
    eprintln!(
        "{engine:?}: {} requests over {} operations",
        run.requests,
        ops.len()
    );
}

#[tokio::test]
async fn every_operation_refuses_every_role_someone_elses_object_on_both_engines() {
    for db in TestDb::each().await {
        matrix(db).await;
    }
}
