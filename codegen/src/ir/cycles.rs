//! Which types contain themselves by value and need a `Box` to have a size, and which
//! aliases refer to themselves and must become types of their own.

use super::{TypeDef, TypeId, TypeKind, TypeRef};

/// The named type `ty` holds by value (not behind a `Vec` or map, which already
/// allocate), if any.
fn held_by_value(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Nullable(inner) => held_by_value(inner),
        _ => None,
    }
}

/// Every named type `ty` mentions, containers included.
fn mentioned(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            mentioned(inner, out)
        }
        TypeRef::Primitive(_) | TypeRef::Any => {}
    }
}

/// Which edges of the type graph count.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Graph {
    /// A type holding another by value: a cycle of these has no size.
    ByValue,
    /// An alias mentioning a type anywhere: a cycle of these never ends expanding.
    AliasesOnly,
    /// An alias that is another named type, nothing around it: a cycle of these describes
    /// no value at all (`$ref`s, or one-part `allOf`s, that lead back to where they began).
    BareAliases,
}

/// The edges of every type in one graph, in one list: a type's targets are a slice of it.
/// (A vector per type was most of the allocations of the cycle search.)
struct Adjacency {
    /// Where each type's targets start in `targets`, and where the last ends.
    starts: Vec<usize>,
    targets: Vec<TypeId>,
}

impl Adjacency {
    fn of(types: &[TypeDef], graph: Graph) -> Self {
        let mut starts = Vec::with_capacity(types.len() + 1);
        let mut targets = Vec::new();
        for definition in types {
            starts.push(targets.len());
            edges(definition, graph, &mut targets);
        }
        starts.push(targets.len());
        Adjacency { starts, targets }
    }

    /// The types that the type `id` has an edge to.
    fn targets_of(&self, id: usize) -> &[TypeId] {
        &self.targets[self.starts[id]..self.starts[id + 1]]
    }
}

/// Appends the edges of `definition` in `graph` to `out`.
fn edges(definition: &TypeDef, graph: Graph, out: &mut Vec<TypeId>) {
    match (&definition.kind, graph) {
        (TypeKind::Alias(TypeRef::Named(id)), Graph::BareAliases) => return out.push(*id),
        (_, Graph::BareAliases) => return,
        (TypeKind::Alias(_), Graph::AliasesOnly) | (_, Graph::ByValue) => {}
        (_, Graph::AliasesOnly) => return,
    }
    let mut visit = |ty: &TypeRef| {
        if graph == Graph::ByValue {
            out.extend(held_by_value(ty));
        } else {
            mentioned(ty, out);
        }
    };
    match &definition.kind {
        TypeKind::Struct(structure) => {
            structure.fields.iter().for_each(|field| visit(&field.ty));
            structure.additional.iter().for_each(&mut visit);
        }
        TypeKind::Union(union) => union.variants.iter().for_each(|variant| visit(&variant.ty)),
        TypeKind::Alias(ty) | TypeKind::Newtype { ty, .. } => visit(ty),
        TypeKind::Enum(_) | TypeKind::Responses(_) => {}
    }
}

/// Strongly connected components (Tarjan), as a component index per type.
fn components(graph: &Adjacency) -> Vec<usize> {
    struct State {
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        component: Vec<usize>,
        count: usize,
    }
    let n = graph.starts.len() - 1;
    let mut state = State {
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        component: vec![usize::MAX; n],
        count: 0,
    };
    // Iterative, so that deep type graphs (Kubernetes, Stripe) cannot overflow the stack.
    let mut work: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if state.index[root].is_some() {
            continue;
        }
        work.push((root, 0));
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && state.index[node].is_none() {
                state.index[node] = Some(state.next);
                state.low[node] = state.next;
                state.next += 1;
                state.stack.push(node);
                state.on_stack[node] = true;
            }
            if let Some(next) = graph.targets_of(node).get(*edge).map(|id| id.0) {
                *edge += 1;
                match state.index[next] {
                    None => work.push((next, 0)),
                    Some(next_index) if state.on_stack[next] => {
                        state.low[node] = state.low[node].min(next_index);
                    }
                    Some(_) => {}
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                state.low[parent] = state.low[parent].min(state.low[node]);
            }
            if Some(state.low[node]) == state.index[node] {
                while let Some(member) = state.stack.pop() {
                    state.on_stack[member] = false;
                    state.component[member] = state.count;
                    if member == node {
                        break;
                    }
                }
                state.count += 1;
            }
        }
    }
    state.component
}

