//! Grouping findings by diagnosis (provider + entry + category): how many, where first and
//! last, when first and last, one redacted sample, the top cause and the first fix.

use super::Finding;
use super::timestamps::Timestamp;
use crate::knowledge::Knowledge;
use std::collections::HashMap;

#[derive(Debug)]
pub struct Group {
    pub entry: u32,
    pub code: Option<&'static str>,
    pub status: Option<u16>,
    pub count: u64,
    pub first_file: String,
    pub first_line: u64,
    pub last_file: String,
    pub last_line: u64,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    pub sample: String,
    pub cause: &'static str,
    pub fix: &'static str,
}

#[derive(Default)]
pub struct Groups {
    index: HashMap<u32, usize>,
    list: Vec<Group>,
}

impl Groups {
    /// Count one finding; `sample` is called for the first finding of a group only.
    pub fn add(&mut self, kb: &Knowledge, f: &Finding, file: &str, sample: impl FnOnce() -> String) {
        let entry = f.m.entry;
        let i = *self.index.entry(entry).or_insert_with(|| {
            let e = &kb.entries[entry as usize];
            self.list.push(Group {
                entry,
                code: f.m.code,
                status: f.m.status,
                count: 0,
                first_file: file.to_string(),
                first_line: f.place.line,
                last_file: String::new(),
                last_line: f.place.line,
                first_seen: None,
                last_seen: None,
                sample: sample(),
                cause: f.m.causes.first().map_or("", |c| c.cause.summary),
                fix: e.fixes.first().copied().unwrap_or(""),
            });
            self.list.len() - 1
        });
        let g = &mut self.list[i];
        g.count += 1;
        if g.last_file != file {
            g.last_file = file.to_string();
        }
        g.last_line = f.place.line;
        if let Some(t) = f.place.time {
            g.first_seen = Some(g.first_seen.map_or(t, |s| s.min(t)));
            g.last_seen = Some(g.last_seen.map_or(t, |s| s.max(t)));
        }
    }

    /// Groups with at least `min_count` findings, most frequent first.
    pub fn sorted(&self, min_count: u64) -> Vec<&Group> {
        let mut v: Vec<&Group> = self.list.iter().filter(|g| g.count >= min_count).collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.first_line.cmp(&b.first_line)));
        v
    }
}
