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
