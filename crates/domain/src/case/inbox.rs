//! Inboxes: whose cases a list shows, which statuses each one can hold, and what a list is
//! filtered by. The store only translates these into SQL; the server picks the inbox from the
//! caller's roles with [`staff_inbox`].

use chrono::NaiveDate;

use super::state::{Case, CaseStatus, StepProgress};
use crate::catalogue::StepRole;
use crate::organisation::Role;

/// Whose cases a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboxScope {
    /// Steps waiting in a department's back office, by step deadline.
    Department(String),
    /// A hall's cases: those it accepted or refused, and the submitted applications its window
    /// may accept (the window's waiting cases).
    Hall { hall: String, window: String },
    /// An applicant's own cases, drafts included: a draft is seen by its applicant alone.
    Applicant(String),
    /// Every case but drafts, for supervisors, leaders and admins.
    Centre,
}

/// The inbox a member of staff reads, before a window is placed in its hall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffInbox {
    Centre,
    Department(String),
    Window(String),
}

/// Supervisors, leaders and admins read the whole centre; approvers and chief representatives
/// their department's back office; clerks their window's hall. None: staff with no inbox.
pub fn staff_inbox(
    roles: &[Role],
    department: Option<&str>,
    window: Option<&str>,
) -> Option<StaffInbox> {
    let has = |wanted: &[Role]| roles.iter().any(|r| wanted.contains(r));
    if has(&[Role::Supervisor, Role::Leader, Role::CentreAdmin]) {
        return Some(StaffInbox::Centre);
    }
    match (department, window) {
        (Some(d), _) if has(&[Role::Approver, Role::ChiefRepresentative]) => {
            Some(StaffInbox::Department(d.to_owned()))
        }
        (_, Some(w)) => Some(StaffInbox::Window(w.to_owned())),
        _ => None,
    }
}

/// A desk of the workbench: a list of the caller's inbox narrowed to the statuses it works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Desk {
    /// Everything the inbox holds (the approval inbox of a back office, the centre's list).
    #[default]
    Inbox,
    /// 受理: applications waiting at the window, and those waiting for a supplement.
    Acceptance,
    /// 出件: decided cases to hand out, and those handed out.
    Issue,
}

impl Desk {
    /// The desk's statuses that `scope` can hold, in the order a case moves through them.
    pub fn statuses(self, scope: &InboxScope) -> Vec<CaseStatus> {
        let on_desk = |s: &CaseStatus| match self {
            Desk::Inbox => true,
            Desk::Acceptance => {
                matches!(s, CaseStatus::Submitted | CaseStatus::AwaitingSupplement)
            }
            Desk::Issue => matches!(
                s,
                CaseStatus::Approved | CaseStatus::Denied | CaseStatus::Issued
            ),
        };
        scope.statuses().into_iter().filter(on_desk).collect()
    }
}

/// The statuses in which the back office holds a case: only these have a current department.
pub const BACK_OFFICE: [CaseStatus; 3] = [
    CaseStatus::InProgress,
    CaseStatus::Suspended,
    CaseStatus::AwaitingSupplement,
];

/// The current step while the back office holds the case (accepted, not yet decided). An
/// immediate case's decision on the spot is the window's, so no department lists it.
pub fn back_office_step(case: &Case) -> Option<&StepProgress> {
    let in_back_office = BACK_OFFICE.contains(&case.status) && case.accepted_on.is_some();
    case.current()
        .filter(|s| in_back_office && s.role != StepRole::Clerk)
}

/// Whose the current step is, for the back office's "mine" and "not yet assigned".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssigneeFilter {
    /// Assigned to this member of staff.
    Staff(String),
    /// Assigned to nobody yet.
    Nobody,
}

/// Filters on a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    /// Only the cases showing these lights: rules any of which holds them (see
    /// [`crate::supervision::lit`]); `None` for every case.
    pub lit: Option<Vec<crate::supervision::DueRule>>,
    pub department: Option<String>,
    pub window: Option<String>,
    pub item: Option<String>,
    pub submitted_from: Option<NaiveDate>,
    pub submitted_to: Option<NaiveDate>,
    /// Only cases still open (a light means something only for those).
    pub open_only: bool,
    pub assignee: Option<AssigneeFilter>,
    /// Only the case of this number.
    pub number: Option<String>,
    /// Only cases of these applicants (ids): whom a search found; empty finds nothing.
    pub applicants: Option<Vec<String>>,
}

/// One part of an inbox page: read in deadline order on its own and merged with the others, so
/// that each part can be read from an index that gives that order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagePart {
    /// The scope's own cases in one status (`None`: in any status the filter allows).
    Held(Option<CaseStatus>),
    /// A hall window's waiting cases: submitted, of an item the window accepts.
    Waiting { window: String },
}

impl InboxScope {
    /// Whether the inbox lists by the current step's deadline rather than the case's.
    pub fn by_step_deadline(&self) -> bool {
        matches!(self, InboxScope::Department(_))
    }

    /// Whether a case in `status` can be among the scope's own cases. A hall's submitted cases
    /// are its waiting ones, never its own: a case enters a hall when it is accepted or refused.
    pub fn holds(&self, status: CaseStatus) -> bool {
        match self {
            InboxScope::Department(_) => BACK_OFFICE.contains(&status),
            InboxScope::Hall { .. } => !matches!(status, CaseStatus::Draft | CaseStatus::Submitted),
            InboxScope::Applicant(_) => true,
            InboxScope::Centre => status != CaseStatus::Draft,
        }
    }

