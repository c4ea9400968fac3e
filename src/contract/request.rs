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

/// `https://{envId}.api.tcloudbasegateway.com` for a validated envId, or
/// `https://{envId}.api.intl.tcloudbasegateway.com` for an international environment (`intl`,
/// the option name and host of `@cloudbase/js-sdk` 3.7's `setGatewayEndPointWithEnv`).
pub fn host_base_url(env_id: &str, intl: bool) -> String {
    super::text::cat(&["https://", env_id, if intl { ".api.intl" } else { ".api" }, ".tcloudbasegateway.com"])
}

/// `POST {base}/v1/functions/{name}` for a validated base and name (neither needs escaping).
pub fn function_url(base: &str, name: &str) -> String {
    super::text::cat(&[base, "/v1/functions/", name])
}

/// The `Host` (with any port, lower-cased by the caller if needed) and the path of an absolute
/// URL made by [`function_url`], as a signature covers them.
pub fn host_and_path(url: &str) -> (&str, &str) {
    let rest = url.split_once("//").map_or(url, |(_, rest)| rest);
    match rest.find('/') {
        Some(i) => (rest.get(..i).unwrap_or(rest), rest.get(i..).unwrap_or("/")),
        None => (rest, "/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_paths_for_signing() {
        assert_eq!(
            host_and_path("https://env.api.tcloudbasegateway.com/v1/functions/echo"),
            ("env.api.tcloudbasegateway.com", "/v1/functions/echo")
        );
        assert_eq!(host_and_path("http://127.0.0.1:8787/p/v1/functions/a"), ("127.0.0.1:8787", "/p/v1/functions/a"));
        assert_eq!(host_and_path("http://h"), ("h", "/"));
    }

    #[test]
    fn urls() {
        assert_eq!(
            function_url(&host_base_url("my-env-1a2b3c", false), "echo"),
            "https://my-env-1a2b3c.api.tcloudbasegateway.com/v1/functions/echo"
        );
        assert_eq!(host_base_url("my-env-1a2b3c", true), "https://my-env-1a2b3c.api.intl.tcloudbasegateway.com");
        assert_eq!(function_url("http://127.0.0.1:8787", "a-b"), "http://127.0.0.1:8787/v1/functions/a-b");
    }
}
