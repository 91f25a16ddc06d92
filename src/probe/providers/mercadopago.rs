//! Mercado Pago: the access token is the credential, sent as Bearer to `GET /users/me`; an
//! application's client credentials can mint one instead.

use super::{Adapter, CheckAuth};

pub const ADAPTER: Adapter = Adapter {
    check_auth: &[CheckAuth::BearerAccessToken, CheckAuth::OAuthToken],
    not_found_is_accepted: false,
    user_agent_with_client_id: false,
    stored_token_check: false,
};
