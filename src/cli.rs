//! Command-line definitions (clap derive). Long flag names are spelled out so they can be
//! grepped for.

use crate::knowledge::schema::CATEGORIES;
use clap::builder::{PossibleValue, PossibleValuesParser, StringValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
  paydoctor explain 412 invalid_token
  paydoctor explain checkout:token_invalid
  paydoctor explain '{\"errorCode\":\"invalid_token\",\"errorId\":\"4f2c\",\"httpStatusCode\":402}'
  pbpaste | paydoctor explain
  paydoctor list stripe --category decline
  paydoctor show afterpay invalid_token
  paydoctor search insufficient funds
  paydoctor --kb ./company-kb explain 'GW-1042 gateway timeout'
  paydoctor probe --provider stripe --env sandbox
  paydoctor scan app.log app.log.1.gz
  paydoctor webhook verify --body event.json --header 'Stripe-Signature: t=…,v1=…'
  paydoctor kb stats

Exit status: 0 diagnosed, 1 nothing matched, 2 usage or operational error.";

#[derive(Debug, Parser)]
#[command(name = "paydoctor", version, about = "Diagnose payment-API errors: which provider, which error, why, and the fix.", after_help = AFTER_HELP)]
pub struct Cli {
    /// When to use colors: auto honours NO_COLOR and colors only a terminal.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    /// Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded
    /// knowledge, adding providers and entries or overriding entries with the same id.
    /// Repeatable; PAYDOCTOR_KB (`:`-separated) is read first.
    #[arg(long, value_name = "DIR", global = true, value_hint = ValueHint::AnyPath)]
    pub kb: Vec<PathBuf>,

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
    /// List the providers, or one provider's entries with their titles and categories.
    List(ListArgs),
    /// Show one entry in full: causes, fixes, docs, samples, and where it came from.
    Show(ShowArgs),
    /// Search titles, messages, causes, fixes and codes (typos allowed).
    Search(SearchArgs),
    /// Scan whole logs (files, .gz, stdin) for payment errors, grouped by root cause.
    Scan(ScanArgs),
    /// Live, read-only checks of credentials, OAuth token and environment against the provider.
    Probe(ProbeArgs),
    /// Verify a webhook's signature offline and, when it fails, prove why.
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Knowledge base tools for authors: validate files, coverage figures.
    #[command(subcommand)]
    Kb(KbCommand),
    /// Where paydoctor looks for its config and company knowledge; validate the config file.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print the shell completion script for SHELL to stdout.
    #[command(after_help = COMPLETIONS_AFTER_HELP)]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout.
    #[command(
        after_help = "Examples:\n  paydoctor man | man -l -\n  paydoctor man > ~/.local/share/man/man1/paydoctor.1"
    )]
    Man,
}

const COMPLETIONS_AFTER_HELP: &str = "\
Examples:
  paydoctor completions bash > ~/.local/share/bash-completion/completions/paydoctor
  paydoctor completions zsh > ~/.zfunc/_paydoctor
  paydoctor completions fish > ~/.config/fish/completions/paydoctor.fish
  paydoctor completions powershell >> $PROFILE
  paydoctor completions elvish >> ~/.config/elvish/rc.elv";

/// Accepts any provider name (ids, aliases and company providers are resolved later). Shell
/// completion offers the ids `paydoctor list --ids` prints when TAB is pressed: the scripts
/// carry [`PROVIDER_IDS`] where the ids go, replaced by that call (see `commands::generate`), so
/// no script lists providers and a new knowledge file needs no new script.
#[derive(Debug, Clone, Copy)]
pub struct ProviderName;

/// The one value [`ProviderName`] offers to the completion generators: a placeholder for the
/// ids, filled in by each shell at completion time.
pub const PROVIDER_IDS: &str = "__paydoctor_provider_ids__";

impl TypedValueParser for ProviderName {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(std::iter::once(PossibleValue::new(PROVIDER_IDS))))
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  paydoctor list\n  paydoctor list --all-known\n  paydoctor list afterpay\n  paydoctor list stripe --category decline\n  paydoctor list --category webhook_signature\n  paydoctor list checkout --json | jq -r '.entries[].entry'"
)]
pub struct ListArgs {
    /// A provider id or alias: list its entries instead of the providers.
    #[arg(value_parser = ProviderName, hide_possible_values = true)]
    pub provider: Option<String>,

