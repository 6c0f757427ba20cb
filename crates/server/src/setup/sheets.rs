//! The sheets of a centre's workbook and their columns: one table that the reader, the template
//! writer and the documentation all follow. A column's key is the field of the JSON the demo
//! uses (a dotted path for a nested one); its Chinese name heads the column in the workbook.

/// What a cell holds, and how an empty one reads.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Text; an empty cell is an empty text.
    Text,
    /// Text; an empty cell is no value.
    OptionalText,
    /// A whole number of zero or more.
    Count,
    /// 是 or 否; an empty cell is 否.
    YesNo,
    /// 是 or 否; an empty cell is no value (the default applies).
    OptionalYesNo,
    /// A date, `2027-05-01` or a spreadsheet date.
    Date,
    /// A time of day, `08:30` or a spreadsheet time.
    Time,
    /// An amount in yuan with at most two decimals, kept in fen.
    Yuan,
    /// One of the listed values, by its code or its Chinese name.
    Choice(&'static [(&'static str, &'static str)]),
    /// As `Choice`, and an empty cell is no value.
    OptionalChoice(&'static [(&'static str, &'static str)]),
    /// Several of the listed values, separated by `、` `,` or `;`.
    Choices(&'static [(&'static str, &'static str)]),
    /// Several words, separated by `、` `,` or `;`.
    Words,
}

#[derive(Debug)]
pub struct Column {
    pub key: &'static str,
    pub zh: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// What to write, in a sentence for the person filling the template.
    pub help: &'static str,
}

/// Which record a sheet's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetKind {
    Regions,
    Sites,
    Halls,
    Departments,
    Windows,
    Staff,
    Items,
    Materials,
    FormFields,
    Fees,
    Steps,
    Calendar,
    OpeningHours,
}

#[derive(Debug)]
pub struct Sheet {
    pub kind: SheetKind,
    /// The sheet's name in the workbook.
    pub zh: &'static str,
    /// Its name in the JSON files.
    pub key: &'static str,
    pub required: bool,
    pub help: &'static str,
    pub columns: &'static [Column],
}

impl Sheet {
    pub fn column(&self, key: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.key == key)
    }
}

const fn col(
    key: &'static str,
    zh: &'static str,
    kind: Kind,
    required: bool,
    help: &'static str,
) -> Column {
    Column {
        key,
        zh,
        kind,
        required,
        help,
    }
}

pub const REGION_LEVELS: &[(&str, &str)] = &[
    ("district", "区县"),
    ("street", "街道"),
    ("community", "社区"),
];
pub const SITE_KINDS: &[(&str, &str)] = &[
    ("centre", "服务中心"),
    ("sub_centre", "分中心"),
    ("station", "便民服务站"),
];
pub const THEMES: &[(&str, &str)] = &[
    ("social_livelihood", "社会民生类"),
    ("registration", "注册登记类"),
    ("business_licensing", "经营许可类"),
    ("investment_construction", "投资建设类"),
];
pub const HOURS_DAYS: &[(&str, &str)] = &[
    ("working_day", "工作日"),
    ("extended", "延时服务"),
    ("saturday", "周六"),
    ("sunday", "周日"),
];
pub const WEEKDAYS: &[(&str, &str)] = &[
    ("1", "周一"),
    ("2", "周二"),
    ("3", "周三"),
    ("4", "周四"),
    ("5", "周五"),
];
pub const WINDOW_KINDS: &[(&str, &str)] = &[
    ("theme", "主题综合窗口"),
    ("department", "部门窗口"),
    ("comprehensive_service", "综合服务窗口"),
    ("green_channel", "绿色通道窗口"),
];
pub const ROLES: &[(&str, &str)] = &[
    ("clerk", "窗口受理员"),
    ("approver", "审批人员"),
    ("chief_representative", "首席代表"),
    ("supervisor", "效能监察员"),
    ("centre_admin", "中心管理员"),
    ("leader", "领导"),
];
const ITEM_TYPES: &[(&str, &str)] = &[
    ("administrative_licence", "行政许可"),
    ("administrative_confirmation", "行政确认"),
    ("administrative_payment", "行政给付"),
    ("administrative_levy", "行政征收"),
    ("administrative_award", "行政奖励"),
    ("administrative_adjudication", "行政裁决"),
    ("other_administrative_power", "其他行政权力"),
    ("public_service", "公共服务"),
];
const APPLICANT_KINDS: &[(&str, &str)] = &[
    ("person", "自然人"),
    ("enterprise", "法人"),
    ("both", "自然人和法人"),
];
const PROMISES: &[(&str, &str)] = &[("immediate", "即办件"), ("promised", "承诺件")];
const RESULT_KINDS: &[(&str, &str)] = &[
    ("certificate", "证照"),
    ("approval_document", "批文"),
    ("other", "其他"),
];
const SHAPES: &[(&str, &str)] = &[
    ("immediate", "即办"),
    ("two_step", "一审一核"),
    ("four_step", "审查审核审批"),
];
const ONLINE_DEPTHS: &[(&str, &str)] = &[
    ("guide_only", "一级（办事指南）"),
    ("forms_online", "二级（表格下载）"),
    ("apply_online", "三级（网上预审）"),
    ("fully_online", "四级（全程网办）"),
];
const SERVICE_LEVELS: &[(&str, &str)] = &[
    ("district", "区级"),
    ("street", "街道"),
    ("community", "社区"),
];
const SCOPES: &[(&str, &str)] = &[
    ("centre_only", "仅中心办理"),
    ("district_wide", "同区通办"),
    ("city_wide", "全市通办"),
];
const MATERIAL_FORMS: &[(&str, &str)] = &[
    ("original", "原件"),
    ("copy", "复印件"),
    ("original_and_copy", "原件和复印件"),
    ("electronic", "电子材料"),
];
const STEP_KINDS: &[(&str, &str)] = &[("review", "审查"), ("verify", "审核"), ("decide", "审批")];
const STEP_ROLES: &[(&str, &str)] = &[
    ("approver", "审批人员"),
    ("chief_representative", "首席代表"),
    ("clerk", "窗口人员"),
];
const DAY_KINDS: &[(&str, &str)] = &[("holiday", "放假"), ("workday", "调休上班")];

