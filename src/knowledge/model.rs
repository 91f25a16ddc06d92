//! The in-memory shape of the knowledge base: plain `'static` data, so the embedded
//! knowledge is a set of statics written by `build.rs` and costs nothing at start-up.

pub use crate::knowledge::schema::{CheckAuth, HeaderName, Probe, ProbeCredential, Retry};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Env {
    Sandbox,
    Production,
}

impl Env {
    pub fn parse(s: &str) -> Option<Env> {
        match s {
            "sandbox" => Some(Env::Sandbox),
            "production" => Some(Env::Production),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Env::Sandbox => "sandbox",
            Env::Production => "production",
        }
    }

    pub fn other(self) -> Env {
        match self {
            Env::Sandbox => Env::Production,
            Env::Production => Env::Sandbox,
        }
    }
}

impl fmt::Display for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug)]
pub struct Provider {
    pub id: &'static str,
    pub name: &'static str,
    /// A provider-independent layer (card-network codes, transport failures), not a provider.
    pub network: bool,
    pub aliases: &'static [&'static str],
    /// The id is an everyday word of payment text: alone it does not name the provider.
    pub common_word: bool,
    pub docs: &'static str,
    /// The hosts of its own documentation.
    pub docs_hosts: &'static [&'static str],
    pub auth: &'static [&'static str],
    pub markers: &'static [&'static str],
    pub exceptions: &'static [&'static str],
    pub fields: &'static [&'static str],
    /// Normalised fields whose values are error codes, most specific first.
    pub code_fields: &'static [&'static str],
    /// Normalised fields whose values name an error class (Stripe `type`, PayPal `name`):
    /// a code found there counts less than one in a code field.
    pub class_fields: &'static [&'static str],
    /// Prefixes of the provider's object ids (`ch_`, `cus_`).
    pub ids: &'static [&'static str],
    /// Conventional environment variable names per credential kind, most common first.
    pub env_vars: &'static [(&'static str, &'static [&'static str])],
    pub token_endpoint: &'static str,
    pub token_lifetime_seconds: u64,
    /// How the client authenticates to the token endpoint: `basic` or `post`.
    pub token_client_auth: &'static str,
    /// The `scope` a client_credentials token request asks for (empty: none).
    pub token_scope: &'static str,
    pub rate_limit_rps: f64,
    pub rate_limit_scope: &'static str,
    pub environments: &'static [Environment],
    /// How a live probe authenticates (`[provider.probe]`; none: no live probe).
    pub probe: Option<Probe>,
    /// The file this provider came from (`knowledge/x.toml`; with company files laid over
    /// it, every file joined by ` + `).
    pub source: &'static str,
}

#[derive(Debug)]
pub struct Environment {
    pub env: Env,
    pub base_url: &'static str,
    pub hosts: &'static [&'static str],
    pub check: &'static str,
    /// `POST https://…` of this environment's OAuth token endpoint (empty: none).
    pub token_endpoint: &'static str,
    pub credentials: &'static [Credential],
}

#[derive(Debug)]
pub struct Credential {
    pub prefix: &'static str,
    pub kind: &'static str,
    pub pattern: &'static str,
    pub note: &'static str,
}

#[derive(Debug)]
pub struct Entry {
    pub provider: u16,
    pub id: &'static str,
    pub codes: &'static [&'static str],
    pub status: &'static [u16],
    pub category: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub messages: &'static [&'static str],
    pub patterns: &'static [&'static str],
    pub exceptions: &'static [&'static str],
    pub endpoints: &'static [&'static str],
    /// Message wording not quoted from a source: matched by meaning only.
    pub paraphrases: &'static [&'static str],
    /// May the request be retried (None: the category's verdict), and why.
    pub retry: Option<Retry>,
    pub retry_why: &'static str,
    /// `layer:code` of the network-layer entry this code wraps (empty: none).
    pub network: &'static str,
    /// A catch-all code many different errors share: more specific evidence wins.
    pub generic: bool,
    pub docs: &'static [&'static str],
    /// Where the facts come from beyond `docs`: SDK files, specs, threads.
    pub sources: &'static [&'static str],
    pub samples: &'static [&'static str],
    pub fixes: &'static [&'static str],
    pub causes: &'static [Cause],
    pub compact: bool,
    /// The file this entry came from, when it is not its provider's file: always `None` in
    /// the embedded tables (no pointer to relocate at start-up per entry); set for every entry
    /// of a knowledge base merged with company files. Read it with [`Knowledge::source`].
    pub source: Option<&'static str>,
}

