//! The documents a case gives the applicant: when it is received, 收件凭证 (receipt); at the front
//! desk 受理通知书 (acceptance), 不予受理通知书 (refusal) and 补正材料通知书 (supplement, the
//! one-time notice); from the back office, 特别程序告知书 (a special procedure and the time it
//! needs) and at the end of its work 审批决定书 (decision: approved or denied, with the reasons).

use chrono::NaiveDate;
use onewindow_domain::case::{self, Event, MaterialProblem};
use onewindow_domain::catalogue::ItemDefinition;
use serde::Deserialize;

use super::date_zh;
use super::font::Fonts;
use super::pdf::{Align, Sheet, Style};

/// Which notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Receipt,
    Acceptance,
    Refusal,
    Supplement,
    SpecialProcedure,
    Decision,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 6] = [
        NoticeKind::Receipt,
        NoticeKind::Acceptance,
        NoticeKind::Refusal,
        NoticeKind::Supplement,
        NoticeKind::SpecialProcedure,
        NoticeKind::Decision,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Receipt => "receipt",
            NoticeKind::Acceptance => "acceptance",
            NoticeKind::Refusal => "refusal",
            NoticeKind::Supplement => "supplement",
            NoticeKind::SpecialProcedure => "special_procedure",
            NoticeKind::Decision => "decision",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn title_zh(self) -> &'static str {
        match self {
            NoticeKind::Receipt => "收件凭证",
            NoticeKind::Acceptance => "受理通知书",
            NoticeKind::Refusal => "不予受理通知书",
            NoticeKind::Supplement => "补正材料通知书",
            NoticeKind::SpecialProcedure => "特别程序告知书",
            NoticeKind::Decision => "审批决定书",
        }
    }

    /// What the document calls itself: 凭证, 通知书 or 决定书.
    pub fn noun_zh(self) -> &'static str {
        match self {
            NoticeKind::Receipt => "凭证",
            NoticeKind::SpecialProcedure => "告知书",
            NoticeKind::Decision => "决定书",
            _ => "通知书",
        }
    }
}

/// What a material's line on a receipt says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// This many files were handed in.
    Files(usize),
    /// The applicant asked to bring it later (容缺); the window decides at acceptance.
    Promised,
    /// Nothing came: optional, or for the window to ask for.
    Nothing,
}

/// What a case's log says up to one of its events: whether the case stood accepted, and the
/// files each material had.
#[derive(Debug, Default)]
pub struct SoFar {
    pub accepted: bool,
    files: Vec<String>,
}

impl SoFar {
    /// Takes in the next event of the log.
    pub fn observe(&mut self, event: &Event) {
        match event {
            Event::Accepted(_) => self.accepted = true,
            Event::Returned(r) if r.to == case::ReturnTarget::Window => self.accepted = false,
            Event::MaterialUploaded(m) => self.files.push(m.material.clone()),
            _ => {}
        }
    }

    fn files_of(&self, material: &str) -> usize {
        self.files.iter().filter(|m| *m == material).count()
    }
}

/// What the decision said, read from its event's payload.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// The materials received when the application was sent or registered.
    Receipt {
        channel: case::Channel,
        materials: Vec<(String, Received)>,
    },
    Acceptance {
        promised_days: u32,
        due_on: Option<NaiveDate>,
        /// Material name and the day it is due (容缺).
        waived: Vec<(String, NaiveDate)>,
    },
    Refusal {
        reason: String,
        legal_basis: String,
        redirect: String,
    },
    Supplement {
        /// Material name, what is wrong, the clerk's note.
        items: Vec<(String, MaterialProblem, String)>,
        /// Which notice of the case this is (1 for the first).
        notice: u32,
        repeat_reason: Option<String>,
        /// Whether the case had been accepted: only then does a time limit run, and pause.
        after_acceptance: bool,
    },
    /// A procedure the time limit does not count, why, and the working days it needs.
    SpecialProcedure {
        procedure: case::SpecialProcedure,
        reason: String,
        days: Option<u32>,
        due_on: Option<NaiveDate>,
    },
    /// The deciding step's decision, the decider's reasons and the decision's 文号.
    Outcome {
        decision: case::Decision,
        comment: String,
        document_number: Option<String>,
    },
}

