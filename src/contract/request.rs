//! Where a call goes and what it carries.

use alloc::string::String;

/// Headers the SDK sets itself, with the option that controls each (used in error messages).
pub const RESERVED_HEADERS: &[(&str, &str)] = &[
    ("authorization", "use the accessToken option"),
    ("content-type", "the body is always JSON"),
    ("content-length", "computed from the body"),
    ("host", "use envId or baseUrl"),
    ("x-qualifier", "use the qualifier option"),
    ("x-tcb-webfn", "use the webfn option"),
];

/// `https://{envId}.api.tcloudbasegateway.com` for a validated envId.
pub fn host_base_url(env_id: &str) -> String {
    ["https://", env_id, ".api.tcloudbasegateway.com"].concat()
}

/// `POST {base}/v1/functions/{name}` for a validated base and name (neither needs escaping).
pub fn function_url(base: &str, name: &str) -> String {
    [base, "/v1/functions/", name].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            function_url(&host_base_url("my-env-1a2b3c"), "echo"),
            "https://my-env-1a2b3c.api.tcloudbasegateway.com/v1/functions/echo"
        );
        assert_eq!(function_url("http://127.0.0.1:8787", "a-b"), "http://127.0.0.1:8787/v1/functions/a-b");
    }
}
