//! Multi-row INSERTs for seeding: rows gathered per table and written a few hundred at a
//! time (one statement, bound parameters), inside the caller's transaction.

use edu24_shared::db::WriteTx;

#[derive(Debug, Clone)]
pub enum Val {
    T(String),
    I(i64),
    /// An integer that may be NULL.
    OI(Option<i64>),
    /// Text that may be NULL.
    OT(Option<String>),
    B(Vec<u8>),
}

impl From<&str> for Val {
    fn from(s: &str) -> Self {
        Val::T(s.to_owned())
    }
}
impl From<String> for Val {
    fn from(s: String) -> Self {
        Val::T(s)
    }
}
impl From<&String> for Val {
    fn from(s: &String) -> Self {
        Val::T(s.clone())
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::I(v)
    }
}
impl From<i32> for Val {
    fn from(v: i32) -> Self {
        Val::I(i64::from(v))
    }
}
impl From<Option<i32>> for Val {
    fn from(v: Option<i32>) -> Self {
        Val::OI(v.map(i64::from))
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Self {
        Val::I(i64::from(v))
    }
}

/// Rows waiting for one table.
pub struct Bulk {
    head: String,
    columns: usize,
    per_statement: usize,
    rows: Vec<Vec<Val>>,
    pub written: u64,
}

impl Bulk {
    pub fn new(table: &str, columns: &[&str]) -> Bulk {
        // SQLite allows 32,766 parameters a statement; PostgreSQL 65,535.
        let per_statement = (30_000 / columns.len()).min(500);
        Bulk {
            head: format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")),
            columns: columns.len(),
            per_statement,
            rows: Vec::new(),
            written: 0,
        }
    }

    /// Adds a row; writes a full batch.
    pub async fn push(&mut self, tx: &mut WriteTx, row: Vec<Val>) -> Result<(), sqlx::Error> {
        debug_assert_eq!(row.len(), self.columns, "{}", self.head);
        self.rows.push(row);
        if self.rows.len() >= self.per_statement {
            self.flush(tx).await?;
        }
        Ok(())
    }

    /// Adds a row whose foreign keys point at rows of `parents`: they are written first
    /// whenever this table writes.
    pub async fn push_after(
        &mut self,
        tx: &mut WriteTx,
        row: Vec<Val>,
        parents: &mut [&mut Bulk],
    ) -> Result<(), sqlx::Error> {
        self.rows.push(row);
        if self.rows.len() >= self.per_statement {
            for p in parents.iter_mut() {
                p.flush(tx).await?;
            }
            self.flush(tx).await?;
        }
        Ok(())
    }

    pub async fn flush(&mut self, tx: &mut WriteTx) -> Result<(), sqlx::Error> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut sql = String::with_capacity(self.head.len() + self.rows.len() * self.columns * 6);
        sql.push_str(&self.head);
        // SQLite gets anonymous parameters: numbered ones are looked up by a linear scan
        // per parameter, which makes a statement of thousands of them quadratic.
        let sqlite = tx.backend() == edu24_shared::db::Backend::Sqlite;
        let mut n = 0;
        for (i, _) in self.rows.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..self.columns {
                if c > 0 {
                    sql.push(',');
                }
                n += 1;
                if sqlite {
                    sql.push('?');
                } else {
                    sql.push('$');
                    sql.push_str(&n.to_string());
                }
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for row in self.rows.drain(..) {
            for v in row {
                q = match v {
                    Val::T(s) => q.bind(s),
                    Val::I(i) => q.bind(i),
                    Val::OI(i) => q.bind(i),
                    Val::OT(s) => q.bind(s),
                    Val::B(b) => q.bind(b),
                };
            }
        }
        self.written += q.execute(tx.conn()).await?.rows_affected();
        Ok(())
    }
}
