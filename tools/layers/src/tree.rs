//! Loads one crate's module tree from its root file: every module with the
//! names it defines, the names it brings into scope with `use`, and every path
//! it refers to. Test code (`#[cfg(test)]`) is left out: tests may reach across
//! layers, the shipped code may not.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// A path as written, relative to the module it appears in.
#[derive(Clone, Debug)]
pub struct Reference {
    pub segments: Vec<String>,
    pub line: usize,
}

/// A name brought into a module's scope by `use`.
#[derive(Clone, Debug)]
pub enum Import {
    /// `use a::b::c;` or `use a::b::c as d;`: the name stands for this path.
    Name(Vec<String>),
    /// `use a::b::*;`: every public name of that module.
    Glob(Vec<String>),
}

#[derive(Debug)]
pub struct Module {
    /// Module path below the crate root; the root is empty.
    pub path: Vec<String>,
    pub file: PathBuf,
    pub parent: Option<usize>,
    pub children: BTreeMap<String, usize>,
    /// Names of the items defined here (functions, types, traits, constants...).
    pub items: BTreeSet<String>,
    /// Names imported by `use`, by the name they are known as here.
    pub imports: BTreeMap<String, Import>,
    pub globs: Vec<Vec<String>>,
    pub references: Vec<Reference>,
}

impl Module {
    pub fn name(&self) -> String {
        if self.path.is_empty() {
            "crate".into()
        } else {
            self.path.join("::")
        }
    }
}

#[derive(Debug)]
pub enum LoadError {
    Read {
        file: PathBuf,
        error: std::io::Error,
    },
    Parse {
        file: PathBuf,
        error: syn::Error,
    },
    MissingModule {
        parent: PathBuf,
        name: String,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Read { file, error } => {
                write!(f, "{}: cannot read: {error}", file.display())
            }
            LoadError::Parse { file, error } => {
                let at = error.span().start();
                write!(
                    f,
                    "{}:{}:{}: {error}",
                    file.display(),
                    at.line,
                    at.column + 1
                )
            }
            LoadError::MissingModule { parent, name } => write!(
                f,
                "{}: `mod {name};` names no file {name}.rs or {name}/mod.rs",
                parent.display()
            ),
        }
    }
}

/// A crate's modules; index 0 is the root.
pub struct Tree {
    pub modules: Vec<Module>,
}

impl Tree {
    /// Loads the crate whose root file (`lib.rs` or `main.rs`) is `root`.
    pub fn load(root: &Path) -> Result<Tree, LoadError> {
        let mut tree = Tree {
            modules: Vec::new(),
        };
        let dir = root.parent().unwrap_or(Path::new(".")).to_path_buf();
        tree.load_file(root, Vec::new(), None, dir)?;
        Ok(tree)
    }

    fn load_file(
        &mut self,
        file: &Path,
        path: Vec<String>,
        parent: Option<usize>,
        child_dir: PathBuf,
    ) -> Result<usize, LoadError> {
        let text = std::fs::read_to_string(file).map_err(|error| LoadError::Read {
            file: file.to_path_buf(),
            error,
        })?;
        let parsed = syn::parse_file(&text).map_err(|error| LoadError::Parse {
            file: file.to_path_buf(),
            error,
        })?;
        let index = self.add(path, file, parent);
        self.load_items(index, &parsed.items, &child_dir)?;
        Ok(index)
    }

    fn add(&mut self, path: Vec<String>, file: &Path, parent: Option<usize>) -> usize {
        let index = self.modules.len();
        if let (Some(parent), Some(name)) = (parent, path.last()) {
            self.modules[parent].children.insert(name.clone(), index);
        }
        self.modules.push(Module {
            path,
            file: file.to_path_buf(),
            parent,
            children: BTreeMap::new(),
            items: BTreeSet::new(),
            imports: BTreeMap::new(),
            globs: Vec::new(),
            references: Vec::new(),
        });
        index
    }

    fn load_items(
        &mut self,
        index: usize,
        items: &[syn::Item],
        child_dir: &Path,
    ) -> Result<(), LoadError> {
        for item in items {
            if is_test_only(item_attrs(item)) {
                continue;
            }
            match item {
                syn::Item::Mod(module) => self.load_module(index, module, child_dir)?,
                syn::Item::Use(item) => {
                    let mut flat = Vec::new();
                    flatten_use(&item.tree, Vec::new(), &mut flat);
                    let line = item.use_token.span.start().line;
                    let module = &mut self.modules[index];
                    for (name, import) in flat {
                        let segments = match &import {
                            Import::Name(s) | Import::Glob(s) => s.clone(),
                        };
                        module.references.push(Reference { segments, line });
                        match (name, import) {
                            (_, Import::Glob(target)) => module.globs.push(target),
                            (Some(name), import) => {
                                module.imports.insert(name, import);
                            }
                            (None, _) => {}
                        }
                    }
                }
                other => {
                    if let Some(name) = item_name(other) {
                        self.modules[index].items.insert(name);
                    }
                    let mut paths = PathCollector::default();
                    paths.visit_item(other);
                    self.modules[index].references.extend(paths.found);
                }
            }
        }
        Ok(())
    }

