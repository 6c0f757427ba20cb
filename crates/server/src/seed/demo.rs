//! The demo centre of 金平区, modelled on the district plan in seed 002: the organisation, the
//! items, staff for every role, demo applicants, and a year of history.

use onewindow_domain::case::Collector;
use onewindow_domain::catalogue::ItemDefinition;
use onewindow_domain::identity::{CreditCode, PhoneNumber, ResidentId, listed_name};
use onewindow_domain::opening_hours::OpeningHours;
use onewindow_store::{ApplicantKind, NewApplicant, NewStaff, Organisation, Store};
use serde::Deserialize;

use crate::api::catalogue_windows::allowed_windows;
use crate::api::hash_password;
use crate::seed::history::HistoryApplicant;

/// Every demo account's password (README).
pub const DEMO_PASSWORD: &str = "OneWindow@2026";

#[derive(Deserialize)]
struct Centre {
    region: String,
}

#[derive(Deserialize)]
struct DemoOrganisation {
    centre: Centre,
    #[serde(flatten)]
    organisation: Organisation,
    staff: Vec<NewStaff>,
}

#[derive(Deserialize)]
struct DemoApplicant {
    kind: ApplicantKind,
    name: String,
    phone: String,
    resident_id: Option<String>,
    credit_code: Option<String>,
}

type SeedError = Box<dyn std::error::Error>;

/// The agent (经办人) who collects the results of the `n`-th demo applicant, an enterprise, with
/// its written entrustment: a person of the district, with a name and a valid ID number.
fn agent(n: usize, enterprise: &str) -> Result<Collector, SeedError> {
    const SURNAMES: [&str; 8] = ["陈", "林", "黄", "李", "张", "吴", "郑", "蔡"];
    const GIVEN: [&str; 8] = [
        "伟明", "少华", "丽娟", "泽鑫", "晓燕", "建国", "佳慧", "志强",
    ];
    let born = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date")
        + chrono::Days::new((n as u64 * 389) % 10_000);
    let id = ResidentId::from_parts("440511", born, (n * 37 % 1000) as u16)?;
    Ok(Collector {
        name: format!("{}{}", SURNAMES[n % 8], GIVEN[n / 8 % 8]),
        id_number: id.as_str().to_owned(),
        entrustment: Some(format!("{enterprise}授权委托书")),
    })
}

/// The demo centre with `cases` historical cases.
pub async fn demo(store: &Store, key: &[u8], cases: u32) -> Result<(), SeedError> {
    centre(store, key, cases, super::history::DEMO_SEED).await
}

/// The demo centre with a data volume for measurements: `cases` cases generated from `seed`.
/// Fills an empty database only: the generated case numbers start at each day's first.
pub async fn volume(store: &Store, key: &[u8], cases: u32, seed: u64) -> Result<(), SeedError> {
    let existing = store.count_cases().await?;
    if existing > 0 || store.centre_region().await?.is_some() {
        return Err(format!(
            "seed volume fills an empty database; this one already holds a centre ({existing} cases)"
        )
        .into());
    }
    centre(store, key, cases, seed).await
}

async fn centre(store: &Store, key: &[u8], cases: u32, seed: u64) -> Result<(), SeedError> {
    let org: DemoOrganisation =
        serde_json::from_str(include_str!("../../seed/demo/organisation.json"))?;
    let items: Vec<ItemDefinition> =
        serde_json::from_str(include_str!("../../seed/demo/items.json"))?;
    let applicants: Vec<DemoApplicant> =
        serde_json::from_str(include_str!("../../seed/demo/applicants.json"))?;
    let region = org.centre.region.as_str();
    println!(
        "seeding the demo centre: {} departments, {} windows, {} items",
        org.organisation.departments.len(),
        org.organisation.windows.len(),
        items.len()
    );
    store.insert_organisation(&org.organisation, region).await?;
    // The seeds' hall: open through lunch, "白+黑" evenings and "5+2" weekends (seeds 000, 004).
    let hours: std::collections::BTreeMap<String, OpeningHours> =
        serde_json::from_str(include_str!("../../seed/demo/opening_hours.json"))?;
    for (hall, hours) in &hours {
        hours.check().map_err(|e| format!("hall {hall}: {e}"))?;
        store.put_opening_hours(hall, hours).await?;
    }
    for item in &items {
        item.validate()
            .map_err(|e| format!("item {}: {e}", item.implementation_code))?;
        // Every window the rule allows; the centre admin narrows them down.
        let windows = allowed_windows(&org.organisation, item)?;
        store.publish_item(item, region, "seed", &windows).await?;
    }
    // One argon2id hash serves every demo account: they share the published demo password.
    let hash = hash_password(DEMO_PASSWORD);
    for s in &org.staff {
        // The demo's accounts share the README's password and are used as they are.
        store.insert_staff(s, &hash, region, false).await?;
    }
    let vault = onewindow_store::crypto::Vault::from_secret(key);
    let mut applicant_ids = Vec::new();
    for a in &applicants {
        let phone = PhoneNumber::parse(&a.phone)?;
        let (identifier, collector) = match a.kind {
            ApplicantKind::Person => {
                let id = ResidentId::parse(a.resident_id.as_deref().unwrap_or_default())?;
                let collector = Collector {
                    name: a.name.clone(),
                    id_number: id.as_str().to_owned(),
                    entrustment: None,
                };
                ((id.as_str().to_owned(), id.masked()), collector)
            }
            ApplicantKind::Enterprise => {
                let c = CreditCode::parse(a.credit_code.as_deref().unwrap_or_default())?;
                (
                    (c.as_str().to_owned(), c.masked()),
                    agent(applicant_ids.len(), &a.name)?,
                )
            }
        };
        let id = store
            .insert_applicant(
                &vault,
                &NewApplicant {
                    kind: a.kind,
                    name: &a.name,
                    phone: phone.as_str(),
                    phone_masked: &phone.masked(),
                    identifier: Some((&identifier.0, &identifier.1)),
                    password_hash: &hash,
                    consent_version: None,
                },
            )
            .await?;
        applicant_ids.push(HistoryApplicant {
            id,
            listed: listed_name(&a.name, a.kind == ApplicantKind::Enterprise),
            kind: a.kind,
            collector,
        });
    }
    store
        .audit(
            "seed",
            "demo_seeded",
            &serde_json::json!({ "items": items.len(), "staff": org.staff.len() }),
        )
        .await?;
    super::history::generate(
        store,
        &org.organisation,
        &org.staff,
        &items,
        &applicant_ids,
        region,
        cases,
        seed,
    )
    .await?;
    println!(
        "demo centre ready: {} staff, {} applicants, {cases} historical cases",
        org.staff.len(),
        applicant_ids.len()
    );
    Ok(())
}
