//! The message graph: which singular message fields must be boxed.
//!
//! A singular message (or group) field is stored inline (`zpb::Optional<M>`) unless its
//! type can contain the message that holds the field through a chain of singular message
//! fields — then the Rust type would be infinitely large, and the field is boxed
//! (`zpb::MessageField<M>`). Repeated fields and maps are heap-backed and oneof members are
//! boxed, so they break such chains and are not edges of the graph. (prost-build makes the
//! same decision from its `message_graph`.)
//!
//! The graph covers every message of the descriptor set (imports included) and is built
//! once; a field from `A` to `B` closes a cycle exactly when `A` and `B` are in the same
//! strongly connected component, which Tarjan's algorithm finds for all messages at once.

use super::features::real_oneof;
use super::index::package_scope;
use std::collections::HashMap;
use zpb::descriptor::field_descriptor_proto::{Label, Type};
use zpb::descriptor::{DescriptorProto, FieldDescriptorProto, FileDescriptorSet};

/// Messages by full name (with a leading dot) and their singular message edges.
pub struct MessageGraph {
    /// Node index by full name.
    index: HashMap<String, usize>,
    /// Strongly connected component of each node.
    component: Vec<usize>,
    /// Whether a node has a field of its own type (a one-node cycle).
    self_edge: Vec<bool>,
}

/// Whether a field is an edge: a singular message or group field outside a real oneof
/// (proto3 `optional` members of synthetic oneofs are plain fields).
fn is_edge(f: &FieldDescriptorProto) -> bool {
    matches!(f.r#type(), Type::Message | Type::Group)
        && f.label() != Label::Repeated
        && real_oneof(f).is_none()
}

impl MessageGraph {
    /// Builds the graph of all messages in `set`.
    pub fn new(set: &FileDescriptorSet) -> MessageGraph {
        let mut names = Vec::new();
        let mut fields: Vec<Vec<&str>> = Vec::new();
        fn add<'a>(
            m: &'a DescriptorProto,
            scope: &str,
            names: &mut Vec<String>,
            fields: &mut Vec<Vec<&'a str>>,
        ) {
            let full = format!("{scope}.{}", m.name());
            for n in m.nested_type.iter() {
                add(n, &full, names, fields);
            }
            fields.push(
                m.field
                    .iter()
                    .filter(|f| is_edge(f))
                    .map(|f| f.type_name())
                    .collect(),
            );
            names.push(full);
        }
        for file in set.file.iter() {
            let scope = package_scope(file.package());
            for m in file.message_type.iter() {
                add(m, &scope, &mut names, &mut fields);
            }
        }
        let index: HashMap<String, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        // Edges to types outside the set cannot close a cycle; drop them.
        let edges: Vec<Vec<usize>> = fields
            .iter()
            .map(|f| f.iter().filter_map(|t| index.get(*t).copied()).collect())
            .collect();
        let self_edge = edges
            .iter()
            .enumerate()
            .map(|(i, e)| e.contains(&i))
            .collect();
        MessageGraph {
            component: Tarjan::components(&edges),
            index,
            self_edge,
        }
    }

    /// Whether a singular message field of message `from` with type `to` (full names with a
    /// leading dot) lies on a cycle of singular message fields, and so must be boxed.
    pub fn is_cyclic(&self, from: &str, to: &str) -> bool {
        match (self.index.get(from), self.index.get(to)) {
            (Some(&a), Some(&b)) if a == b => self.self_edge[a],
            (Some(&a), Some(&b)) => self.component[a] == self.component[b],
            _ => false,
        }
    }
}

/// Tarjan's strongly connected components, iterative (no recursion depth limit on large
/// schemas).
struct Tarjan<'a> {
    edges: &'a [Vec<usize>],
    order: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    component: Vec<usize>,
    next_order: usize,
    next_component: usize,
}

impl Tarjan<'_> {
    /// The component of each node of the graph given by adjacency lists.
    fn components(edges: &[Vec<usize>]) -> Vec<usize> {
        let n = edges.len();
        let mut t = Tarjan {
            edges,
            order: vec![None; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            component: vec![usize::MAX; n],
            next_order: 0,
            next_component: 0,
        };
        for root in 0..n {
            if t.order[root].is_none() {
                t.visit(root);
            }
        }
        t.component
    }

    fn enter(&mut self, v: usize) {
        self.order[v] = Some(self.next_order);
        self.low[v] = self.next_order;
        self.next_order += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
    }

    /// Depth-first search from `root` with an explicit stack of (node, next edge).
    fn visit(&mut self, root: usize) {
        self.enter(root);
        let mut work = vec![(root, 0)];
        while let Some(top) = work.last_mut() {
            let v = top.0;
            if let Some(&w) = self.edges[v].get(top.1) {
                top.1 += 1;
                match self.order[w] {
                    None => {
                        self.enter(w);
                        work.push((w, 0));
                    }
                    Some(o) if self.on_stack[w] => self.low[v] = self.low[v].min(o),
                    Some(_) => {}
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                self.low[parent] = self.low[parent].min(self.low[v]);
            }
            if Some(self.low[v]) == self.order[v] {
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    self.component[w] = self.next_component;
                    if w == v {
                        break;
                    }
                }
                self.next_component += 1;
            }
        }
    }
}