impl Decision {
    /// The decision `event` records if it is the event of a `kind` notice; material codes
    /// named as in `item`; `so_far`, the log before the event.
    pub fn from_event(
        kind: NoticeKind,
        event: &Event,
        item: &ItemDefinition,
        promised_days: u32,
        so_far: &SoFar,
    ) -> Option<Decision> {
        let name = |code: &str| {
            item.materials
                .iter()
                .find(|m| m.code == code)
                .map_or_else(|| code.to_owned(), |m| m.name.clone())
        };
        Some(match (kind, event) {
            (NoticeKind::Receipt, Event::Submitted(p)) => Decision::Receipt {
                channel: p.channel,
                materials: item
                    .materials
                    .iter()
                    .map(|m| {
                        let received = match so_far.files_of(&m.code) {
                            0 if p.waive.contains(&m.code) => Received::Promised,
                            0 => Received::Nothing,
                            n => Received::Files(n),
                        };
                        (m.name.clone(), received)
                    })
                    .collect(),
            },
            (NoticeKind::Acceptance, Event::Accepted(p)) => Decision::Acceptance {
                promised_days,
                due_on: p.due_on,
                waived: p
                    .waived
                    .iter()
                    .map(|w| (name(&w.material), w.due_on))
                    .collect(),
            },
            (NoticeKind::Refusal, Event::Refused(p)) => Decision::Refusal {
                reason: p.reason.clone(),
                legal_basis: p.legal_basis.clone(),
                redirect: p.redirect.clone(),
            },
            (NoticeKind::Supplement, Event::SupplementRequested(p)) => Decision::Supplement {
                items: p
                    .items
                    .iter()
                    .map(|i| (name(&i.material), i.problem, i.note.clone()))
                    .collect(),
                notice: p.notice.max(1),
                repeat_reason: p.repeat_reason.clone().filter(|r| !r.trim().is_empty()),
                after_acceptance: so_far.accepted,
            },
            (NoticeKind::SpecialProcedure, Event::SpecialProcedureStarted(p)) => {
                Decision::SpecialProcedure {
                    procedure: p.procedure,
                    reason: p.reason.clone(),
                    days: p.days,
                    due_on: p.due_on,
                }
            }
            (NoticeKind::Decision, Event::Decided(p)) => Decision::Outcome {
                decision: p.decision,
                comment: p.comment.clone(),
                document_number: p.document_number.clone(),
            },
            _ => return None,
        })
    }

    fn kind(&self) -> NoticeKind {
        match self {
            Decision::Receipt { .. } => NoticeKind::Receipt,
            Decision::Acceptance { .. } => NoticeKind::Acceptance,
            Decision::Refusal { .. } => NoticeKind::Refusal,
            Decision::Supplement { .. } => NoticeKind::Supplement,
            Decision::SpecialProcedure { .. } => NoticeKind::SpecialProcedure,
            Decision::Outcome { .. } => NoticeKind::Decision,
        }
    }

    /// Whether the department issues it (the back office's acts); the centre issues the front
    /// desk's.
    fn by_department(&self) -> bool {
        matches!(
            self,
            Decision::Outcome { .. } | Decision::SpecialProcedure { .. }
        )
    }

    /// The document's title: a decision says which way it went, as the licensing law words it.
    fn title(&self) -> &'static str {
        match self {
            Decision::Outcome {
                decision: case::Decision::Approved,
                ..
            } => "准予行政许可决定书",
            Decision::Outcome {
                decision: case::Decision::Denied,
                ..
            } => "不予行政许可决定书",
            other => other.kind().title_zh(),
        }
    }

    /// What the document's date is the date of.
    fn date_label(&self) -> &'static str {
        match self {
            Decision::Receipt { .. } => "收件日期：",
            Decision::Acceptance { .. } => "受理日期：",
            Decision::Supplement { .. } | Decision::SpecialProcedure { .. } => "告知日期：",
            Decision::Refusal { .. } | Decision::Outcome { .. } => "决定日期：",
        }
    }
}