    /// Only entries of this category (without PROVIDER: of every provider).
    #[arg(long, value_parser = PossibleValuesParser::new(CATEGORIES))]
    pub category: Option<String>,

    /// Also list the providers recognised by name only (no knowledge file: an error naming
    /// one gets the general diagnosis of its category).
    #[arg(long, conflicts_with_all = ["provider", "category"])]
    pub all_known: bool,

    /// Print only the provider ids, one per line (what shell completion offers).
    #[arg(long, conflicts_with_all = ["provider", "category", "json", "all_known"])]
    pub ids: bool,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  paydoctor show afterpay invalid_token\n  paydoctor show afterpay INVALID-TOKEN\n  paydoctor show checkout:token_invalid\n  paydoctor show stripe card_declined --json | jq '.fixes'"
)]
pub struct ShowArgs {
    /// A provider id or alias (or PROVIDER:CODE in one word).
    #[arg(value_parser = ProviderName, hide_possible_values = true)]
    pub provider: String,

    /// The entry id or any of its codes and aliases, spelled loosely (INVALID-TOKEN).
    pub code: Option<String>,

    /// Print the entry as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  paydoctor search insufficient funds\n  paydoctor search insuficient funds        # typos are fine\n  paydoctor search --provider paypal webhook signature\n  paydoctor search expired token --limit 5 --json\n\nExit status: 0 found, 1 nothing found, 2 usage error."
)]
pub struct SearchArgs {
    /// Words to look for in titles, messages, causes, fixes and codes.
    #[arg(required = true)]
    pub words: Vec<String>,

    /// Only search this provider (id or alias).
    #[arg(long, short = 'p', value_parser = ProviderName, hide_possible_values = true)]
    pub provider: Option<String>,

    /// How many results to show at most.
    #[arg(long, short = 'n', default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..).map(|n| n as usize))]
    pub limit: usize,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
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

    /// Only report groups and patterns seen at least this many times.
    #[arg(long, default_value_t = 1)]
    pub min_count: u64,

    /// Only findings and patterns at or after this time (2024-05-01, 2024-05-01T10:00:00Z, 2h, "2 hours ago", today).
    #[arg(long)]
    pub since: Option<String>,

    /// Only findings and patterns at or before this time (same forms as --since).
    #[arg(long)]
    pub until: Option<String>,

    /// Print one JSON object at the end ({"groups", "patterns", "summary"}).
    #[arg(long, conflicts_with = "ndjson")]
    pub json: bool,

    /// Print one JSON object per line: each finding as it is read, then patterns and a summary.
    #[arg(long)]
    pub ndjson: bool,

    /// Keep reading a file as lines are appended (tail -F); findings are printed as they come.
    /// A pipe on stdin is always read as it comes (`journalctl -f | paydoctor scan -f`).
    #[arg(long, short = 'f', conflicts_with = "json")]
    pub follow: bool,

    /// Threads that read each buffer in parallel (default: one per CPU core; 1 reads in order).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,

    /// Log files (`.gz` decompressed on the fly); `-` or nothing reads a pipe.
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  paydoctor explain 412 invalid_token\n  paydoctor explain --provider stripe 401\n  paydoctor explain 'HTTP/1.1 403 Forbidden' --provider checkout\n  cat error.json | paydoctor explain --json"
)]
pub struct ExplainArgs {
    /// Only consider this provider (id or alias, e.g. checkout, cko, stripe).
    #[arg(long, short = 'p', value_parser = ProviderName, hide_possible_values = true)]
    pub provider: Option<String>,

    /// Print one JSON object ({"matches": [...]}) instead of the report.
    #[arg(long)]
    pub json: bool,

