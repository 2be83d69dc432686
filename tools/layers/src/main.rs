//! `steady-layers`: fails when a crate's modules import each other in a cycle.
//!
//!     steady-layers core/src/lib.rs cli/src/main.rs server/src/lib.rs
//!
//! Each module of Steady's crates sits on a floor and only imports from the
//! floors below it (docs/architecture.md); a cycle between sibling modules
//! means two floors lean on each other. For every cycle this prints the
//! modules in it and one reference, with file and line, for each edge, and
//! exits 1. A crate that cannot be read or parsed exits 2.

mod graph;
mod tree;

use std::path::Path;
use std::process::ExitCode;
use tree::Tree;

fn main() -> ExitCode {
    let roots: Vec<String> = std::env::args().skip(1).collect();
    if roots.is_empty() || roots.iter().any(|a| a.starts_with('-')) {
        eprintln!("usage: steady-layers CRATE_ROOT.rs...   (e.g. core/src/lib.rs)");
        return ExitCode::from(2);
    }
    let mut found = 0;
    for root in &roots {
        let tree = match Tree::load(Path::new(root)) {
            Ok(tree) => tree,
            Err(error) => {
                eprintln!("steady-layers: {error}");
                return ExitCode::from(2);
            }
        };
        let cycles = tree.cycles();
        if cycles.is_empty() {
            println!("{root}: {} modules, no cycle", tree.modules.len());
        }
        for cycle in &cycles {
            println!("{root}: cycle between {}", cycle.members.join(", "));
            for crossing in &cycle.crossings {
                println!("    {} -> {}: {}", crossing.from, crossing.to, crossing.at);
            }
        }
        found += cycles.len();
    }
    if found > 0 {
        println!("{found} module cycle(s)");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests;
