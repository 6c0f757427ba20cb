//! A centre's own data loaded from its files (`onewindow init` and `onewindow import`): the
//! organisation, items, staff, calendar days and opening hours in one transaction with its audit entry, so a
//! file is taken whole or not at all.

use onewindow_domain::calendar::DayOverride;
use onewindow_domain::catalogue::ItemDefinition;
use onewindow_domain::opening_hours::OpeningHours;

use crate::organisation::staff::{NewStaff, insert_staff_in, update_staff_in};
use crate::organisation::{Organisation, insert_organisation_in};
use crate::{Result, Store};

/// What one import writes.
#[derive(Debug, Clone, Default)]
pub struct Import {
    /// The district the centre serves: the region of its items and accounts.
    pub region: String,
    /// A whole organisation, for a new centre only.
    pub organisation: Option<Organisation>,
    /// Definitions to publish as their items' next versions, each with the windows to let accept
    /// it (none keeps an existing item's windows as they are).
    pub items: Vec<(ItemDefinition, Vec<String>)>,
    /// New accounts with their password hashes; each must change its password at first log-in.
    pub new_staff: Vec<(NewStaff, String)>,
    /// Existing accounts, by username, with their new profiles.
    pub updated_staff: Vec<NewStaff>,
    /// Each region's own days.
    pub calendar: Vec<(String, Vec<DayOverride>)>,
    /// Halls' opening hours, replacing any before.
    pub opening_hours: Vec<(String, OpeningHours)>,
    /// Who imported, and the audit entry's action and details.
    pub by: String,
    pub action: String,
    pub details: serde_json::Value,
}

impl Store {
    /// Writes everything in `import` and its audit entry in one transaction.
    pub async fn import(&self, import: Import) -> Result<()> {
        let seal = self.seal.clone();
        self.write(move |tx| {
            Box::pin(async move {
                if let Some(org) = &import.organisation {
                    insert_organisation_in(tx, org, &import.region).await?;
                }
                for (def, windows) in &import.items {
                    crate::catalogue::publish_with_windows(
                        tx,
                        def,
                        &import.region,
                        &import.by,
                        windows,
                    )
                    .await?;
                }
                for (s, hash) in &import.new_staff {
                    insert_staff_in(tx, s, hash, &import.region, true).await?;
                }
                for s in &import.updated_staff {
                    update_staff_in(tx, s).await?;
                }
                for (region, days) in &import.calendar {
                    crate::calendar::put_overrides_in(tx, region, days).await?;
                }
                for (hall, hours) in &import.opening_hours {
                    crate::opening_hours::put_in(tx, hall, hours).await?;
                }
                crate::audit::append(
                    tx,
                    seal.as_deref(),
                    &import.by,
                    &import.action,
                    &import.details.to_string(),
                )
                .await
            })
        })
        .await
    }
}
