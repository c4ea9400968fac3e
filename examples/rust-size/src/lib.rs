//! One exported async function that calls `echo` with a serde type and returns a field of the
//! answer: with no feature it only does the serde work (the app without any HTTP call), with
//! `handwritten` one gloo-net POST, with `client` a `cloudbase_fn::Client` call.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[derive(Serialize, Deserialize)]
struct Msg {
    text: String,
}

#[wasm_bindgen]
pub async fn run(base: String) -> Result<String, JsValue> {
    let msg = Msg { text: String::from("hi") };
    #[cfg(feature = "client")]
    {
        let client = cloudbase_fn::Client::builder().base_url(base).build().map_err(|e| JsValue::from_str(&e.to_string()))?;
        let out: Msg = client.invoke("echo", &msg).await.map_err(|e| JsValue::from_str(&e.to_string()))?;
        return Ok(out.text);
    }
    #[cfg(all(feature = "handwritten", not(feature = "client")))]
    {
        let res = gloo_net::http::Request::post(&format!("{base}/v1/functions/echo"))
            .json(&msg)
            .map_err(|e| JsValue::from_str(&e.to_string()))?
            .send()
            .await
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
        let out: Msg = res.json().await.map_err(|e| JsValue::from_str(&e.to_string()))?;
        return Ok(out.text);
    }
    #[allow(unreachable_code)]
    {
        let text = serde_json::to_string(&msg).map_err(|e| JsValue::from_str(&e.to_string()))?;
        let out: Msg = serde_json::from_str(&text).map_err(|e| JsValue::from_str(&e.to_string()))?;
        Ok(format!("{base}{}", out.text))
    }
}
