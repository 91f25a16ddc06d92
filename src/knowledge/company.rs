//! Company knowledge: folders (or single files) in the `knowledge/` format, named by
//! `PAYDOCTOR_KB` (a `:`-separated path list) and `--kb`, laid over the embedded knowledge in
//! that order with [`schema::compile`], one file at a time, then copied into the static shape
//! (the engine's indexes over it are built on first use, once per process). Without any,
//! nothing is read or parsed: the commands use the embedded statics as they are.

use super::{EMBEDDED, Knowledge, into_static, schema, to_compiled};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// The company knowledge paths in force, lowest precedence first.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    paths: Vec<PathBuf>,
    /// The paths are a whole knowledge base: compiled on their own, not over the embedded one.
    standalone: bool,
}

impl Layers {
    /// `PAYDOCTOR_KB` first, then every `--kb`: a later file overrides an earlier one's entries.
    pub fn new(flags: &[PathBuf]) -> Layers {
        let mut paths: Vec<PathBuf> = std::env::var_os("PAYDOCTOR_KB")
            .map(|v| std::env::split_paths(&v).filter(|p| !p.as_os_str().is_empty()).collect())
            .unwrap_or_default();
        paths.extend(flags.iter().cloned());
        Layers { paths, standalone: false }
    }

    /// These layers with one more on top (`kb check DIR`).
    pub fn with(&self, path: &Path) -> Layers {
        let mut paths = self.paths.clone();
        paths.push(path.to_path_buf());
        Layers { paths, standalone: self.standalone }
    }

    /// The knowledge folder at `path` on its own (`kb check --standalone`).
    pub fn standalone(path: &Path) -> Layers {
        Layers { paths: vec![path.to_path_buf()], standalone: true }
    }

    /// The merged knowledge and every problem found in the company files (`kb check`).
    pub fn load(&self) -> Result<(Knowledge, Vec<schema::Problem>)> {
        if self.paths.is_empty() {
            return Ok((EMBEDDED, vec![]));
        }
        let mut compiled = if self.standalone { schema::Compiled::default() } else { to_compiled(&EMBEDDED) };
        let mut problems = Vec::new();
        for path in &self.paths {
            // One file at a time: its text and parse are freed before the next is read.
            let (mut unreadable, mut unparsed) = (None, Vec::new());
            let files = files(path)?
                .into_iter()
                .map_while(|p| {
                    let name = p.display().to_string();
                    let text = crate::files::read_text(&p, "knowledge file").map_err(|e| unreadable = Some(e)).ok()?;
                    Some(schema::parse_file(&name, &text).map(|raw| (name, raw)).map_err(|p| unparsed.push(p)).ok())
                })
                .flatten();
            let (next, mut more) = schema::compile(compiled, files);
            if let Some(e) = unreadable {
                return Err(e);
            }
            problems.append(&mut unparsed);
            problems.append(&mut more);
            compiled = next;
        }
        Ok((into_static(compiled), problems))
    }

    /// The knowledge every command uses. A problem in a company file is an error: the first
    /// one, on one line, with the count of the others and the command that lists them.
    pub fn open(&self) -> Result<Knowledge> {
        let (kb, problems) = self.load()?;
        let Some(first) = problems.first() else { return Ok(kb) };
        let more = match problems.len() {
            1 => String::new(),
            2 => " (and 1 more problem)".to_string(),
            n => format!(" (and {} more problems)", n - 1),
        };
        let dir = Path::new(&first.file).parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        bail!("company knowledge {first}{more}; run `paydoctor kb check {}`", dir.display())
    }
}

/// The company file at `path`, or every `*.toml` in the folder and its `network/` (sorted).
fn files(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_dir() {
        schema::knowledge_files(path).with_context(|| format!("cannot read knowledge folder {}", path.display()))
    } else if path.exists() {
        Ok(vec![path.to_path_buf()])
    } else {
        bail!("knowledge folder {} does not exist (from --kb or PAYDOCTOR_KB)", path.display());
    }
}
