use crate::tree::Tree;
use std::path::Path;

/// Writes a crate from (file, text) pairs and returns the members of each cycle.
fn cycles_in(files: &[(&str, &str)]) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let tree = Tree::load(&dir.path().join("lib.rs")).unwrap();
    tree.cycles().into_iter().map(|c| c.members).collect()
}

#[test]
fn two_modules_using_each_other_are_a_cycle() {
    let found = cycles_in(&[
        ("lib.rs", "mod consent; mod outbox;"),
        (
            "consent.rs",
            "use crate::outbox; pub struct Consent; fn f() { outbox::push(); }",
        ),
        (
            "outbox.rs",
            "pub fn push() { let _ = crate::consent::Consent; }",
        ),
    ]);
    assert_eq!(
        found,
        vec![vec!["consent".to_string(), "outbox".to_string()]]
    );
}

#[test]
fn one_way_imports_are_no_cycle() {
    let found = cycles_in(&[
        ("lib.rs", "mod ids; mod craving; mod progress;"),
        ("ids.rs", "pub fn new_id() {}"),
        ("craving.rs", "use crate::ids::new_id; pub struct Craving;"),
        (
            "progress.rs",
            "use crate::craving::Craving; fn f() { crate::ids::new_id(); }",
        ),
    ]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_child_using_its_parent_is_no_cycle() {
    let found = cycles_in(&[
        ("lib.rs", "mod schedule;"),
        (
            "schedule/mod.rs",
            "mod store; pub struct Series; fn f() { store::load(); }",
        ),
        ("schedule/store.rs", "use super::Series; pub fn load() {}"),
    ]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_cycle_through_a_root_reexport_and_a_submodule_is_found() {
    let found = cycles_in(&[
        (
            "lib.rs",
            "mod attendance; mod schedule; pub use attendance::Record;",
        ),
        (
            "attendance.rs",
            "pub struct Record; fn f() { crate::schedule::store::load(); }",
        ),
        ("schedule/mod.rs", "pub mod store;"),
        ("schedule/store.rs", "use crate::Record; pub fn load() {}"),
    ]);
    assert_eq!(
        found,
        vec![vec!["attendance".to_string(), "schedule".to_string()]]
    );
}

#[test]
fn a_longer_loop_is_one_cycle() {
    let found = cycles_in(&[
        ("lib.rs", "mod craving; mod crisis; mod coping;"),
        ("craving.rs", "use crate::crisis::Card; pub struct Craving;"),
        ("crisis.rs", "use crate::coping::Plan; pub struct Card;"),
        ("coping.rs", "use crate::craving::Craving; pub struct Plan;"),
    ]);
    assert_eq!(
        found,
        vec![vec![
            "coping".to_string(),
            "craving".to_string(),
            "crisis".to_string()
        ]]
    );
}

#[test]
fn test_code_may_reach_across() {
    let found = cycles_in(&[
        ("lib.rs", "mod craving; mod coping;"),
        (
            "craving.rs",
            "pub struct Craving; #[cfg(test)] mod tests { use crate::coping::Plan; }",
        ),
        ("coping.rs", "use crate::craving::Craving; pub struct Plan;"),
    ]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_missing_module_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lib.rs"), "mod gone;").unwrap();
    let error = Tree::load(&dir.path().join("lib.rs")).err().unwrap();
    assert!(error.to_string().contains("mod gone;"), "{error}");
    assert!(Tree::load(Path::new("/nonexistent/lib.rs")).is_err());
}
