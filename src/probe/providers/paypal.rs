//! PayPal: the token request (`POST /v1/oauth2/token`, Basic client_id:secret) is itself the
//! cheapest proof that a client id and secret belong to the environment.

use super::{Adapter, CheckAuth};

pub const ADAPTER: Adapter = Adapter {
    check_auth: &[CheckAuth::TokenRequest],
    not_found_is_accepted: false,
    user_agent_with_client_id: false,
    stored_token_check: false,
};
