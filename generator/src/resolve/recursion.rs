//! Recursion analysis: a type that contains itself by value (directly or through others) gets a
//! `Box` at every by-value edge inside its strongly connected component.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Position, TypeDef, TypeKind, TypeRef};

/// Named types a position holds by value (not behind `Vec`, a map or a `Box`): the values of a
/// struct's unlisted-properties map live in the map, so they are never by value.
fn by_value(position: Position<'_>, out: &mut BTreeSet<String>) {
    if position.inline {
        position.ty.visit_named(&mut |name, by_value| {
            if by_value {
                out.insert(name.to_owned());
            }
        });
    }
}

pub(crate) fn box_recursive_fields(types: &mut BTreeMap<String, TypeDef>) {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, def) in types.iter() {
        let mut targets = BTreeSet::new();
        for position in def.kind.positions() {
            by_value(position, &mut targets);
        }
        targets.retain(|t| types.contains_key(t));
        edges.insert(name.clone(), targets);
    }
    let component = strongly_connected(&edges);
    for (name, def) in types.iter_mut() {
        let Some(own) = component.get(name) else { continue };
        // An alias is not a new type: `type A = Box<B>` would change what `A` means to users, and a
        // cycle of aliases alone is reported by the resolve stage.
        if matches!(def.kind, TypeKind::Alias(_)) {
            continue;
        }
        for (ty, inline) in def.kind.positions_mut() {
            let mut targets = BTreeSet::new();
            by_value(Position { ty, inline }, &mut targets);
            if targets.iter().any(|t| component.get(t) == Some(own)) {
                let inner = std::mem::replace(ty, TypeRef::Json);
                *ty = TypeRef::Boxed(Box::new(inner));
            }
        }
    }
}

/// Tarjan's algorithm, iterative and in sorted order; maps each node to its component's index.
fn strongly_connected(edges: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<String, usize> {
    let mut index_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut low: BTreeMap<&str, usize> = BTreeMap::new();
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut component: BTreeMap<String, usize> = BTreeMap::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in edges.keys() {
        if index_of.contains_key(root.as_str()) {
            continue;
        }
        // (node, its successors, position in them)
        let mut work: Vec<(&str, Vec<&str>, usize)> = Vec::new();
        let successors = |n: &str| edges.get(n).map(|s| s.iter().map(String::as_str).collect()).unwrap_or_default();
        index_of.insert(root, next_index);
        low.insert(root, next_index);
        next_index += 1;
        stack.push(root);
        on_stack.insert(root);
        work.push((root, successors(root), 0));
        while let Some((node, succ, pos)) = work.last_mut() {
            let node = *node;
            if *pos < succ.len() {
                let next = succ[*pos];
                *pos += 1;
                if !index_of.contains_key(next) {
                    index_of.insert(next, next_index);
                    low.insert(next, next_index);
                    next_index += 1;
                    stack.push(next);
                    on_stack.insert(next);
                    work.push((next, successors(next), 0));
                } else if on_stack.contains(next) {
                    let candidate = index_of[next];
                    if candidate < low[node] {
                        low.insert(node, candidate);
                    }
                }
                continue;
            }
            work.pop();
            if let Some((parent, _, _)) = work.last() {
                let node_low = low[node];
                if node_low < low[*parent] {
                    low.insert(*parent, node_low);
                }
            }
            if low[node] == index_of[node] {
                let members: Vec<&str> = std::iter::from_fn(|| stack.pop()).take_while(|m| *m != node).collect();
                let single = members.is_empty();
                for member in members {
                    on_stack.remove(member);
                    component.insert(member.to_owned(), next_component);
                }
                on_stack.remove(node);
                // A lone node only counts when it refers to itself.
                let self_loop = edges.get(node).is_some_and(|s| s.contains(node));
                if !single || self_loop {
                    component.insert(node.to_owned(), next_component);
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Cycles of type aliases: `type A = B; type B = Vec<A>;` names no type at all (rustc: E0391).
/// They come from schemas that are only compositions of each other (`A: {allOf: [$ref: A]}`,
/// `anyOf`/`oneOf` loops, arrays of themselves), with no object, enum or union in between to
/// give the cycle a named type. Returns each cycle as a path of type names, first name first and
/// last, in sorted order of the first name.
pub(crate) fn alias_cycles(types: &BTreeMap<String, TypeDef>) -> Vec<Vec<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, def) in types {
        if let TypeKind::Alias(_) = def.kind {
            let mut targets = BTreeSet::new();
            super::mentioned(def, &mut targets);
            targets.retain(|t| matches!(types.get(t), Some(TypeDef { kind: TypeKind::Alias(_), .. })));
            edges.insert(name.clone(), targets);
        }
    }
    let component = strongly_connected(&edges);
    let mut first_of: BTreeMap<usize, &str> = BTreeMap::new();
    for (name, index) in &component {
        first_of.entry(*index).or_insert(name);
    }
    let mut starts: Vec<&str> = first_of.into_values().collect();
    starts.sort_unstable();
    starts
        .into_iter()
        .map(|start| {
            // The shortest way back to `start` inside its component (breadth first).
            let own = component[start];
            let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
            let mut queue = std::collections::VecDeque::from([start]);
            let mut cycle = vec![start.to_owned(), start.to_owned()];
            'search: while let Some(node) = queue.pop_front() {
                for next in edges.get(node).into_iter().flatten() {
                    if component.get(next) != Some(&own) {
                        continue;
                    }
                    if next == start {
                        let mut path = vec![start.to_owned()];
                        let mut at = node;
                        while at != start {
                            path.push(at.to_owned());
                            at = came_from[at];
                        }
                        path.push(start.to_owned());
                        path.reverse();
                        cycle = path;
                        break 'search;
                    }
                    if !came_from.contains_key(next.as_str()) {
                        came_from.insert(next, node);
                        queue.push_back(next);
                    }
                }
            }
            cycle
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::ir::{TypeDef, TypeKind, TypeRef};

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.to_owned())
    }

    /// Field types and the unlisted-properties map's value type of a struct.
    fn struct_types(types: &std::collections::BTreeMap<String, TypeDef>, name: &str) -> (Vec<TypeRef>, Option<TypeRef>) {
        match &types[name].kind {
            TypeKind::Struct(s) => (s.fields.iter().map(|f| f.ty.clone()).collect(), s.additional.as_ref().map(|a| a.ty.clone())),
            other => panic!("{name} is no struct: {other:?}"),
        }
    }

    /// `A { b: B }`, `B { additionalProperties: A }`: B holds A in a map, so nothing is boxed; a
    /// real by-value cycle (C ↔ D) is still boxed, and D's map of C is not.
    #[test]
    fn a_map_of_unlisted_properties_breaks_no_cycle_and_gets_no_box() {
        let output = crate::fixture("recursion_through_map");
        let types = &output.api.types;
        assert_eq!(struct_types(types, "A"), (vec![named("B")], None));
        assert_eq!(struct_types(types, "B"), (vec![TypeRef::Primitive(crate::ir::Primitive::String)], Some(named("A"))));
        assert_eq!(struct_types(types, "C"), (vec![TypeRef::Boxed(Box::new(named("D")))], None));
        assert_eq!(struct_types(types, "D"), (vec![TypeRef::Boxed(Box::new(named("C")))], Some(named("C"))));
    }
}
