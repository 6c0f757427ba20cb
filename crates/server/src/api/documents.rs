//! Printable documents as PDF: a case's notices (for whoever may read the case) and the blank
//! and sample forms of an item's materials (public).

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use onewindow_domain::catalogue::ItemDefinition;
use onewindow_store::{Organisation, StoreError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::cases::readable;
use crate::documents::china_date;
use crate::documents::font::{self, FontError, Fonts};
use crate::documents::form::{self, Form, FormVariant};
use crate::documents::notice::{self, Decision, Notice, NoticeKind, SoFar};
use crate::problem::ApiError;
use crate::reads::Reads;
use crate::session::Caller;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_case_notice))
        .routes(routes!(get_item_form))
}

/// A PDF document (`application/pdf`).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct PdfFile(#[allow(dead_code)] Vec<u8>);

/// A notice of a case's decision, as an A4 PDF: 收件凭证 (`receipt`), 受理通知书 (`acceptance`), 不予受理通知书
/// (`refusal`), 补正材料通知书 (`supplement`, the latest one), 特别程序告知书 (`special_procedure`, the
/// latest one) or 审批决定书 (`decision`). 404 unless the
/// caller may read the case; 409 `notice_not_issued` if the case never had that decision.
#[utoipa::path(get, path = "/cases/{number}/notices/{kind}", tag = "documents",
    params(
        ("number" = String, Path, description = "Case number"),
        ("kind" = inline(NoticeKind), Path, description = "Which notice"),
    ),
    security(("session" = [])),
    responses((status = 200, content_type = "application/pdf", body = PdfFile,
        description = "The notice, shown inline")))]
async fn get_case_notice(
    State(state): State<AppState>,
    caller: Caller,
    Path((number, kind)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (record, _) = readable(&state, &caller, &number).await?;
    let kind = NoticeKind::parse(&kind).ok_or_else(|| ApiError::not_found("通知书", "Notice"))?;
    let item = state.case_item(&record.case).await?;
    // The latest such event, read with what the log said before it.
    let mut so_far = SoFar::default();
    let mut latest = None;
    for e in state.store.events(&number).await? {
        let promised = record.case.promised_days;
        if let Some(decision) = Decision::from_event(kind, &e.event, &item, promised, &so_far) {
            latest = Some((e.clone(), decision));
        }
        so_far.observe(&e.event);
    }
    let (event, decision) = latest.ok_or_else(|| not_issued(kind))?;
    let handler = handler(&state, &event.actor_id, &event.actor_role).await?;
    // The notice is addressed to the applicant by their full name; masking is for lists and
    // public pages.
    let applicant = state
        .store
        .applicant_by_id(&record.case.applicant)
        .await?
        .ok_or_else(|| {
            tracing::error!(number, "the case's applicant is missing");
            ApiError::internal()
        })?
        .name;
    let org = state.store.organisation().await?;
    let notice = Notice {
        centre: centre_name(&org),
        department: department_name(&org, &item),
        number: record.number.clone(),
        applicant,
        item_name: record.item_name,
        submitted_on: record.case.submitted_on,
        accepted_on: record.case.accepted_on,
        decided_on: china_date(event.at_ms).unwrap_or_else(|| state.today()),
        window: event.window.filter(|w| !w.is_empty()),
        handler,
        progress_url: state.public_url.progress(&record.number),
        decision,
    };
    let pdf = render(move |fonts| notice::render(&notice, fonts)).await?;
    let name = format!("{}-{}.pdf", record.number, kind.as_str());
    Ok(pdf_response(pdf, &name, "private, no-store"))
}

/// The blank (`blank`, 空白表格) or sample (`sample`, 示例样表) form of a material, as an A4 PDF
/// printed from the fields the item's current definition gives it. 404 if the material has no
/// form, or no sample values for a sample.
#[utoipa::path(get, path = "/items/{code}/forms/{material}/{variant}", tag = "documents",
    params(
        ("code" = String, Path, description = "Implementation code of the item", example = "440511-RSJ-001"),
        ("material" = String, Path, description = "Material code, e.g. M02", example = "M02"),
        ("variant" = inline(FormVariant), Path, description = "Blank form or filled-in sample"),
    ),
    responses((status = 200, content_type = "application/pdf", body = PdfFile,
        description = "The form, shown inline")))]
