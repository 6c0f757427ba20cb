//! Applicants (persons and enterprises). Phone and ID numbers are stored encrypted, found by a
//! keyed hash, and shown masked.

use serde::{Deserialize, Serialize};
use sqlx::any::{AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Any, AnyConnection};
use sqlx_macros::FromRow;

use chrono::NaiveDate;
use onewindow_domain::auth::{CodeRecord, CodeRefusal, send_code, try_code};

use crate::crypto::Vault;
use crate::write::Tx;
use crate::{Result, Store, StoreError, conflict_on_unique, now_ms};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    Person,
    Enterprise,
}

impl ApplicantKind {
    fn as_str(self) -> &'static str {
        match self {
            ApplicantKind::Person => "person",
            ApplicantKind::Enterprise => "enterprise",
        }
    }
}

/// Stored as text: an enterprise, or else a person.
impl sqlx::Type<Any> for ApplicantKind {
    fn type_info() -> AnyTypeInfo {
        <String as sqlx::Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <String as sqlx::Type<Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Any> for ApplicantKind {
    fn decode(value: AnyValueRef<'r>) -> std::result::Result<Self, BoxDynError> {
        let stored = <&str as sqlx::Decode<Any>>::decode(value)?;
        Ok(if stored == "enterprise" {
            ApplicantKind::Enterprise
        } else {
            ApplicantKind::Person
        })
    }
}

/// A new applicant with identifiers already validated by the domain types.
pub struct NewApplicant<'a> {
    pub kind: ApplicantKind,
    pub name: &'a str,
    pub phone: &'a str,
    pub phone_masked: &'a str,
    /// Resident ID or credit code, with its masked form.
    pub identifier: Option<(&'a str, &'a str)>,
    pub password_hash: &'a str,
    /// The version of the user agreement and privacy notice consented to online; none for an
    /// applicant registered at a window.
    pub consent_version: Option<&'a str>,
}

/// An applicant's identity in full: name, phone, and resident ID or credit code.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Identity {
    pub name: String,
    pub phone: String,
    pub identifier: Option<String>,
}

#[derive(Debug, Clone, Serialize, FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Applicant {
    pub id: String,
    pub kind: ApplicantKind,
    pub name: String,
    pub phone_masked: String,
    pub id_masked: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
    /// Which user agreement and privacy notice they consented to, and when.
    pub consent_version: Option<String>,
    pub consented_ms: Option<i64>,
}

const COLUMNS: &str =
    "id, kind, name, phone_masked, id_masked, password_hash, consent_version, consented_ms";

