//! What the centre admin may set up: departments, windows and staff accounts. Each spec lists
//! every rule it breaks at once, per field, so a form can show them all next to their fields.
//! Whether a named hall, department or window exists is the caller's to check (it needs storage).

use serde::{Deserialize, Serialize};

use super::{DocumentPattern, Role, Theme, WindowKind};

/// The fewest characters a password may have (staff and applicants alike).
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A department (部门) as the admin creates or edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DepartmentSpec {
    /// Upper-case letters and digits, e.g. `RSJ`; never changes once created.
    pub code: String,
    pub name: String,
    pub short_name: String,
    /// The internal approval section (行政审批科).
    pub section: String,
    pub phone: String,
    /// The theme whose comprehensive windows accept its items, if any.
    pub theme: Option<Theme>,
    /// Low-volume departments receive through the comprehensive-service window (综合服务窗口).
    pub via_comprehensive_service: bool,
    /// How its decisions are numbered (文号), e.g. `金人社许〔{year}〕{seq}号`; when absent, from
    /// its short name ([`DocumentPattern::default_for`]).
    #[serde(default)]
    pub document_pattern: Option<String>,
}

/// A window (窗口) as the admin creates or edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowSpec {
    /// Upper-case letters, digits and `-`, e.g. `A01`, `SPT-1`; never changes once created.
    pub code: String,
    pub hall: String,
    pub name: String,
    pub kind: WindowKind,
    /// Required for a theme window, absent otherwise.
    pub theme: Option<Theme>,
    /// Required for a department window, absent otherwise.
    pub department: Option<String>,
    /// Whether results are handed out here (出件).
    pub issues_results: bool,
}

/// What the admin sets of a staff member: everything but the username and the password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffProfile {
    pub name: String,
    pub title: String,
    pub roles: Vec<Role>,
    pub department: Option<String>,
    pub window: Option<String>,
    /// Shown on the public staff board (监督栏).
    pub public: bool,
}

/// One rule broken by a spec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrganisationError {
    #[error("{field} is required")]
    Required { field: &'static str },
    #[error("the code must be 2 to 10 upper-case letters or digits")]
    BadDepartmentCode,
    #[error("the code must be 2 to 10 upper-case letters, digits or '-'")]
    BadWindowCode,
    #[error("the phone number must be 7 to 20 digits or '-'")]
    BadPhone,
    #[error(
        "the document number pattern must hold {{year}} and {{seq}} once each, in 40 characters"
    )]
    BadDocumentPattern,
    #[error("a theme window needs a theme")]
    ThemeWindowWithoutTheme,
    #[error("only a theme window has a theme")]
    ThemeOnOtherWindow,
    #[error("a department window needs a department")]
    DepartmentWindowWithoutDepartment,
    #[error("only a department window has a department")]
    DepartmentOnOtherWindow,
    #[error("the username must be 3 to 32 lower-case letters, digits, '.', '_' or '-'")]
    BadUsername,
    #[error("the password needs at least {MIN_PASSWORD_CHARS} characters")]
    PasswordTooShort,
    #[error("the password needs three of: upper-case letters, lower-case letters, digits, symbols")]
    PasswordTooSimple,
    #[error("the password must not contain the account's name")]
    PasswordHasName,
    #[error("the password must differ from the last {PASSWORD_HISTORY} passwords")]
    PasswordReused,
    #[error("a staff member needs at least one role")]
    NoRole,
    #[error("applicant is not a staff role")]
    ApplicantRole,
    #[error("the role {} needs a department", .0.as_str())]
    RoleNeedsDepartment(Role),
    #[error("the role {} needs a window", .0.as_str())]
    RoleNeedsWindow(Role),
    #[error("you cannot take the centre admin role from yourself")]
    OwnAdminRole,
}

