//! What every handler shares: the store, the personal-data vault, the calendars, the clock.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use chrono::{NaiveDate, Utc};
use onewindow_domain::calendar::Calendar;
use onewindow_domain::case::Case;
use onewindow_domain::catalogue::ItemDefinition;
use onewindow_store::Store;
use onewindow_store::crypto::Vault;

use crate::client::ClientAddr;
use crate::metrics::Metrics;
use crate::notifier::Notifier;
use crate::public_url::PublicUrl;
use crate::rate_limit::RateLimits;

/// Asia/Shanghai has had no daylight saving since 1991: a fixed +08:00 is exact.
const CHINA_OFFSET_SECONDS: i64 = 8 * 3600;

/// Item definitions by code and version.
type ItemVersions = HashMap<(String, u32), Arc<ItemDefinition>>;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub vault: Vault,
    calendars: Arc<RwLock<HashMap<String, Calendar>>>,
    /// Published item versions never change, so each is read once.
    item_versions: Arc<RwLock<ItemVersions>>,
    /// The centre's district: set by the seed before the first request, never edited after, and
    /// wanted by every inbox page and submission.
    centre_region: Arc<OnceLock<String>>,
    pub notifier: Notifier,
    /// Where the centre is reached (`--public-url`).
    pub public_url: PublicUrl,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    pub rate_limits: RateLimits,
    pub metrics: Metrics,
    /// The bearer token a scraper of `/metrics` shows (`--metrics-token`); without one, only the
    /// machine itself may scrape.
    pub metrics_token: Option<Arc<String>>,
    /// A staff session ends after this long without use (`--staff-idle-minutes`); none: only
    /// its absolute end.
    pub staff_idle_ms: Option<i64>,
    /// How long an API read may take before it is given up (`--read-timeout`).
    pub read_timeout: std::time::Duration,
}

impl AppState {
    pub fn new(store: Store, key: &[u8]) -> AppState {
        AppState {
            // Everything the server writes is sealed with the key the data key is (ADR 0037).
            store: store.with_seal(onewindow_store::crypto::Seal::from_secret(key)),
            vault: Vault::from_secret(key),
            calendars: Arc::default(),
            item_versions: Arc::default(),
            centre_region: Arc::default(),
            notifier: Notifier::default(),
            public_url: PublicUrl::of_listen("localhost"),
            trusted_proxies: Arc::default(),
            rate_limits: RateLimits::default(),
            metrics: Metrics::default(),
            metrics_token: None,
            staff_idle_ms: Some(onewindow_domain::auth::STAFF_IDLE_MS),
            read_timeout: std::time::Duration::from_secs(30),
        }
    }

    /// Working days a case turns yellow before its deadline: the store's, which keeps each
    /// case's light with it.
    pub fn warn_days(&self) -> u32 {
        self.store.warn_days()
    }

    /// Today in China.
    pub fn today(&self) -> NaiveDate {
        (Utc::now() + chrono::Duration::seconds(CHINA_OFFSET_SECONDS)).date_naive()
    }

    /// Seconds until the next day begins in China.
    pub fn seconds_left_today(&self) -> i64 {
        let now = Utc::now() + chrono::Duration::seconds(CHINA_OFFSET_SECONDS);
        let midnight = now
            .date_naive()
            .succ_opt()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map_or(now.naive_utc(), |m| m);
        (midnight - now.naive_utc()).num_seconds()
    }

    /// The district the centre serves, read once; None before the organisation is loaded.
    pub async fn centre_region(&self) -> Result<Option<String>, onewindow_store::StoreError> {
        if let Some(code) = self.centre_region.get() {
            return Ok(Some(code.clone()));
        }
        let code = self.store.centre_region().await?;
        if let Some(code) = &code {
            let _ = self.centre_region.set(code.clone());
        }
        Ok(code)
    }

    /// The working-day calendar of a district: national data plus the region's own edits.
    pub async fn calendar(&self, region: &str) -> Result<Calendar, onewindow_store::StoreError> {
        if let Some(c) = self.calendars.read().expect("calendar lock").get(region) {
            return Ok(c.clone());
        }
        let overrides = self.store.calendar_overrides(region).await?;
        let cal = Calendar::china_mainland().with_overrides(&overrides);
        self.calendars
            .write()
            .expect("calendar lock")
            .insert(region.to_owned(), cal.clone());
        Ok(cal)
    }

