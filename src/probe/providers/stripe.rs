//! Stripe: the secret key as Bearer on the knowledge base's check (`GET /v1/balance`). No
//! OAuth for API keys. A 404 there means the endpoint is missing (a wrong base URL or a fake
//! without it), not a bad key.

use super::{Adapter, CheckAuth};

pub const ADAPTER: Adapter = Adapter {
    check_auth: &[CheckAuth::BearerSecretKey],
    not_found_is_accepted: false,
    user_agent_with_client_id: false,
    stored_token_check: false,
};
