//! Resolves every reference of a crate to the module that defines what it
//! names (following `use` re-exports), and finds the cycles among sibling
//! modules: `a` and `b` are in a cycle when something under `a` uses something
//! under `b` and the other way round, through any number of other siblings.
//! A module using its own parent or children is not a layer crossing and is
//! not counted.

use crate::tree::{Import, Tree};
use std::collections::BTreeMap;

/// One place where a module reaches into a sibling.
#[derive(Clone, Debug)]
pub struct Crossing {
    pub from: String,
    pub to: String,
    pub at: String,
}

/// Sibling modules that import each other, directly or round a loop.
#[derive(Debug)]
pub struct Cycle {
    pub members: Vec<String>,
    /// One example reference for each edge inside the cycle.
    pub crossings: Vec<Crossing>,
}

const MAX_HOPS: usize = 16;

impl Tree {
    fn absolute(&self, module: usize, segments: &[String], hops: usize) -> Option<Vec<String>> {
        let m = &self.modules[module];
        let first = segments.first()?;
        let mut base: Vec<String> = match first.as_str() {
            "crate" => Vec::new(),
            "self" => m.path.clone(),
            "super" => {
                let mut base = m.path.clone();
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                return Some(base);
            }
            _ if m.children.contains_key(first) || m.items.contains(first) => {
                let mut base = m.path.clone();
                base.push(first.clone());
                base
            }
            _ => match m.imports.get(first) {
                Some(Import::Name(target)) | Some(Import::Glob(target)) if hops < MAX_HOPS => {
                    self.absolute(module, target, hops + 1)?
                }
                _ => return None,
            },
        };
        base.extend(segments[1..].iter().cloned());
        Some(base)
    }

    /// The module defining what `path` (absolute, below the root) names, and
    /// whether the name was found there (rather than assumed).
    fn resolve(&self, path: &[String], hops: usize) -> (usize, bool) {
        let mut current = 0;
        for (i, segment) in path.iter().enumerate() {
            let m = &self.modules[current];
            if let Some(&child) = m.children.get(segment) {
                current = child;
                continue;
            }
            if m.items.contains(segment) {
                return (current, true);
            }
            if hops >= MAX_HOPS {
                return (current, false);
            }
            if let Some(Import::Name(target)) = m.imports.get(segment) {
                if let Some(mut next) = self.absolute(current, target, hops + 1) {
                    next.extend(path[i + 1..].iter().cloned());
                    return self.resolve(&next, hops + 1);
                }
                return (current, false);
            }
            for glob in &m.globs {
                if let Some(mut next) = self.absolute(current, glob, hops + 1) {
                    next.extend(path[i..].iter().cloned());
                    let (found_in, found) = self.resolve(&next, hops + 1);
                    if found {
                        return (found_in, true);
                    }
                }
            }
            return (current, false);
        }
        (current, true)
    }

    fn ancestry(&self, module: usize) -> Vec<usize> {
        let mut chain = vec![module];
        let mut at = module;
        while let Some(parent) = self.modules[at].parent {
            chain.push(parent);
            at = parent;
        }
        chain.reverse();
        chain
    }

    /// Every cycle among sibling modules, at every level of the tree.
    pub fn cycles(&self) -> Vec<Cycle> {
        // parent -> (child a, child b) -> first crossing seen
        let mut edges: BTreeMap<usize, BTreeMap<(usize, usize), Crossing>> = BTreeMap::new();
        for (from, module) in self.modules.iter().enumerate() {
            for reference in &module.references {
                let Some(path) = self.absolute(from, &reference.segments, 0) else {
                    continue;
                };
                let (to, _) = self.resolve(&path, 0);
                let a = self.ancestry(from);
                let b = self.ancestry(to);
                let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
                if common == a.len() || common == b.len() {
                    continue; // same module, or one inside the other
                }
                let crossing = Crossing {
                    from: module.name(),
                    to: self.modules[to].name(),
                    at: format!(
                        "{}:{} {}",
                        module.file.display(),
                        reference.line,
                        reference.segments.join("::")
                    ),
                };
                edges
                    .entry(a[common - 1])
                    .or_default()
                    .entry((a[common], b[common]))
                    .or_insert(crossing);
            }
        }
        let mut cycles = Vec::new();
        for siblings in edges.values() {
            for component in strongly_connected(siblings) {
                let mut members: Vec<String> =
                    component.iter().map(|&m| self.modules[m].name()).collect();
                members.sort();
                let crossings = siblings
                    .iter()
                    .filter(|((x, y), _)| component.contains(x) && component.contains(y))
                    .map(|(_, c)| c.clone())
                    .collect();
                cycles.push(Cycle { members, crossings });
            }
        }
        cycles
    }
}

/// Tarjan's algorithm over one level's sibling edges; only components of two
/// or more modules are returned.
fn strongly_connected<V>(edges: &BTreeMap<(usize, usize), V>) -> Vec<Vec<usize>> {
    let mut nodes: Vec<usize> = edges.keys().flat_map(|&(a, b)| [a, b]).collect();
    nodes.sort_unstable();
    nodes.dedup();
    let next = |n: usize| edges.keys().filter(move |(a, _)| *a == n).map(|&(_, b)| b);

    struct State {
        index: BTreeMap<usize, usize>,
        low: BTreeMap<usize, usize>,
        stack: Vec<usize>,
        on_stack: Vec<usize>,
        out: Vec<Vec<usize>>,
    }
    fn visit<I: Iterator<Item = usize>>(n: usize, s: &mut State, next: &dyn Fn(usize) -> I) {
        let i = s.index.len();
        s.index.insert(n, i);
        s.low.insert(n, i);
        s.stack.push(n);
        s.on_stack.push(n);
        for m in next(n) {
            if !s.index.contains_key(&m) {
                visit(m, s, next);
                let low = s.low[&n].min(s.low[&m]);
                s.low.insert(n, low);
            } else if s.on_stack.contains(&m) {
                let low = s.low[&n].min(s.index[&m]);
                s.low.insert(n, low);
            }
        }
        if s.low[&n] == s.index[&n] {
            let mut component = Vec::new();
            while let Some(m) = s.stack.pop() {
                s.on_stack.retain(|&x| x != m);
                component.push(m);
                if m == n {
                    break;
                }
            }
            if component.len() > 1 {
                s.out.push(component);
            }
        }
    }

    let mut state = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: Vec::new(),
        out: Vec::new(),
    };
    for n in nodes {
        if !state.index.contains_key(&n) {
            visit(n, &mut state, &next);
        }
    }
    state.out
}