    /// The item version a case was registered under.
    pub async fn case_item(
        &self,
        case: &Case,
    ) -> Result<Arc<ItemDefinition>, onewindow_store::StoreError> {
        let key = (case.item.clone(), case.item_version);
        if let Some(def) = self.item_versions.read().expect("item lock").get(&key) {
            return Ok(def.clone());
        }
        let (_, def) = self
            .store
            .item(&case.item, Some(i64::from(case.item_version)))
            .await?;
        let def = Arc::new(def);
        self.item_versions
            .write()
            .expect("item lock")
            .insert(key, def.clone());
        Ok(def)
    }

    /// Appends to the audit log what `actor` did, with the client address of the request being
    /// served in `payload` as `address` (an object payload only).
    pub async fn audit(
        &self,
        actor: &str,
        action: &str,
        payload: &serde_json::Value,
    ) -> Result<(), onewindow_store::StoreError> {
        let mut payload = payload.clone();
        if let (Some(client), Some(fields)) = (ClientAddr::current(), payload.as_object_mut()) {
            fields.insert("address".into(), client.to_string().into());
        }
        self.store.audit(actor, action, &payload).await
    }

    pub fn forget_calendar(&self, region: &str) {
        self.calendars
            .write()
            .expect("calendar lock")
            .remove(region);
    }

    /// Every calendar is read again when next wanted.
    pub fn forget_calendars(&self) {
        self.calendars.write().expect("calendar lock").clear();
    }

    /// After an edit of `region`'s calendar: this process reads it again, and every other
    /// process on the database is told to (ADR 0038).
    pub async fn calendar_changed(&self, region: &str) -> Result<(), onewindow_store::StoreError> {
        self.forget_calendar(region);
        self.store.announce_calendar(region).await
    }
}

/// The secret behind the personal-data keys: `ONEWINDOW_DATA_KEY`, or for a local SQLite file a
/// key generated once into `data-key` beside it (so development needs no setup).
pub fn data_key(database: &str) -> std::io::Result<Vec<u8>> {
    if let Ok(k) = std::env::var("ONEWINDOW_DATA_KEY") {
        // An empty key would seal the personal data with nothing secret.
        if k.trim().is_empty() {
            return Err(std::io::Error::other(
                "ONEWINDOW_DATA_KEY is set but empty; give the key, or unset it",
            ));
        }
        return Ok(k.into_bytes());
    }
    let Some(path) = database.strip_prefix("sqlite://") else {
        return Err(std::io::Error::other(
            "ONEWINDOW_DATA_KEY must be set for a PostgreSQL database",
        ));
    };
    let file = key_file(path);
    if let Ok(k) = std::fs::read(&file) {
        return Ok(k);
    }
    let key = onewindow_store::crypto::random_hex(32);
    // Readable by the server's own user alone; never overwrites a key another process wrote.
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&file)?
        .write_all(key.as_bytes())?;
    Ok(key.into_bytes())
}

/// The key file beside a SQLite database at `path` (options after `?` aside).
fn key_file(path: &str) -> std::path::PathBuf {
    std::path::Path::new(path.split('?').next().unwrap_or(path)).with_file_name("data-key")
}

/// After `onewindow rekey`: the key file beside a SQLite database gets `key`, replaced whole
/// (written beside it, then renamed over it); a key given in ONEWINDOW_DATA_KEY is the
/// operator's to change, and the message says so.
pub fn replace_key_file(database: &str, key: &str) -> std::io::Result<()> {
    let path = database.strip_prefix("sqlite://");
    if std::env::var("ONEWINDOW_DATA_KEY").is_ok() || path.is_none() {
        println!("set ONEWINDOW_DATA_KEY to the new key before the server starts again");
        return Ok(());
    }
    let file = key_file(path.unwrap_or_default());
    let fresh = file.with_file_name("data-key.new");
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&fresh)?
        .write_all(key.as_bytes())?;
    std::fs::rename(&fresh, &file)?;
    println!("{} holds the new key", file.display());
    Ok(())
}
