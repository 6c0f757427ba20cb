//! Facts about the database itself: the fingerprint of its data key.

use crate::crypto::Vault;
use crate::{Result, Store};

pub(crate) const KEY_FINGERPRINT: &str = "data_key_fingerprint";

impl Store {
    /// Whether `vault` holds the keys this database's personal data was sealed with. The first
    /// call on a database records them; every later one compares.
    pub async fn data_key_matches(&self, vault: &Vault) -> Result<bool> {
        let fingerprint = vault.fingerprint();
        self.write_one(
            sqlx::query(
                "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            )
            .bind(KEY_FINGERPRINT)
            .bind(fingerprint.clone()),
        )
        .await?;
        let stored: String = sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
            .bind(KEY_FINGERPRINT)
            .fetch_one(&mut *self.read().await?)
            .await?;
        Ok(stored == fingerprint)
    }
}
