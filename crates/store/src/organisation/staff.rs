//! Staff accounts: roles, department and window, public profile, password and lockout.

use onewindow_domain::organisation::{Role, StaffProfile};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use sqlx_macros::FromRow;

use crate::SubjectKind;
use crate::sql::AnyQuery;
use crate::write::Tx;
use crate::{Result, Store, conflict_on_unique, one_row};

/// As in the demo file; `password_hash` is added by the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewStaff {
    pub username: String,
    pub name: String,
    pub roles: Vec<String>,
    pub department: Option<String>,
    pub window: Option<String>,
    pub title: String,
    pub public: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Staff {
    pub id: String,
    pub username: String,
    /// The staff number (工号), four digits or more, given in order of creation.
    pub staff_number: String,
    pub name: String,
    pub title: String,
    pub roles: Vec<Role>,
    pub department: Option<String>,
    pub window: Option<String>,
    pub public: bool,
    #[serde(skip)]
    pub password_hash: String,
    /// When the account was deactivated; it cannot log in since.
    #[serde(skip)]
    pub deactivated_ms: Option<i64>,
    /// The admin set the password (a new account, or a reset): its holder must choose their
    /// own before anything else. Told to the holder alone (in `/me`).
    #[serde(skip)]
    pub must_change_password: bool,
}

impl Staff {
    pub fn active(&self) -> bool {
        self.deactivated_ms.is_none()
    }

    /// What the admin sets of the account.
    pub fn profile(&self) -> StaffProfile {
        StaffProfile {
            name: self.name.clone(),
            title: self.title.clone(),
            roles: self.roles.clone(),
            department: self.department.clone(),
            window: self.window.clone(),
            public: self.public,
        }
    }
}

impl NewStaff {
    /// An account the admin creates: `username` with `p`, names trimmed.
    pub fn with_profile(username: &str, p: &StaffProfile) -> NewStaff {
        NewStaff {
            username: username.to_owned(),
            name: p.name.trim().to_owned(),
            roles: roles_text(&p.roles),
            department: p.department.clone(),
            window: p.window.clone(),
            title: p.title.trim().to_owned(),
            public: p.public,
        }
    }
}

fn roles_text(roles: &[Role]) -> Vec<String> {
    roles.iter().map(|r| r.as_str().to_owned()).collect()
}

const COLUMNS: &str = "id, username, staff_number, name, title, roles, department_code, window_code, public, password_hash, deactivated_ms, must_change_password";

/// The member of staff with this id, on a connection the caller holds.
pub(crate) async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Staff>> {
    let sql = format!("SELECT {COLUMNS} FROM staff WHERE id = $1");
    let row = sqlx::query_as::<_, StaffRow>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(Into::into))
}

/// An account as stored: roles as comma-separated text, the public flag a 0/1 integer.
#[derive(FromRow)]
struct StaffRow {
    id: String,
    username: String,
    staff_number: Option<i64>,
    name: String,
    title: String,
    roles: String,
    department_code: Option<String>,
    window_code: Option<String>,
    public: i64,
    password_hash: String,
    deactivated_ms: Option<i64>,
    must_change_password: i64,
}

impl From<StaffRow> for Staff {
    fn from(r: StaffRow) -> Self {
        Staff {
            id: r.id,
            username: r.username,
            // Every account has one since migration 14; the column is nullable only because
            // SQLite cannot add a NOT NULL column without a default.
            staff_number: format!("{:04}", r.staff_number.unwrap_or_default()),
            name: r.name,
            title: r.title,
            roles: r.roles.split(',').filter_map(Role::parse).collect(),
            department: r.department_code,
            window: r.window_code,
            public: r.public != 0,
            password_hash: r.password_hash,
            deactivated_ms: r.deactivated_ms,
            must_change_password: r.must_change_password != 0,
        }
    }
}

/// An account with how many current steps are assigned to it.
#[derive(FromRow)]
struct HeldRow {
    #[sqlx(flatten)]
    staff: StaffRow,
    held: i64,
}

impl Store {
    /// Adds an account; `must_change` when the admin chose its password.
    pub async fn insert_staff(
        &self,
        s: &NewStaff,
        password_hash: &str,
        region: &str,
        must_change: bool,
    ) -> Result<()> {
        let (s, hash, region) = (s.clone(), password_hash.to_owned(), region.to_owned());
        self.write(move |tx| {
            Box::pin(async move { insert_staff_in(tx, &s, &hash, &region, must_change).await })
        })
        .await
    }

    pub async fn staff_by_username(&self, username: &str) -> Result<Option<Staff>> {
        let sql = format!("SELECT {COLUMNS} FROM staff WHERE username = $1");
        let row = sqlx::query_as::<_, StaffRow>(sqlx::AssertSqlSafe(sql))
            .bind(username)
            .fetch_optional(&mut *self.read().await?)
            .await?;
        Ok(row.map(Into::into))
    }

    pub async fn staff_by_id(&self, id: &str) -> Result<Option<Staff>> {
        by_id(&mut *self.read().await?, id).await
    }

