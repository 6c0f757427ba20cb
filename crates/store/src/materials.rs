//! Uploaded material files (docs/adr/0008): the bytes, once per content and district, and one
//! row per upload keyed by the event that recorded it.

use chrono::NaiveDate;
use onewindow_domain::calendar::Calendar;
use onewindow_domain::case::{Case, Entry, Event};
use serde::Serialize;
use sqlx_macros::FromRow;

use crate::cases::{CaseRecord, EventActor, Transition};
use crate::sql::{AnyQuery, Script, TableRow};
use crate::{Result, Store, StoreError};

/// A file to store with its upload event.
pub struct NewFile<'a> {
    pub material: &'a str,
    pub name: &'a str,
    pub media_type: &'a str,
    /// SM3 of `bytes`, hex, as the event records it.
    pub digest: &'a str,
    pub bytes: &'a [u8],
}

/// One uploaded file of a case, without its bytes.
#[derive(Debug, Clone, Serialize, FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseFile {
    /// Sequence number of the `material_uploaded` event: the file's key within the case.
    #[sqlx(rename = "event_seq")]
    pub seq: i64,
    #[sqlx(rename = "material_code")]
    pub material: String,
    #[sqlx(rename = "file_name")]
    pub name: String,
    pub media_type: String,
    pub size: i64,
    /// SM3 of the bytes, hex.
    pub digest: String,
    /// Who uploaded it (applicant or staff id) and in which role.
    pub actor_id: String,
    pub actor_role: String,
    pub at_ms: i64,
}

const FILE_COLUMNS: &str =
    "event_seq, material_code, file_name, media_type, size, digest, actor_id, actor_role, at_ms";

/// A file with its bytes, as one row.
#[derive(FromRow)]
struct FileRow {
    #[sqlx(flatten)]
    file: CaseFile,
    bytes: Vec<u8>,
}

/// A file's row of an imported history, whose bytes the district already holds
/// ([`crate::BulkLoad::import_blob`]).
pub(crate) struct CaseFileRow {
    case_number: String,
    seq: i64,
    material: String,
    name: String,
    media_type: String,
    size: i64,
    digest: String,
    actor_id: String,
    actor_role: String,
    at_ms: i64,
    region: String,
}

impl TableRow for CaseFileRow {
    const TABLE: &'static str = "case_files";
    const COLUMNS: &'static [&'static str] = &[
        "case_number",
        "event_seq",
        "material_code",
        "file_name",
        "media_type",
        "size",
        "digest",
        "actor_id",
        "actor_role",
        "at_ms",
        "region_code",
    ];

    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        q.bind(self.case_number)
            .bind(self.seq)
            .bind(self.material)
            .bind(self.name)
            .bind(self.media_type)
            .bind(self.size)
            .bind(self.digest)
            .bind(self.actor_id)
            .bind(self.actor_role)
            .bind(self.at_ms)
            .bind(self.region)
    }
}

/// The file rows of a whole log: one for each `material_uploaded` event, under its sequence
/// number (the first event is 1).
pub(crate) fn file_rows(
    number: &str,
    region: &str,
    events: &[(Entry, EventActor<'_>)],
) -> Vec<CaseFileRow> {
    events
        .iter()
        .enumerate()
        .filter_map(|(i, (entry, actor))| match &entry.event {
            Event::MaterialUploaded(u) => Some(CaseFileRow {
                case_number: number.to_owned(),
                seq: i as i64 + 1,
                material: u.material.clone(),
                name: u.name.clone(),
                media_type: u.media_type.clone(),
                size: u.size as i64,
                digest: u.digest.clone(),
                actor_id: actor.id.to_owned(),
                actor_role: actor.role.to_owned(),
                at_ms: actor.at_ms,
                region: region.to_owned(),
            }),
            _ => None,
        })
        .collect()
}

impl Store {
    /// Stores an upload: the case's new state and events as [`Store::save_transition`] does,
    /// and the file under the sequence number of its `material_uploaded` event, all in one
    /// transaction. `Conflict` when the case changed since `before` was loaded.
    #[expect(clippy::too_many_arguments)]
    pub async fn save_upload(
        &self,
        before: &CaseRecord,
        after: &Case,
        events: &[Entry],
        actor: &EventActor<'_>,
        cal: &Calendar,
        today: NaiveDate,
        file: &NewFile<'_>,
    ) -> Result<()> {
        let transition = Transition {
            before,
            after,
            events,
            actor,
        };
        let mut script = self.transition_script(&transition, cal, today)?;
        let position = events
            .iter()
            .position(|e| matches!(e.event, Event::MaterialUploaded(_)))
            .ok_or_else(|| StoreError::corrupt("upload", "no material_uploaded event"))?;
        let seq = before.event_count + position as i64 + 1;
        insert_file(&mut script, &before.number, &after.region, seq, file, actor);
        self.write_script(script).await
    }

    /// A case's files, in the order they came.
    pub async fn case_files(&self, number: &str) -> Result<Vec<CaseFile>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {FILE_COLUMNS} FROM case_files WHERE case_number = $1 ORDER BY event_seq"
        )))
        .bind(number)
        .fetch_all(&mut *self.read().await?)
        .await?)
    }

    /// One file of a case with its bytes.
    pub async fn case_file(&self, number: &str, seq: i64) -> Result<Option<(CaseFile, Vec<u8>)>> {
        let columns = FILE_COLUMNS
            .split(", ")
            .map(|c| format!("f.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query_as::<_, FileRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {columns}, b.bytes FROM case_files f
             JOIN file_blobs b ON b.region_code = f.region_code AND b.digest = f.digest
             WHERE f.case_number = $1 AND f.event_seq = $2"
        )))
        .bind(number)
        .bind(seq)
        .fetch_optional(&mut *self.read().await?)
        .await?;
        Ok(row.map(|r| (r.file, r.bytes)))
    }
}

/// Adds to `script` the bytes (unless the district already holds the same content) and the
/// file's row.
fn insert_file(
    script: &mut Script<'static>,
    number: &str,
    region: &str,
    seq: i64,
    file: &NewFile<'_>,
    actor: &EventActor<'_>,
) {
    let size = file.bytes.len() as i64;
    let (region, digest, bytes) = (
        region.to_owned(),
        file.digest.to_owned(),
        file.bytes.to_vec(),
    );
    script.push(
        "INSERT INTO file_blobs (region_code, digest, size, bytes) VALUES ($1, $2, $3, $4)
         ON CONFLICT (region_code, digest) DO NOTHING",
        {
            let (region, digest) = (region.clone(), digest.clone());
            move |q| q.bind(region).bind(digest).bind(size).bind(bytes)
        },
    );
    let row = (
        number.to_owned(),
        file.material.to_owned(),
        file.name.to_owned(),
        file.media_type.to_owned(),
        actor.id.to_owned(),
        actor.role.to_owned(),
        actor.at_ms,
    );
    script.push(
        "INSERT INTO case_files (case_number, event_seq, material_code, file_name, media_type, size, digest, actor_id, actor_role, at_ms, region_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        move |q| {
            let (number, material, name, media_type, actor_id, actor_role, at_ms) = row;
            q.bind(number)
                .bind(seq)
                .bind(material)
                .bind(name)
                .bind(media_type)
                .bind(size)
                .bind(digest)
                .bind(actor_id)
                .bind(actor_role)
                .bind(at_ms)
                .bind(region)
        },
    );
}