impl OrganisationError {
    /// The JSON field concerned.
    pub fn field(&self) -> &'static str {
        use OrganisationError::*;
        match self {
            Required { field } => field,
            BadDepartmentCode | BadWindowCode => "code",
            BadPhone => "phone",
            BadDocumentPattern => "document_pattern",
            ThemeWindowWithoutTheme | ThemeOnOtherWindow => "theme",
            DepartmentWindowWithoutDepartment | DepartmentOnOtherWindow => "department",
            BadUsername => "username",
            PasswordTooShort | PasswordTooSimple | PasswordHasName | PasswordReused => "password",
            NoRole | ApplicantRole | OwnAdminRole => "roles",
            RoleNeedsDepartment(_) => "department",
            RoleNeedsWindow(_) => "window",
        }
    }

    /// Stable snake_case code for API responses.
    pub fn code(&self) -> &'static str {
        use OrganisationError::*;
        match self {
            Required { .. } => "field_required",
            BadDepartmentCode | BadWindowCode => "bad_code",
            BadPhone => "bad_phone",
            BadDocumentPattern => "bad_document_pattern",
            ThemeWindowWithoutTheme => "theme_window_without_theme",
            ThemeOnOtherWindow => "theme_on_other_window",
            DepartmentWindowWithoutDepartment => "department_window_without_department",
            DepartmentOnOtherWindow => "department_on_other_window",
            BadUsername => "bad_username",
            PasswordTooShort => "password_too_short",
            PasswordTooSimple => "password_too_simple",
            PasswordHasName => "password_has_name",
            PasswordReused => "password_reused",
            NoRole => "role_required",
            ApplicantRole => "applicant_role",
            RoleNeedsDepartment(_) => "role_needs_department",
            RoleNeedsWindow(_) => "role_needs_window",
            OwnAdminRole => "own_admin_role",
        }
    }

    /// Message for the centre's administrator, in Chinese.
    pub fn message_zh(&self) -> String {
        use OrganisationError::*;
        match self {
            Required { .. } => "此项必填".to_owned(),
            BadDepartmentCode => "编码须为 2 至 10 位大写字母或数字".to_owned(),
            BadWindowCode => "编码须为 2 至 10 位大写字母、数字或“-”".to_owned(),
            BadPhone => "电话须为 7 至 20 位数字或“-”".to_owned(),
            BadDocumentPattern => {
                "文号格式须含 {year}（年份）和 {seq}（序号）各一次，不超过 40 字".to_owned()
            }
            ThemeWindowWithoutTheme => "主题综合窗口须选择主题".to_owned(),
            ThemeOnOtherWindow => "只有主题综合窗口才设主题".to_owned(),
            DepartmentWindowWithoutDepartment => "部门窗口须选择所属部门".to_owned(),
            DepartmentOnOtherWindow => "只有部门窗口才设所属部门".to_owned(),
            BadUsername => "账号须为 3 至 32 位小写字母、数字或“.”“_”“-”".to_owned(),
            PasswordTooShort => format!("密码至少 {MIN_PASSWORD_CHARS} 位"),
            PasswordTooSimple => "密码须含大写字母、小写字母、数字、符号中的至少三类".to_owned(),
            PasswordHasName => "密码不能包含账号名称".to_owned(),
            PasswordReused => format!("新密码不能与最近 {PASSWORD_HISTORY} 次使用过的密码相同"),
            NoRole => "请至少选择一个角色".to_owned(),
            ApplicantRole => "申请人不是工作人员角色".to_owned(),
            RoleNeedsDepartment(role) => format!("{}须选择所属部门", role_zh(*role)),
            RoleNeedsWindow(role) => format!("{}须选择所在窗口", role_zh(*role)),
            OwnAdminRole => "不能取消自己的中心管理员角色".to_owned(),
        }
    }
}

fn role_zh(role: Role) -> &'static str {
    match role {
        Role::Applicant => "申请人",
        Role::Clerk => "窗口受理员",
        Role::Approver => "审批人员",
        Role::ChiefRepresentative => "首席代表",
        Role::Supervisor => "效能监察员",
        Role::CentreAdmin => "中心管理员",
        Role::Leader => "领导",
    }
}

impl Role {
    /// Whether a person in this role must belong to a department: approvers and chief
    /// representatives decide for one.
    pub fn needs_department(self) -> bool {
        matches!(self, Role::Approver | Role::ChiefRepresentative)
    }

