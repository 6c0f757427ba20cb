//! The OpenAPI document: built from the same router that serves the requests, so a route
//! cannot exist without being described (docs/adr/0005-openapi-from-the-router.md).

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi as _};

use crate::problem::Problem;
use crate::session::COOKIE;

/// Name of the security scheme that protected operations list as `security(("session" = []))`.
const SESSION: &str = "session";

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "OneWindow API",
        description = "一窗通办：行政服务中心的事项、办件、组织与日历。Errors are application/problem+json.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    components(schemas(Problem)),
    modifiers(&SessionCookie),
    tags(
        (name = "catalogue", description = "The item catalogue (事项): guides, versions, drafts, the windows that accept each item."),
        (name = "cases", description = "Cases (办件) from application to issue: the inboxes, one case with its event log, the actions on it, the public progress query."),
        (name = "materials", description = "The files uploaded for a case's materials."),
        (name = "documents", description = "Printed notices (PDF): acceptance, supplement, refusal, decision, with QR codes to the progress query."),
        (name = "applicants", description = "Applicants (citizens and enterprises) found and registered at the window, and an identity revealed with a reason."),
        (name = "auth", description = "Log-in of staff and applicants, verification codes, registration, one's own account and password."),
        (name = "organisation", description = "Regions, sites, halls, departments, windows and staff accounts; the public staff board; delegation to the windows."),
        (name = "calendar", description = "The working-day calendar of a region: the national holidays and the region's own edits."),
        (name = "opening_hours", description = "Each hall's opening hours (开放时间): working days, extended evenings, weekend service, closed on the region's holidays."),
        (name = "statistics", description = "Kept case counts by department, month and status."),
        (name = "audit", description = "The audit log of security-relevant actions, for the centre admin and the supervisor."),
        (name = "health", description = "Liveness and readiness for the operator and the load balancer."),
    ),
)]
struct Document;

/// The document's fixed parts; the routers add the paths.
pub fn base() -> OpenApi {
    Document::openapi()
}

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                COOKIE,
                "Server-side session, set by the login operations (HttpOnly, SameSite=Lax).",
            ))),
        );
    }
}

/// Adds the 4XX and 5XX problem responses to every operation of the finished document: every
/// operation may answer a problem, and saying so once here keeps the handlers short.
pub fn with_problems(mut doc: OpenApi) -> OpenApi {
    let problem = ResponseBuilder::new()
        .description("A problem (RFC 9457) with a stable code and messages in Chinese and English")
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build();
    for item in doc.paths.paths.values_mut() {
        for op in operations(item) {
            for range in ["4XX", "5XX"] {
                op.responses
                    .responses
                    .entry(range.to_owned())
                    .or_insert_with(|| problem.clone().into());
            }
        }
    }
    doc
}

fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.patch.as_mut(),
    ]
    .into_iter()
    .flatten()
}
