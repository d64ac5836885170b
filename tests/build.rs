//! Compiles clients for a few real specs from the shared corpus when it is present next
//! to the repository (`../shared/corpus`), and says so when it is not.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(tether_corpus)");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    println!("cargo::rerun-if-changed={}", corpus.display());
    if corpus.join("MANIFEST.tsv").is_file() {
        println!("cargo::rustc-cfg=tether_corpus");
    } else {
        println!(
            "cargo::warning=../shared/corpus is absent: the real-spec compile checks are skipped"
        );
    }
}
