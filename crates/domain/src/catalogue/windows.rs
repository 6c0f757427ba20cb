//! Which windows may accept an item (窗口受理范围). A theme window (综合窗口) accepts the items of
//! its theme; a department's own window that department's items; the comprehensive-service window
//! (综合服务窗口) the items of the low-volume departments it receives for; the enterprise green
//! channel the items enterprises apply for. A station's windows (便民服务中心, 社区服务站) take only
//! items handled beyond the centre (同区通办), and there the comprehensive-service window takes
//! every such item, since a station has no theme or department windows of its own.

use super::{ApplicantKind, HandlingScope, ItemDefinition};
use crate::organisation::{SiteKind, Theme, WindowKind};

/// What the rule needs to know of a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowProfile {
    pub kind: WindowKind,
    /// The theme of a theme window.
    pub theme: Option<Theme>,
    /// The department of a department window.
    pub department: Option<String>,
    /// The kind of site whose hall the window stands in.
    pub site: SiteKind,
}

/// What the rule needs to know of an item: its definition, and whether its department is one
/// the comprehensive-service window receives for (`via_comprehensive_service`).
#[derive(Debug, Clone, Copy)]
pub struct ItemProfile<'a> {
    pub definition: &'a ItemDefinition,
    pub via_comprehensive_service: bool,
}

/// Why a window may not accept an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WindowRefusal {
    #[error("the item is handled only at the centre, not at a station")]
    CentreOnlyAtStation,
    #[error("a theme window accepts only the items of its theme")]
    OtherTheme,
    #[error("a department's window accepts only that department's items")]
    OtherDepartment,
    #[error(
        "the comprehensive-service window accepts only the items of the departments it receives for"
    )]
    NotViaComprehensiveService,
    #[error("the green channel accepts only items enterprises apply for")]
    NotForEnterprises,
}

impl WindowRefusal {
    /// Stable snake_case code for API responses.
    pub fn code(self) -> &'static str {
        match self {
            WindowRefusal::CentreOnlyAtStation => "item_centre_only",
            WindowRefusal::OtherTheme => "window_of_other_theme",
            WindowRefusal::OtherDepartment => "window_of_other_department",
            WindowRefusal::NotViaComprehensiveService => "department_not_via_comprehensive_service",
            WindowRefusal::NotForEnterprises => "item_not_for_enterprises",
        }
    }

    /// Message for the centre's administrator, in Chinese.
    pub fn message_zh(self) -> &'static str {
        match self {
            WindowRefusal::CentreOnlyAtStation => "该事项只在中心办理，便民服务站点的窗口不能受理",
            WindowRefusal::OtherTheme => "综合窗口只受理本主题的事项",
            WindowRefusal::OtherDepartment => "部门窗口只受理本部门的事项",
            WindowRefusal::NotViaComprehensiveService => {
                "综合服务窗口只受理由其代为收件的部门的事项"
            }
            WindowRefusal::NotForEnterprises => "企业绿色通道只受理企业可申请的事项",
        }
    }
}