/// Everything a notice shows.
#[derive(Debug, Clone)]
pub struct Notice {
    /// The issuing centre, e.g. 金平区行政服务中心.
    pub centre: String,
    pub number: String,
    /// The applicant's full name, as the notice is addressed to them.
    pub applicant: String,
    pub item_name: String,
    pub department: String,
    pub submitted_on: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    /// The day of the notice's event (acceptance, notice or decision), in China.
    pub decided_on: NaiveDate,
    /// The window of whoever acted, and who they are: role, name and staff number (工号).
    pub window: Option<String>,
    pub handler: String,
    /// The public progress query of the case, for the QR code.
    pub progress_url: String,
    pub decision: Decision,
}

/// What the administrative reconsideration and litigation law give every refused applicant.
fn remedy(kind: NoticeKind) -> String {
    format!(
        "如不服本决定，可在收到本{}之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。",
        kind.noun_zh()
    )
}

const BODY: Style = Style::new(12.0);
const INDENT: f32 = 24.0;

/// The role of whoever acted for a notice, in Chinese: staff, or the applicant sending online.
pub fn role_zh(role: &str) -> &'static str {
    match role {
        "clerk" => "综合窗口受理员",
        "approver" => "审批人员",
        "chief_representative" => "首席代表",
        "supervisor" => "效能监察人员",
        "leader" => "中心领导",
        "centre_admin" => "中心管理员",
        "applicant" => "申请人（网上提交）",
        _ => "工作人员",
    }
}

/// The notice as a PDF.
pub fn render(notice: &Notice, fonts: &Fonts) -> Result<Vec<u8>, krilla::error::KrillaError> {
    let mut sheet = Sheet::new(fonts);
    heading(&mut sheet, notice);
    particulars(&mut sheet, notice);
    sheet.gap(10.0);
    sheet.paragraph(&format!("{}：", notice.applicant), BODY, Align::Left, 0.0);
    match &notice.decision {
        Decision::Receipt { channel, materials } => {
            receipt(&mut sheet, notice, *channel, materials)
        }
        Decision::Acceptance {
            promised_days,
            due_on,
            waived,
        } => acceptance(&mut sheet, notice, *promised_days, *due_on, waived),
        Decision::Refusal {
            reason,
            legal_basis,
            redirect,
        } => refusal(&mut sheet, notice, reason, legal_basis, redirect),
        Decision::Supplement {
            items,
            notice: n,
            repeat_reason,
            after_acceptance,
        } => supplement(
            &mut sheet,
            notice,
            items,
            *n,
            repeat_reason.as_deref(),
            *after_acceptance,
        ),
        Decision::SpecialProcedure {
            procedure,
            reason,
            days,
            due_on,
        } => special_procedure(&mut sheet, notice, *procedure, reason, *days, *due_on),
        Decision::Outcome {
            decision, comment, ..
        } => outcome(&mut sheet, notice, *decision, comment),
    }
    footer(&mut sheet, notice);
    let title = format!("{}（{}）", notice.decision.title(), notice.number);
    sheet.finish(&title)
}

/// The issuing body, the title, the decision's document number (文号) and the case number.
fn heading(sheet: &mut Sheet<'_>, notice: &Notice) {
    let issuer = Style::new(15.0).bold();
    let by = if notice.decision.by_department() {
        &notice.department
    } else {
        &notice.centre
    };
    sheet.paragraph(by, issuer, Align::Centre, 0.0);
    sheet.gap(4.0);
    let title = notice.decision.title();
    sheet.paragraph(title, Style::new(22.0).bold(), Align::Centre, 0.0);
    sheet.gap(2.0);
    if let Decision::Outcome {
        document_number: Some(number),
        ..
    } = &notice.decision
    {
        sheet.paragraph(number, Style::new(12.0), Align::Centre, 0.0);
        sheet.gap(2.0);
    }
    let number = format!("办件编号：{}", notice.number);
    sheet.paragraph(&number, Style::new(10.5).grey(60), Align::Right, 0.0);
    sheet.gap(4.0);
    sheet.rule(1.2);
    sheet.gap(10.0);
}