    /// How many matches to show at most.
    #[arg(long, short = 'n', default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..).map(|n| n as usize))]
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
Credentials are read from environment variables (the SDKs' names, e.g.
STRIPE_API_KEY, CKO_SECRET_KEY, PAYPAL_CLIENT_ID/PAYPAL_CLIENT_SECRET, or
PAYDOCTOR_<PROVIDER>_<KIND>), from --*-file PATH, or from a config profile;
never from a flag value.

Examples:
  STRIPE_API_KEY=sk_test_... paydoctor probe --provider stripe
  paydoctor probe -p paypal --env sandbox --client-secret-file ~/.secrets/paypal
  paydoctor probe --profile shop-sandbox --only env,credential --json

Exit status: 0 every check passed, 1 a check found a problem, 2 the probe could
not run.")]
pub struct ProbeArgs {
    /// The provider to probe (id or alias); `paydoctor list` marks those with live probes.
    #[arg(long, short = 'p', value_parser = ProviderName, hide_possible_values = true)]
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

    /// Read the client id (OAuth client id, or the account or merchant id the provider pairs
    /// with a secret key) from this file.
    #[arg(long, value_name = "PATH")]
    pub client_id_file: Option<PathBuf>,

    /// Read the OAuth client secret from this file.
    #[arg(long, value_name = "PATH")]
    pub client_secret_file: Option<PathBuf>,

    /// Read a stored access token from this file (checked for still being accepted).
    #[arg(long, value_name = "PATH")]
    pub access_token_file: Option<PathBuf>,

    /// Read the merchant id some providers want beside a key (Cybersource) from this file.
    #[arg(long, value_name = "PATH")]
    pub merchant_id_file: Option<PathBuf>,

    /// Seconds to wait for a connection.
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    pub connect_timeout: f64,

    /// Seconds to wait for a whole request.
    #[arg(long, value_name = "SECS", default_value_t = 15.0)]
    pub timeout: f64,

