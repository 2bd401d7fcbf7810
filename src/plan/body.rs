//! The request body of an operation: the resource's resolved body, shared
//! with the resource's `attributes` rather than copied, and the keys this
//! call adds or rewrites (`request_id`, `{"$now": "UTC"}`, a `$ref` settled
//! into a `$state`).
//!
//! A plan of 10,000 Spark Ads held every create body twice, once as the
//! resource's attributes and once as its operation's body: about a quarter
//! of its peak memory, and the time to copy 10^5 JSON values
//! (`BENCHMARKS.md`, "plan"). A [`Body`] reads, iterates and serializes as
//! the one map it stands for.

use std::borrow::Cow;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// A request body: a shared map, with some of its keys replaced and others
/// added. It reads as one map: the shared keys in their order (each replaced
/// value in its place), then the added keys in the order they were added.
#[derive(Debug, Clone, Default)]
pub struct Body {
    shared: Option<Arc<Map<String, Value>>>,
    own: Map<String, Value>,
}

impl Body {
    /// A body that starts as `shared` (not copied).
    pub fn shared(shared: Arc<Map<String, Value>>) -> Self {
        Body {
            shared: Some(shared),
            own: Map::new(),
        }
    }

    fn base(&self) -> Option<&Map<String, Value>> {
        self.shared.as_deref()
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.own
            .get(key)
            .or_else(|| self.base().and_then(|b| b.get(key)))
    }

    /// Whether `key` is in the body.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key` (in place when the body has it, else after the others).
    pub fn insert(&mut self, key: String, value: Value) {
        self.own.insert(key, value);
    }

    /// The value of `key`, made this body's own to change (a shared value is
    /// copied first; only that value, not the whole map).
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        if !self.own.contains_key(key) {
            let v = self.base().and_then(|b| b.get(key))?.clone();
            self.own.insert(key.to_owned(), v);
        }
        self.own.get_mut(key)
    }

    /// The entries, in order: the shared keys (with their replaced values),
    /// then the added ones.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        let shared = self
            .base()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k, self.own.get(k).unwrap_or(v)));
        let added = self
            .own
            .iter()
            .filter(|(k, _)| !self.base().is_some_and(|b| b.contains_key(k.as_str())));
        shared.chain(added)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.iter().map(|(k, _)| k)
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The body as one map (a copy).
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

impl From<Map<String, Value>> for Body {
    fn from(own: Map<String, Value>) -> Self {
        Body { shared: None, own }
    }
}

impl From<Body> for Value {
    fn from(body: Body) -> Self {
        Value::Object(body.to_map())
    }
}

/// Equal entries, in any order (as `serde_json` compares maps).
impl PartialEq for Body {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl PartialEq<Map<String, Value>> for Body {
    fn eq(&self, other: &Map<String, Value>) -> bool {
        other.len() == self.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl PartialEq<Value> for Body {
    fn eq(&self, other: &Value) -> bool {
        other.as_object().is_some_and(|m| self == m)
    }
}

/// `body["key"]`: the value, or `null` when the key is absent (as indexing a
/// [`Value`] does).
impl std::ops::Index<&str> for Body {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

impl Serialize for Body {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl JsonSchema for Body {
    fn schema_name() -> Cow<'static, str> {
        <Map<String, Value> as JsonSchema>::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        <Map<String, Value> as JsonSchema>::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Map<String, Value> as JsonSchema>::json_schema(generator)
    }
    fn inline_schema() -> bool {
        <Map<String, Value> as JsonSchema>::inline_schema()
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "in a test, a panic with the value is the failure report"
    )]
    use serde_json::json;

    use super::*;

    fn shared() -> Arc<Map<String, Value>> {
        Arc::new(
            json!({"a": 1, "b": {"$ref": "x.id"}, "c": 3})
                .as_object()
                .unwrap()
                .clone(),
        )
    }

    #[test]
    fn reads_as_the_shared_map_with_its_changes_in_place_and_additions_last() {
        let mut b = Body::shared(shared());
        b.insert("request_id".into(), json!("7"));
        b.insert("b".into(), json!({"$state": "x.id"}));
        assert_eq!(b.keys().collect::<Vec<_>>(), ["a", "b", "c", "request_id"]);
        assert_eq!(b["b"], json!({"$state": "x.id"}));
        assert_eq!(b["missing"], Value::Null);
        assert_eq!(b.len(), 4);
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"a":1,"b":{"$state":"x.id"},"c":3,"request_id":"7"}"#
        );
        assert_eq!(
            b,
            json!({"a": 1, "b": {"$state": "x.id"}, "c": 3, "request_id": "7"})
        );
    }

    #[test]
    fn a_change_copies_the_value_not_the_shared_map() {
        let s = shared();
        let mut b = Body::shared(Arc::clone(&s));
        *b.get_mut("a").unwrap() = json!(2);
        assert_eq!(b["a"], json!(2));
        assert_eq!(s["a"], json!(1), "the shared map is left as it was");
        assert!(b.get_mut("missing").is_none());
        assert_eq!(
            b.to_map(),
            *json!({"a": 2, "b": {"$ref": "x.id"}, "c": 3})
                .as_object()
                .unwrap()
        );
    }
}