use Kind::*;

/// The column of a child sheet that names its item.
pub const ITEM_LINK: &str = "item";
/// The column of the form-field sheet that names its material.
pub const MATERIAL_LINK: &str = "material";

pub static SHEETS: &[Sheet] = &[
    Sheet {
        kind: SheetKind::Regions,
        zh: "区划",
        key: "regions",
        required: true,
        help: "中心所在区县及其街道、社区，一行一个。",
        columns: &[
            col(
                "code",
                "区划代码",
                Text,
                true,
                "6 位区县代码，9 位街道代码，12 位社区代码",
            ),
            col("name", "名称", Text, true, "如：金平区、石炮台街道"),
            col(
                "level",
                "层级",
                Choice(REGION_LEVELS),
                true,
                "区县、街道或社区",
            ),
        ],
    },
    Sheet {
        kind: SheetKind::Sites,
        zh: "场所",
        key: "sites",
        required: true,
        help: "服务中心、分中心和便民服务站；须有且只有一个“服务中心”，其区划即本中心所服务的区县。",
        columns: &[
            col(
                "code",
                "编码",
                Text,
                true,
                "2 至 10 位大写字母、数字或“-”，如 CENTRE",
            ),
            col("name", "名称", Text, true, ""),
            col(
                "kind",
                "类型",
                Choice(SITE_KINDS),
                true,
                "服务中心、分中心或便民服务站",
            ),
            col("region", "区划代码", Text, true, "本表“区划”中的代码"),
            col("address", "地址", Text, true, ""),
            col("supervision_phone", "监督电话", OptionalText, false, ""),
        ],
    },
    Sheet {
        kind: SheetKind::Halls,
        zh: "大厅",
        key: "halls",
        required: true,
        help: "各场所的办事大厅。",
        columns: &[
            col("code", "编码", Text, true, "如 H1"),
            col("site", "所属场所", Text, true, "“场所”表中的编码"),
            col("name", "名称", Text, true, ""),
            col("floor", "楼层", Text, false, "如 一楼"),
        ],
    },
    Sheet {
        kind: SheetKind::Departments,
        zh: "部门",
        key: "departments",
        required: true,
        help: "进驻中心的部门。",
        columns: &[
            col(
                "code",
                "编码",
                Text,
                true,
                "2 至 10 位大写字母或数字，如 RSJ；建立后不再改变",
            ),
            col(
                "name",
                "名称",
                Text,
                true,
                "如 汕头市金平区人力资源和社会保障局",
            ),
            col("short_name", "简称", Text, true, "如 区人社局"),
            col("section", "审批科室", Text, true, "如 行政审批科"),
            col("phone", "电话", Text, true, "7 至 20 位数字或“-”"),
            col(
                "theme",
                "主题",
                OptionalChoice(THEMES),
                false,
                "由该主题综合窗口受理其事项时填写",
            ),
            col(
                "via_comprehensive_service",
                "经综合服务窗口受理",
                YesNo,
                false,
                "办件量少的部门填“是”",
            ),
            col(
                "document_pattern",
                "文号格式",
                OptionalText,
                false,
                "如 金人社许〔{year}〕{seq}号；不填则按简称生成",
            ),
        ],
    },
    Sheet {
        kind: SheetKind::Windows,
        zh: "窗口",
        key: "windows",
        required: true,
        help: "各大厅的窗口。主题综合窗口须填主题，部门窗口须填所属部门。",
        columns: &[
            col(
                "code",
                "编码",
                Text,
                true,
                "2 至 10 位大写字母、数字或“-”，如 A01",
            ),
            col("hall", "所属大厅", Text, true, "“大厅”表中的编码"),
            col("name", "名称", Text, true, ""),
            col("kind", "类型", Choice(WINDOW_KINDS), true, ""),
            col(
                "theme",
                "主题",
                OptionalChoice(THEMES),
                false,
                "仅主题综合窗口填写",
            ),
            col(
                "department",
                "所属部门",
                OptionalText,
                false,
                "仅部门窗口填写，“部门”表中的编码",
            ),
            col(
                "issues_results",
                "出件",
                YesNo,
                false,
                "在此窗口发放办理结果的填“是”",
            ),
        ],
    },
    Sheet {
        kind: SheetKind::Staff,
        zh: "人员",
        key: "staff",
        required: true,
        help: "工作人员账号。至少一人为中心管理员；初始化时第一位中心管理员获得一次性密码，其余账号由管理员在“工作人员”页面设置初始密码。",
        columns: &[
            col(
                "username",
                "账号",
                Text,
                true,
                "3 至 32 位小写字母、数字或“.”“_”“-”",
            ),
            col("name", "姓名", Text, true, ""),
            col("title", "职务", Text, true, "如 综合受理员"),
            col(
                "roles",
                "角色",
                Choices(ROLES),
                true,
                "一个或多个，用顿号分隔",
            ),
            col(
                "department",
                "所属部门",
                OptionalText,
                false,
                "审批人员、首席代表必填",
            ),
            col(
                "window",
                "所在窗口",
                OptionalText,
                false,
                "窗口受理员、首席代表必填",
            ),
            col(
                "public",
                "公示",
                YesNo,
                false,
                "在公开的工作人员监督栏展示的填“是”",
            ),
        ],
    },
    Sheet {
        kind: SheetKind::Items,
        zh: "事项",
        key: "items",
        required: true,
        help: "政务服务事项目录，一行一个事项；材料、收费和环节在各自的表中，按实施编码对应。",
        columns: &[
            col("basic_code", "基本编码", Text, true, "国家基本目录编码"),
            col(
                "implementation_code",
                "实施编码",
                Text,
                true,
                "以本区区划代码开头，如 440511-RSJ-001",
            ),
            col("name", "名称", Text, true, ""),
            col(
                "parent_code",
                "主项实施编码",
                OptionalText,
                false,
                "子项填写其主项的实施编码",
            ),
            col("item_type", "事项类型", Choice(ITEM_TYPES), true, ""),
            col("department", "实施部门", Text, true, "“部门”表中的编码"),
            col("theme", "主题", OptionalChoice(THEMES), false, ""),
            col(
                "applicant_kind",
                "服务对象",
                Choice(APPLICANT_KINDS),
                true,
                "",
            ),
            col("legal_basis", "设定依据", Text, true, ""),
            col("conditions", "受理条件", Text, true, ""),
            col(
                "legal_time_limit_days",
                "法定时限（工作日）",
                Count,
                true,
                "",
            ),
            col(
                "promised_time_limit_days",
                "承诺时限（工作日）",
                Count,
                true,
                "即办件填 0",
            ),
            col(
                "promise",
                "办件类型",
                Choice(PROMISES),
                true,
                "即办件或承诺件",
            ),
            col(
                "result.name",
                "结果名称",
                Text,
                true,
                "如 《食品经营许可证》",
            ),
            col("result.kind", "结果类型", Choice(RESULT_KINDS), true, ""),
            col("result.deliverable", "结果可邮寄", YesNo, false, ""),
            col(
                "shape",
                "审批流程",
                Choice(SHAPES),
                true,
                "须与“环节”表一致",
            ),
            col("location", "办理地点", Text, true, ""),
            col("office_hours", "办公时间", Text, true, ""),
            col("consultation_phone", "咨询电话", Text, true, ""),
            col("complaint_phone", "投诉电话", Text, true, ""),
            col("online_depth", "网办深度", Choice(ONLINE_DEPTHS), true, ""),
            col("visits_needed", "到现场次数", Count, true, ""),
            col(
                "service_level",
                "服务层级",
                Choice(SERVICE_LEVELS),
                true,
                "",
            ),
            col("scope", "通办范围", Choice(SCOPES), true, ""),
            col("comments_public", "审查意见公开", YesNo, false, ""),
            col(
                "separate_duties",
                "职责分离",
                OptionalYesNo,
                false,
                "同一人只能办理一个环节；不填则按审批流程默认",
            ),
            col(
                "keywords",
                "常用名称",
                Words,
                false,
                "群众常说的叫法，用顿号分隔",
            ),
        ],
    },
    Sheet {
        kind: SheetKind::Materials,
        zh: "材料",
        key: "materials",
        required: false,
        help: "各事项的申请材料，按表中顺序排列。",
        columns: &[
            col(ITEM_LINK, "实施编码", Text, true, "“事项”表中的实施编码"),
            col("code", "材料编码", Text, true, "同一事项内唯一，如 M01"),
            col("name", "名称", Text, true, ""),
            col("form", "材料形式", Choice(MATERIAL_FORMS), true, ""),
            col("copies", "份数", Count, true, ""),
            col("required", "必需", YesNo, false, ""),
            col(
                "waivable",
                "可容缺",
                YesNo,
                false,
                "可凭书面承诺先行受理的填“是”",
            ),
            col("source", "来源", Text, true, "如 申请人自备"),
            col("note", "备注", Text, false, ""),
        ],
    },
    Sheet {
        kind: SheetKind::FormFields,
        zh: "表格栏目",
        key: "fields",
        required: false,
        help: "中心提供空白表格和示例样表的材料，其表格的各栏，按表中顺序排列。",
        columns: &[
            col(ITEM_LINK, "实施编码", Text, true, ""),
            col(
                MATERIAL_LINK,
                "材料编码",
                Text,
                true,
                "“材料”表中该事项的材料编码",
            ),
            col("label", "栏目名称", Text, true, ""),
            col("sample", "示例", Text, false, "示例样表中填写的内容"),
            col("lines", "行数", Count, true, "1 至 10"),
        ],
    },
    Sheet {
        kind: SheetKind::Fees,
        zh: "收费",
        key: "fees",
        required: false,
        help: "收费事项的收费项目；不收费的事项不填。",
        columns: &[
            col(ITEM_LINK, "实施编码", Text, true, ""),
            col("name", "收费项目", Text, true, ""),
            col("amount_fen", "标准（元）", Yuan, true, "最多两位小数"),
            col("unit", "计费单位", Text, true, "如 件、本"),
            col("legal_basis", "收费依据", Text, true, ""),
        ],
    },
    Sheet {
        kind: SheetKind::Steps,
        zh: "环节",
        key: "steps",
        required: false,
        help: "受理后的办理环节，按表中顺序排列：即办为“审批”；一审一核为“审查、审批”；审查审核审批为“审查、审核、审批”。",
        columns: &[
            col(ITEM_LINK, "实施编码", Text, true, ""),
            col("kind", "环节", Choice(STEP_KINDS), true, ""),
            col("name", "名称", Text, true, "如 科室审查"),
            col("role", "办理角色", Choice(STEP_ROLES), true, ""),
            col("department", "办理部门", Text, true, "“部门”表中的编码"),
            col(
                "time_limit_days",
                "时限（工作日）",
                Count,
                true,
                "0 为当日办结",
            ),
        ],
    },
    Sheet {
        kind: SheetKind::Calendar,
        zh: "日历",
        key: "calendar",
        required: false,
        help: "本地的放假日和调休上班日（国家法定节假日已内置）。",
        columns: &[
            col("region", "区划代码", OptionalText, false, "不填为整个区"),
            col("date", "日期", Date, true, "如 2027-05-06"),
            col(
                "kind",
                "类型",
                Choice(DAY_KINDS),
                true,
                "放假（周一至周五）或调休上班（周六、周日）",
            ),
            col("name", "名称", Text, true, "如 台风停工，不超过 20 字"),
        ],
    },
    Sheet {
        kind: SheetKind::OpeningHours,
        zh: "开放时间",
        key: "opening_hours",
        required: false,
        help: "各大厅的开放时段，一行一个时段。工作日的时段也用于调休上班日；延时服务（白+黑）填写星期；周六、周日没有时段即不开放；法定节假日和本地放假日自动闭厅。",
        columns: &[
            col("hall", "大厅编码", Text, true, "“大厅”表中的编码"),
            col("day", "日别", Choice(HOURS_DAYS), true, ""),
            col(
                "weekday",
                "星期",
                OptionalChoice(WEEKDAYS),
                false,
                "仅延时服务填写，周一至周五",
            ),
            col("opens", "开始", Time, true, "如 08:30"),
            col("closes", "结束", Time, true, "如 12:00"),
        ],
    },
];

pub fn sheet(kind: SheetKind) -> &'static Sheet {
    SHEETS
        .iter()
        .find(|s| s.kind == kind)
        .expect("every kind has a sheet")
}
