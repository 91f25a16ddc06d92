//! Alternative Payments: OAuth only — a client_credentials token (Basic client_id:client_secret
//! to `/oauth/token`), then that token as Bearer on `GET /customers?limit=1`.

use super::{Adapter, CheckAuth};

pub const ADAPTER: Adapter = Adapter {
    check_auth: &[CheckAuth::OAuthToken, CheckAuth::BearerAccessToken],
    not_found_is_accepted: false,
    user_agent_with_client_id: false,
    stored_token_check: true,
};