/// Which types are in a cycle of `graph`: their component has other members, or they point
/// at themselves. Counted once per graph: asking type by type walked every component again.
fn in_cycles(graph: &Adjacency, component: &[usize]) -> Vec<bool> {
    let mut sizes = vec![0usize; component.len()];
    for &c in component {
        sizes[c] += 1;
    }
    (0..component.len())
        .map(|id| {
            sizes[component[id]] > 1 || graph.targets_of(id).iter().any(|target| target.0 == id)
        })
        .collect()
}

/// Boxes self-containing fields and variants, and turns self-referring aliases into
/// newtypes (a type alias may not mention itself). Aliases that only lead back to
/// themselves become any JSON value; they are returned, to be noted.
pub(crate) fn break_cycles(types: &mut [TypeDef]) -> Vec<TypeId> {
    let bare_aliases = Adjacency::of(types, Graph::BareAliases);
    let bare = in_cycles(&bare_aliases, &components(&bare_aliases));
    let endless: Vec<TypeId> = (0..types.len())
        .filter(|&id| bare[id])
        .map(TypeId)
        .collect();
    for id in &endless {
        types[id.0].kind = TypeKind::Alias(TypeRef::Any);
    }
    let alias_graph = Adjacency::of(types, Graph::AliasesOnly);
    let aliases = in_cycles(&alias_graph, &components(&alias_graph));
    for id in 0..types.len() {
        if let TypeKind::Alias(ty) = &types[id].kind {
            if aliases[id] {
                let ty = ty.clone();
                types[id].kind = TypeKind::Newtype { ty, boxed: false };
            }
        }
    }
    let by_value_graph = Adjacency::of(types, Graph::ByValue);
    let by_value = components(&by_value_graph);
    let by_value_cycles = in_cycles(&by_value_graph, &by_value);
    let same_cycle = |ty: &TypeRef, owner: usize| {
        held_by_value(ty)
            .is_some_and(|target| by_value[target.0] == by_value[owner] && by_value_cycles[owner])
    };
    let mut boxes: Vec<(usize, usize)> = Vec::new();
    let mut newtype_boxes = Vec::new();
    for (owner, definition) in types.iter().enumerate() {
        match &definition.kind {
            TypeKind::Struct(structure) => boxes.extend(
                structure
                    .fields
                    .iter()
                    .enumerate()
                    .filter(|(_, field)| same_cycle(&field.ty, owner))
                    .map(|(index, _)| (owner, index)),
            ),
            TypeKind::Union(union) => boxes.extend(
                union
                    .variants
                    .iter()
                    .enumerate()
                    .filter(|(_, variant)| same_cycle(&variant.ty, owner))
                    .map(|(index, _)| (owner, index)),
            ),
            TypeKind::Newtype { ty, .. } if same_cycle(ty, owner) => newtype_boxes.push(owner),
            _ => {}
        }
    }
    for (owner, index) in boxes {
        match &mut types[owner].kind {
            TypeKind::Struct(structure) => structure.fields[index].boxed = true,
            TypeKind::Union(union) => union.variants[index].boxed = true,
            _ => {}
        }
    }
    for owner in newtype_boxes {
        if let TypeKind::Newtype { boxed, .. } = &mut types[owner].kind {
            *boxed = true;
        }
    }
    endless
}
