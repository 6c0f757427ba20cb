//! What someone asks to do with a case: the commands [`super::apply`] takes.

use serde::{Deserialize, Serialize};

use super::assignment::Assignee;
use super::materials::UploadedFile;
use super::state::{
    Decision, IssueMethod, Recommendation, ReturnTarget, SpecialProcedure, SupplementItem,
    WaiveRequest,
};

/// What someone asks to do with a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Send a draft (online), or register an application at the window. Online, every required
    /// material must have a file, or be one the item allows on promise (容缺) that the applicant
    /// asks to bring later (`waive`); the window checks paper at acceptance.
    Submit {
        #[serde(default)]
        waive: Vec<String>,
    },
    /// 受理: the materials the clerk checked as received (uploaded or handed in on paper),
    /// and those waived on promise (容缺) with the date each is due. Every required material
    /// must be uploaded, received or waived.
    Accept {
        waived: Vec<WaiveRequest>,
        received: Vec<String>,
    },
    /// 不予受理: why, on what legal basis, and where the applicant should go instead.
    Refuse {
        reason: String,
        legal_basis: String,
        redirect: String,
    },
    /// 一次性告知: every missing or faulty material at once; a second notice needs a reason.
    RequestSupplement {
        items: Vec<SupplementItem>,
        repeat_reason: Option<String>,
    },
    ProvideSupplement {
        note: String,
    },
    /// Finish a review or verify step with the reviewer's opinion and what they recommend the
    /// decision be (to grant unless said otherwise).
    CompleteStep {
        comment: String,
        #[serde(default)]
        recommendation: Recommendation,
    },
    /// 退回: whoever holds the current step sends the case back to the step before or to the
    /// window, always saying why.
    Return {
        to: ReturnTarget,
        reason: String,
    },
    /// The deciding step: approve or deny, always with the decider's written opinion (the
    /// decision document states its reasons either way).
    Decide {
        decision: Decision,
        comment: String,
    },
    /// Stops the clock for a procedure the law does not count (听证, 检验, 专家评审…), for the
    /// working days it needs, which the applicant is told in writing.
    StartSpecialProcedure {
        procedure: SpecialProcedure,
        reason: String,
        days: u32,
    },
    EndSpecialProcedure {
        outcome: String,
    },
    ProvideWaivedMaterial {
        material: String,
    },
    Withdraw {
        reason: String,
    },
    /// 出件 at the exit window to the person collecting it (the applicant, or someone with
    /// their written entrustment), or 送达 by post to an address with a tracking number.
    Issue {
        method: IssueMethod,
        /// The applicant whose ID number the collector showed, if any: looked up by the server
        /// from `method`, never read from a request.
        #[serde(skip)]
        collector_applicant: Option<String>,
    },
    /// The applicant confirmed receipt, or the clerk closes the file.
    Close {},
    /// A file for one of the item's materials. Never sent to the actions endpoint: the file's
    /// facts come from its bytes, through the materials route (docs/adr/0008).
    #[serde(skip)]
    UploadMaterial {
        material: String,
        file: UploadedFile,
    },
    /// 指派: the chief representative gives the current step to one member of its department
    /// who may perform it; assigning again reassigns (see [`super::assignment`]).
    Assign {
        /// Staff id of the assignee.
        assignee: String,
        /// The assignee as the staff directory describes them: looked up by the server from
        /// `assignee`, never read from a request.
        #[serde(skip)]
        found: Option<Assignee>,
    },
}

impl Command {
    pub fn action(&self) -> &'static str {
        match self {
            Command::Submit { .. } => "submit",
            Command::Accept { .. } => "accept",
            Command::Refuse { .. } => "refuse",
            Command::RequestSupplement { .. } => "request_supplement",
            Command::ProvideSupplement { .. } => "provide_supplement",
            Command::CompleteStep { .. } => "complete_step",
            Command::Return { .. } => "return",
            Command::Decide { .. } => "decide",
            Command::StartSpecialProcedure { .. } => "start_special_procedure",
            Command::EndSpecialProcedure { .. } => "end_special_procedure",
            Command::ProvideWaivedMaterial { .. } => "provide_waived_material",
            Command::Withdraw { .. } => "withdraw",
            Command::Issue { .. } => "issue",
            Command::Close {} => "close",
            Command::UploadMaterial { .. } => "upload_material",
            Command::Assign { .. } => "assign",
        }
    }
}
