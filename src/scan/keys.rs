//! What a log record is about, for the cross-line patterns: the card (a fingerprint, a
//! payment-method id, the last four digits; never the card number), the object a request
//! locks (a customer, a subscription), where the request came from (a client IP, a
//! session), the payment's references (order, payment, transaction reference), a webhook
//! event id and route, the card brand and a Mastercard merchant advice code. Read only from
//! records a pattern needs, never on the hot path.

use regex::Regex;
use std::sync::LazyLock;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("key pattern compiles")
}

/// Keeps ids with a digit (`order_id: pending` is a word, not an id) and drops what could be a
/// card number (12–19 digits).
fn id_like(id: &str) -> bool {
    id.bytes().any(|b| b.is_ascii_digit()) && !(id.len() >= 12 && id.bytes().all(|b| b.is_ascii_digit()))
}

/// The card a record is about, as a key that is safe to print: a card fingerprint, a
/// payment-method, card or source id, or `…1234` from the last four digits.
pub fn card(text: &str) -> Option<String> {
    static FIELD: LazyLock<Regex> =
        LazyLock::new(|| re(r#"(?i)\b(?:card_)?fingerprint["']?\s*[:=]\s*["']?([A-Za-z0-9_-]{6,64})"#));
    static ID: LazyLock<Regex> = LazyLock::new(|| re(r"\b((?:pm|card|src|tok|PMT|CRD)_[A-Za-z0-9]{8,40})\b"));
    static LAST4: LazyLock<Regex> =
        LazyLock::new(|| re(r#"(?i)\b(?:last_?4|last_?four|ending(?: in)?|card_last4)["']?\s*[:=]?\s*["']?(\d{4})\b"#));
    if let Some(c) = FIELD.captures(text) {
        return Some(c[1].to_string());
    }
    if let Some(c) = ID.captures_iter(text).find(|c| id_like(&c[1])) {
        return Some(c[1].to_string());
    }
    LAST4.captures(text).map(|c| format!("…{}", &c[1]))
}

/// The customer or subscription a request works on (`cus_…`, `sub_…`, `customer_id=…`).
pub fn object(text: &str) -> Option<String> {
    static ID: LazyLock<Regex> = LazyLock::new(|| re(r"\b((?:cus|sub|si|in|acct)_[A-Za-z0-9]{6,40})\b"));
    static FIELD: LazyLock<Regex> =
        LazyLock::new(|| re(r#"(?i)\b(customer|subscription)(?:_?id)?["']?\s*[:=]\s*["']?([A-Za-z0-9_-]{3,64})"#));
    if let Some(c) = ID.captures_iter(text).find(|c| id_like(&c[1])) {
        return Some(c[1].to_string());
    }
    FIELD.captures_iter(text).find(|c| id_like(&c[2])).map(|c| format!("{} {}", c[1].to_ascii_lowercase(), &c[2]))
}

/// Where a request came from: the client's IP address or its session.
pub fn origin(text: &str) -> Option<String> {
    static IP: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r#"(?i)\b(?:client_?ip|customer_?ip|remote_?addr|ip_?address|ip)["']?\s*[:=]\s*["']?([0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7})"#,
        )
    });
    static SESSION: LazyLock<Regex> =
        LazyLock::new(|| re(r#"(?i)\bsession(?:_?id)?["']?\s*[:=]\s*["']?([A-Za-z0-9_-]{6,64})"#));
    if let Some(c) = IP.captures(text) {
        return Some(format!("IP {}", &c[1]));
    }
    SESSION.captures(text).filter(|c| id_like(&c[1])).map(|c| format!("session {}", &c[1]))
}

/// Order, checkout, token, payment, transaction and idempotency-key references (with a digit).
pub fn references(text: &str) -> Vec<String> {
    static IDS: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r#"(?i-u)\b(?:order|checkout|token|payment|idempotency[-_ ]?key|reference|tx_?ref|transaction)(?:[-_ ]?(?:id|no|number|ref|reference))?["']?(?:\s*[:=#]\s*|\s+)["']?#?([A-Za-z0-9][A-Za-z0-9._-]{3,})"#,
        )
    });
    static OBJECTS: LazyLock<Regex> = LazyLock::new(|| re(r"\b((?:pi|ch|py|pay|txn)_[A-Za-z0-9]{8,40})\b"));
    let mut v: Vec<String> = IDS
        .captures_iter(text)
        .map(|c| c[1].to_ascii_lowercase())
        .chain(OBJECTS.captures_iter(text).map(|c| c[1].to_ascii_lowercase()))
        .filter(|id| id.bytes().any(|b| b.is_ascii_digit()))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// A webhook event id (`evt_…`, `WH-…`, `event_id=…`).
pub fn event(text: &str) -> Option<String> {
    static ID: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r#"(?i)\b(evt_[A-Za-z0-9]{8,40}|WH-[A-Z0-9-]{10,40})\b|\bevent_?id["']?\s*[:=]\s*["']?([A-Za-z0-9_-]{6,64})"#,
        )
    });
    ID.captures(text).and_then(|c| c.get(1).or(c.get(2))).map(|m| m.as_str().to_string()).filter(|i| id_like(i))
}

