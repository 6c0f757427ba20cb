//! Organisation (C1): regions, the centre and its halls, windows, departments, staff roles and delegation.

use serde::{Deserialize, Serialize};

use crate::identity::RegionCode;

mod document_number;
mod rules;
pub use document_number::DocumentPattern;
pub use rules::{
    DepartmentSpec, MIN_PASSWORD_CHARS, OrganisationError, PASSWORD_HISTORY, StaffProfile,
    WindowSpec, check_password, check_username,
};

/// Administrative level of a region (GB/T 2260 for districts; street and community codes extend it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    District,
    Street,
    Community,
}

/// The four themes of comprehensive windows (seed 002).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// 社会民生类
    SocialLivelihood,
    /// 注册登记类
    Registration,
    /// 经营许可类
    BusinessLicensing,
    /// 投资建设类
    InvestmentConstruction,
}

impl Theme {
    /// The word the API and the database use.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::SocialLivelihood => "social_livelihood",
            Theme::Registration => "registration",
            Theme::BusinessLicensing => "business_licensing",
            Theme::InvestmentConstruction => "investment_construction",
        }
    }
}

/// Kinds of window (窗口).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WindowKind {
    /// 综合窗口 of a theme: accepts any item of its theme.
    Theme,
    /// A department's own window.
    Department,
    /// 综合服务窗口: receives for low-volume departments.
    ComprehensiveService,
    /// 企业绿色通道.
    GreenChannel,
}

impl WindowKind {
    /// The word the API and the database use.
    pub fn as_str(self) -> &'static str {
        match self {
            WindowKind::Theme => "theme",
            WindowKind::Department => "department",
            WindowKind::ComprehensiveService => "comprehensive_service",
            WindowKind::GreenChannel => "green_channel",
        }
    }
}

/// Kinds of service site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    Centre,
    SubCentre,
    Station,
}

/// Roles a person can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Applicant,
    Clerk,
    Approver,
    ChiefRepresentative,
    Supervisor,
    CentreAdmin,
    Leader,
}

impl Role {
    pub const STAFF: [Role; 6] = [
        Role::Clerk,
        Role::Approver,
        Role::ChiefRepresentative,
        Role::Supervisor,
        Role::CentreAdmin,
        Role::Leader,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Clerk => "clerk",
            Role::Approver => "approver",
            Role::ChiefRepresentative => "chief_representative",
            Role::Supervisor => "supervisor",
            Role::CentreAdmin => "centre_admin",
            Role::Leader => "leader",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::Applicant]
            .into_iter()
            .chain(Role::STAFF)
            .find(|r| r.as_str() == s)
    }
}

/// A centre administers its own region: the calendar of any region within it, and the items
/// whose implementation code begins with the code of a region within it (`440511-RSJ-001`).
/// Anything of another district is refused to its administrators, whatever their role.
pub fn administers_region(centre: &RegionCode, region: &RegionCode) -> bool {
    centre.contains(region)
}

/// See [`administers_region`]; a code that does not begin with a region code is no one's.
pub fn administers_item(centre: &RegionCode, implementation_code: &str) -> bool {
    implementation_code
        .split_once('-')
        .and_then(|(head, _)| RegionCode::parse(head).ok())
        .is_some_and(|region| administers_region(centre, &region))
}

/// Delegation figures of one department (seed 000: 授权率 46%→78%, 83% decided at the window).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DelegationRate {
    pub items_in_hall: u32,
    pub items_delegated: u32,
    pub decided_at_window: u64,
    pub decided_total: u64,
}

impl DelegationRate {
    /// Items delegated / items in the hall, 0 when the department has none.
    pub fn authorization_rate(&self) -> f64 {
        ratio(self.items_delegated as u64, self.items_in_hall as u64)
    }
    /// Decisions taken at the window / all decisions.
    pub fn decided_at_window_share(&self) -> f64 {
        ratio(self.decided_at_window, self.decided_total)
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::{Theme, administers_item, administers_region};
    use crate::identity::RegionCode;

    fn region(code: &str) -> RegionCode {
        RegionCode::parse(code).unwrap()
    }

    #[test]
    fn a_centre_administers_its_own_district_only() {
        let centre = region("440511");
        assert!(administers_region(&centre, &region("440511")));
        assert!(administers_region(&centre, &region("440511001")));
        assert!(!administers_region(&centre, &region("440512")));
        assert!(administers_item(&centre, "440511-RSJ-001"));
        assert!(!administers_item(&centre, "440512-RSJ-001"));
        assert!(!administers_item(&centre, "4405110-RSJ-001"));
        assert!(!administers_item(&centre, "RSJ-001"));
        assert!(!administers_item(&centre, ""));
    }

    #[test]
    fn theme_words_are_the_serialized_words() {
        for t in [
            Theme::SocialLivelihood,
            Theme::Registration,
            Theme::BusinessLicensing,
            Theme::InvestmentConstruction,
        ] {
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
        }
    }

    #[test]
    fn window_kind_words_are_the_serialized_words() {
        use super::WindowKind;
        for k in [
            WindowKind::Theme,
            WindowKind::Department,
            WindowKind::ComprehensiveService,
            WindowKind::GreenChannel,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }
}