    /// Whether a person in this role must sit at a window: clerks accept there, and the chief
    /// representative decides there (窗口审批授权).
    pub fn needs_window(self) -> bool {
        matches!(self, Role::Clerk | Role::ChiefRepresentative)
    }
}

fn required(problems: &mut Vec<OrganisationError>, field: &'static str, value: &str) {
    if value.trim().is_empty() {
        problems.push(OrganisationError::Required { field });
    }
}

fn code_like(s: &str, extra: &[char]) -> bool {
    (2..=10).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || extra.contains(&c))
}

impl DepartmentSpec {
    /// Every rule the department breaks; empty when it may be saved.
    pub fn problems(&self) -> Vec<OrganisationError> {
        let mut problems = Vec::new();
        if !code_like(&self.code, &[]) {
            problems.push(OrganisationError::BadDepartmentCode);
        }
        required(&mut problems, "name", &self.name);
        required(&mut problems, "short_name", &self.short_name);
        required(&mut problems, "section", &self.section);
        let phone = self.phone.trim();
        if phone.is_empty() {
            problems.push(OrganisationError::Required { field: "phone" });
        } else if !(7..=20).contains(&phone.len())
            || !phone.chars().all(|c| c.is_ascii_digit() || c == '-')
        {
            problems.push(OrganisationError::BadPhone);
        }
        let pattern = self.document_pattern.as_deref().map(str::trim);
        if pattern.is_some_and(|p| !p.is_empty() && DocumentPattern::parse(p).is_none()) {
            problems.push(OrganisationError::BadDocumentPattern);
        }
        problems
    }
}

impl WindowSpec {
    /// Every rule the window breaks; empty when it may be saved. A theme window accepts the items
    /// of its theme, a department window those of its department; the comprehensive-service
    /// window and the green channel take items by assignment alone, so they have neither.
    pub fn problems(&self) -> Vec<OrganisationError> {
        let mut problems = Vec::new();
        if !code_like(&self.code, &['-']) {
            problems.push(OrganisationError::BadWindowCode);
        }
        required(&mut problems, "hall", &self.hall);
        required(&mut problems, "name", &self.name);
        match (self.kind == WindowKind::Theme, self.theme.is_some()) {
            (true, false) => problems.push(OrganisationError::ThemeWindowWithoutTheme),
            (false, true) => problems.push(OrganisationError::ThemeOnOtherWindow),
            _ => {}
        }
        let department = self
            .department
            .as_deref()
            .is_some_and(|d| !d.trim().is_empty());
        match (self.kind == WindowKind::Department, department) {
            (true, false) => problems.push(OrganisationError::DepartmentWindowWithoutDepartment),
            (false, true) => problems.push(OrganisationError::DepartmentOnOtherWindow),
            _ => {}
        }
        problems
    }
}

impl StaffProfile {
    /// Every rule the profile breaks; empty when it may be saved.
    pub fn problems(&self) -> Vec<OrganisationError> {
        let mut problems = Vec::new();
        required(&mut problems, "name", &self.name);
        required(&mut problems, "title", &self.title);
        if self.roles.is_empty() {
            problems.push(OrganisationError::NoRole);
        }
        if self.roles.contains(&Role::Applicant) {
            problems.push(OrganisationError::ApplicantRole);
        }
        let has = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        // One message per field: the first role that needs it names it.
        if let Some(role) = self.roles.iter().find(|r| r.needs_department())
            && !has(&self.department)
        {
            problems.push(OrganisationError::RoleNeedsDepartment(*role));
        }
        if let Some(role) = self.roles.iter().find(|r| r.needs_window())
            && !has(&self.window)
        {
            problems.push(OrganisationError::RoleNeedsWindow(*role));
        }
        problems
    }

    /// As `problems`, for an admin editing their own account: they may not drop their own admin
    /// role, or the centre could be left without anyone to undo it.
    pub fn problems_for_self(&self) -> Vec<OrganisationError> {
        let mut problems = self.problems();
        if !self.roles.contains(&Role::CentreAdmin) {
            problems.push(OrganisationError::OwnAdminRole);
        }
        problems
    }
}

