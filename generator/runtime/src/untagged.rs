//! Decoding untagged unions: the variant that accounts for the value best, not the first that
//! decodes.
//!
//! serde's `#[serde(untagged)]` takes the first variant that decodes, and a struct decodes from
//! any object that has its required properties: `anyOf: [{id, wait_timer?}, {id, reviewers?}]`
//! would read every value as the first member and drop `reviewers`. A generated union instead
//! buffers the value, decodes every variant, and ranks those that decode by, in order:
//!
//! 1. the document's constraints the Rust type does not check itself ([`Check`]: `enum` values
//!    of open enums, `pattern`, bounds, lengths, also one level down in an object's properties):
//!    fewest violated;
//! 2. fidelity: re-encoded, the variant loses the fewest parts of the value (properties it does
//!    not know, numbers it would change);
//! 3. it adds the fewest properties the value did not have (defaults, explicit `null`s);
//! 4. document order.
//!
//! A value that a variant keeps completely is never decoded as one that drops a field.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

/// A constraint of the document a variant's Rust type does not check when it decodes.
#[derive(Debug)]
pub enum Check {
    /// A string among these (an open string enum decodes any string).
    Strings(&'static [&'static str]),
    /// An integer among these (an integer enum decodes any integer).
    Integers(&'static [i64]),
    /// A string matching this regular expression (kept as satisfied if the regex crate cannot
    /// compile the document's ECMA pattern).
    Pattern(&'static str),
    /// A number at least this (strictly more when `true`).
    Minimum(f64, bool),
    /// A number at most this (strictly less when `true`).
    Maximum(f64, bool),
    /// A string of at least this many characters.
    MinLength(usize),
    /// A string of at most this many characters.
    MaxLength(usize),
    /// When the object has this property, its value meets these checks.
    Property(&'static str, &'static [Check]),
}

impl Check {
    /// Whether `value` meets the check; a value of another kind is not this check's business.
    pub fn holds(&self, value: &Value) -> bool {
        match (self, value) {
            (Check::Strings(values), Value::String(s)) => values.contains(&s.as_str()),
            (Check::Integers(values), Value::Number(n)) => n.as_i64().is_some_and(|n| values.contains(&n)),
            (Check::Pattern(pattern), Value::String(s)) => matches(pattern, s),
            (Check::Minimum(min, exclusive), Value::Number(n)) => {
                n.as_f64().is_none_or(|n| if *exclusive { n > *min } else { n >= *min })
            }
            (Check::Maximum(max, exclusive), Value::Number(n)) => {
                n.as_f64().is_none_or(|n| if *exclusive { n < *max } else { n <= *max })
            }
            (Check::MinLength(min), Value::String(s)) => s.chars().count() >= *min,
            (Check::MaxLength(max), Value::String(s)) => s.chars().count() <= *max,
            (Check::Property(name, checks), Value::Object(object)) => {
                object.get(*name).is_none_or(|inner| checks.iter().all(|check| check.holds(inner)))
            }
            _ => true,
        }
    }
}

fn matches(pattern: &'static str, text: &str) -> bool {
    static CACHE: OnceLock<Mutex<BTreeMap<&'static str, Option<regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    let mut cache = match cache.lock() {
        Ok(cache) => cache,
        Err(poisoned) => poisoned.into_inner(),
    };
    let regex = cache.entry(pattern).or_insert_with(|| regex::Regex::new(pattern).ok());
    regex.as_ref().is_none_or(|regex| regex.is_match(text))
}

/// The choice of a variant for one value: each variant is attempted in document order, the best
/// fit is kept (an exact fit ends the search: nothing after it can beat it).
#[derive(Debug)]
pub struct Choice<'a, U> {
    value: &'a Value,
    best: Option<(Fit, U)>,
    errors: Vec<String>,
    /// How many variants were attempted: the next one's index in document order.
    attempted: usize,
}

impl<'a, U> Choice<'a, U> {
    /// A choice for `value`.
    pub fn new(value: &'a Value) -> Self {
        Choice { value, best: None, errors: Vec::new(), attempted: 0 }
    }

    /// Tries the next variant in document order (named `label`, made by `wrap`): decodes the
    /// value as `T`, measures the fit.
    pub fn attempt<T: serde::de::DeserializeOwned + serde::Serialize>(&mut self, label: &str, checks: &[Check], wrap: impl FnOnce(T) -> U) {
        let index = self.attempted;
        self.attempted += 1;
        if self.best.as_ref().is_some_and(|(fit, _)| fit.is_exact()) {
            return;
        }
        match serde_json::from_value::<T>(self.value.clone()) {
            Ok(decoded) => {
                let fit = Fit::of(index, checks, self.value, &decoded);
                if self.best.as_ref().is_none_or(|(best, _)| fit < *best) {
                    self.best = Some((fit, wrap(decoded)));
                }
            }
            Err(err) => self.errors.push(format!("{label}: {err}")),
        }
    }

    /// The best variant, or why none decodes.
    pub fn finish(self, union: &str) -> Result<U, String> {
        match self.best {
            Some((_, decoded)) => Ok(decoded),
            None => Err(format!("the value fits no variant of `{union}` ({})", self.errors.join("; "))),
        }
    }
}

