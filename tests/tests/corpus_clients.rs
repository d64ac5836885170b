//! The corpus clients compiled in `src/lib.rs` have what their specs promise.

#[cfg(tether_corpus)]
#[test]
// nexus marks its organization endpoints deprecated; calling one is the point here.
#[allow(deprecated)]
fn corpus_clients_compile_with_their_operations() {
    use tether_tests::corpus::{keeper, nexus};
    let keeper = keeper::Client::new("http://127.0.0.1:1").expect("valid base URL");
    // Building a request does not send it; the methods exist with their typed arguments.
    drop(keeper.enrol(keeper::EnrolBody {
        host: "h".into(),
        key: "k".into(),
    }));
    let nexus = nexus::Client::new("http://127.0.0.1:1").expect("valid base URL");
    drop(nexus.organization_list().limit(10));
    assert_eq!(keeper.base_url(), "http://127.0.0.1:1");
}

#[cfg(not(tether_corpus))]
#[test]
fn corpus_clients_compile_with_their_operations() {
    println!("skipped: ../shared/corpus is absent, so no corpus clients were compiled");
}
