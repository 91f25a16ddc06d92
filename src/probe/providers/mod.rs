//! One adapter per provider with live probes. Everything else (hosts, check request, token
//! endpoint, credential shapes, token request form) comes from the knowledge base: an adapter
//! holds only what differs between providers — how the cheap read-only check authenticates
//! and how its answer reads.

mod afterpay;
mod alternativepayments;
mod checkout;
mod mercadopago;
mod paypal;
mod stripe;

/// How the cheap check request authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckAuth {
    /// `Authorization: Bearer <secret_key>`.
    BearerSecretKey,
    /// `Authorization: Bearer <access_token>`: a token the user already has.
    BearerAccessToken,
    /// HTTP Basic `client_id:secret_key` (a merchant id and its secret key).
    BasicIdSecretKey,
    /// A fresh token from the token endpoint (client_id + client_secret), sent as Bearer.
    OAuthToken,
    /// The check request is the token request itself.
    TokenRequest,
}

impl CheckAuth {
    /// The credential kinds this way of authenticating needs.
    pub fn needs(self) -> &'static [&'static str] {
        match self {
            CheckAuth::BearerSecretKey => &["secret_key"],
            CheckAuth::BearerAccessToken => &["access_token"],
            CheckAuth::BasicIdSecretKey => &["client_id", "secret_key"],
            CheckAuth::OAuthToken | CheckAuth::TokenRequest => &["client_id", "client_secret"],
        }
    }
}

pub struct Adapter {
    /// Ways the check can authenticate, preferred first: the first whose credentials are all
    /// present is used.
    pub check_auth: &'static [CheckAuth],
    /// The check looks up an object that cannot exist, so a 404 means the credential was accepted.
    pub not_found_is_accepted: bool,
    /// The provider wants the merchant id (client_id) in the User-Agent.
    pub user_agent_with_client_id: bool,
    /// A stored access token can be tried on the check request (the `token` check).
    pub stored_token_check: bool,
}

/// Every provider with live probes: its id and its adapter (the one list to extend).
const ADAPTERS: &[(&str, &Adapter)] = &[
    ("afterpay", &afterpay::ADAPTER),
    ("alternativepayments", &alternativepayments::ADAPTER),
    ("checkout", &checkout::ADAPTER),
    ("mercadopago", &mercadopago::ADAPTER),
    ("paypal", &paypal::ADAPTER),
    ("stripe", &stripe::ADAPTER),
];

/// The adapter of a provider id, if it has live probes.
pub fn adapter(id: &str) -> Option<&'static Adapter> {
    ADAPTERS.iter().find(|(p, _)| *p == id).map(|(_, a)| *a)
}

/// Provider ids with live probes, for messages: `afterpay, alternativepayments, ...`.
pub fn probed() -> String {
    ADAPTERS.iter().map(|(id, _)| *id).collect::<Vec<_>>().join(", ")
}
