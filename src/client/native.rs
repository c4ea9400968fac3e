//! The native transport (`client-native`): hyper's HTTP/1.1 client over tokio, HTTPS by rustls
//! (ring) with the Mozilla roots of `webpki-roots`; plain `http://` for the loopback gateways the
//! core allows (the emulator).

use super::{BoxError, BoxFuture, HttpRequest, HttpResponse, Transport};
use std::prelude::rust_2021::*;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;

/// Sends with a pooled hyper client (keep-alive connections are reused across calls and clients
/// that share this transport). Never follows redirects. Dropping a request's future closes its
/// connection. Needs a tokio runtime with its IO and time drivers (`enable_all()`).
#[derive(Clone)]
pub struct NativeTransport {
    client: Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>,
}

impl NativeTransport {
    /// A transport with its own connection pool.
    pub fn new() -> NativeTransport {
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .build();
        NativeTransport { client: Client::builder(TokioExecutor::new()).build(https) }
    }
}

impl Default for NativeTransport {
    fn default() -> Self {
        NativeTransport::new()
    }
}

impl core::fmt::Debug for NativeTransport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("NativeTransport")
    }
}

impl Transport for NativeTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, BoxError>> {
        Box::pin(async move {
            let mut builder = hyper::Request::post(request.url.as_str());
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            let req = builder.body(Full::new(Bytes::from(request.body)))?;
            let response = self.client.request(req).await?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(k, v)| (String::from(k.as_str()), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect();
            let body: BoxFuture<'static, Result<Vec<u8>, BoxError>> = Box::pin(async move {
                let collected = response.into_body().collect().await?;
                Ok(collected.to_bytes().to_vec())
            });
            Ok(HttpResponse { status, headers, body })
        })
    }
}