/// The applicant with this id, on a connection the caller holds.
pub(crate) async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Applicant>> {
    let sql = format!("SELECT {COLUMNS} FROM applicants WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

impl Store {
    pub async fn insert_applicant(&self, vault: &Vault, a: &NewApplicant<'_>) -> Result<String> {
        let id = format!("P{}", crate::crypto::random_hex(8));
        self.write_one(sqlx::query(
            "INSERT INTO applicants (id, kind, name, phone_hash, phone_enc, phone_masked, id_hash, id_enc, id_masked, password_hash, created_ms,
                consent_version, consented_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(&id)
        .bind(a.kind.as_str())
        .bind(a.name)
        .bind(vault.lookup_hash(a.phone))
        .bind(vault.encrypt(a.phone))
        .bind(a.phone_masked)
        .bind(a.identifier.map(|(v, _)| vault.lookup_hash(v)))
        .bind(a.identifier.map(|(v, _)| vault.encrypt(v)))
        .bind(a.identifier.map(|(_, m)| m.to_owned()))
        .bind(a.password_hash)
        .bind(now_ms())
        .bind(a.consent_version)
        .bind(a.consent_version.map(|_| now_ms()))
        )
        .await
        .map_err(|e| conflict_on_unique(e, "applicant"))?;
        Ok(id)
    }

    pub async fn applicant_by_phone(
        &self,
        vault: &Vault,
        phone: &str,
    ) -> Result<Option<Applicant>> {
        let sql = format!("SELECT {COLUMNS} FROM applicants WHERE phone_hash = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(vault.lookup_hash(phone))
            .fetch_optional(&mut *self.read().await?)
            .await?)
    }

    /// Finds an applicant by resident ID or credit code (the acceptance desk's look-up).
    pub async fn applicant_by_identifier(
        &self,
        vault: &Vault,
        identifier: &str,
    ) -> Result<Option<Applicant>> {
        let sql = format!("SELECT {COLUMNS} FROM applicants WHERE id_hash = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(vault.lookup_hash(identifier))
            .fetch_optional(&mut *self.read().await?)
            .await?)
    }

    /// The ids of applicants whose name holds `part`, at most 200: a clerk's search by name.
    pub async fn applicants_named(&self, part: &str) -> Result<Vec<String>> {
        let escaped: String = part
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        Ok(sqlx::query_scalar(
            "SELECT id FROM applicants WHERE name LIKE $1 ESCAPE '\\' ORDER BY id LIMIT 200",
        )
        .bind(format!("%{escaped}%"))
        .fetch_all(&mut *self.read().await?)
        .await?)
    }

    pub async fn applicant_by_id(&self, id: &str) -> Result<Option<Applicant>> {
        by_id(&mut *self.read().await?, id).await
    }

    /// The applicant's phone, e.g. for the public progress query's last four digits.
    pub async fn applicant_phone(&self, vault: &Vault, id: &str) -> Result<Option<String>> {
        Ok(self
            .applicant_identity(vault, id)
            .await?
            .map(|identity| identity.phone))
    }

    /// The applicant's identity in full, decrypted: for notices addressed to them and for a
    /// reveal the server has audited. `None` without the applicant.
    pub async fn applicant_identity(&self, vault: &Vault, id: &str) -> Result<Option<Identity>> {
        let row: Option<(String, String, Option<String>)> =
            sqlx::query_as("SELECT name, phone_enc, id_enc FROM applicants WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *self.read().await?)
                .await?;
        let Some((name, phone, identifier)) = row else {
            return Ok(None);
        };
        let open = |enc: &str| {
            vault
                .decrypt(enc)
                .map_err(|e| StoreError::corrupt("applicant", e))
        };
        Ok(Some(Identity {
            name,
            phone: open(&phone)?,
            identifier: identifier.as_deref().map(open).transpose()?,
        }))
    }

    /// Stores a verification code (hashed) for a phone, sent at `now` on `today`, replacing any
    /// earlier one, when the domain's limits allow ([`send_code`]); otherwise stores nothing and
    /// says why.
    pub async fn put_verification_code(
        &self,
        vault: &Vault,
        phone: &str,
        code: &str,
        now: i64,
        today: NaiveDate,
    ) -> Result<std::result::Result<(), CodeRefusal>> {
        let (key, code_hash) = (vault.lookup_hash(phone), vault.lookup_hash(code));
        self.write(move |tx| {
            Box::pin(async move {
                // A row to lock first: two requests for one phone at once then take turns.
                tx.execute(
                    sqlx::query("INSERT INTO verification_codes (phone_hash, code_hash, expires_ms, sent_ms) VALUES ($1, '', 0, 0) ON CONFLICT (phone_hash) DO NOTHING")
                        .bind(&key),
                )
                .await?;
                // The row just inserted has no code: the phone was never sent one.
                let record = code_record(tx, &key)
                    .await?
                    .filter(|(hash, _)| !hash.is_empty())
                    .map(|(_, r)| r);
                let next = match send_code(record, now, today) {
                    Ok(next) => next,
                    Err(refusal) => return Ok(Err(refusal)),
                };
                tx.execute(
                    sqlx::query("UPDATE verification_codes SET code_hash = $2, expires_ms = $3, sent_ms = $4, day = $5, sent_today = $6, attempts = $7 WHERE phone_hash = $1")
                        .bind(&key)
                        .bind(code_hash)
                        .bind(next.expires_ms)
                        .bind(next.sent_ms)
                        .bind(next.day.to_string())
                        .bind(next.sent_today)
                        .bind(next.wrong_today),
                )
                .await?;
                Ok(Ok(()))
            })
        })
        .await
    }

    /// Moves an applicant to a new phone number; `Conflict` when another applicant has it.
    pub async fn set_applicant_phone(
        &self,
        vault: &Vault,
        id: &str,
        phone: &str,
        masked: &str,
    ) -> Result<()> {
        let done = self
            .write_one(
                sqlx::query(
                    "UPDATE applicants SET phone_hash = $2, phone_enc = $3, phone_masked = $4 WHERE id = $1",
                )
                .bind(id.to_owned())
                .bind(vault.lookup_hash(phone))
                .bind(vault.encrypt(phone))
                .bind(masked.to_owned()),
            )
            .await
            .map_err(|e| conflict_on_unique(e, "phone"))?;
        crate::one_row(done)
    }

    /// Checks a code given for a phone at `now` on `today` ([`try_code`]): spent when right,
    /// counted when wrong.
    pub async fn take_verification_code(
        &self,
        vault: &Vault,
        phone: &str,
        code: &str,
        now: i64,
        today: NaiveDate,
    ) -> Result<bool> {
        let (key, given) = (vault.lookup_hash(phone), vault.lookup_hash(code));
        self.write(move |tx| {
            Box::pin(async move {
                let Some((code_hash, record)) = code_record(tx, &key).await? else {
                    return Ok(false);
                };
                let (ok, next) = try_code(record, code_hash == given, now, today);
                tx.execute(
                    sqlx::query("UPDATE verification_codes SET expires_ms = $2, day = $3, sent_today = $4, attempts = $5 WHERE phone_hash = $1")
                        .bind(&key)
                        .bind(next.expires_ms)
                        .bind(next.day.to_string())
                        .bind(next.sent_today)
                        .bind(next.wrong_today),
                )
                .await?;
                Ok(ok)
            })
        })
        .await
    }
}

/// The code hash and the record kept for the phone whose lookup hash is `key`, read and locked
/// in `tx`.
async fn code_record(tx: &mut Tx, key: &str) -> Result<Option<(String, CodeRecord)>> {
    let sql = format!(
        "SELECT code_hash, expires_ms, sent_ms, day, sent_today, attempts FROM verification_codes WHERE phone_hash = $1{}",
        tx.engine().lock_rows()
    );
    let row: Option<(String, i64, i64, String, i64, i64)> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(key)
            .fetch_optional(tx.conn().await?)
            .await?;
    row.map(
        |(hash, expires_ms, sent_ms, day, sent_today, wrong_today)| {
            let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|e| StoreError::corrupt("verification code", e))?;
            Ok((
                hash,
                CodeRecord {
                    sent_ms,
                    expires_ms,
                    day,
                    sent_today,
                    wrong_today,
                },
            ))
        },
    )
    .transpose()
}