/// A username: lower-case letters, digits, `.`, `_` and `-`, 3 to 32 of them (`clerk.a01.2`).
pub fn check_username(username: &str) -> Result<(), OrganisationError> {
    let ok = (3..=32).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(OrganisationError::BadUsername)
    }
}

/// How many of an account's passwords a new one must differ from, the current one included.
pub const PASSWORD_HISTORY: usize = 5;

/// The password rule of every account (等保 2.0 level 3, 身份鉴别): at least
/// `MIN_PASSWORD_CHARS` characters of three of the four kinds, and not containing the name the
/// account logs in with (`name`: a username or a phone number). That it differs from the last
/// [`PASSWORD_HISTORY`] is checked against their hashes by the caller.
pub fn check_password(password: &str, name: &str) -> Result<(), OrganisationError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(OrganisationError::PasswordTooShort);
    }
    let kinds = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 3 {
        return Err(OrganisationError::PasswordTooSimple);
    }
    let name = name.trim().to_lowercase();
    if !name.is_empty() && password.to_lowercase().contains(&name) {
        return Err(OrganisationError::PasswordHasName);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_password_is_long_mixed_and_not_the_name() {
        assert_eq!(check_password("OneWindow@2026", "clerk.a01"), Ok(()));
        assert_eq!(check_password("Lin@2026pass", "13912340001"), Ok(()));
        assert_eq!(
            check_password("Ab@1234", "x"),
            Err(OrganisationError::PasswordTooShort)
        );
        assert_eq!(
            check_password("longenough", "x"),
            Err(OrganisationError::PasswordTooSimple)
        );
        assert_eq!(
            check_password("Clerk.A01@2027", "clerk.a01"),
            Err(OrganisationError::PasswordHasName)
        );
        assert_eq!(
            check_password("Pw@13912340001", "13912340001"),
            Err(OrganisationError::PasswordHasName)
        );
    }

    fn clerk() -> StaffProfile {
        StaffProfile {
            name: "蔡桂娥".into(),
            title: "综合受理员".into(),
            roles: vec![Role::Clerk],
            department: None,
            window: Some("A01".into()),
            public: true,
        }
    }

    fn window(kind: WindowKind, theme: Option<Theme>, department: Option<&str>) -> WindowSpec {
        WindowSpec {
            code: "A05".into(),
            hall: "H1".into(),
            name: "综合受理窗口".into(),
            kind,
            theme,
            department: department.map(str::to_owned),
            issues_results: false,
        }
    }

    fn codes(problems: &[OrganisationError]) -> Vec<&'static str> {
        problems.iter().map(OrganisationError::code).collect()
    }

    #[test]
    fn a_theme_window_has_a_theme_and_a_department_window_a_department() {
        let social = Some(Theme::SocialLivelihood);
        assert!(
            window(WindowKind::Theme, social, None)
                .problems()
                .is_empty()
        );
        assert!(
            window(WindowKind::Department, None, Some("RSJ"))
                .problems()
                .is_empty()
        );
        assert!(
            window(WindowKind::GreenChannel, None, None)
                .problems()
                .is_empty()
        );
        assert_eq!(
            codes(&window(WindowKind::Theme, None, Some("RSJ")).problems()),
            ["theme_window_without_theme", "department_on_other_window"]
        );
        let both = window(WindowKind::Department, social, Some(" ")).problems();
        assert_eq!(
            codes(&both),
            [
                "theme_on_other_window",
                "department_window_without_department"
            ]
        );
        assert_eq!(
            both.iter().map(|e| e.field()).collect::<Vec<_>>(),
            ["theme", "department"]
        );
    }

    #[test]
    fn roles_bring_their_department_and_window() {
        assert!(clerk().problems().is_empty());
        let chief = StaffProfile {
            roles: vec![Role::ChiefRepresentative],
            window: None,
            ..clerk()
        };
        assert_eq!(
            chief.problems(),
            [
                OrganisationError::RoleNeedsDepartment(Role::ChiefRepresentative),
                OrganisationError::RoleNeedsWindow(Role::ChiefRepresentative),
            ]
        );
        let nobody = StaffProfile {
            roles: vec![],
            name: " ".into(),
            ..clerk()
        };
        assert_eq!(
            codes(&nobody.problems()),
            ["field_required", "role_required"]
        );
        let applicant = StaffProfile {
            roles: vec![Role::Applicant],
            ..clerk()
        };
        assert_eq!(codes(&applicant.problems()), ["applicant_role"]);
    }

    #[test]
    fn an_admin_keeps_their_own_admin_role() {
        let admin = StaffProfile {
            roles: vec![Role::CentreAdmin],
            window: None,
            ..clerk()
        };
        assert!(admin.problems_for_self().is_empty());
        assert_eq!(codes(&clerk().problems_for_self()), ["own_admin_role"]);
    }

    #[test]
    fn departments_need_a_code_names_and_a_phone() {
        let rsj = DepartmentSpec {
            code: "RSJ".into(),
            name: "金平区人力资源和社会保障局".into(),
            short_name: "区人社局".into(),
            section: "行政审批科".into(),
            phone: "0754-88639103".into(),
            theme: Some(Theme::SocialLivelihood),
            via_comprehensive_service: false,
            document_pattern: Some("金人社许〔{year}〕{seq}号".into()),
        };
        assert!(rsj.problems().is_empty());
        let bad = DepartmentSpec {
            code: "rsj".into(),
            short_name: String::new(),
            phone: "call us".into(),
            document_pattern: Some("金人社许第{n}号".into()),
            ..rsj
        };
        assert_eq!(
            bad.problems().iter().map(|e| e.field()).collect::<Vec<_>>(),
            ["code", "short_name", "phone", "document_pattern"]
        );
    }

    #[test]
    fn usernames_and_passwords() {
        assert!(check_username("clerk.a01.2").is_ok());
        assert!(check_username("Clerk").is_err());
        assert!(check_username("ab").is_err());
        assert!(check_username("张三丰").is_err());
        assert!(check_password("Abc@1234", "x").is_ok());
        // Counted in characters, not bytes.
        assert_eq!(
            check_password("一窗通办@A1", "x"),
            Err(OrganisationError::PasswordTooShort)
        );
    }

    fn any_role() -> impl Strategy<Value = Role> {
        prop::sample::select(vec![
            Role::Applicant,
            Role::Clerk,
            Role::Approver,
            Role::ChiefRepresentative,
            Role::Supervisor,
            Role::CentreAdmin,
            Role::Leader,
        ])
    }

    proptest! {
        /// A profile is accepted exactly when it has staff roles only, and every role that needs a
        /// department or a window has one.
        #[test]
        fn a_profile_is_valid_exactly_when_its_roles_are_served(
            roles in prop::collection::vec(any_role(), 0..4),
            department in prop::option::of("[A-Z]{3}"),
            window in prop::option::of("[A-Z][0-9]{2}"),
        ) {
            let profile = StaffProfile { roles: roles.clone(), department: department.clone(), window: window.clone(), ..clerk() };
            let expected = !roles.is_empty()
                && !roles.contains(&Role::Applicant)
                && roles.iter().all(|r| (!r.needs_department() || department.is_some()) && (!r.needs_window() || window.is_some()));
            prop_assert_eq!(profile.problems().is_empty(), expected);
        }

        /// Whatever the kind, a window is accepted exactly when it has a theme iff it is a theme
        /// window and a department iff it is a department window.
        #[test]
        fn a_window_is_valid_exactly_when_kind_theme_and_department_agree(
            kind in prop::sample::select(vec![WindowKind::Theme, WindowKind::Department, WindowKind::ComprehensiveService, WindowKind::GreenChannel]),
            theme in prop::option::of(Just(Theme::Registration)),
            department in prop::option::of(Just("GSJ")),
        ) {
            let w = window(kind, theme, department);
            let expected = (kind == WindowKind::Theme) == theme.is_some()
                && (kind == WindowKind::Department) == department.is_some();
            prop_assert_eq!(w.problems().is_empty(), expected);
        }
    }
}
