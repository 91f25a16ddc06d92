//! Afterpay: HTTP Basic with the merchant id (client_id) and secret key on
//! `GET /v2/configuration`; Afterpay asks for the merchant id in the User-Agent.

use super::{Adapter, CheckAuth};

pub const ADAPTER: Adapter = Adapter {
    check_auth: &[CheckAuth::BasicIdSecretKey, CheckAuth::OAuthToken],
    not_found_is_accepted: false,
    user_agent_with_client_id: true,
    stored_token_check: true,
};
