//! The wasm build against a real emulator, under Node (and in headless Chromium with
//! `--browser`): scripts/test.sh starts the emulator and passes its URL at compile time.
#![cfg(target_arch = "wasm32")]

use cloudbase_fn::Client;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

#[cfg(feature = "browser-tests")]
wasm_bindgen_test_configure!(run_in_browser);

fn emulator_url() -> &'static str {
    option_env!("CLOUDBASE_FN_TEST_URL").expect("CLOUDBASE_FN_TEST_URL must name a running emulator (scripts/test.sh sets it)")
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

fn client() -> Client {
    Client::new(object(&[("baseUrl", emulator_url().into())])).unwrap()
}

async fn call(name: &str, data: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(client().invoke(name.into(), data, options)).await
}

#[wasm_bindgen_test]
async fn echo_returns_the_parsed_json() {
    let data = object(&[("a", 1.into())]);
    let out = call("echo", data, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(field(&out, "a").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn text_functions_return_strings() {
    let out = call("hello", JsValue::UNDEFINED, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(out.as_string().as_deref(), Some("Hello fn"));
    let v2 = call("hello", JsValue::UNDEFINED, object(&[("qualifier", "2".into())])).await.unwrap();
    assert_eq!(v2.as_string().as_deref(), Some("Hello fn v2"));
}

#[wasm_bindgen_test]
async fn raw_results_carry_status_and_request_id() {
    let out = call("echo", JsValue::UNDEFINED, object(&[("raw", true.into())])).await.unwrap();
    assert_eq!(field(&out, "status").as_f64(), Some(200.0));
    assert!(field(&out, "requestId").as_string().is_some_and(|id| !id.is_empty()));
}

#[wasm_bindgen_test]
async fn a_missing_function_is_a_typed_error() {
    let err = call("no-such-function", JsValue::UNDEFINED, JsValue::UNDEFINED).await.unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(field(&err, "name").as_string().as_deref(), Some("FunctionNotFoundError"));
    assert_eq!(field(&err, "code").as_string().as_deref(), Some("FUNCTION_NOT_FOUND"));
    assert_eq!(field(&err, "status").as_f64(), Some(404.0));
    assert!(field(&err, "requestId").as_string().is_some_and(|id| !id.is_empty()));
}

#[wasm_bindgen_test]
async fn a_throwing_function_is_invocation_failed() {
    let err = call("boom", JsValue::UNDEFINED, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(field(&err, "code").as_string().as_deref(), Some("FUNCTION_INVOCATION_FAILED"));
    assert!(field(&err, "message").as_string().unwrap().contains("boom"));
}

#[wasm_bindgen_test]
async fn bad_input_is_refused_before_sending() {
    let array: JsValue = js_sys::Array::new().into();
    let err = call("echo", array, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(field(&err, "name").as_string().as_deref(), Some("InvalidArgumentError"));
    let err = call("1bad", JsValue::UNDEFINED, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(field(&err, "code").as_string().as_deref(), Some("INVALID_ARGUMENT"));
}

#[wasm_bindgen_test]
async fn timeouts_abort_the_request() {
    let options = object(&[("timeoutMs", 150.into())]);
    let err = call("fault-hang", JsValue::UNDEFINED, options).await.unwrap_err();
    assert_eq!(field(&err, "name").as_string().as_deref(), Some("TimeoutError"));
    assert_eq!(field(&err, "code").as_string().as_deref(), Some("TIMEOUT"));
}

#[wasm_bindgen_test]
fn invalid_env_ids_are_refused_by_the_constructor() {
    let err = Client::new(object(&[("envId", "evil.com/".into())])).err().unwrap();
    assert_eq!(field(&err, "name").as_string().as_deref(), Some("InvalidArgumentError"));
}