    /// The members of staff with these ids (unknown ids are left out), e.g. everyone a case's
    /// log names.
    pub async fn staff_by_ids(&self, ids: &[&str]) -> Result<Vec<Staff>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {COLUMNS} FROM staff WHERE id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query_as::<_, StaffRow>(sqlx::AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&mut *self.read().await?).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// A department's active staff, each with how many of the department's current steps are
    /// assigned to them.
    pub async fn department_staff(&self, department: &str) -> Result<Vec<(Staff, i64)>> {
        let sql = format!(
            "SELECT {COLUMNS}, (SELECT COUNT(*) FROM cases WHERE cases.current_department = staff.department_code AND cases.assignee = staff.id) AS held
             FROM staff WHERE department_code = $1 AND deactivated_ms IS NULL ORDER BY username"
        );
        let rows = sqlx::query_as::<_, HeldRow>(sqlx::AssertSqlSafe(sql))
            .bind(department)
            .fetch_all(&mut *self.read().await?)
            .await?;
        Ok(rows.into_iter().map(|r| (r.staff.into(), r.held)).collect())
    }

    /// The public board (监督栏): active staff who show their profile.
    pub async fn public_staff(&self) -> Result<Vec<Staff>> {
        self.staff_where(
            "public = 1 AND deactivated_ms IS NULL ORDER BY window_code, department_code, username",
        )
        .await
    }

    /// Every account, deactivated ones too, by username (for the centre admin).
    pub async fn all_staff(&self) -> Result<Vec<Staff>> {
        self.staff_where("1 = 1 ORDER BY username").await
    }

    async fn staff_where(&self, condition: &'static str) -> Result<Vec<Staff>> {
        let sql = format!("SELECT {COLUMNS} FROM staff WHERE {condition}");
        let rows = sqlx::query_as::<_, StaffRow>(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *self.read().await?)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Sets what the admin edits of an account; `NotFound` when there is no such username.
    pub async fn update_staff(&self, username: &str, p: &StaffProfile) -> Result<()> {
        let s = NewStaff::with_profile(username, p);
        self.write(move |tx| Box::pin(async move { update_staff_in(tx, &s).await }))
            .await
    }

    /// Sets a new password the holder must change at next log-in, keeps the old one in the
    /// history, and ends the account's sessions, in one transaction.
    pub async fn reset_staff_password(&self, username: &str, password_hash: &str) -> Result<()> {
        let staff = self
            .staff_by_username(username)
            .await?
            .ok_or(crate::StoreError::NotFound)?;
        let (id, hash) = (staff.id, password_hash.to_owned());
        self.write(move |tx| {
            Box::pin(async move {
                crate::auth::keep_old_password(tx, SubjectKind::Staff, &id).await?;
                one_row(
                    tx.execute(
                        sqlx::query(
                            "UPDATE staff SET password_hash = $2, must_change_password = 1 WHERE id = $1",
                        )
                        .bind(&id)
                        .bind(hash),
                    )
                    .await?,
                )?;
                tx.execute(
                    sqlx::query("DELETE FROM sessions WHERE subject_kind = 'staff' AND subject_id = $1")
                        .bind(&id),
                )
                .await?;
                Ok(())
            })
        })
        .await
    }

    /// Deactivates an account and ends its sessions, in one transaction. Deactivating an account
    /// that is already deactivated keeps the first date.
    pub async fn deactivate_staff(&self, username: &str, at_ms: i64) -> Result<()> {
        let change = sqlx::query(
            "UPDATE staff SET deactivated_ms = COALESCE(deactivated_ms, $2) WHERE username = $1",
        )
        .bind(username.to_owned())
        .bind(at_ms);
        self.change_and_sign_out(change, username).await
    }

    /// A change to one account that must also sign it out, in one transaction: `NotFound`
    /// unless `change` changed exactly one row; then the account's sessions end.
    async fn change_and_sign_out(&self, change: AnyQuery<'static>, username: &str) -> Result<()> {
        let username = username.to_owned();
        self.write(move |tx| {
            Box::pin(async move {
                one_row(tx.execute(change).await?)?;
                tx.execute(
                    sqlx::query(
                        "DELETE FROM sessions WHERE subject_kind = 'staff'
                           AND subject_id IN (SELECT id FROM staff WHERE username = $1)",
                    )
                    .bind(&username),
                )
                .await?;
                Ok(())
            })
        })
        .await
    }
}

/// Adds an account inside `tx`; its staff number is the next in order of creation.
pub(crate) async fn insert_staff_in(
    tx: &mut Tx,
    s: &NewStaff,
    password_hash: &str,
    region: &str,
    must_change: bool,
) -> Result<()> {
    tx.execute(
        sqlx::query(
            "INSERT INTO staff (id, username, name, title, roles, department_code, window_code, public, password_hash, region_code, must_change_password, staff_number)
             SELECT $1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, COALESCE(MAX(staff_number), 0) + 1 FROM staff",
        )
        .bind(&s.username)
        .bind(&s.name)
        .bind(&s.title)
        .bind(s.roles.join(","))
        .bind(&s.department)
        .bind(&s.window)
        .bind(s.public as i64)
        .bind(password_hash.to_owned())
        .bind(region.to_owned())
        .bind(i64::from(must_change)),
    )
    .await
    .map_err(|e| conflict_on_unique(e, "username"))?;
    Ok(())
}

/// Sets the profile of the account named `s.username` inside `tx`; `NotFound` when there is none.
pub(crate) async fn update_staff_in(tx: &mut Tx, s: &NewStaff) -> Result<()> {
    one_row(
        tx.execute(
            sqlx::query(
                "UPDATE staff SET name = $2, title = $3, roles = $4, department_code = $5, window_code = $6, public = $7
                 WHERE username = $1",
            )
            .bind(&s.username)
            .bind(&s.name)
            .bind(&s.title)
            .bind(s.roles.join(","))
            .bind(&s.department)
            .bind(&s.window)
            .bind(s.public as i64),
        )
        .await?,
    )
}
