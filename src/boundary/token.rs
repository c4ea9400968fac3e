//! Access tokens the driver obtained (a static option or a provider's answer).

use super::local_error;
use crate::contract::{jwt, validate_token, ErrorClass};
use alloc::string::String;

/// A provider's answer (`None` when it was not a string): the time, in ms since the epoch, until
/// which the driver may reuse it (its JWT `exp` less the 30 s skew; 0 when it is not a JWT, so the
/// provider is asked on every call), or an `AuthError` descriptor. The message never contains it.
pub fn accept_token(token: Option<&str>) -> String {
    let Some(token) = token else {
        return local_error(ErrorClass::Auth, String::from("the accessToken provider did not return a string"));
    };
    if let Err(e) = validate_token(token) {
        return local_error(ErrorClass::Auth, e.0);
    }
    let fresh_until = jwt::jwt_expiry(token).map_or(0, |exp| exp.saturating_mul(1000).saturating_sub(jwt::DEFAULT_SKEW_MS));
    let mut out = String::new();
    crate::contract::decimal::push_decimal(&mut out, fresh_until);
    out
}
