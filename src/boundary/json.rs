//! The boundary's answers are JSON objects the driver reads with `JSON.parse`: one native call
//! in JS, no separator that a gateway message could contain, and no field-by-field crossings.

use crate::contract::decimal::push_decimal;
use crate::contract::jwt::push_json_string;
use alloc::string::String;

/// A JSON object written field by field.
pub struct Object(String);

impl Object {
    pub fn new() -> Object {
        Object(String::from("{"))
    }

    fn key(&mut self, key: &str) {
        if self.0.len() > 1 {
            self.0.push_str(",");
        }
        push_json_string(&mut self.0, key);
        self.0.push_str(":");
    }

    pub fn text(mut self, key: &str, value: &str) -> Object {
        self.key(key);
        push_json_string(&mut self.0, value);
        self
    }

    /// Leaves the field out when `None`, so the driver sees `undefined`.
    pub fn maybe_text(self, key: &str, value: Option<&str>) -> Object {
        match value {
            Some(v) => self.text(key, v),
            None => self,
        }
    }

    pub fn number(mut self, key: &str, value: i64) -> Object {
        self.key(key);
        if value < 0 {
            self.0.push_str("-");
        }
        push_decimal(&mut self.0, value.unsigned_abs());
        self
    }

    pub fn flag(mut self, key: &str, value: bool) -> Object {
        self.key(key);
        self.0.push_str(if value { "true" } else { "false" });
        self
    }

    /// `value` is already JSON (a nested object or array written by this module).
    pub fn json(mut self, key: &str, value: &str) -> Object {
        self.key(key);
        self.0.push_str(value);
        self
    }

    pub fn end(mut self) -> String {
        self.0.push_str("}");
        self.0
    }
}
