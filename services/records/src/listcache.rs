//! Pages of the student list and of the GPA ranking, answered from memory while the
//! institution's list generation stays the same (ADR 0029). The generation is a row of
//! the database bumped by triggers on every write of the institution's enrolments, their
//! GPAs and their persons, in the writing transaction: a process that reads the same
//! generation reads the same lists, whichever replica wrote last.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use edu24_shared::db::Db;
use sqlx::Row;

/// Pages kept at most; the whole cache is dropped when it is full (simple, and a full
/// cache means a burst of distinct pages that will not all be asked again).
const MAX_ENTRIES: usize = 8192;

pub struct ListCache<T> {
    map: Mutex<HashMap<String, (i64, Arc<T>)>>,
}

impl<T> Default for ListCache<T> {
    fn default() -> Self {
        ListCache { map: Mutex::new(HashMap::new()) }
    }
}

impl<T> ListCache<T> {
    /// The page kept under `key` if it was read at generation `generation`.
    pub fn get(&self, key: &str, generation: i64) -> Option<Arc<T>> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key).filter(|(g, _)| *g == generation).map(|(_, v)| v.clone())
    }

    /// Keeps a page read after generation `generation` was read.
    pub fn put(&self, key: String, generation: i64, value: Arc<T>) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ENTRIES && !map.contains_key(&key) {
            map.clear();
        }
        map.insert(key, (generation, value));
    }
}

/// The institution's list generation (0 before its first change). Read *before* the list
/// itself: a page read afterwards is at least as new, so it may be kept under it.
pub async fn generation(db: &Db, institution_id: &str) -> Result<i64, sqlx::Error> {
    Ok(sqlx::query("SELECT gen FROM list_generation WHERE institution_id = $1")
        .bind(institution_id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| r.get::<i64, _>(0))
        .unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_kept_for_its_generation_only() {
        let c: ListCache<u32> = ListCache::default();
        c.put("a".into(), 3, Arc::new(7));
        assert_eq!(c.get("a", 3).as_deref(), Some(&7));
        assert_eq!(c.get("a", 4), None, "a later generation reads again");
        assert_eq!(c.get("b", 3), None);
        for i in 0..MAX_ENTRIES + 1 {
            c.put(format!("k{i}"), 1, Arc::new(0));
        }
        assert!(c.map.lock().unwrap().len() <= MAX_ENTRIES);
    }
}