    /// Also trust the CA certificates in this PEM file (a TLS-inspecting corporate proxy, a
    /// private CA), on top of the system's roots; else PAYDOCTOR_CA_FILE, else `ca_file` in the
    /// config file. Certificates are always verified.
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EnvArg {
    Sandbox,
    Production,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Show every path paydoctor reads and which rule chose it.
    #[command(after_help = "Examples:\n  paydoctor config path\n  PAYDOCTOR_CONFIG_DIR=./ci paydoctor config path")]
    Path,
    /// Validate the config file's profiles (providers, environments, credential sources).
    #[command(
        after_help = "Examples:\n  paydoctor config check\n\nExit status: 0 valid or no file, 1 problems listed, 2 unreadable or not TOML."
    )]
    Check,
}

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Verify a webhook request's signature as the provider signs it; when it fails, find
    /// the cause (body re-serialized, wrong secret or kind of secret, other environment,
    /// timestamp, URL, signed fields, missing or malformed header).
    Verify(WebhookVerifyArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "\
Providers: stripe, razorpay, square, checkout, mercadopago, braintree, adyen,
mollie (classic webhooks are unsigned: said so), paypal (--cert, or --online to
ask PayPal). Detected from the headers (Stripe-Signature, X-Razorpay-Signature,
x-square-hmacsha256-signature, Cko-Signature, x-signature + x-request-id,
bt_signature/bt_payload, HmacSignature or Adyen's additionalData.hmacSignature,
X-Mollie-Signature, PAYPAL-TRANSMISSION-SIG) or given with --provider.

Secrets are never read from the command line: PAYDOCTOR_WEBHOOK_SECRET
(comma-separated, to find which one matches), --secret-env VAR, a config
profile's `webhook_secret`, or the provider's variable (STRIPE_WEBHOOK_SECRET,
RAZORPAY_WEBHOOK_SECRET, SQUARE_SIGNATURE_KEY, CKO_WEBHOOK_SECRET,
MERCADOPAGO_WEBHOOK_SECRET, BRAINTREE_PRIVATE_KEY, ADYEN_HMAC_KEY,
MOLLIE_WEBHOOK_SECRET, PAYPAL_WEBHOOK_ID). They are masked in every output.

Examples:
  paydoctor webhook verify --body event.json -H 'Stripe-Signature: t=…,v1=…'
  paydoctor webhook verify --headers request.http --json   # a captured request
  paydoctor webhook verify --headers curl-v.txt --body body.json
  paydoctor webhook verify --url https://shop.example/hooks/square \\
      --headers h.txt --body b.json
  paydoctor webhook verify --provider paypal --cert cert.pem --headers h.txt \\
      --body b.json
  PAYPAL_CLIENT_ID=… PAYPAL_CLIENT_SECRET=… paydoctor webhook verify --online \\
      --env sandbox --headers h.txt --body b.json

Exit status: 0 verified, 1 not verified (the cause is named), 2 usage or
operational error.")]
pub struct WebhookVerifyArgs {
    /// The provider (default: detected from the headers and body).
    #[arg(long, short = 'p', value_enum)]
    pub provider: Option<crate::webhook::Provider>,

    /// The raw body, read byte for byte from this file; `-` or nothing reads a pipe.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub body: Option<PathBuf>,

    /// A request header, `Name: value` (repeatable).
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// A file of `Name: value` lines, a curl -v or --trace-ascii dump, or a captured HTTP
    /// request (its body is used when --body is not given).
    #[arg(long = "headers", value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub headers_file: Option<PathBuf>,

    /// The URL the provider called (Square signs it; Mercado Pago's data.id is in its query).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// Also try the secret(s) in this environment variable (comma-separated; repeatable).
    #[arg(long, value_name = "VAR")]
    pub secret_env: Vec<String>,

    /// Take the provider, environment and `webhook_secret` from a config profile.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Seconds a signed timestamp may be off (default: Stripe 300; Mercado Pago unchecked).
    #[arg(long, value_name = "SECS")]
    pub tolerance: Option<u32>,

    /// Judge the timestamp at this Unix time instead of now (a request captured earlier).
    #[arg(long, value_name = "UNIX_TIME")]
    pub at: Option<i64>,

    /// PayPal: the signing certificate (PEM or DER) from the request's PAYPAL-CERT-URL.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, conflicts_with = "online")]
    pub cert: Option<PathBuf>,

    /// PayPal: ask PayPal's verify-webhook-signature endpoint (read-only), with the app's
    /// client id and secret (PAYPAL_CLIENT_ID/PAYPAL_CLIENT_SECRET or --profile).
    #[arg(long)]
    pub online: bool,

    /// With --online: the environment the webhook and app belong to.
    #[arg(long, value_enum, requires = "online")]
    pub env: Option<EnvArg>,

    /// With --online: PayPal's API at this base URL instead of the documented one.
    #[arg(long, value_name = "URL", requires = "online")]
    pub base_url: Option<String>,

    /// Print one JSON object (schema_version 1) instead of the report.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Validate knowledge files and round-trip every sample through the matcher.
    #[command(
        after_help = "Examples:\n  paydoctor kb check                 # the embedded knowledge (and any --kb)\n  paydoctor kb check ./company-kb    # company files merged over the embedded knowledge\n  paydoctor kb check --standalone knowledge   # a whole knowledge folder on its own\n\nExit status: 0 ok, 1 problems found (listed on stdout), 2 a folder cannot be read."
    )]
    Check {
        /// A folder (or file) of company knowledge, checked merged over the embedded
        /// knowledge (default: the embedded knowledge and any --kb / PAYDOCTOR_KB).
        #[arg(value_hint = ValueHint::AnyPath)]
        dir: Option<PathBuf>,
        /// Check DIR as a whole knowledge base on its own, as `PAYDOCTOR_KB_DIR=DIR cargo
        /// build` would embed it, instead of merged over the embedded knowledge.
        #[arg(long, requires = "dir")]
        standalone: bool,
    },
    /// Entries per provider and, with --catalog, the share of each catalog covered.
    #[command(
        after_help = "Examples:\n  paydoctor kb stats\n  paydoctor kb stats --catalog ../shared/catalogs --min-coverage 95\n  paydoctor --kb ./company-kb kb stats --json"
    )]
    Stats {
        /// A folder of `<provider>.tsv` catalogs (code, http_status, kind, ...).
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Exit 1 when a catalog's coverage is below this percentage.
        #[arg(long)]
        min_coverage: Option<f64>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The knowledge base's distinctive codes, one per line (a fixed-string list for grep).
    Codes,
}
