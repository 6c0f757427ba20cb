//! A case's materials (材料): the item's list with what was uploaded for each and what the caller
//! may upload now, the upload itself, and one file back for preview (docs/adr/0008).

use std::pin::Pin;

use axum::Json;
use axum::body::{Body, HttpBody};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use onewindow_domain::case::{
    Command, FileKind, MAX_FILE_BYTES, MaterialProblem, Now, UploadedFile, may_upload,
    uploadable_materials,
};
use onewindow_store::{CaseFile, NewFile};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::cases::{readable, transition};
use crate::problem::{ApiError, Params};
use crate::session::Caller;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_case_materials))
        .routes(routes!(create_case_file))
        .routes(routes!(get_case_file))
}

/// One material of the case's item version, with its files.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseMaterial {
    code: String,
    name: String,
    required: bool,
    waivable: bool,
    /// The caller may upload a file for it now.
    uploadable: bool,
    /// What the open supplement notice says is wrong with it, if it names it.
    requested: Option<MaterialProblem>,
    /// The notice's note on it.
    request_note: Option<String>,
    /// Uploaded files, oldest first; the last one is the current.
    files: Vec<CaseFile>,
}

/// A case's materials and the limits an upload must keep.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseMaterials {
    materials: Vec<CaseMaterial>,
    /// Largest accepted file, in bytes.
    max_file_bytes: u64,
    /// Accepted media types (judged from the file's bytes).
    media_types: Vec<String>,
}

/// The materials of a case's item version, what was uploaded for each, and which the caller may
/// upload now; 404 unless the caller may read the case.
#[utoipa::path(get, path = "/cases/{number}/materials", tag = "materials",
    params(("number" = String, Path, description = "Case number")),
    security(("session" = [])), responses((status = 200, body = CaseMaterials,
        description = "The materials with their files, what the caller may upload, the limits")))]
async fn list_case_materials(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<CaseMaterials>, ApiError> {
    let (record, actor) = readable(&state, &caller, &number).await?;
    let case = &record.case;
    let (_, item) = state
        .store
        .item(&case.item, Some(i64::from(case.item_version)))
        .await?;
    let cal = state.calendar(&case.region).await?;
    let now = Now {
        today: state.today(),
        calendar: &cal,
    };
    let uploadable = uploadable_materials(case, &item, &actor, now);
    let mut files = state.store.case_files(&number).await?;
    let materials = item
        .materials
        .iter()
        .map(|m| {
            let request = case.open_supplement.iter().find(|i| i.material == m.code);
            CaseMaterial {
                code: m.code.clone(),
                name: m.name.clone(),
                required: m.required,
                waivable: m.waivable,
                uploadable: uploadable.contains(&m.code.as_str()),
                requested: request.map(|i| i.problem),
                request_note: request.map(|i| i.note.clone()),
                files: files.extract_if(.., |f| f.material == m.code).collect(),
            }
        })
        .collect();
    Ok(Json(CaseMaterials {
        materials,
        max_file_bytes: MAX_FILE_BYTES,
        media_types: FileKind::ALL
            .iter()
            .map(|k| k.media_type().to_owned())
            .collect(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct UploadQuery {
    /// The file's name as the applicant knows it.
    name: String,
}

/// A file's bytes (`application/octet-stream` when sent; its own type when read back).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(#[allow(dead_code)] Vec<u8>);

/// Uploads a file for one material of the case. The body is the file itself, sent as
/// `application/octet-stream` (no form encoding, and a type no other site's form can send).
/// Its kind is judged from its first bytes: PDF, JPEG or PNG, at most `max_file_bytes`. Who may
/// upload what when is the case's rule (`upload_material`): the applicant fills in a draft, the
/// clerk registers at the window, and afterwards only the materials of the open supplement
/// notice or waived ones still owed. Problems: 415 `unsupported_file_type`, 413 `file_too_large`,
/// 422 `unknown_material`, 409 `material_not_open` or `transition_not_allowed`.
#[utoipa::path(post, path = "/cases/{number}/materials/{material}/files", tag = "materials",
    params(
        ("number" = String, Path, description = "Case number"),
        ("material" = String, Path, description = "Material code of the item, e.g. M01"),
        UploadQuery,
    ),
    request_body(content = FileBytes, content_type = "application/octet-stream"),
    security(("session" = [])), responses((status = 201, body = CaseFile,
        description = "The file is stored for the material")))]
async fn create_case_file(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((number, material)): Path<(String, String)>,
    Params(q): Params<UploadQuery>,
    body: Body,
) -> Result<(StatusCode, Json<CaseFile>), ApiError> {
    // Strangers learn nothing and send nothing: the case, and the rules on who may upload what
    // now, are checked before the body is read.
    let (record, actor) = readable(&state, &caller, &number).await?;
    let item = state.case_item(&record.case).await?;
    let calendar = state.calendar(&record.case.region).await?;
    let now = Now {
        today: state.today(),
        calendar: &calendar,
    };
    may_upload(&record.case, &item, &actor, &material, now)?;
    let octets = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("application/octet-stream"));
    if !octets {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请以 application/octet-stream 发送文件内容",
            "Send the file's bytes as application/octet-stream",
        ));
    }
    let bytes = read_capped(body).await?;
    let file = UploadedFile::inspect(&q.name, &bytes);
    let command = Command::UploadMaterial {
        material: material.clone(),
        file: file.clone(),
    };
    let media_type = file.kind.map_or("", FileKind::media_type);
    let stored = NewFile {
        material: &material,
        name: &file.name,
        media_type,
        digest: &file.digest,
        bytes: &bytes,
    };
    let (_, seq) = transition(&state, &caller, &number, &command, Some(&stored)).await?;
    let saved = state
        .store
        .case_file(&number, seq)
        .await?
        .ok_or_else(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(saved.0)))
}