#[derive(Debug, Clone, Copy)]
pub struct Cause {
    pub summary: &'static str,
    pub likelihood: f32,
    pub evidence: &'static str,
    pub when: &'static [&'static str],
    pub probe: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhraseKind {
    /// An entry's message wording.
    Message,
    /// An SDK exception name specific to one entry.
    Exception,
    /// A phrase that names the provider (its name, host, SDK namespace).
    Marker,
    /// An SDK exception name of the provider.
    ProviderException,
}

#[derive(Debug)]
pub struct Phrase {
    pub text: &'static str,
    pub kind: PhraseKind,
    pub target: u32,
}

#[derive(Debug)]
pub struct Prefix {
    pub prefix: &'static str,
    pub provider: u16,
    pub env: Env,
    pub kind: &'static str,
    pub pattern: &'static str,
}

#[derive(Debug)]
pub struct Host {
    pub pattern: &'static str,
    pub provider: u16,
    pub env: Env,
}

/// A view of a whole knowledge base: the embedded one, or one merged with `--kb` files.
#[derive(Debug, Clone, Copy)]
pub struct Knowledge {
    pub providers: &'static [Provider],
    pub entries: &'static [Entry],
    pub codes: &'static [(&'static str, u32)],
    pub phrases: &'static [Phrase],
    pub words: &'static [(&'static str, u32)],
    pub fields: &'static [(&'static str, u16)],
    pub code_fields: &'static [&'static str],
    pub prefixes: &'static [Prefix],
    pub hosts: &'static [Host],
}

/// All items of a sorted `(key, value)` table whose key equals `key`.
pub fn lookup<'a, V: Copy>(table: &'a [(&'static str, V)], key: &'a str) -> impl Iterator<Item = V> + 'a {
    let start = table.partition_point(|(k, _)| *k < key);
    table[start..].iter().take_while(move |(k, _)| *k == key).map(|(_, v)| *v)
}

impl Knowledge {
    pub fn provider(&self, e: &Entry) -> &'static Provider {
        &self.providers[e.provider as usize]
    }

    /// The file an entry came from (`knowledge/x.toml`, or a company file).
    pub fn source(&self, e: &Entry) -> &'static str {
        e.source.unwrap_or(self.provider(e).source)
    }

    /// Resolve a provider by id, alias or display name, case-insensitively.
    pub fn find_provider(&self, name: &str) -> Option<u16> {
        let n = name.trim().to_ascii_lowercase();
        self.providers
            .iter()
            .position(|p| {
                p.id == n || p.name.eq_ignore_ascii_case(&n) || p.aliases.iter().any(|a| a.eq_ignore_ascii_case(&n))
            })
            .map(|i| i as u16)
    }

    pub fn find_entry(&self, provider: u16, key: &str) -> Option<u32> {
        let norm = crate::knowledge::schema::norm_code(key);
        self.entries
            .iter()
            .position(|e| e.provider == provider && (e.id == key || crate::knowledge::schema::norm_code(e.id) == norm))
            .map(|i| i as u32)
            .or_else(|| lookup(self.codes, &norm).find(|&i| self.entries[i as usize].provider == provider))
    }

    pub fn is_code_field(&self, norm_field: &str) -> bool {
        self.code_fields.binary_search(&norm_field).is_ok()
    }

    /// The environment a host name belongs to, for each provider that lists it.
    pub fn host_env(&self, host: &str) -> impl Iterator<Item = &'static Host> + '_ {
        let host = host.to_ascii_lowercase();
        self.hosts.iter().filter(move |h| crate::knowledge::schema::host_matches(h.pattern, &host))
    }
}
