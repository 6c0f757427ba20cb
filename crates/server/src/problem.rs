//! Errors for people: every failure is `application/problem+json` with a stable code and a
//! message in Chinese and in English. Internal errors are logged, never echoed.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use onewindow_domain::case::TransitionError;
use onewindow_domain::catalogue::DefinitionError;
use onewindow_domain::identity::IdentityError;
use onewindow_domain::organisation::OrganisationError;
use onewindow_store::StoreError;
use serde::Serialize;

/// What is wrong with one field of the request.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, zh: String, en: String) -> FieldError {
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message_zh: zh,
            message_en: en,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub zh: String,
    pub en: String,
    pub errors: Vec<FieldError>,
    /// Seconds after which the same request may succeed (`Retry-After`, with 429).
    pub retry_after_s: Option<i64>,
}

/// An RFC 9457 problem: every error response of the API.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `urn:onewindow:problem:<code>`.
    #[serde(rename = "type")]
    kind: String,
    title: String,
    status: u16,
    detail: String,
    /// Stable, machine-readable; clients branch on this.
    code: String,
    message_zh: String,
    message_en: String,
    /// Per-field errors, for forms to show next to the field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldError>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            code,
            zh: zh.into(),
            en: en.into(),
            errors: Vec::new(),
            retry_after_s: None,
        }
    }

    /// Too many requests (429): `Retry-After` says when to ask again.
    pub fn too_many(code: &'static str, zh: String, en: String, retry_after_s: i64) -> ApiError {
        ApiError {
            retry_after_s: Some(retry_after_s.max(1)),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, code, zh, en)
        }
    }

    pub fn not_found(what_zh: &str, what_en: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what_zh}不存在或您无权查看"),
            format!("{what_en} not found"),
        )
    }

    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "请先登录",
            "Please log in first",
        )
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "您无权执行此操作",
            "You may not do this",
        )
    }

    /// An object of a district the centre does not serve (`what`: 事项, 地区 …).
    pub fn outside_centre(what_zh: &str, what_en: &str) -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "outside_centre",
            format!("该{what_zh}不属于本中心管辖"),
            format!("This {what_en} is outside the centre's district"),
        )
    }

    pub fn invalid(field: &str, code: &'static str, zh: String, en: String) -> ApiError {
        let error = FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message_zh: zh.clone(),
            message_en: en.clone(),
        };
        ApiError::invalid_fields(code, zh, en, vec![error])
    }

    /// Invalid input with every field error at once (422), for a form to show each by its field.
    pub fn invalid_fields(
        code: &'static str,
        zh: String,
        en: String,
        errors: Vec<FieldError>,
    ) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code,
            zh,
            en,
            errors,
            retry_after_s: None,
        }
    }

    /// Nothing, or every field error at once under `code` (422).
    pub fn unless_fields(code: &'static str, errors: Vec<FieldError>) -> Result<(), ApiError> {
        if errors.is_empty() {
            return Ok(());
        }
        let n = errors.len();
        Err(ApiError::invalid_fields(
            code,
            format!("有 {n} 处需要修改"),
            format!("{n} field(s) need changing"),
            errors,
        ))
    }

    pub fn identity(field: &str, e: &IdentityError) -> ApiError {
        ApiError::invalid(field, e.code(), e.message_zh(), e.to_string())
    }

    /// One broken organisation rule, as an error on its field.
    pub fn organisation(e: &OrganisationError) -> ApiError {
        ApiError::invalid(e.field(), e.code(), e.message_zh(), e.to_string())
    }

    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，请稍后再试",
            "Internal server error; please try again",
        )
    }
}

impl From<&DefinitionError> for FieldError {
    fn from(e: &DefinitionError) -> FieldError {
        FieldError {
            field: e.field(),
            code: e.code().to_owned(),
            message_zh: e.message_zh(),
            message_en: e.to_string(),
        }
    }
}

impl From<&OrganisationError> for FieldError {
    fn from(e: &OrganisationError) -> FieldError {
        FieldError {
            field: e.field().to_owned(),
            code: e.code().to_owned(),
            message_zh: e.message_zh(),
            message_en: e.to_string(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound => ApiError::not_found("记录", "Record"),
            StoreError::Conflict(what) => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                "数据已被他人修改或已存在，请刷新后重试",
                format!("Conflict: {what}; reload and try again"),
            ),
            other => {
                tracing::error!(error = %other, "store error");
                ApiError::internal()
            }
        }
    }
}

impl From<TransitionError> for ApiError {
    fn from(e: TransitionError) -> ApiError {
        let status = match e {
            TransitionError::Forbidden(_)
            | TransitionError::DutiesNotSeparated { assignee: None, .. } => StatusCode::FORBIDDEN,
            TransitionError::NotAllowed { .. } | TransitionError::MaterialNotOpen(_) => {
                StatusCode::CONFLICT
            }
            TransitionError::UnsupportedFileType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            TransitionError::FileTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        match e.field() {
            Some(field) => ApiError {
                status,
                ..ApiError::invalid(field, e.code(), e.message_zh(), e.to_string())
            },
            None => ApiError::new(status, e.code(), e.message_zh(), e.to_string()),
        }
    }
}

/// The problem an error answers, also where it is one part of a larger answer (one case of a
/// bulk request).
impl From<ApiError> for Problem {
    fn from(e: ApiError) -> Problem {
        Problem {
            kind: format!("urn:onewindow:problem:{}", e.code),
            title: e.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: e.status.as_u16(),
            detail: e.en.clone(),
            code: e.code.to_owned(),
            message_zh: e.zh,
            message_en: e.en,
            errors: e.errors,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status;
        let retry_after = self.retry_after_s;
        let mut res = (status, Json(Problem::from(self))).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            "application/problem+json".parse().expect("valid header"),
        );
        if let Some(s) = retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(s));
        }
        res
    }
}

/// JSON bodies whose rejections (malformed JSON, wrong types, unknown fields) become problems.
pub struct Body<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for Body<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    "请求内容过大（不能超过 2 MB）",
                    "The request body is larger than 2 MB",
                ))
            }
            Err(rejection) => {
                let detail = rejection.body_text();
                let (code, zh) = match rejection {
                    axum::extract::rejection::JsonRejection::JsonSyntaxError(_) => {
                        ("malformed_json", "请求内容不是合法的 JSON")
                    }
                    axum::extract::rejection::JsonRejection::MissingJsonContentType(_) => {
                        ("unsupported_media_type", "请求须为 application/json")
                    }
                    _ => ("invalid_body", "请求内容的字段或类型不正确"),
                };
                Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    code,
                    format!("{zh}：{detail}"),
                    detail,
                ))
            }
        }
    }
}

/// Query strings likewise.
pub struct Params<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for Params<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Params(v)),
            Err(r) => {
                let detail = r.body_text();
                Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    format!("查询参数不正确：{detail}"),
                    detail,
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_requests_say_when_to_ask_again() {
        let res =
            ApiError::too_many("code_too_soon", "稍后".into(), "later".into(), 42).into_response();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.headers()[header::RETRY_AFTER], "42");
        assert_eq!(
            res.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
    }
}
