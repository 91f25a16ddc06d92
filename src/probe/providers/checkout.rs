//! Checkout.com: the secret key as Bearer (or an OAuth token from client credentials) on a
//! lookup of a payment id that cannot exist, so 404 means the key was accepted and 401 that it
//! was not.

use super::{Adapter, CheckAuth};

pub const ADAPTER: Adapter = Adapter {
    check_auth: &[CheckAuth::BearerSecretKey, CheckAuth::OAuthToken],
    not_found_is_accepted: true,
    user_agent_with_client_id: false,
    stored_token_check: true,
};