/// The path a webhook was delivered to (`/webhooks/stripe`).
pub fn webhook_route(text: &str) -> Option<String> {
    static ROUTE: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)(?:^|[\s\x22'(])(/[A-Za-z0-9/_.-]*webhook[A-Za-z0-9/_.-]*)"));
    ROUTE.captures(text).map(|c| c[1].trim_end_matches(['.', '/']).to_string())
}

/// The card networks whose retry rules the patterns know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Brand {
    Visa,
    Mastercard,
}

/// The card brand a record names (`"brand":"visa"`, `scheme=Mastercard`).
pub fn brand(text: &str) -> Option<Brand> {
    static BRAND: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(visa|master_?card)\b"));
    BRAND.captures(text).map(|c| if c[1].eq_ignore_ascii_case("visa") { Brand::Visa } else { Brand::Mastercard })
}

/// A Mastercard merchant advice code that forbids any retry of the card (03: do not try again,
/// 21: payment cancelled by the cardholder).
pub fn do_not_retry_advice(text: &str) -> Option<&'static str> {
    static MAC: LazyLock<Regex> = LazyLock::new(|| re(r#"(?i)\bmerchant_?advice_?code["']?\s*[:=]\s*["']?(03|21)\b"#));
    MAC.captures(text).map(|c| if &c[1] == "03" { "03" } else { "21" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_are_keyed_without_their_number() {
        assert_eq!(
            card(r#"{"card":{"fingerprint":"Xt5EWLLDS7FJjR1c","last4":"4242"}}"#).as_deref(),
            Some("Xt5EWLLDS7FJjR1c")
        );
        assert_eq!(card("declined pm_1N3xYz2eZvKYlo2C payment_method").as_deref(), Some("pm_1N3xYz2eZvKYlo2C"));
        assert_eq!(card("card ending in 4242 declined").as_deref(), Some("…4242"));
        assert_eq!(card("code=card_declined card_number=4242424242424242"), None);
    }

    #[test]
    fn objects_origins_and_references() {
        assert_eq!(object("POST /v1/customers/cus_Nv0Lh2e9 429").as_deref(), Some("cus_Nv0Lh2e9"));
        assert_eq!(object("customer_id=8812 rate limited").as_deref(), Some("customer 8812"));
        assert_eq!(origin(r#"{"ip":"203.0.113.7"}"#).as_deref(), Some("IP 203.0.113.7"));
        assert_eq!(references("timeout on order #1043 tx_ref=FLW-88"), vec!["1043".to_string(), "flw-88".to_string()]);
        assert!(references(r#"{"host":"orders-api-64b7c9d8f-lm3vz","payment_id":"pay_9"}"#) == ["pay_9"]);
        assert_eq!(event("webhook evt_1Abc23456789 payment_intent.succeeded").as_deref(), Some("evt_1Abc23456789"));
        assert_eq!(webhook_route("POST /webhooks/stripe 400").as_deref(), Some("/webhooks/stripe"));
        assert_eq!(do_not_retry_advice(r#""merchant_advice_code":"03""#), Some("03"));
        assert_eq!(do_not_retry_advice(r#""merchant_advice_code":"01""#), None);
    }
}