/// The case at a glance: who applied for what, where it is decided, when.
fn particulars(sheet: &mut Sheet<'_>, notice: &Notice) {
    let style = Style::new(11.0);
    let label = style.size * 6.0;
    sheet.labelled("申 请 人：", label, &notice.applicant, style);
    sheet.labelled("申请事项：", label, &notice.item_name, style);
    sheet.labelled("实施部门：", label, &notice.department, style);
    if let Some(d) = notice.submitted_on {
        sheet.labelled("申请日期：", label, &date_zh(d), style);
    }
    let on = notice.decision.date_label();
    sheet.labelled(on, label, &date_zh(notice.decided_on), style);
}

/// "你（单位）于…提交的“…”申请": how every notice's body begins.
fn application(notice: &Notice) -> String {
    let when = notice
        .submitted_on
        .map(|d| format!("于{}", date_zh(d)))
        .unwrap_or_default();
    format!("你（单位）{when}提交的“{}”申请", notice.item_name)
}

fn receipt(
    sheet: &mut Sheet<'_>,
    notice: &Notice,
    channel: case::Channel,
    materials: &[(String, Received)],
) {
    let how = match channel {
        case::Channel::Online => "网上提交",
        case::Channel::Window => "窗口提交",
    };
    let text = format!("{}（{how}）已收到，所收材料如下：", application(notice));
    sheet.paragraph(&text, BODY, Align::Left, INDENT);
    for (n, (name, received)) in materials.iter().enumerate() {
        let what = match received {
            Received::Files(files) => format!("已收取（{files} 份文件）"),
            Received::Promised => "申请容缺，受理时确定补交期限".to_owned(),
            Received::Nothing => "未提交".to_owned(),
        };
        sheet.numbered(
            &format!("{}.", n + 1),
            &format!("{name}：{what}"),
            BODY,
            INDENT,
        );
    }
    // 行政许可法 第三十二条: an incomplete application is told so within five days, all at once.
    sheet.paragraph(
        "本凭证仅证明收到上述材料，不代表已受理。本中心将依法审查，申请材料不齐全或者不符合\
         法定形式的，在五日内一次性告知需要补正的全部内容；逾期不告知的，自收到申请材料之日起\
         即为受理。",
        BODY,
        Align::Left,
        INDENT,
    );
    sheet.paragraph(
        "请妥善保管本凭证，凭办件编号和手机号码后四位查询办理进度。",
        BODY,
        Align::Left,
        INDENT,
    );
}

fn acceptance(
    sheet: &mut Sheet<'_>,
    notice: &Notice,
    promised_days: u32,
    due_on: Option<NaiveDate>,
    waived: &[(String, NaiveDate)],
) {
    let text = format!(
        "{}，经审查，申请材料齐全、符合法定形式，本中心决定予以受理。",
        application(notice)
    );
    sheet.paragraph(&text, BODY, Align::Left, INDENT);
    let limit = if promised_days == 0 {
        "本事项为即办件，当场办结。".to_owned()
    } else {
        let due = due_on
            .map(|d| format!("，预计于{}前办结", date_zh(d)))
            .unwrap_or_default();
        format!(
            "本事项承诺办理时限为{promised_days}个工作日{due}。依法需要听证、检验、检测、\
             鉴定、专家评审的，所需时间不计算在办理时限内。"
        )
    };
    sheet.paragraph(&limit, BODY, Align::Left, INDENT);
    if !waived.is_empty() {
        sheet.paragraph(
            "下列材料已容缺受理，请在期限内补交；逾期未补交的，将影响办理结果：",
            BODY,
            Align::Left,
            INDENT,
        );
        for (n, (name, due)) in waived.iter().enumerate() {
            let text = format!("{name}，补交期限：{}", date_zh(*due));
            sheet.numbered(&format!("{}.", n + 1), &text, BODY, INDENT);
        }
    }
    sheet.paragraph(
        "请妥善保管本通知书，凭办件编号查询办理进度、领取办理结果。",
        BODY,
        Align::Left,
        INDENT,
    );
}

