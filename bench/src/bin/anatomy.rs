//! What a generated client is made of: tether's generated source for a spec (Stripe unless
//! one is named), its top-level items sorted by what they are for (the client's methods, the
//! request builders, the error enums, the data types), with lines per kind and the derives
//! the types carry. A guide for making the generated code cheaper to compile.
//!
//! Run: `cargo run --release --manifest-path bench/Cargo.toml --bin anatomy [corpus spec]`
//! (`anatomy stripe/spec3.yaml --write DIR` also writes the variants that the analysis in
//! BENCHMARKS.md builds: `types.rs`, the data types and error enums without the client and
//! its builders.)

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use syn::{Item, Type};
use tether_bench::{corpus_spec, generators};
use tether_codegen::Selection;

/// What an item is for.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    Client,
    Builder,
    ErrorEnum,
    DataType,
    Other,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Client => "`Client` and its methods (one per operation)",
            Kind::Builder => "request builders (struct, setters, `IntoFuture`)",
            Kind::ErrorEnum => "error enums (per operation, with `FromResponse`) and their aliases",
            Kind::DataType => "data types (structs, enums, aliases, their impls)",
            Kind::Other => "other",
        }
    }
}

fn main() {
    let mut arguments = std::env::args().skip(1);
    let spec = arguments
        .next()
        .unwrap_or_else(|| "stripe/spec3.yaml".to_owned());
    let write = match (arguments.next().as_deref(), arguments.next()) {
        (Some("--write"), Some(directory)) => Some(PathBuf::from(directory)),
        _ => None,
    };
    let Some(path) = corpus_spec(&spec) else {
        return;
    };
    let source = match generators::tether(&path, &Selection::default()) {
        Ok(source) => source,
        Err(error) => {
            println!("tether fails on {spec}: {error}");
            return;
        }
    };
    let file: syn::File = match syn::parse_file(&source) {
        Ok(file) => file,
        Err(error) => {
            println!("the generated source does not parse: {error}");
            return;
        }
    };

    // Builders are the types that `IntoFuture`; error enums are the ones `FromResponse`.
    let mut builders = HashSet::new();
    let mut errors = HashSet::new();
    for item in &file.items {
        if let Item::Impl(block) = item {
            let (Some(name), Some((_, trait_path, _))) = (self_name(&block.self_ty), &block.trait_)
            else {
                continue;
            };
            match trait_path
                .segments
                .last()
                .map(|segment| segment.ident.to_string())
                .as_deref()
            {
                Some("IntoFuture") => {
                    builders.insert(name);
                }
                Some("FromResponse") => {
                    errors.insert(name);
                }
                _ => {}
            }
        }
    }
    let kind_of = |name: &str, alias_target: Option<&str>| {
        if name == "Client" {
            Kind::Client
        } else if builders.contains(name) {
            Kind::Builder
        } else if errors.contains(name)
            || alias_target.is_some_and(|target| errors.contains(target))
        {
            Kind::ErrorEnum
        } else {
            Kind::DataType
        }
    };

    let mut lines: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
    let mut derives: BTreeMap<String, usize> = BTreeMap::new();
    let mut impls: BTreeMap<String, usize> = BTreeMap::new();
    let mut client_methods = 0;
    let mut types_only = Vec::new();
    for item in &file.items {
        let kind = match item {
            Item::Struct(item) => kind_of(&item.ident.to_string(), None),
            Item::Enum(item) => kind_of(&item.ident.to_string(), None),
            Item::Type(item) => kind_of(&item.ident.to_string(), self_name(&item.ty).as_deref()),
            Item::Impl(block) => match self_name(&block.self_ty) {
                Some(name) => kind_of(&name, None),
                None => Kind::Other,
            },
            _ => Kind::Other,
        };
        let attributes = match item {
            Item::Struct(item) => Some(&item.attrs),
            Item::Enum(item) => Some(&item.attrs),
            _ => None,
        };
        for attribute in attributes.into_iter().flatten() {
            if attribute.path().is_ident("derive") {
                let _ = attribute.parse_nested_meta(|meta| {
                    *derives
                        .entry(format!("{} ({})", last_name(&meta.path), kind_name(kind)))
                        .or_default() += 1;
                    Ok(())
                });
            }
        }
        if let Item::Impl(block) = item {
            if let Some((_, trait_path, _)) = &block.trait_ {
                *impls
                    .entry(format!("{} ({})", last_name(trait_path), kind_name(kind)))
                    .or_default() += 1;
            } else if kind == Kind::Client {
                client_methods += block.items.len();
            }
        }
        let count = prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![item.clone()],
        })
        .lines()
        .count();
        let entry = lines.entry(kind).or_default();
        entry.0 += 1;
        entry.1 += count;
        if matches!(kind, Kind::DataType | Kind::ErrorEnum | Kind::Other) {
            types_only.push(item.clone());
        }
    }

    let total: usize = lines.values().map(|(_, lines)| lines).sum();
    println!(
        "## What tether generates for {spec}: {total} lines, {} top-level items\n",
        file.items.len()
    );
    println!("| kind | top-level items | lines | share of lines |");
    println!("|---|---|---|---|");
    for (kind, (items, count)) in &lines {
        println!(
            "| {} | {items} | {count} | {:.0}% |",
            kind.describe(),
            *count as f64 * 100.0 / total as f64
        );
    }
    println!(
        "\n`Client` has {client_methods} items in its inherent impls (methods and constants).\n"
    );
    println!("| derive or trait impl (on what) | items |");
    println!("|---|---|");
    for (name, count) in derives
        .iter()
        .map(|(name, count)| (format!("derive {name}"), count))
        .chain(
            impls
                .iter()
                .map(|(name, count)| (format!("impl {name}"), count)),
        )
    {
        println!("| {name} | {count} |");
    }

    if let Some(directory) = write {
        let written = std::fs::create_dir_all(&directory).and_then(|()| {
            let types = prettyplease::unparse(&syn::File {
                shebang: None,
                attrs: file.attrs.clone(),
                items: types_only,
            });
            std::fs::write(directory.join("types.rs"), types)
        });
        match written {
            Ok(()) => println!("\nwrote {}", directory.join("types.rs").display()),
            Err(error) => println!("\ncannot write into {}: {error}", directory.display()),
        }
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Client => "client",
        Kind::Builder => "builders",
        Kind::ErrorEnum => "error enums",
        Kind::DataType => "data types",
        Kind::Other => "other",
    }
}

/// The name of a path type, like `Foo` in `impl Foo` or `impl Trait for Foo`.
fn self_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string()),
        _ => None,
    }
}

/// The last segment of a path: `serde::Serialize` → `Serialize`.
fn last_name(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|segment| segment.ident.to_string())
        .unwrap_or_default()
}