/// The body, read until it passes the size limit: enough for the rules to call it too large
/// without holding more of it.
async fn read_capped(mut body: Body) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while bytes.len() as u64 <= MAX_FILE_BYTES {
        let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        else {
            break;
        };
        let frame = frame.map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "body_unreadable",
                "文件未能完整接收，请重试",
                "The file did not arrive whole; please try again",
            )
        })?;
        if let Ok(data) = frame.into_data() {
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes)
}

/// One uploaded file, as it was uploaded, with its own media type, for preview in the browser;
/// 404 unless the caller may read the case.
#[utoipa::path(get, path = "/cases/{number}/files/{seq}", tag = "materials",
    params(
        ("number" = String, Path, description = "Case number"),
        ("seq" = i64, Path, description = "The file's `seq` (its upload event)"),
    ),
    security(("session" = [])),
    responses((status = 200, content_type = "application/octet-stream", body = FileBytes,
        description = "The file, shown inline with its own type (PDF, JPEG or PNG)")))]
async fn get_case_file(
    State(state): State<AppState>,
    caller: Caller,
    Path((number, seq)): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    readable(&state, &caller, &number).await?;
    let (file, bytes) = state
        .store
        .case_file(&number, seq)
        .await?
        .ok_or_else(|| ApiError::not_found("文件", "File"))?;
    let media_type = FileKind::parse_media_type(&file.media_type)
        .ok_or_else(ApiError::internal)?
        .media_type();
    Ok((
        [
            (header::CONTENT_TYPE, media_type.to_owned()),
            (header::CONTENT_DISPOSITION, inline_disposition(&file.name)),
            // A file never changes under its key; only this person may see it.
            (header::CACHE_CONTROL, "private, max-age=86400".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// `inline` with the name in RFC 8187 encoding, so Chinese names survive and nothing in a name
/// can break out of the header.
fn inline_disposition(name: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("inline; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::inline_disposition;

    #[test]
    fn names_are_percent_encoded_in_the_disposition() {
        assert_eq!(
            inline_disposition("营业执照 副本.pdf"),
            "inline; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%E5%89%AF%E6%9C%AC.pdf"
        );
        assert_eq!(
            inline_disposition("a\";b.png"),
            "inline; filename*=UTF-8''a%22%3Bb.png"
        );
    }
}
