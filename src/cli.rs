//! Command-line definitions (clap derive). Long flag names are spelled out so they can be
//! grepped for.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
  paydoctor explain 412 invalid_token
  paydoctor explain checkout:token_invalid
  paydoctor explain '{\"errorCode\":\"invalid_token\",\"errorId\":\"4f2c\",\"httpStatusCode\":402}'
  pbpaste | paydoctor explain
  paydoctor scan app.log app.log.1.gz
  paydoctor kb stats

Exit status: 0 diagnosed, 1 nothing matched, 2 usage or operational error.";

#[derive(Debug, Parser)]
#[command(name = "paydoctor", version, about = "Diagnose payment-API errors: which provider, which error, why, and the fix.", after_help = AFTER_HELP)]
pub struct Cli {
    /// When to use colors: auto honours NO_COLOR and colors only a terminal.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Explain an error: status and code tokens, or a pasted body, exception or log line.
    Explain(ExplainArgs),
    /// Knowledge base tools for authors: validate files, coverage figures.
    #[command(subcommand)]
    Kb(KbCommand),
    /// Scan whole logs (files, .gz, stdin) for payment errors, grouped by root cause.
    Scan(ScanArgs),
}

#[derive(Debug, Default, Args)]
#[command(
    after_help = "Examples:\n  paydoctor scan app.log app.log.1.gz\n  kubectl logs pod | paydoctor scan\n  paydoctor scan --ndjson --provider stripe app.log | jq .code\n  paydoctor scan --follow /var/log/app.log"
)]
pub struct ScanArgs {
    /// Only report this provider (id or alias).
    #[arg(long, short = 'p')]
    pub provider: Option<String>,

    /// Only report this category (auth_invalid_key, rate_limit, decline...).
    #[arg(long)]
    pub category: Option<String>,

    /// Only report groups seen at least this many times.
    #[arg(long, default_value_t = 1)]
    pub min_count: u64,

    /// Only findings at or after this time (2024-05-01, 2024-05-01T10:00:00Z...).
    #[arg(long)]
    pub since: Option<String>,

    /// Only findings at or before this time.
    #[arg(long)]
    pub until: Option<String>,

    /// Print one JSON object at the end ({"groups", "patterns", "summary"}).
    #[arg(long, conflicts_with = "ndjson")]
    pub json: bool,

    /// Print one JSON object per line: each finding as it is read, then patterns and a summary.
    #[arg(long)]
    pub ndjson: bool,

    /// Keep reading a file as lines are appended (tail -f); findings are printed as they come.
    #[arg(long, short = 'f', conflicts_with = "json")]
    pub follow: bool,

    /// Log files (`.gz` decompressed on the fly); `-` or nothing reads a pipe.
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  paydoctor explain 412 invalid_token\n  paydoctor explain --provider stripe 401\n  paydoctor explain 'HTTP/1.1 403 Forbidden' --provider checkout\n  cat error.json | paydoctor explain --json"
)]
pub struct ExplainArgs {
    /// Only consider this provider (id or alias, e.g. checkout, cko, stripe).
    #[arg(long, short = 'p')]
    pub provider: Option<String>,

    /// Print one JSON object ({"matches": [...]}) instead of the report.
    #[arg(long)]
    pub json: bool,

    /// How many matches to show at most.
    #[arg(long, short = 'n', default_value_t = 3)]
    pub limit: usize,

    /// The error: `412 invalid_token`, `checkout:token_invalid`, or a pasted body/log line.
    /// `-` or nothing reads it from a pipe.
    pub text: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Validate knowledge files and round-trip every sample through the matcher.
    Check {
        /// A folder of knowledge files (default: the embedded knowledge base).
        dir: Option<PathBuf>,
    },
    /// Entries per provider and, with --catalog, the share of each catalog covered.
    Stats {
        /// A folder of `<provider>.tsv` catalogs (code, http_status, kind, ...).
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Exit 1 when a catalog's coverage is below this percentage.
        #[arg(long)]
        min_coverage: Option<f64>,
        /// Read this knowledge folder instead of the embedded knowledge base.
        #[arg(long)]
        kb: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The knowledge base's distinctive codes, one per line (a fixed-string list for grep).
    Codes,
}
