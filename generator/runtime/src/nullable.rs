//! A field that may be absent, `null`, or a value.

/// A field that may be left out, sent as `null`, or sent with a value.
///
/// For a `PATCH`, leaving a field out means "leave it as it is" while `null` means "clear it":
/// `Option` cannot say both, this can.
///
/// Conversions do the obvious thing: `"v2.zip".into()` and `Some(x).into()` are values, `None.into()`
/// is [`Absent`](Nullable::Absent) (left out), and only [`Nullable::Null`] itself sends `null`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// Left out of the JSON object.
    #[default]
    Absent,
    /// Present as `null`.
    Null,
    /// Present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the value is left out (a generated struct does not write an absent field).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    /// A value: `name: "v2.zip".to_owned().into()`.
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl From<&str> for Nullable<String> {
    /// A value: `name: "v2.zip".into()`.
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `Some` is a value; `None` is **absent** (the field is left out: "leave it as it is"),
    /// never `null`. Clearing a field is destructive, so it is spelled out: [`Nullable::Null`].
    /// An `Option` read from the API (where `None` was `null` or missing) passed back therefore
    /// changes nothing it did not have.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Absent,
        }
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => value.serialize(serializer),
            // `Absent` is left out by a generated struct (`serde_struct!`); elsewhere it is `null`.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A missing field never gets here: a generated struct reads it as `Absent` (`default`).
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[test]
    fn conversions_do_the_obvious_thing() {
        let name: Nullable<String> = "v2.zip".into();
        assert_eq!(name, Nullable::Value("v2.zip".to_owned()));
        assert_eq!(Nullable::from(Some(3)), Nullable::Value(3));
        assert_eq!(Nullable::<i32>::from(None), Nullable::Absent);
        assert_eq!(serde_json::from_str::<Nullable<i32>>("null").unwrap(), Nullable::Null);
        assert_eq!(serde_json::from_str::<Nullable<i32>>("4").unwrap(), Nullable::Value(4));
    }
}
