//! Grouping findings by diagnosis (provider + entry): how many, where (each file's first and
//! last line), when first and last, one redacted sample, the top cause and the first fix.

use super::Finding;
use super::timestamps::Timestamp;
use crate::knowledge::Knowledge;
use std::collections::HashMap;
use std::rc::Rc;

/// The lines of one input a group was seen on.
#[derive(Debug, Clone)]
pub struct FileSpan {
    pub file: Rc<str>,
    pub first_line: u64,
    pub last_line: u64,
    pub count: u64,
}

#[derive(Debug)]
pub struct Group {
    pub entry: u32,
    pub code: Option<&'static str>,
    pub status: Option<u16>,
    pub count: u64,
    /// In the order the inputs were read.
    pub files: Vec<FileSpan>,
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
    pub fn add(&mut self, kb: &Knowledge, f: &Finding, sample: impl FnOnce() -> String) {
        let entry = f.m.entry;
        let i = *self.index.entry(entry).or_insert_with(|| {
            let e = &kb.entries[entry as usize];
            self.list.push(Group {
                entry,
                code: f.m.code,
                status: f.m.status,
                count: 0,
                files: Vec::new(),
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
        let line = f.place.line;
        match g.files.last_mut() {
            Some(s) if Rc::ptr_eq(&s.file, &f.place.file) => {
                s.last_line = line;
                s.count += 1;
            }
            _ => g.files.push(FileSpan { file: f.place.file.clone(), first_line: line, last_line: line, count: 1 }),
        }
        if let Some(t) = f.place.time {
            g.first_seen = Some(g.first_seen.map_or(t, |s| s.min(t)));
            g.last_seen = Some(g.last_seen.map_or(t, |s| s.max(t)));
        }
    }

    /// Every group, in the order first seen.
    pub fn all(&self) -> &[Group] {
        &self.list
    }
}