/// `Serialize` and `Deserialize` for a generated untagged union, from its variants in document
/// order: `untagged!(Name { Variant, Other: [Pattern("^a"), MaxLength(3)] })`, each variant
/// holding one value and given with the document's constraints its type does not check
/// ([`Check`]s, named without their path), if any.
///
/// A value is written as the variant's value alone, and read as the variant that accounts for it
/// best ([`Choice`]).
#[allow(unused_macros)] // a crate whose document has no untagged union does not use it
macro_rules! untagged {
    ($name:ident { $($variant:ident $(: [$($check:expr),* $(,)?])?),* $(,)? }) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match *self {
                    $(Self::$variant(ref value) => ::serde::Serialize::serialize(value, serializer),)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = $crate::runtime::buffer::read(deserializer)?;
                let mut choice = $crate::runtime::untagged::Choice::new(&value);
                $(choice.attempt(
                    ::core::stringify!($variant),
                    &[$($({
                        #[allow(unused_imports, reason = "a check names one variant")]
                        use $crate::runtime::untagged::Check::*;
                        $check
                    }),*)?],
                    Self::$variant,
                );)*
                choice.finish(::core::stringify!($name)).map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use untagged;

/// How well a decoded variant accounts for a value; smaller is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fit {
    /// Checks of the document the value violates.
    pub violations: usize,
    /// Parts of the value the variant does not give back (properties it ignores, values it
    /// changes).
    pub lost: usize,
    /// Properties the variant writes that the value did not have.
    pub added: usize,
    /// The variant's place in the document.
    pub index: usize,
}

impl Fit {
    /// Measures a variant: `input` is the value, `output` the variant's re-encoding of it.
    pub fn measure(index: usize, checks: &[Check], input: &Value, output: &Value) -> Fit {
        let violations = checks.iter().filter(|check| !check.holds(input)).count();
        let (mut lost, mut added) = (0, 0);
        compare(input, output, &mut lost, &mut added);
        Fit { violations, lost, added, index }
    }

    /// Measures a decoded variant against the value it was decoded from.
    pub fn of<T: serde::Serialize>(index: usize, checks: &[Check], input: &Value, decoded: &T) -> Fit {
        let output = serde_json::to_value(decoded).unwrap_or(Value::Null);
        Fit::measure(index, checks, input, &output)
    }

    /// Whether the variant gives the value back exactly and meets every check.
    pub fn is_exact(&self) -> bool {
        self.violations == 0 && self.lost == 0 && self.added == 0
    }
}

fn compare(input: &Value, output: &Value, lost: &mut usize, added: &mut usize) {
    match (input, output) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => compare(value, other, lost, added),
                    None => *lost += 1 + size(value),
                }
            }
            *added += b.keys().filter(|key| !a.contains_key(*key)).count();
        }
        (Value::Array(a), Value::Array(b)) => {
            for (x, y) in a.iter().zip(b) {
                compare(x, y, lost, added);
            }
            *lost += a.iter().skip(b.len()).map(|v| 1 + size(v)).sum::<usize>();
            *added += b.len().saturating_sub(a.len());
        }
        (a, b) if a == b => {}
        (a, _) => *lost += 1 + size(a),
    }
}

/// How many parts a value has below itself.
fn size(value: &Value) -> usize {
    match value {
        Value::Object(object) => object.values().map(|v| 1 + size(v)).sum(),
        Value::Array(items) => items.iter().map(|v| 1 + size(v)).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// A type of the module named as a check: `untagged!` reads its checks as the runtime's.
    #[allow(dead_code)]
    struct Pattern {}

    #[derive(Debug, PartialEq)]
    enum Case {
        Lower(String),
        Upper(String),
        Count(u8),
    }
    crate::runtime::untagged!(Case { Lower: [Pattern("^[a-z]+$")], Upper: [Pattern("^[A-Z]+$"), MaxLength(3)], Count });

    #[test]
    fn a_value_is_read_as_the_variant_whose_checks_it_meets_and_written_as_its_value() {
        assert_eq!(serde_json::from_value::<Case>(json!("ABC")).unwrap(), Case::Upper("ABC".into()));
        assert_eq!(serde_json::from_value::<Case>(json!("abc")).unwrap(), Case::Lower("abc".into()));
        assert_eq!(serde_json::from_value::<Case>(json!(7)).unwrap(), Case::Count(7));
        assert_eq!(serde_json::to_value(Case::Upper("ABC".into())).unwrap(), json!("ABC"));
        assert_eq!(serde_json::to_value(Case::Count(7)).unwrap(), json!(7));
    }

    #[test]
    fn a_value_no_variant_reads_names_each_variant_and_why() {
        let err = serde_json::from_value::<Case>(json!(true)).unwrap_err().to_string();
        assert!(err.starts_with("the value fits no variant of `Case` (Lower: invalid type: boolean `true`"), "{err}");
        assert!(err.contains("; Upper: invalid type") && err.contains("; Count: invalid type"), "{err}");
    }

    #[test]
    fn a_key_given_twice_is_an_error_not_the_last_one_kept() {
        let err = serde_json::from_str::<Case>(r#"{"a": 1, "a": 2}"#).unwrap_err().to_string();
        assert!(err.starts_with("duplicate field `a`"), "{err}");
    }
}
