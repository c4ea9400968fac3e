//! A contract `Failure` becomes an instance of the matching class from `js/errors.js`.

use crate::contract::{ErrorClass, Failure};
use alloc::string::String;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(
        class_name: &str,
        code: &str,
        message: &str,
        status: Option<u16>,
        request_id: Option<String>,
        body: Option<String>,
        cause: &JsValue,
        retryable: bool,
        attempts: u32,
    ) -> JsValue;
}

/// Everything needed to raise one error; `cause` is the underlying JS error when there is one.
pub struct Raised {
    pub failure: Failure,
    pub cause: JsValue,
    pub retryable: bool,
    pub attempts: u32,
}

impl Raised {
    pub fn new(failure: Failure) -> Raised {
        Raised { failure, cause: JsValue::UNDEFINED, retryable: false, attempts: 0 }
    }

    pub fn local(class: ErrorClass, message: impl Into<String>) -> Raised {
        Raised::new(Failure::local(class, message))
    }

    pub fn with_cause(mut self, cause: JsValue) -> Raised {
        self.cause = cause;
        self
    }

    pub fn into_js(self) -> JsValue {
        let f = self.failure;
        make_error(
            f.class.name(),
            &f.code,
            &f.message,
            f.status,
            f.request_id,
            f.body,
            &self.cause,
            self.retryable,
            self.attempts,
        )
    }
}

/// An input rejected before any request: `InvalidArgumentError`.
pub fn invalid_argument(message: impl Into<String>) -> JsValue {
    Raised::local(ErrorClass::InvalidArgument, message).into_js()
}