fn refusal(sheet: &mut Sheet<'_>, notice: &Notice, reason: &str, legal_basis: &str, to: &str) {
    let text = format!(
        "{}，经审查，本中心决定不予受理。现将有关事项告知如下：",
        application(notice)
    );
    sheet.paragraph(&text, BODY, Align::Left, INDENT);
    sheet.gap(4.0);
    let label = BODY.size * 7.5;
    sheet.labelled("不予受理理由：", label, reason, BODY);
    sheet.labelled("法 律 依 据：", label, legal_basis, BODY);
    sheet.labelled("建议申请途径：", label, to, BODY);
    sheet.gap(4.0);
    sheet.paragraph(&remedy(NoticeKind::Refusal), BODY, Align::Left, INDENT);
}

fn supplement(
    sheet: &mut Sheet<'_>,
    notice: &Notice,
    items: &[(String, MaterialProblem, String)],
    n: u32,
    repeat_reason: Option<&str>,
    after_acceptance: bool,
) {
    let text = format!(
        "{}，经审查，申请材料不齐全或者不符合法定形式。现一次性告知需要补正的全部材料如下：",
        application(notice)
    );
    sheet.paragraph(&text, BODY, Align::Left, INDENT);
    for (i, (name, problem, note)) in items.iter().enumerate() {
        let what = match problem {
            MaterialProblem::Missing => "缺少",
            MaterialProblem::Faulty => "需补正",
        };
        let note = if note.trim().is_empty() {
            String::new()
        } else {
            format!("：{note}")
        };
        let text = format!("{name}（{what}）{note}");
        sheet.numbered(&format!("{}.", i + 1), &text, BODY, INDENT);
    }
    if n > 1 {
        let reason = repeat_reason.unwrap_or("—");
        let text = format!("本通知为本办件第{n}次补正告知。再次告知的理由：{reason}");
        sheet.paragraph(&text, BODY, Align::Left, INDENT);
    }
    // Before acceptance no time limit runs yet: the application is accepted, or not, once the
    // materials are complete (行政许可法 第三十二条).
    let next = if after_acceptance {
        "请补齐上述全部材料后到窗口提交，或在网上办件中补交。补正期间办理时限暂停计算，\
         自收到全部补正材料之日起恢复计算。"
    } else {
        "请补齐上述全部材料后到窗口提交，或在网上办件中补交。本中心自收到全部补正材料之日起\
         依法审查是否受理，并告知结果。"
    };
    sheet.paragraph(next, BODY, Align::Left, INDENT);
}

/// 行政许可法 第四十五条: the time a hearing, test or expert review needs is not counted in the
/// time limit, and the applicant is told it in writing.
fn special_procedure(
    sheet: &mut Sheet<'_>,
    notice: &Notice,
    procedure: case::SpecialProcedure,
    reason: &str,
    days: Option<u32>,
    due_on: Option<NaiveDate>,
) {
    let accepted = notice
        .accepted_on
        .map(|d| format!("，本机关已于{}受理", date_zh(d)))
        .unwrap_or_default();
    let text = format!(
        "{}{accepted}。因办理需要，依法进行{}。根据《中华人民共和国行政许可法》第四十五条的规定，\
         现将有关事项告知如下：",
        application(notice),
        procedure.name_zh()
    );
    sheet.paragraph(&text, BODY, Align::Left, INDENT);
    sheet.gap(4.0);
    let label = BODY.size * 5.0;
    sheet.labelled("程序种类：", label, procedure.name_zh(), BODY);
    sheet.labelled("启动理由：", label, reason, BODY);
    if let Some(days) = days {
        let until = due_on
            .map(|d| format!("，预计于{}前结束", date_zh(d)))
            .unwrap_or_default();
        sheet.labelled("所需时间：", label, &format!("{days}个工作日{until}"), BODY);
    }
    sheet.gap(4.0);
    sheet.paragraph(
        "特别程序所需时间不计算在办理时限内。特别程序结束后，办理时限恢复计算，本机关将及时告知\
         办理进度。",
        BODY,
        Align::Left,
        INDENT,
    );
}

