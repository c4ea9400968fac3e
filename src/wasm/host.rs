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
