//! Enumerations: the [`Enumeration`] trait and [`OpenEnum<E>`] for proto3's open enums.

use std::fmt;
use std::marker::PhantomData;

/// A protobuf enum, implemented by `#[derive(zpb::Enumeration)]` on a field-less Rust enum.
///
/// ```
/// #[derive(zpb::Enumeration, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
/// enum Color {
///     #[default]
///     Red = 0,
///     #[zpb(name = "GREEN_LIGHT")]
///     Green = 1,
/// }
/// use zpb::Enumeration;
/// assert_eq!(Color::from_i32(1), Some(Color::Green));
/// assert_eq!(Color::Green.name(), "GREEN_LIGHT");
/// assert_eq!(Color::from_i32(7), None);
/// ```
pub trait Enumeration:
    Copy + Eq + std::hash::Hash + Default + fmt::Debug + Send + Sync + 'static
{
    /// Full proto name of the enum.
    const NAME: &'static str;
    /// The value for a number, if the enum declares it.
    fn from_i32(value: i32) -> Option<Self>;
    /// The number of a value.
    fn to_i32(self) -> i32;
    /// The proto name of a value.
    fn name(self) -> &'static str;
    /// The value with a proto name.
    fn from_name(name: &str) -> Option<Self>;
    /// All declared values, in declaration order.
    fn values() -> &'static [Self];
}

/// The value of an open (proto3) enum field: any `i32`, known to the enum or not, so values
/// from newer schemas survive a round trip.
///
/// ```
/// # #[derive(zpb::Enumeration, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
/// # enum Color { #[default] Red = 0, Green = 1 }
/// use zpb::OpenEnum;
/// let known: OpenEnum<Color> = Color::Green.into();
/// assert_eq!(known.get(), Some(Color::Green));
/// assert_eq!(known, Color::Green);
/// let future = OpenEnum::<Color>::from_raw(42);
/// assert_eq!((future.get(), future.raw()), (None, 42));
/// ```
pub struct OpenEnum<E> {
    raw: i32,
    _enum: PhantomData<fn() -> E>,
}

impl<E: Enumeration> OpenEnum<E> {
    /// Wraps any number.
    #[inline]
    pub const fn from_raw(raw: i32) -> Self {
        OpenEnum {
            raw,
            _enum: PhantomData,
        }
    }

    /// The number as received.
    #[inline]
    pub const fn raw(self) -> i32 {
        self.raw
    }

    /// The enum value, if the number is declared.
    #[inline]
    pub fn get(self) -> Option<E> {
        E::from_i32(self.raw)
    }

    /// The enum value, or the enum's default for an undeclared number.
    #[inline]
    pub fn get_or_default(self) -> E {
        self.get().unwrap_or_default()
    }
}

impl<E> Clone for OpenEnum<E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E> Copy for OpenEnum<E> {}
impl<E> PartialEq for OpenEnum<E> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}
impl<E> Eq for OpenEnum<E> {}
impl<E> std::hash::Hash for OpenEnum<E> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.raw.hash(state)
    }
}
impl<E> PartialOrd for OpenEnum<E> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for OpenEnum<E> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.raw.cmp(&other.raw)
    }
}
impl<E> Default for OpenEnum<E> {
    fn default() -> Self {
        OpenEnum {
            raw: 0,
            _enum: PhantomData,
        }
    }
}
impl<E: Enumeration> PartialEq<E> for OpenEnum<E> {
    fn eq(&self, other: &E) -> bool {
        self.raw == other.to_i32()
    }
}
impl<E: Enumeration> From<E> for OpenEnum<E> {
    fn from(e: E) -> Self {
        OpenEnum::from_raw(e.to_i32())
    }
}
impl<E: Enumeration> fmt::Debug for OpenEnum<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.get() {
            Some(e) => f.write_str(e.name()),
            None => write!(f, "{}", self.raw),
        }
    }
}

impl<E> crate::Reuse for OpenEnum<E> {
    const OWNS_HEAP: bool = false;
    #[inline]
    fn clear(&mut self) {
        self.raw = 0;
    }
    #[inline]
    fn space_used(&self) -> usize {
        0
    }
    #[inline]
    fn trim(&mut self, _budget: &mut usize) {}
}
