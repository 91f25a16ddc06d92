//! `webhook verify`'s engine: which provider sent a request (from its headers or body), the
//! request as the handler received it (body bytes, headers, URL), the secrets to try, and the
//! report (`--json` schema 1) that both outputs are rendered from. Reading headers is in
//! `headers`, each provider's signing scheme in `schemes`, the body re-serializations
//! frameworks apply in `reshape`, and the search for the cause in `diagnose`.

pub mod diagnose;
pub mod headers;
pub mod reshape;
pub mod schemes;

use crate::knowledge::Env;
use serde::Serialize;

/// The providers whose webhook signatures paydoctor can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Provider {
    Stripe,
    Razorpay,
    Square,
    Checkout,
    Mercadopago,
    Braintree,
    Adyen,
    Mollie,
    Paypal,
}

impl Provider {
    /// The knowledge base's provider id.
    pub fn id(self) -> &'static str {
        match self {
            Provider::Stripe => "stripe",
            Provider::Razorpay => "razorpay",
            Provider::Square => "square",
            Provider::Checkout => "checkout",
            Provider::Mercadopago => "mercadopago",
            Provider::Braintree => "braintree",
            Provider::Adyen => "adyen",
            Provider::Mollie => "mollie",
            Provider::Paypal => "paypal",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Provider::Stripe => "Stripe",
            Provider::Razorpay => "Razorpay",
            Provider::Square => "Square",
            Provider::Checkout => "Checkout.com",
            Provider::Mercadopago => "Mercado Pago",
            Provider::Braintree => "Braintree",
            Provider::Adyen => "Adyen",
            Provider::Mollie => "Mollie",
            Provider::Paypal => "PayPal",
        }
    }

    /// From a knowledge-base id or a config profile's provider.
    pub fn from_id(id: &str) -> Option<Provider> {
        use clap::ValueEnum;
        Provider::from_str(id, true).ok()
    }

    /// The environment variable the provider's own examples keep the webhook secret in.
    pub fn secret_var(self) -> &'static str {
        match self {
            Provider::Stripe => "STRIPE_WEBHOOK_SECRET",
            Provider::Razorpay => "RAZORPAY_WEBHOOK_SECRET",
            Provider::Square => "SQUARE_SIGNATURE_KEY",
            Provider::Checkout => "CKO_WEBHOOK_SECRET",
            Provider::Mercadopago => "MERCADOPAGO_WEBHOOK_SECRET",
            Provider::Braintree => "BRAINTREE_PRIVATE_KEY",
            Provider::Adyen => "ADYEN_HMAC_KEY",
            Provider::Mollie => "MOLLIE_WEBHOOK_SECRET",
            Provider::Paypal => "PAYPAL_WEBHOOK_ID",
        }
    }

    /// What the provider calls the value that signs (or, for PayPal, is signed).
    pub fn secret_word(self) -> &'static str {
        match self {
            Provider::Stripe => "endpoint signing secret (whsec_…)",
            Provider::Razorpay => "webhook secret",
            Provider::Square => "subscription signature key",
            Provider::Checkout => "webhook signature key",
            Provider::Mercadopago => "secret signature",
            Provider::Braintree => "private key",
            Provider::Adyen => "HMAC key (hex)",
            Provider::Mollie => "webhook signing secret",
            Provider::Paypal => "webhook id",
        }
    }
}

/// The request as the webhook handler received it.
#[derive(Debug, Default)]
pub struct Request {
    pub body: Vec<u8>,
    /// In the order given; names compared without regard to case.
    pub headers: Vec<(String, String)>,
    /// The URL the provider called.
    pub url: Option<String>,
}

impl Request {
    /// The first header of this name (ASCII case-insensitive), trimmed.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim())
    }

    /// A field of an `application/x-www-form-urlencoded` body, decoded.
    pub fn form_field(&self, name: &str) -> Option<String> {
        let text = std::str::from_utf8(&self.body).ok()?;
        text.trim_end().split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (reshape::form_decode(k) == name).then(|| reshape::form_decode(v))
        })
    }

    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Which provider sent this request: its signature header, else what its body looks like.
