//! A Worker that invokes CloudBase functions with cloudbase-fn's Rust client (`client-workers`)
//! and answers what it got as JSON: typed results, typed errors, a timeout, a retried call.
//! The gateway is the `GATEWAY_URL` variable (the emulator in tests; use `.env_id(...)` and an
//! access token secret in production).

use cloudbase_fn::client::{Data, ErrorKind};
use cloudbase_fn::{Client, InvokeOptions};
use serde_json::{json, Value};
use std::time::Duration;
use worker::{event, Context, Env, Request, Response, Result};

fn err(e: cloudbase_fn::Error) -> worker::Error {
    worker::Error::RustError(e.to_string())
}

#[event(fetch)]
async fn fetch(_req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let gateway = env.var("GATEWAY_URL")?.to_string();
    let client = Client::builder().base_url(gateway).build().map_err(err)?;

    let echo: Value = client.invoke("echo", &json!({ "text": "héllo ✓" })).await.map_err(err)?;
    let hello: String = client.invoke("hello", &json!({})).await.map_err(err)?;
    let missing = client.invoke::<Value, _>("missing-fn", &json!({})).await.unwrap_err();
    let slow = InvokeOptions::new().timeout(Duration::from_millis(300));
    let timeout = client.invoke_with::<Value, _>("fault-hang", &json!({}), slow).await.unwrap_err();
    let key = format!("worker-{}", js_sys_random());
    let busy = client
        .invoke_raw("fault-flaky", &json!({ "key": key, "failures": 1 }), InvokeOptions::new())
        .await
        .map_err(err)?;

    Response::from_json(&json!({
        "echo": echo,
        "hello": hello,
        "notFound": {
            "typed": missing.kind() == ErrorKind::FunctionNotFound,
            "name": missing.name(),
            "code": missing.code(),
            "status": missing.status(),
            "requestId": missing.request_id(),
        },
        "timeout": { "typed": timeout.kind() == ErrorKind::Timeout, "code": timeout.code() },
        "busy": { "attempts": busy.attempts, "data": match busy.data { Data::Json(v) => v, _ => Value::Null } },
    }))
}

fn js_sys_random() -> u64 {
    (worker::js_sys::Math::random() * 1e12) as u64
}