async fn get_item_form(
    Reads(store): Reads,
    Path((code, material, variant)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let no_form = || ApiError::not_found("表格", "Form");
    let variant = FormVariant::parse(&variant).ok_or_else(no_form)?;
    let (_, item) = store.item(&code, None).await.map_err(|e| match e {
        StoreError::NotFound => ApiError::not_found("事项", "Item"),
        other => other.into(),
    })?;
    let m = item
        .materials
        .iter()
        .find(|m| m.code == material)
        .ok_or_else(no_form)?;
    let offered = match variant {
        FormVariant::Blank => m.has_form(),
        FormVariant::Sample => m.has_sample(),
    };
    if !offered {
        return Err(no_form());
    }
    let org = store.organisation().await?;
    let form = Form {
        variant,
        material: m.name.clone(),
        item_name: item.name.clone(),
        item_code: item.implementation_code.clone(),
        department: department_name(&org, &item),
        consultation_phone: item.consultation_phone.clone(),
        fields: m.fields.clone(),
    };
    let pdf = render(move |fonts| form::render(&form, fonts)).await?;
    let name = format!("{code}-{material}-{}.pdf", variant.as_str());
    Ok(pdf_response(pdf, &name, "public, max-age=300"))
}

/// Who acted for a notice, as it names them: role, name and staff number (工号).
async fn handler(state: &AppState, id: &str, role: &str) -> Result<String, ApiError> {
    let role = notice::role_zh(role);
    Ok(match state.store.staff_by_id(id).await? {
        Some(s) => format!("{role} {}（工号 {}）", s.name, s.staff_number),
        None => role.to_owned(),
    })
}

fn not_issued(kind: NoticeKind) -> ApiError {
    let (zh, en) = match kind {
        NoticeKind::Receipt => ("收件", "received"),
        NoticeKind::Acceptance => ("受理", "accepted"),
        NoticeKind::Refusal => ("不予受理", "refused"),
        NoticeKind::Supplement => ("补正告知", "sent a supplement notice"),
        NoticeKind::SpecialProcedure => ("启动特别程序", "put into a special procedure"),
        NoticeKind::Decision => ("审批", "decided"),
    };
    ApiError::new(
        StatusCode::CONFLICT,
        "notice_not_issued",
        format!("该办件未作出{zh}决定，没有{}", kind.title_zh()),
        format!(
            "The case was never {en}; there is no {} notice",
            kind.as_str()
        ),
    )
}

fn font_missing(e: &FontError) -> ApiError {
    tracing::error!(error = %e, "PDF font");
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "pdf_font_missing",
        format!(
            "服务器缺少生成 PDF 所需的中文字体，请安装 fonts-noto-cjk 软件包（或设置 {}）",
            font::ENV
        ),
        format!(
            "The server lacks the Chinese font PDFs are set in; install the fonts-noto-cjk package (or set {})",
            font::ENV
        ),
    )
}

/// Loads the fonts (once) and draws, off the async workers.
async fn render<F>(draw: F) -> Result<Vec<u8>, ApiError>
where
    F: FnOnce(&Fonts) -> Result<Vec<u8>, krilla::error::KrillaError> + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let fonts = font::fonts().map_err(|e| font_missing(&e))?;
        draw(&fonts).map_err(|e| {
            tracing::error!(error = ?e, "PDF rendering");
            ApiError::internal()
        })
    })
    .await
    .map_err(|_| ApiError::internal())?
}

fn pdf_response(pdf: Vec<u8>, filename: &str, cache: &'static str) -> Response {
    let disposition = format!("inline; filename=\"{filename}\"");
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, cache.to_owned()),
        ],
        pdf,
    )
        .into_response()
}

/// The centre issuing documents: the organisation's centre site, else its first site.
fn centre_name(org: &Organisation) -> String {
    org.sites
        .iter()
        .find(|s| s.kind == "centre")
        .or_else(|| org.sites.first())
        .map(|s| s.name.clone())
        .or_else(|| {
            org.regions
                .first()
                .map(|r| format!("{}行政服务中心", r.name))
        })
        .unwrap_or_else(|| "行政服务中心".to_owned())
}

fn department_name(org: &Organisation, item: &ItemDefinition) -> String {
    org.departments
        .iter()
        .find(|d| d.code == item.department)
        .map_or_else(|| item.department.clone(), |d| d.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_font_is_a_503_naming_the_package() {
        let e = font_missing(&FontError::Unusable { path: "x".into() });
        assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(e.code, "pdf_font_missing");
        assert!(e.zh.contains("fonts-noto-cjk") && e.en.contains("fonts-noto-cjk"));
    }
}
