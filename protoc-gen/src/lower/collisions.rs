//! Collision renaming: a name that would clash with one already given gets `_` appended
//! until it is free. Earlier names keep theirs; oneof members name their accessors before
//! the other fields of their message, which make way for them.

use super::features::real_oneof;
use crate::ir::{Presence, Shape, Value};
use crate::names::{snake_case, upper_camel};
use std::collections::{HashMap, HashSet};
use zpb::descriptor::DescriptorProto;
use zpb_naming::{oneof_accessor_base, oneof_member_accessors, FieldShape, RESERVED_METHODS};

/// `name` with `_` appended until `taken` refuses it no more.
pub fn suffixed(mut name: String, taken: impl Fn(&str) -> bool) -> String {
    while taken(&name) {
        name.push('_');
    }
    name
}

/// `name` (with the suffix of a keyword that cannot be raw), or `name_`, `name__`, ... until
/// `free` accepts it.
pub fn unique_base(name: &str, free: impl Fn(&str) -> bool) -> String {
    suffixed(zpb_naming::suffix_non_raw(name), |b| !free(b))
}

/// The accessor methods the derive emits for a field of this shape whose base is `base`:
/// the one list in `zpb-naming`, so the generator's collision renaming predicts exactly what
/// the derive generates.
pub fn accessor_names(base: &str, shape: &Shape) -> Vec<String> {
    zpb_naming::accessor_names(base, field_shape(shape))
}

/// The accessor shape (`zpb-naming`'s) of a field of this IR shape.
fn field_shape(shape: &Shape) -> FieldShape {
    match shape {
        Shape::Singular {
            presence: Presence::Implicit,
            value,
            ..
        } => FieldShape::Implicit {
            by_value: matches!(value, Value::Scalar { .. } | Value::Enum { .. }),
        },
        Shape::Singular { .. } => FieldShape::Present,
        Shape::Repeated { .. } => FieldShape::Repeated,
        Shape::Map { .. } => FieldShape::Map,
    }
}

/// The methods of a message for its oneof `base` besides the field itself.
fn oneof_accessors(base: &str) -> Vec<String> {
    zpb_naming::accessor_names(base, FieldShape::Oneof)
}

/// The names given in one message: its accessors (all on one struct) and the types of its
/// module (nested messages and enums, then oneof enums).
pub struct MessageNames {
    /// What no field may take: the methods every message has, and the oneof members'
    /// accessors.
    fixed: HashSet<String>,
    /// Taken by the fields and oneofs named so far.
    taken: HashSet<String>,
    /// The accessor base of each oneof member, by field number.
    members: HashMap<i32, String>,
    /// Type names in the message's module.
    nested: HashSet<String>,
}

impl MessageNames {
    /// Names the accessors of the oneof members of `m`, in declaration order: the derive's
    /// default, `_`-suffixed while it would shadow a method every message has or an earlier
    /// member's accessor. `nested` are the Rust names of the nested messages and enums.
    pub fn new(m: &DescriptorProto, nested: HashSet<String>) -> MessageNames {
        let mut fixed: HashSet<String> = RESERVED_METHODS.iter().map(|s| s.to_string()).collect();
        let mut members = HashMap::new();
        for f in m.field.iter().filter(|f| real_oneof(f).is_some()) {
            let base = unique_base(&oneof_accessor_base(f.name()), |b| {
                oneof_member_accessors(b).iter().all(|n| !fixed.contains(n))
            });
            fixed.extend(oneof_member_accessors(&base));
            members.insert(f.number(), base);
        }
        MessageNames {
            fixed,
            taken: HashSet::new(),
            members,
            nested,
        }
    }

    /// The accessor base of the oneof member numbered `number`, named by [`MessageNames::new`].
    pub fn member(&mut self, number: i32) -> String {
        self.members.remove(&number).unwrap_or_default()
    }

    fn free(&self, name: &str) -> bool {
        !self.fixed.contains(name) && !self.taken.contains(name)
    }

    /// The field name of the oneof declared as `proto_name`, its accessors then taken.
    pub fn oneof(&mut self, proto_name: &str) -> String {
        let base = unique_base(&snake_case(proto_name), |b| {
            oneof_accessors(b).iter().all(|n| self.free(n)) && !self.taken.contains(b)
        });
        self.taken.insert(base.clone());
        self.taken.extend(oneof_accessors(&base));
        base
    }

    /// The name of the enum of the oneof declared as `proto_name`, free among the types of
    /// the message's module, then taken.
    pub fn oneof_enum(&mut self, proto_name: &str) -> String {
        let name = suffixed(upper_camel(proto_name), |n| self.nested.contains(n));
        self.nested.insert(name.clone());
        name
    }

    /// The name of the field `proto_name` of this shape, its accessors then taken.
    pub fn field(&mut self, proto_name: &str, shape: &Shape) -> String {
        let base = unique_base(&snake_case(proto_name), |b| {
            accessor_names(b, shape).iter().all(|n| self.free(n))
        });
        self.taken.extend(accessor_names(&base, shape));
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Presence, Value};

    fn singular() -> Shape {
        Shape::Singular {
            value: Value::String { thin: false },
            presence: Presence::Optional,
            default: None,
            boxed: false,
        }
    }

    #[test]
    fn later_fields_make_way() {
        let mut names = MessageNames::new(&DescriptorProto::default(), HashSet::new());
        assert_eq!(names.field("foo", &singular()), "foo");
        // `has_foo` is taken by `foo`'s accessors.
        assert_eq!(names.field("has_foo", &singular()), "has_foo_");
        // `clear` is a method of every message.
        assert_eq!(names.field("clear", &singular()), "clear_");
        // `which_foo`, `clear_foo` and `take_foo` are taken.
        assert_eq!(names.oneof("foo"), "foo_");
        assert_eq!(names.field("self", &singular()), "self_");
    }

    #[test]
    fn oneof_enums_avoid_nested_types() {
        let nested = HashSet::from(["Kind".to_string()]);
        let mut names = MessageNames::new(&DescriptorProto::default(), nested);
        assert_eq!(names.oneof_enum("kind"), "Kind_");
        assert_eq!(names.oneof_enum("kind"), "Kind__");
        assert_eq!(suffixed("a".to_string(), |n| n.len() < 3), "a__");
    }
}