pub fn detect(req: &Request) -> Option<Provider> {
    let has = |h: &str| req.header(h).is_some();
    if has("stripe-signature") {
        return Some(Provider::Stripe);
    }
    if has("x-razorpay-signature") {
        return Some(Provider::Razorpay);
    }
    if has("x-square-hmacsha256-signature") || has("x-square-signature") {
        return Some(Provider::Square);
    }
    if has("cko-signature") {
        return Some(Provider::Checkout);
    }
    if has("paypal-transmission-sig") || has("paypal-transmission-id") {
        return Some(Provider::Paypal);
    }
    if has("x-mollie-signature") {
        return Some(Provider::Mollie);
    }
    if has("x-signature") && has("x-request-id") {
        return Some(Provider::Mercadopago);
    }
    if has("hmacsignature") {
        return Some(Provider::Adyen);
    }
    if has("bt_signature") || req.form_field("bt_signature").is_some() || req.form_field("bt_payload").is_some() {
        return Some(Provider::Braintree);
    }
    if req.json().is_some_and(|v| v.get("notificationItems").is_some()) {
        return Some(Provider::Adyen);
    }
    if req.form_field("id").is_some_and(|id| id.starts_with("tr_")) {
        return Some(Provider::Mollie);
    }
    None
}

/// One secret to try, and where it came from (never the value in any output).
pub struct Secret {
    pub value: String,
    /// `env PAYDOCTOR_WEBHOOK_SECRET (2nd)`, `profile shop (env SHOP_WHSEC)`.
    pub source: String,
    /// The environment the secret is for, when its profile or variable name says so.
    pub env: Option<Env>,
}

/// Why a signature does not verify: the `cause` of the JSON report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    BodyModified,
    WrongSecret,
    WrongSecretType,
    SecretOfOtherEnvironment,
    TimestampOutsideTolerance,
    UrlMismatch,
    SignedFieldsMismatch,
    HeaderMissing,
    HeaderMalformed,
    Encoding,
    UnsignedNotification,
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::BodyModified => "body_modified",
            Cause::WrongSecret => "wrong_secret",
            Cause::WrongSecretType => "wrong_secret_type",
            Cause::SecretOfOtherEnvironment => "secret_of_other_environment",
            Cause::TimestampOutsideTolerance => "timestamp_outside_tolerance",
            Cause::UrlMismatch => "url_mismatch",
            Cause::SignedFieldsMismatch => "signed_fields_mismatch",
            Cause::HeaderMissing => "header_missing",
            Cause::HeaderMalformed => "header_malformed",
            Cause::Encoding => "encoding",
            Cause::UnsignedNotification => "unsigned_notification",
        }
    }
}

/// One step of the verification, as printed.
#[derive(Debug, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

/// What `webhook verify` found: the `--json` output, and what the human report is drawn from.
#[derive(Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub provider: &'static str,
    pub verified: bool,
    pub scheme: &'static str,
    pub checks: Vec<Check>,
    pub cause: Option<Cause>,
    pub fix: Vec<String>,
    /// The index of the secret that signs the request, in the order the secrets were listed.
    pub matched_secret: Option<usize>,
}

impl Report {
    pub fn new(provider: Provider, scheme: &'static str) -> Report {
        Report {
            schema_version: 1,
            provider: provider.id(),
            verified: false,
            scheme,
            checks: Vec::new(),
            cause: None,
            fix: Vec::new(),
            matched_secret: None,
        }
    }

    pub fn check(&mut self, name: &'static str, ok: bool, detail: impl Into<String>) {
        self.checks.push(Check { name, ok, detail: detail.into() });
    }

    /// Not verified, for this cause, with these fixes.
    pub fn fail(&mut self, cause: Cause, fix: &[&str]) {
        self.verified = false;
        self.cause = Some(cause);
        self.fix.extend(fix.iter().map(|f| f.to_string()));
    }
}
