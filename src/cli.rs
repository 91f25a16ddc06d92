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
  paydoctor probe --provider stripe --env sandbox
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
    /// Live, read-only checks of credentials, OAuth token and environment against the provider.
    Probe(ProbeArgs),
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

    /// Run the live probes relevant to the top causes and re-rank them by what they find.
    #[arg(long)]
    pub probe: bool,

    #[command(flatten, next_help_heading = "Probe options (with --probe)")]
    pub probe_target: ProbeTarget,

    /// The error: `412 invalid_token`, `checkout:token_invalid`, or a pasted body/log line.
    /// `-` or nothing reads it from a pipe.
    pub text: Vec<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Credentials are read from environment variables (the SDKs' names, e.g. STRIPE_API_KEY, CKO_SECRET_KEY,
PAYPAL_CLIENT_ID/PAYPAL_CLIENT_SECRET, or PAYDOCTOR_<PROVIDER>_<KIND>), from --*-file PATH, or from a
config profile; never from a flag value.

Examples:
  STRIPE_API_KEY=sk_test_... paydoctor probe --provider stripe
  paydoctor probe --provider paypal --env sandbox --client-secret-file ~/.secrets/paypal
  paydoctor probe --profile shop-sandbox --only env,credential --json

Exit status: 0 every check passed, 1 a check found a problem, 2 the probe could not run.")]
pub struct ProbeArgs {
    /// The provider to probe (id or alias): checkout, alternativepayments, mercadopago,
    /// afterpay, stripe, paypal.
    #[arg(long, short = 'p')]
    pub provider: Option<String>,

    /// Run only these checks (comma-separated; default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub only: Vec<crate::probe::CheckKind>,

    /// Print one JSON object instead of the checklist.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub target: ProbeTarget,
}

/// Where a probe goes and where its credentials come from (shared by `probe` and `explain --probe`).
#[derive(Debug, Args)]
pub struct ProbeTarget {
    /// The environment the credentials are meant for.
    #[arg(long, value_enum)]
    pub env: Option<EnvArg>,

    /// Probe this base URL instead of the documented one (https://, or http:// to loopback).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Use a named profile from the config file (provider, environment, base URL, credential sources).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Send authenticated requests even when the credential and the host belong to different environments.
    #[arg(long)]
    pub force: bool,

    /// Read the secret key from this file.
    #[arg(long, value_name = "PATH")]
    pub secret_key_file: Option<PathBuf>,

    /// Read the OAuth client id (Afterpay: merchant id) from this file.
    #[arg(long, value_name = "PATH")]
    pub client_id_file: Option<PathBuf>,

    /// Read the OAuth client secret from this file.
    #[arg(long, value_name = "PATH")]
    pub client_secret_file: Option<PathBuf>,

    /// Read a stored access token from this file (checked for still being accepted).
    #[arg(long, value_name = "PATH")]
    pub access_token_file: Option<PathBuf>,

    /// Seconds to wait for a connection.
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    pub connect_timeout: f64,

    /// Seconds to wait for a whole request.
    #[arg(long, value_name = "SECS", default_value_t = 15.0)]
    pub timeout: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EnvArg {
    Sandbox,
    Production,
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