/// Whether `window` may accept `item`, or why not.
pub fn may_accept(window: &WindowProfile, item: ItemProfile<'_>) -> Result<(), WindowRefusal> {
    let def = item.definition;
    let at_station = window.site == SiteKind::Station;
    if at_station && def.scope == HandlingScope::CentreOnly {
        return Err(WindowRefusal::CentreOnlyAtStation);
    }
    let ok = match window.kind {
        WindowKind::Theme => window.theme.is_some() && window.theme == def.theme,
        WindowKind::Department => window.department.as_deref() == Some(def.department.as_str()),
        WindowKind::ComprehensiveService => at_station || item.via_comprehensive_service,
        WindowKind::GreenChannel => def.applicant_kind != ApplicantKind::Person,
    };
    if ok {
        Ok(())
    } else {
        Err(match window.kind {
            WindowKind::Theme => WindowRefusal::OtherTheme,
            WindowKind::Department => WindowRefusal::OtherDepartment,
            WindowKind::ComprehensiveService => WindowRefusal::NotViaComprehensiveService,
            WindowKind::GreenChannel => WindowRefusal::NotForEnterprises,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::WorkflowShape;
    use super::super::fixtures::item;
    use super::*;
    use proptest::prelude::*;

    const THEMES: [Theme; 4] = [
        Theme::SocialLivelihood,
        Theme::Registration,
        Theme::BusinessLicensing,
        Theme::InvestmentConstruction,
    ];

    fn window(kind: WindowKind, site: SiteKind) -> WindowProfile {
        WindowProfile {
            kind,
            theme: None,
            department: None,
            site,
        }
    }

    fn theme_window(theme: Theme) -> WindowProfile {
        WindowProfile {
            theme: Some(theme),
            ..window(WindowKind::Theme, SiteKind::Centre)
        }
    }

    fn profile(def: &ItemDefinition, via: bool) -> ItemProfile<'_> {
        ItemProfile {
            definition: def,
            via_comprehensive_service: via,
        }
    }

    #[test]
    fn a_theme_window_accepts_its_theme_only() {
        let mut def = item(WorkflowShape::TwoStep);
        def.theme = Some(Theme::BusinessLicensing);
        let w = theme_window(Theme::BusinessLicensing);
        assert_eq!(may_accept(&w, profile(&def, false)), Ok(()));
        let other = theme_window(Theme::Registration);
        assert_eq!(
            may_accept(&other, profile(&def, false)),
            Err(WindowRefusal::OtherTheme)
        );
        def.theme = None;
        assert_eq!(
            may_accept(&w, profile(&def, false)),
            Err(WindowRefusal::OtherTheme)
        );
    }

    #[test]
    fn a_department_window_accepts_its_department_only() {
        let def = item(WorkflowShape::TwoStep); // department SCJ
        let mut w = window(WindowKind::Department, SiteKind::SubCentre);
        w.department = Some("SCJ".into());
        assert_eq!(may_accept(&w, profile(&def, false)), Ok(()));
        w.department = Some("GSJ".into());
        assert_eq!(
            may_accept(&w, profile(&def, false)),
            Err(WindowRefusal::OtherDepartment)
        );
    }

    #[test]
    fn the_comprehensive_service_window_takes_the_departments_it_receives_for() {
        let def = item(WorkflowShape::TwoStep);
        let w = window(WindowKind::ComprehensiveService, SiteKind::Centre);
        assert_eq!(may_accept(&w, profile(&def, true)), Ok(()));
        assert_eq!(
            may_accept(&w, profile(&def, false)),
            Err(WindowRefusal::NotViaComprehensiveService)
        );
    }

    #[test]
    fn a_station_takes_every_item_handled_beyond_the_centre_and_nothing_else() {
        let mut def = item(WorkflowShape::TwoStep);
        let w = window(WindowKind::ComprehensiveService, SiteKind::Station);
        def.scope = HandlingScope::DistrictWide;
        assert_eq!(may_accept(&w, profile(&def, false)), Ok(()));
        def.scope = HandlingScope::CentreOnly;
        assert_eq!(
            may_accept(&w, profile(&def, true)),
            Err(WindowRefusal::CentreOnlyAtStation)
        );
    }

    #[test]
    fn the_green_channel_takes_what_enterprises_apply_for() {
        let mut def = item(WorkflowShape::TwoStep);
        let w = window(WindowKind::GreenChannel, SiteKind::Centre);
        for (kind, ok) in [
            (ApplicantKind::Enterprise, true),
            (ApplicantKind::Both, true),
            (ApplicantKind::Person, false),
        ] {
            def.applicant_kind = kind;
            let want = if ok {
                Ok(())
            } else {
                Err(WindowRefusal::NotForEnterprises)
            };
            assert_eq!(may_accept(&w, profile(&def, false)), want, "{kind:?}");
        }
    }

    fn any_theme() -> impl Strategy<Value = Option<Theme>> {
        prop::option::of(prop::sample::select(THEMES.to_vec()))
    }

    fn any_window() -> impl Strategy<Value = WindowProfile> {
        (
            prop::sample::select(vec![
                WindowKind::Theme,
                WindowKind::Department,
                WindowKind::ComprehensiveService,
                WindowKind::GreenChannel,
            ]),
            any_theme(),
            prop::option::of(prop::sample::select(vec!["SCJ", "GSJ", "RSJ"])),
            prop::sample::select(vec![
                SiteKind::Centre,
                SiteKind::SubCentre,
                SiteKind::Station,
            ]),
        )
            .prop_map(|(kind, theme, department, site)| WindowProfile {
                kind,
                theme,
                department: department.map(str::to_owned),
                site,
            })
    }

    fn any_item() -> impl Strategy<Value = (ItemDefinition, bool)> {
        (
            any_theme(),
            prop::sample::select(vec!["SCJ", "GSJ", "RSJ"]),
            prop::sample::select(vec![
                ApplicantKind::Person,
                ApplicantKind::Enterprise,
                ApplicantKind::Both,
            ]),
            prop::sample::select(vec![
                HandlingScope::CentreOnly,
                HandlingScope::DistrictWide,
                HandlingScope::CityWide,
            ]),
            any::<bool>(),
        )
            .prop_map(|(theme, department, applicant_kind, scope, via)| {
                let mut def = item(WorkflowShape::TwoStep);
                def.theme = theme;
                def.department = department.to_owned();
                def.applicant_kind = applicant_kind;
                def.scope = scope;
                (def, via)
            })
    }

    proptest! {
        #[test]
        fn no_station_window_accepts_a_centre_only_item(mut w in any_window(), (def, via) in any_item()) {
            w.site = SiteKind::Station;
            if def.scope == HandlingScope::CentreOnly {
                prop_assert_eq!(may_accept(&w, profile(&def, via)), Err(WindowRefusal::CentreOnlyAtStation));
            }
        }

        #[test]
        fn a_window_accepts_no_item_of_another_theme_or_department(w in any_window(), (def, via) in any_item()) {
            if may_accept(&w, profile(&def, via)).is_ok() {
                if w.kind == WindowKind::Theme {
                    prop_assert_eq!(w.theme, def.theme);
                }
                if w.kind == WindowKind::Department {
                    prop_assert_eq!(w.department.as_deref(), Some(def.department.as_str()));
                }
            }
        }

        #[test]
        fn an_item_of_a_theme_always_has_its_theme_window_at_the_centre((mut def, via) in any_item(), theme in prop::sample::select(THEMES.to_vec())) {
            def.theme = Some(theme);
            prop_assert_eq!(may_accept(&theme_window(theme), profile(&def, via)), Ok(()));
        }

        #[test]
        fn a_station_accepts_what_it_would_at_the_centre_or_more(w in any_window(), (def, via) in any_item()) {
            // A station only adds the rule about centre-only items; otherwise it is never stricter.
            let centre = WindowProfile { site: SiteKind::Centre, ..w.clone() };
            let station = WindowProfile { site: SiteKind::Station, ..w };
            if def.scope != HandlingScope::CentreOnly && may_accept(&centre, profile(&def, via)).is_ok() {
                prop_assert_eq!(may_accept(&station, profile(&def, via)), Ok(()));
            }
        }
    }
}