    /// Every status the inbox can list, in the order a case moves through them: its tabs.
    pub fn statuses(&self) -> Vec<CaseStatus> {
        CaseStatus::ALL
            .into_iter()
            .filter(|s| self.holds(*s) || (*s == CaseStatus::Submitted && self.waits()))
            .collect()
    }

    fn waits(&self) -> bool {
        matches!(self, InboxScope::Hall { .. })
    }

    /// The parts a page of this inbox is read in. Without a status, the scope's own cases are
    /// read one status at a time (the inbox indexes begin with the scope and the status, ADR
    /// 0020), except an applicant's few cases and an item's page, which its own index serves.
    pub fn page_parts(&self, filter: &CaseFilter) -> Vec<PagePart> {
        let split = filter.status.is_none()
            && match self {
                InboxScope::Department(_) => true,
                InboxScope::Hall { .. } | InboxScope::Centre => filter.item.is_none(),
                InboxScope::Applicant(_) => false,
            };
        let mut parts: Vec<PagePart> = if split {
            CaseStatus::ALL
                .into_iter()
                .filter(|s| !filter.open_only || s.is_open())
                .filter(|s| self.holds(*s))
                .map(|s| PagePart::Held(Some(s)))
                .collect()
        } else {
            vec![PagePart::Held(filter.status)]
        };
        if let InboxScope::Hall { window, .. } = self
            && filter.status.is_none_or(|s| s == CaseStatus::Submitted)
        {
            parts.push(PagePart::Waiting {
                window: window.clone(),
            });
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn scopes() -> [InboxScope; 4] {
        [
            InboxScope::Department("RSJ".into()),
            InboxScope::Hall {
                hall: "H1".into(),
                window: "A01".into(),
            },
            InboxScope::Applicant("P1".into()),
            InboxScope::Centre,
        ]
    }

    fn status() -> impl Strategy<Value = Option<CaseStatus>> {
        proptest::option::of(proptest::sample::select(CaseStatus::ALL.to_vec()))
    }

    #[test]
    fn each_staff_member_reads_one_inbox_by_role() {
        let inbox = |roles: &[Role], d: Option<&str>, w: Option<&str>| staff_inbox(roles, d, w);
        assert_eq!(
            inbox(&[Role::Supervisor], Some("RSJ"), Some("A01")),
            Some(StaffInbox::Centre)
        );
        assert_eq!(
            inbox(&[Role::ChiefRepresentative], Some("RSJ"), Some("A01")),
            Some(StaffInbox::Department("RSJ".into()))
        );
        assert_eq!(
            inbox(&[Role::Clerk], Some("RSJ"), Some("A01")),
            Some(StaffInbox::Window("A01".into()))
        );
        assert_eq!(inbox(&[Role::Approver], None, None), None);
        assert_eq!(inbox(&[Role::Clerk], None, None), None);
    }

    #[test]
    fn a_desk_shows_its_statuses_that_the_inbox_can_hold() {
        use CaseStatus::*;
        let [department, hall, _, centre] = scopes();
        assert_eq!(
            Desk::Acceptance.statuses(&hall),
            [Submitted, AwaitingSupplement]
        );
        assert_eq!(Desk::Issue.statuses(&hall), [Approved, Denied, Issued]);
        assert_eq!(Desk::Issue.statuses(&department), []);
        assert_eq!(Desk::Inbox.statuses(&centre), centre.statuses());
    }

    #[test]
    fn the_tabs_are_what_each_inbox_can_hold() {
        use CaseStatus::*;
        let [department, hall, applicant, centre] = scopes();
        assert_eq!(
            department.statuses(),
            [AwaitingSupplement, InProgress, Suspended]
        );
        assert!(!hall.statuses().contains(&Draft));
        assert!(hall.statuses().contains(&Submitted));
        assert_eq!(applicant.statuses(), CaseStatus::ALL);
        assert!(!centre.statuses().contains(&Draft));
        assert_eq!(centre.statuses().len(), CaseStatus::ALL.len() - 1);
    }

    proptest! {
        /// A page reads each status the inbox can hold at most once, never one it cannot hold,
        /// and a hall's waiting cases exactly when the page could show a submitted case.
        #[test]
        fn a_page_reads_what_its_inbox_holds_once(status in status(), item: bool, open_only: bool) {
            for scope in scopes() {
                let filter = CaseFilter {
                    status,
                    item: item.then(|| "440511-RSJ-001".to_owned()),
                    open_only,
                    ..CaseFilter::default()
                };
                let parts = scope.page_parts(&filter);
                let held: Vec<Option<CaseStatus>> = parts
                    .iter()
                    .filter_map(|p| match p {
                        PagePart::Held(s) => Some(*s),
                        PagePart::Waiting { .. } => None,
                    })
                    .collect();
                let mut distinct = held.clone();
                distinct.dedup();
                prop_assert_eq!(&distinct, &held);
                for s in held.iter().flatten() {
                    prop_assert!(scope.holds(*s) || Some(*s) == status, "{scope:?} reads {s:?}");
                    prop_assert!(!open_only || s.is_open() || Some(*s) == status);
                }
                if held.len() > 1 {
                    prop_assert!(status.is_none());
                }
                let waits = parts.iter().any(|p| matches!(p, PagePart::Waiting { .. }));
                let could_wait = matches!(scope, InboxScope::Hall { .. })
                    && status.is_none_or(|s| s == CaseStatus::Submitted);
                prop_assert_eq!(waits, could_wait);
            }
        }
    }
}