    fn load_module(
        &mut self,
        parent: usize,
        module: &syn::ItemMod,
        child_dir: &Path,
    ) -> Result<(), LoadError> {
        let name = module.ident.to_string();
        let mut path = self.modules[parent].path.clone();
        path.push(name.clone());
        if let Some((_, items)) = &module.content {
            let file = self.modules[parent].file.clone();
            let index = self.add(path, &file, Some(parent));
            return self.load_items(index, items, &child_dir.join(&name));
        }
        let explicit = path_attribute(&module.attrs).map(|p| child_dir.join(p));
        let flat = child_dir.join(format!("{name}.rs"));
        let nested = child_dir.join(&name).join("mod.rs");
        let (file, grandchildren) = match explicit {
            Some(file) => {
                let dir = file.parent().unwrap_or(child_dir).to_path_buf();
                (file, dir)
            }
            None if flat.exists() => (flat, child_dir.join(&name)),
            None if nested.exists() => (nested, child_dir.join(&name)),
            None => {
                return Err(LoadError::MissingModule {
                    parent: self.modules[parent].file.clone(),
                    name,
                })
            }
        };
        self.load_file(&file, path, Some(parent), grandchildren)?;
        Ok(())
    }
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::ExternCrate(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::ForeignMod(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::TraitAlias(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

fn item_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Const(i) => &i.ident,
        syn::Item::Enum(i) => &i.ident,
        syn::Item::Fn(i) => &i.sig.ident,
        syn::Item::Macro(i) => i.ident.as_ref()?,
        syn::Item::Static(i) => &i.ident,
        syn::Item::Struct(i) => &i.ident,
        syn::Item::Trait(i) => &i.ident,
        syn::Item::TraitAlias(i) => &i.ident,
        syn::Item::Type(i) => &i.ident,
        syn::Item::Union(i) => &i.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// `#[cfg(test)]`, and any `cfg` that names `test` (`all(test, ...)`).
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && match &attr.meta {
                syn::Meta::List(list) => {
                    list.tokens.clone().into_iter().any(
                        |token| matches!(&token, proc_macro2::TokenTree::Ident(i) if i == "test"),
                    )
                }
                _ => false,
            }
    })
}

fn path_attribute(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// Flattens a `use` tree into (name in scope, what it imports).
fn flatten_use(tree: &syn::UseTree, prefix: Vec<String>, out: &mut Vec<(Option<String>, Import)>) {
    match tree {
        syn::UseTree::Path(p) => {
            let mut next = prefix;
            next.push(p.ident.to_string());
            flatten_use(&p.tree, next, out);
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                let last = prefix.last().cloned();
                out.push((last, Import::Name(prefix)));
            } else {
                let mut full = prefix;
                full.push(name.clone());
                out.push((Some(name), Import::Name(full)));
            }
        }
        syn::UseTree::Rename(r) => {
            let mut full = prefix;
            full.push(r.ident.to_string());
            let alias = r.rename.to_string();
            let name = (alias != "_").then_some(alias);
            out.push((name, Import::Name(full)));
        }
        syn::UseTree::Glob(_) => out.push((None, Import::Glob(prefix))),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                flatten_use(tree, prefix.clone(), out);
            }
        }
    }
}

/// Every path of two or more segments in an item (types, expressions,
/// patterns, trait bounds), skipping nested test-only items.
#[derive(Default)]
struct PathCollector {
    found: Vec<Reference>,
}

impl<'ast> Visit<'ast> for PathCollector {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.segments.len() >= 2 {
            self.found.push(Reference {
                segments: path.segments.iter().map(|s| s.ident.to_string()).collect(),
                line: path
                    .segments
                    .first()
                    .map(|s| s.ident.span().start().line)
                    .unwrap_or(0),
            });
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut flat = Vec::new();
        flatten_use(&item.tree, Vec::new(), &mut flat);
        let line = item.use_token.span.start().line;
        for (_, import) in flat {
            let (Import::Name(segments) | Import::Glob(segments)) = import;
            self.found.push(Reference { segments, line });
        }
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !is_test_only(item_attrs(item)) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_test_only(&f.attrs) {
            syn::visit::visit_impl_item_fn(self, f);
        }
    }
}
