//! `paydoctor scan`: whole logs in, payment errors grouped by root cause out.

use crate::cli::ScanArgs;
use crate::exit::Exit;
use crate::knowledge::Knowledge;
use crate::redact::Redactor;
use crate::scan::prefilter::Prefilter;
use crate::scan::print::{Format, Printer};
use crate::scan::reader::{LineReader, Source};
use crate::scan::report::ScanReport;
use crate::scan::{Filters, Scanner, timestamps};
use crate::{commands::explain::provider_filter, input, output};
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::cell::OnceCell;
use std::io::IsTerminal;
use std::time::Instant;

/// Inputs smaller than this finish before a progress bar would be worth drawing.
const PROGRESS_MIN_BYTES: u64 = 64 << 20;

fn bound(s: Option<&str>, flag: &str) -> Result<Option<timestamps::Timestamp>> {
    s.map(|s| {
        timestamps::parse_bound(s, timestamps::now()).with_context(|| {
            format!("{flag} `{s}` is not a time (use 2024-05-01, 2024-05-01T10:00:00Z, 2h or '2 hours ago')")
        })
    })
    .transpose()
}

/// A progress bar on stderr (bytes, rate), drawn once the input proves large: a file's size
/// is known up front, a pipe shows it after [`PROGRESS_MIN_BYTES`].
fn progress(total: Option<u64>) -> Option<ProgressBar> {
    let template = match total {
        Some(_) => "{bytes}/{total_bytes} {binary_bytes_per_sec} {wide_bar} {eta}",
        None => "{bytes} {binary_bytes_per_sec} {spinner}",
    };
    let style = ProgressStyle::with_template(template).ok()?;
    Some(ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr()).with_style(style))
}

pub fn run(kb: &Knowledge, args: &ScanArgs) -> Result<Exit> {
    Ok(scan(kb, args, false)?.unwrap_or(Exit::NoMatch))
}

/// `paydoctor` with no subcommand and a pipe: scan it; `None` (nothing printed) when the
/// pipe was empty, so the caller can show the usage instead.
pub fn run_piped(kb: &Knowledge) -> Result<Option<Exit>> {
    scan(kb, &ScanArgs::default(), true)
}

fn scan(kb: &Knowledge, args: &ScanArgs, implicit: bool) -> Result<Option<Exit>> {
    let provider = provider_filter(kb, args.provider.as_deref())?;
    if let Some(c) = &args.category {
        if !kb.entries.iter().any(|e| e.category == c) {
            bail!("unknown category `{c}` (see `paydoctor scan --help` and the README for the list)");
        }
    }
    let filters = Filters {
        provider,
        category: args.category.clone(),
        since: bound(args.since.as_deref(), "--since")?,
        until: bound(args.until.as_deref(), "--until")?,
        min_count: args.min_count,
    };
    if args.files.is_empty() && !input::stdin_is_readable() {
        bail!("nothing to scan: give log files (paydoctor scan app.log) or pipe a log in");
    }
    // A pipe is read as it comes anyway: `journalctl -f | paydoctor scan --follow` is that.
    if args.follow && args.files.len() > 1 {
        bail!("--follow takes one file (or a pipe on stdin)");
    }
    let format = match (args.json, args.ndjson) {
        (true, _) => Format::Json,
        (_, true) => Format::Ndjson,
        _ => Format::Human,
    };
    let started = Instant::now();
    let pre = Prefilter::new(kb);
    let red = Redactor::new(kb);
    let threads = match args.threads {
        Some(n) => usize::from(n),
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let mut scanner = Scanner::new(kb, &pre, &red, &filters, threads);
    let mut printer = Printer::new(output::stdout(), format, args.follow, &red);
    let mut failed = false;
    let paths: Vec<Option<&std::path::Path>> = if args.files.is_empty() {
        vec![None]
    } else {
        args.files.iter().map(|f| (f.as_os_str() != "-").then_some(f.as_path())).collect()
    };
    for path in paths {
        let src = match path {
            None => Source::stdin(),
            Some(p) => match Source::open(p, args.follow) {
                Ok(s) => s,
                Err(e) => {
                    crate::output::note(format_args!("{}", red.line(&format!("{e:#}"))));
                    failed = true;
                    continue;
                }
            },
        };
        let name = src.name.clone();
        let show = format == Format::Human && !args.follow && std::io::stderr().is_terminal();
        let total = src.len;
        let pb: OnceCell<Option<ProgressBar>> = OnceCell::new();
        let tick = |n: u64| {
            if show && (n >= PROGRESS_MIN_BYTES || total.is_some_and(|t| t >= PROGRESS_MIN_BYTES)) {
                if let Some(pb) = pb.get_or_init(|| progress(total)) {
                    pb.set_position(n);
                }
            }
        };
        let result = scanner.scan(LineReader::new(src), &mut printer, &tick);
        if let Some(Some(pb)) = pb.get() {
            pb.finish_and_clear();
        }
        if let Err(e) = result {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Err(e.into());
            }
            crate::output::note(format_args!("{}", red.line(&format!("cannot read {name}: {e}"))));
            failed = true;
        }
    }
    if implicit && scanner.summary.counts.bytes == 0 {
        return Ok(None);
    }
    let patterns = scanner.patterns.report(kb);
    let report =
        ScanReport::new(kb, &red, scanner.groups.all(), &patterns, &scanner.summary, &filters, started.elapsed());
    printer.finish(&report)?;
    if failed {
        return Ok(Some(Exit::Error));
    }
    if report.groups.is_empty() && report.patterns.is_empty() {
        if format == Format::Human {
            crate::output::note(format_args!(
                "no payment errors found in {} lines ({} candidate lines checked)",
                scanner.summary.counts.lines, scanner.summary.counts.candidates
            ));
        }
        return Ok(Some(Exit::NoMatch));
    }
    Ok(Some(Exit::Success))
}
