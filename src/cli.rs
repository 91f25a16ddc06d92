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
}