fn outcome(sheet: &mut Sheet<'_>, notice: &Notice, decision: case::Decision, comment: &str) {
    let comment = comment.trim();
    match decision {
        case::Decision::Approved => {
            let text = format!(
                "{}，经审查，符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条第一款\
                 的规定，{}决定准予行政许可。",
                application(notice),
                notice.department
            );
            sheet.paragraph(&text, BODY, Align::Left, INDENT);
            if !comment.is_empty() {
                let label = BODY.size * 5.0;
                sheet.labelled("审批意见：", label, comment, BODY);
            }
            sheet.paragraph(
                "请凭本决定书和办件编号到出件窗口领取办理结果，或选择邮寄送达。",
                BODY,
                Align::Left,
                INDENT,
            );
        }
        case::Decision::Denied => {
            let text = format!(
                "{}，经审查，不符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条\
                 第二款的规定，{}决定不予行政许可。理由如下：",
                application(notice),
                notice.department
            );
            sheet.paragraph(&text, BODY, Align::Left, INDENT);
            sheet.paragraph(comment, BODY, Align::Left, INDENT);
            sheet.gap(4.0);
            sheet.paragraph(&remedy(NoticeKind::Decision), BODY, Align::Left, INDENT);
        }
    }
}

/// Who decided, where and when, the issuing centre, and the QR code of the progress query;
/// kept together on one page.
fn footer(sheet: &mut Sheet<'_>, notice: &Notice) {
    let qr: f32 = 84.0;
    let small = Style::new(9.0).grey(70);
    let caption = sheet.wrap(&notice.progress_url, Sheet::width(), small);
    let height =
        20.0 + qr.max(3.0 * BODY.line_height()) + caption.len() as f32 * small.line_height() + 24.0;
    sheet.gap(20.0);
    sheet.ensure(height);
    let top = sheet.y;
    sheet.qr(Sheet::LEFT - 8.0, top, qr, &notice.progress_url);
    let text_left = Sheet::LEFT + qr + 4.0;
    let mut y = top + 10.0;
    let lines = [
        "扫码查询办理进度".to_owned(),
        // The back office acts, not a window.
        match notice.decision {
            Decision::Outcome { .. } => format!("决定机关：{}", notice.department),
            Decision::SpecialProcedure { .. } => format!("实施部门：{}", notice.department),
            _ => format!("经办窗口：{}", notice.window.as_deref().unwrap_or("—")),
        },
        format!("经 办 人：{}", notice.handler),
    ];
    for line in &lines {
        sheet.text_at(text_left, y, line, Style::new(10.5));
        y += Style::new(10.5).line_height();
    }
    // The issuing centre and the date, right-aligned where the seal goes.
    let right =
        |sheet: &Sheet<'_>, text: &str, style: Style| Sheet::RIGHT - sheet.text_width(text, style);
    let seal = if notice.decision.by_department() {
        notice.department.clone()
    } else {
        notice.centre.clone()
    };
    let date = date_zh(notice.decided_on);
    let x = right(sheet, &seal, BODY).min(right(sheet, &date, BODY));
    let seal_width = sheet.text_width(&seal, BODY);
    let date_x = x + (seal_width - sheet.text_width(&date, BODY)) / 2.0;
    sheet.text_at(x, top + 24.0, &seal, BODY);
    sheet.text_at(date_x, top + 24.0 + BODY.line_height(), &date, BODY);
    sheet.y = top + qr;
    for line in &caption {
        let t = sheet.y;
        sheet.text_at(Sheet::LEFT, t, line, small);
        sheet.y += small.line_height();
    }
    sheet.gap(8.0);
    let copies = format!(
        "本{}一式两份，一份交申请人，一份存档。",
        notice.decision.kind().noun_zh()
    );
    sheet.paragraph(&copies, small, Align::Left, 0.0);
}
