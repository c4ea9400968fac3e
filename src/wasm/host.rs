//! Bindings to the host's JavaScript: the few globals the SDK touches, declared structurally so
//! that polyfills, other realms and user-supplied `fetch` implementations all fit. Every call that
//! user code or a hostile value could make throw is `catch`, so no JS exception crosses wasm frames.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    pub fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = getPrototypeOf)]
    pub fn prototype_of(value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = Object, js_name = fromEntries, catch)]
    pub fn object_from_entries(iterable: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = Math)]
    pub fn random() -> f64;
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(callback: &JsValue, ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue);

    /// Any callable.
    pub type Callable;
    #[wasm_bindgen(method, catch, js_name = call)]
    pub fn call1(this: &Callable, context: &JsValue, arg: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = call)]
    pub fn call2(this: &Callable, context: &JsValue, a: &JsValue, b: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, js_name = bind)]
    pub fn bind1(this: &Callable, context: &JsValue, arg: &JsValue) -> JsValue;

    #[wasm_bindgen(js_name = AbortController)]
    pub type Controller;
    #[wasm_bindgen(constructor, catch, js_class = "AbortController")]
    pub fn new() -> Result<Controller, JsValue>;
    #[wasm_bindgen(method, getter, structural)]
    pub fn signal(this: &Controller) -> JsValue;
    #[wasm_bindgen(method, getter, structural, js_name = abort)]
    pub fn abort_fn(this: &Controller) -> Callable;

    /// An `AbortSignal`, or anything shaped like one.
    pub type Signal;
    #[wasm_bindgen(method, getter, structural, catch)]
    pub fn aborted(this: &Signal) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, structural, catch)]
    pub fn reason(this: &Signal) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, catch, js_name = addEventListener)]
    pub fn add_listener(this: &Signal, kind: &str, listener: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, catch, js_name = removeEventListener)]
    pub fn remove_listener(this: &Signal, kind: &str, listener: &JsValue) -> Result<JsValue, JsValue>;

    /// What `fetch` resolved to: a `Response`, or whatever a custom transport returned.
    pub type HostResponse;
    #[wasm_bindgen(method, getter, structural, catch)]
    pub fn status(this: &HostResponse) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, structural, catch)]
    pub fn headers(this: &HostResponse) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, catch)]
    pub fn text(this: &HostResponse) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, catch, js_name = arrayBuffer)]
    pub fn array_buffer(this: &HostResponse) -> Result<JsValue, JsValue>;

    pub type HostHeaders;
    #[wasm_bindgen(method, structural, catch)]
    pub fn get(this: &HostHeaders, name: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = Uint8Array)]
    pub type Bytes;
    #[wasm_bindgen(constructor, js_class = "Uint8Array")]
    pub fn from_buffer(buffer: &JsValue) -> Bytes;

    #[wasm_bindgen(js_name = String)]
    pub type HostString;
    #[wasm_bindgen(method, js_name = slice)]
    pub fn slice(this: &HostString, start: u32, end: u32) -> JsValue;
}

/// `target[key]`, or `undefined` when the lookup throws (a hostile getter, a non-object).
pub fn get(target: &JsValue, key: &str) -> JsValue {
    if !target.is_object() && !target.is_function() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

pub fn global() -> JsValue {
    js_sys::global().into()
}

pub fn new_object() -> JsValue {
    js_sys::Object::new().into()
}

/// A plain object from any realm: its prototype is null or has a null prototype (`Object.prototype`).
/// Arrays, class instances, `Date`, `Map` and boxed primitives are not.
pub fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() {
        return false;
    }
    let proto = prototype_of(value);
    proto.is_null() || prototype_of(&proto).is_null()
}

/// Await any value: a promise, a thenable or a plain value.
pub async fn settle(value: &JsValue) -> Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(value)).await
}
