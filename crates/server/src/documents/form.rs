//! The application form of a material, printed from the fields its item's definition gives it:
//! blank (空白表格) for the applicant to fill in, or a sample (示例样表) filled with each field's
//! example value.

use onewindow_domain::catalogue::FormField;
use serde::Deserialize;

use super::font::Fonts;
use super::pdf::{Align, Sheet, Style};

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormVariant {
    Blank,
    Sample,
}

impl FormVariant {
    pub fn as_str(self) -> &'static str {
        match self {
            FormVariant::Blank => "blank",
            FormVariant::Sample => "sample",
        }
    }

    pub fn parse(s: &str) -> Option<FormVariant> {
        [FormVariant::Blank, FormVariant::Sample]
            .into_iter()
            .find(|v| v.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            FormVariant::Blank => "空白表格",
            FormVariant::Sample => "示例样表",
        }
    }
}

/// What a form shows.
#[derive(Debug, Clone)]
pub struct Form {
    pub variant: FormVariant,
    /// The material's name: the form's title.
    pub material: String,
    pub item_name: String,
    pub item_code: String,
    pub department: String,
    pub consultation_phone: String,
    pub fields: Vec<FormField>,
}

const LABEL_WIDTH: f32 = 118.0;
const CELL: Style = Style::new(11.5);
/// The height of one row of writing space, and the padding of a cell.
const LINE: f32 = 22.0;
const PADDING: f32 = 12.0;

/// The form as a PDF.
pub fn render(form: &Form, fonts: &Fonts) -> Result<Vec<u8>, krilla::error::KrillaError> {
    let mut sheet = Sheet::new(fonts);
    if form.variant == FormVariant::Sample {
        sheet = sheet.with_watermark("样表");
    }
    heading(&mut sheet, form);
    let rows: Vec<(&str, &str, f32)> = form
        .fields
        .iter()
        .map(|f| {
            let value = match form.variant {
                FormVariant::Blank => "",
                FormVariant::Sample => f.sample.as_str(),
            };
            (f.label.as_str(), value, f.lines as f32 * LINE + PADDING)
        })
        .collect();
    sheet.table(LABEL_WIDTH, &rows, CELL);
    instructions(&mut sheet, form);
    let title = format!("{}（{}）", form.material, form.variant.name_zh());
    sheet.finish(&title)
}

fn heading(sheet: &mut Sheet<'_>, form: &Form) {
    sheet.paragraph(&form.material, Style::new(20.0).bold(), Align::Centre, 0.0);
    let variant = format!("（{}）", form.variant.name_zh());
    sheet.paragraph(&variant, Style::new(12.0).grey(60), Align::Centre, 0.0);
    sheet.gap(8.0);
    let style = Style::new(10.5);
    let label = style.size * 6.0;
    let item = format!("{}（{}）", form.item_name, form.item_code);
    sheet.labelled("申请事项：", label, &item, style);
    sheet.labelled("实施部门：", label, &form.department, style);
    sheet.gap(8.0);
}

fn instructions(sheet: &mut Sheet<'_>, form: &Form) {
    let style = Style::new(9.5).grey(50);
    sheet.gap(10.0);
    sheet.paragraph("填表说明：", style.bold(), Align::Left, 0.0);
    let notes = [
        "请用黑色钢笔或签字笔如实填写，字迹工整，不得涂改。".to_owned(),
        "申请人为单位的，填写单位全称及统一社会信用代码，并加盖单位公章。".to_owned(),
        "委托他人代为办理的，另附授权委托书及受托人身份证件。".to_owned(),
        format!("咨询电话：{}", form.consultation_phone),
    ];
    for (n, note) in notes.iter().enumerate() {
        sheet.numbered(&format!("{}.", n + 1), note, style, 0.0);
    }
}
