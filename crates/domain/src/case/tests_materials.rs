//! Material uploads: who may upload which material in which state, and what a refused upload says.

use proptest::prelude::*;

use super::tests::{Walk, accept_all, any_actor, applicant, clerk, d, staff};
use super::*;
use crate::case::materials::{MAX_CASE_FILE_BYTES, MAX_CASE_FILES};
use crate::catalogue::WorkflowShape;
use crate::organisation::Role;

const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";

fn upload(material: &str, name: &str, bytes: &[u8]) -> Command {
    Command::UploadMaterial {
        material: material.into(),
        file: UploadedFile::inspect(name, bytes),
    }
}

fn pdf(material: &str) -> Command {
    upload(material, "scan.pdf", PDF)
}

fn offered(w: &Walk, actor: &Actor) -> Vec<String> {
    let now = Now {
        today: w.today,
        calendar: &w.cal,
    };
    uploadable_materials(&w.case, &w.item, actor, now)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

fn supplement(material: &str) -> Command {
    Command::RequestSupplement {
        items: vec![SupplementItem {
            material: material.into(),
            problem: MaterialProblem::Faulty,
            note: "看不清".into(),
        }],
        repeat_reason: None,
    }
}

#[test]
fn the_owner_fills_in_a_draft_and_the_case_records_each_file() {
    let mut w = Walk::empty(WorkflowShape::TwoStep, d(2026, 3, 2));
    let owner = applicant("app-1");
    let before = w.case.clone();
    let now = Now {
        today: w.today,
        calendar: &w.cal,
    };
    let out = apply(&w.case, &w.item, &owner, &pdf("M01"), now).expect("owner uploads");
    let mut noted = before.clone();
    noted.provided = vec!["M01".into()];
    noted.files = 1;
    noted.file_bytes = PDF.len() as u64;
    assert_eq!(
        out.case, noted,
        "the case notes the material provided, and counts the file"
    );
    assert_eq!(out.entries.len(), 1);
    let e = &out.entries[0];
    assert!(e.public);
    let Event::MaterialUploaded(uploaded) = &e.event else {
        panic!("expected material_uploaded, got {:?}", e.event);
    };
    assert_eq!(uploaded.material, "M01");
    assert_eq!(uploaded.media_type, "application/pdf");
    assert_eq!(uploaded.size, PDF.len() as u64);
    assert_eq!(uploaded.digest, digest(PDF));
    assert_eq!(offered(&w, &owner), ["M01", "M02"]);
    // Nobody else touches a draft, not even the hall's clerk.
    for stranger in [applicant("other"), clerk("H1", true, true)] {
        assert_eq!(
            w.run(&stranger, pdf("M01")),
            Err(TransitionError::Forbidden("upload_material"))
        );
        assert!(offered(&w, &stranger).is_empty());
    }
}

#[test]
fn a_case_holds_sixty_files_of_a_hundred_mib_together() {
    let owner = applicant("app-1");
    let mut w = Walk::new(WorkflowShape::TwoStep, d(2026, 3, 2));
    for _ in 0..MAX_CASE_FILES {
        w.ok(&owner, pdf("M01"));
    }
    assert_eq!(w.case.files, MAX_CASE_FILES);
    assert_eq!(
        w.run(&owner, pdf("M02")),
        Err(TransitionError::CaseFilesFull)
    );
    let mut w = Walk::new(WorkflowShape::TwoStep, d(2026, 3, 2));
    let mut big = pdf("M01");
    if let Command::UploadMaterial { file, .. } = &mut big {
        file.size = MAX_FILE_BYTES;
    }
    for _ in 0..MAX_CASE_FILE_BYTES / MAX_FILE_BYTES {
        w.ok(&owner, big.clone());
    }
    assert_eq!(
        w.run(&owner, pdf("M02")),
        Err(TransitionError::CaseFilesFull)
    );
    assert_eq!(TransitionError::CaseFilesFull.field(), Some("file"));
}

#[test]
fn a_refused_file_names_its_fault() {
    let mut w = Walk::new(WorkflowShape::TwoStep, d(2026, 3, 2));
    let owner = applicant("app-1");
    assert_eq!(
        w.run(
            &owner,
            upload("M01", "身份证.pdf", b"MZ\x90\0 renamed executable")
        ),
        Err(TransitionError::UnsupportedFileType)
    );
    assert_eq!(
        w.run(&owner, pdf("M99")),
        Err(TransitionError::UnknownMaterial("M99".into()))
    );
    assert_eq!(
        w.run(&owner, upload("M01", "a.pdf", b"")),
        Err(TransitionError::UnsupportedFileType),
        "an empty file has no signature"
    );
    let mut big = Command::UploadMaterial {
        material: "M01".into(),
        file: UploadedFile::inspect("big.pdf", PDF),
    };
    if let Command::UploadMaterial { file, .. } = &mut big {
        file.size = MAX_FILE_BYTES + 1;
    }
    assert_eq!(
        w.run(&owner, big.clone()),
        Err(TransitionError::FileTooLarge)
    );
    if let Command::UploadMaterial { file, .. } = &mut big {
        file.size = MAX_FILE_BYTES;
    }
    w.ok(&owner, big);
    assert_eq!(
        w.run(&owner, upload("M01", "/", PDF)),
        Err(TransitionError::Required("file_name"))
    );
    assert_eq!(
        TransitionError::UnsupportedFileType.code(),
        "unsupported_file_type"
    );
    assert_eq!(TransitionError::FileTooLarge.field(), Some("file"));
    assert!(TransitionError::FileTooLarge.message_zh().contains("10 MB"));
}

#[test]
fn once_submitted_online_only_a_supplement_notice_opens_uploads_and_only_for_what_it_lists() {
    let mut w = Walk::new(WorkflowShape::FourStep, d(2026, 3, 2));
    let owner = applicant("app-1");
    let desk = clerk("H1", true, false);
    w.ok(&owner, Command::Submit { waive: vec![] });
    assert_eq!(
        w.run(&owner, pdf("M01")),
        Err(TransitionError::NotAllowed {
            action: "upload_material",
            status: CaseStatus::Submitted
        })
    );
    w.ok(&desk, accept_all());
    w.ok(&staff(Role::Approver, "SCJ"), supplement("M02"));
    assert_eq!(w.case.open_supplement.len(), 1);
    assert_eq!(
        w.run(&owner, pdf("M01")),
        Err(TransitionError::MaterialNotOpen("M01".into()))
    );
    assert_eq!(offered(&w, &owner), ["M02"]);
    assert_eq!(
        offered(&w, &desk),
        ["M02"],
        "the clerk scans what is brought"
    );
    assert!(offered(&w, &staff(Role::Approver, "SCJ")).is_empty());
    w.ok(&owner, pdf("M02"));
    w.ok(
        &owner,
        Command::ProvideSupplement {
            note: "已重新上传".into(),
        },
    );
    assert!(w.case.open_supplement.is_empty(), "the notice is answered");
    assert!(matches!(
        w.run(&owner, pdf("M02")),
        Err(TransitionError::NotAllowed { .. })
    ));
}

#[test]
fn acceptance_needs_every_required_material_uploaded_received_or_waived() {
    let mut w = Walk::empty(WorkflowShape::TwoStep, d(2026, 3, 2));
    let owner = applicant("app-1");
    let desk = clerk("H1", true, false);
    w.ok(&owner, pdf("M01"));
    w.ok(
        &owner,
        Command::Submit {
            waive: vec!["M02".into()],
        },
    );
    let accept = |received: &[&str], waived: &[&str]| Command::Accept {
        waived: waived
            .iter()
            .map(|m| WaiveRequest {
                material: (*m).into(),
                due_on: d(2026, 3, 9),
            })
            .collect(),
        received: received.iter().map(|m| (*m).into()).collect(),
    };
    let before = w.case.clone();
    assert_eq!(
        w.run(&desk, accept(&[], &[])),
        Err(TransitionError::MaterialsMissing("M02".into())),
        "M01 was uploaded; M02 neither uploaded nor checked"
    );
    assert_eq!(
        w.run(&desk, accept(&["M03"], &[])),
        Err(TransitionError::UnknownMaterial("M03".into()))
    );
    assert_eq!(
        w.run(&desk, accept(&["M02"], &["M02"])),
        Err(TransitionError::DuplicateMaterial("M02".into())),
        "received and waived at once"
    );
    assert_eq!(w.case, before, "refused acceptances change nothing");
    assert_eq!(
        TransitionError::MaterialsMissing("M02".into()).field(),
        Some("received")
    );
    let now = Now {
        today: w.today,
        calendar: &w.cal,
    };
    let out = apply(&w.case, &w.item, &desk, &accept(&["M01"], &["M02"]), now).expect("accepted");
    let Event::Accepted(accepted) = &out.entries[0].event else {
        panic!("expected the acceptance");
    };
    assert_eq!(
        accepted.received,
        ["M01"],
        "the event records the checklist"
    );

    let mut paper = Walk::empty(WorkflowShape::TwoStep, d(2026, 3, 2));
    paper.case.channel = Channel::Window;
    paper.ok(&desk, Command::Submit { waive: vec![] });
    assert_eq!(
        paper.run(&desk, accept(&[], &[])),
        Err(TransitionError::MaterialsMissing("M01、M02".into()))
    );
    paper.ok(&desk, accept(&["M01", "M02"], &[]));
}

#[test]
fn a_clerk_scans_materials_while_registering_at_the_window() {
    let mut w = Walk::empty(WorkflowShape::TwoStep, d(2026, 3, 2));
    w.case.channel = Channel::Window;
    let desk = clerk("H1", true, false);
    w.ok(&desk, Command::Submit { waive: vec![] });
    assert_eq!(offered(&w, &desk), ["M01", "M02"]);
    w.ok(&desk, pdf("M01"));
    assert_eq!(
        w.run(&applicant("app-1"), pdf("M01")),
        Err(TransitionError::Forbidden("upload_material"))
    );
    assert_eq!(
        w.run(&clerk("H1", false, true), pdf("M01")),
        Err(TransitionError::Forbidden("upload_material")),
        "an exit window does not register applications"
    );
    w.ok(&desk, accept_all());
    assert!(
        offered(&w, &desk).is_empty(),
        "accepted: the file is closed"
    );
}

#[test]
fn an_outstanding_waived_material_takes_a_file_until_it_is_provided() {
    let mut w = Walk::new(WorkflowShape::Immediate, d(2026, 3, 2));
    let owner = applicant("app-1");
    w.ok(&owner, Command::Submit { waive: vec![] });
    w.ok(
        &clerk("H1", true, true),
        Command::Accept {
            waived: vec![WaiveRequest {
                material: "M02".into(),
                due_on: d(2026, 3, 9),
            }],
            received: vec!["M01".into()],
        },
    );
    assert_eq!(offered(&w, &owner), ["M02"]);
    assert_eq!(
        w.run(&owner, pdf("M01")),
        Err(TransitionError::MaterialNotOpen("M01".into()))
    );
    w.ok(&owner, pdf("M02"));
    w.ok(
        &owner,
        Command::ProvideWaivedMaterial {
            material: "M02".into(),
        },
    );
    assert!(offered(&w, &owner).is_empty());
}

/// An upload of M01, M02 or an unknown material, as a good PDF, a wrong type or too large.
pub(super) fn any_upload() -> impl Strategy<Value = Command> {
    (
        prop_oneof![Just("M01"), Just("M02"), Just("M99")],
        prop_oneof![
            Just((PDF.to_vec(), 0u64)),
            Just((b"GIF89a".to_vec(), 0)),
            Just((PDF.to_vec(), MAX_FILE_BYTES))
        ],
    )
        .prop_map(|(material, (bytes, extra))| {
            let mut file = UploadedFile::inspect("f.pdf", &bytes);
            file.size += extra;
            Command::UploadMaterial {
                material: material.into(),
                file,
            }
        })
}

proptest! {
    /// Whatever happened before, an upload succeeds exactly when the file is a good one for a
    /// material of the item that the state opens to this actor, and `uploadable_materials`
    /// offers exactly those materials.
    #[test]
    fn uploads_follow_the_state_and_are_offered_exactly(
        steps in proptest::collection::vec((any_actor(), super::tests::any_command()), 0..30),
        actor in any_actor(),
        upload in any_upload(),
    ) {
        let mut w = Walk::new(WorkflowShape::FourStep, d(2026, 3, 2));
        for (a, cmd) in steps {
            let _ = w.run(&a, cmd);
        }
        let Command::UploadMaterial { material, file } = &upload else { unreachable!() };
        let offered = offered(&w, &actor);
        let room = w.case.files < MAX_CASE_FILES
            && w.case.file_bytes + file.size <= MAX_CASE_FILE_BYTES;
        let good_file = file.kind.is_some() && file.size <= MAX_FILE_BYTES && room;
        let result = w.run(&actor, upload.clone());
        prop_assert_eq!(result.is_ok(), good_file && offered.contains(material));
        let c = &w.case;
        let of_item = w.item.materials.iter().any(|m| m.code == *material);
        let open = of_item && match c.status {
            CaseStatus::Draft => actor.is_owner(c),
            s if s.is_final() => false,
            _ => (actor.is_owner(c) || actor.is_hall_clerk(c))
                && (c.open_supplement.iter().any(|i| i.material == *material)
                    || c.outstanding_waived().any(|m| m.material == *material)),
        };
        prop_assert_eq!(offered.contains(material), open, "online cases: draft, notice, owed");
    }
}
