//! A spec whose schemas are named like the generic parameters and prelude items of the
//! generated code (`A`, `D`, `E`, `S`, `T`, `Option`, `Result`) or like Rust's `Self`, with a
//! union that lists an alternative twice, and whose path has a placeholder no parameter
//! declares: the client and its sandbox compile, the undeclared placeholder is a string
//! argument that reaches the server, and every kind of decoder (field by field, untagged,
//! tagged) reads its value back.

use tether::sandbox::Reply;
use tether::{ClientConfig, Error, RetryPolicy};
use tether_tests::sandboxed::colliding_names::{
    sandbox, Client, GetBoxError, Result2, SelfOperator, Self_, Shape, A, D, E, S, T,
};

/// Answers every box with one that names its shelf, slot and size, or with an error for
/// shelf 0.
struct Shelves;

fn label(text: &str) -> D {
    D {
        kind: Some("label".to_owned()),
        label: Some(text.to_owned()),
    }
}

/// A box with a label and nothing else.
fn bare(text: &str) -> A {
    A {
        d: label(text),
        e: None,
        s: None,
        option: None,
        shape: None,
        inner: None,
        filter: None,
    }
}

/// The filter every box of an odd shelf carries.
fn filter() -> Self_ {
    Self_ {
        operator: SelfOperator::Ne,
        value: Some("empty".to_owned()),
    }
}

impl sandbox::Api for Shelves {
    async fn get_box(&self, shelf: i64, slot: String, size: Option<S>) -> Reply<A, GetBoxError> {
        if shelf == 0 {
            return Reply::error(GetBoxError::Default(Result2 {
                kind: None,
                message: Some(format!("no shelf 0 (slot {slot})")),
            }));
        }
        Reply::ok(A {
            d: label(&format!("shelf {shelf}, slot {slot}")),
            e: Some(if shelf % 2 == 0 {
                E::Integer(shelf)
            } else {
                E::String(slot.clone())
            }),
            s: size,
            option: Some(vec![
                T::D(label("first")),
                T::Array(vec!["two".to_owned(), "words".to_owned()]),
            ]),
            shape: Some(Shape::D(label(&slot))),
            inner: Some(Box::new(bare("inner"))),
            filter: (shelf % 2 == 1).then(filter),
        })
    }
}

fn client(base_url: &str) -> Client {
    Client::from_config(ClientConfig::new(base_url).retry(RetryPolicy::none()))
        .expect("a loopback base URL is valid")
}

#[tokio::test]
async fn the_undeclared_placeholder_is_sent_and_every_decoder_reads_its_value() {
    let server = sandbox::serve(Shelves).await.expect("the sandbox starts");
    let client = client(server.base_url());

    let odd = client
        .get_box(7, "top left")
        .size(S::Large)
        .await
        .expect("shelf 7 has boxes");
    assert_eq!(
        odd,
        A {
            d: label("shelf 7, slot top left"),
            e: Some(E::String("top left".to_owned())),
            s: Some(S::Large),
            option: Some(vec![
                T::D(label("first")),
                T::Array(vec!["two".to_owned(), "words".to_owned()]),
            ]),
            shape: Some(Shape::D(label("top left"))),
            inner: Some(Box::new(bare("inner"))),
            filter: Some(filter()),
        }
    );

    let even = client.get_box(8, "b/2").await.expect("shelf 8 has boxes");
    assert_eq!(even.d, label("shelf 8, slot b/2"));
    assert_eq!(even.e, Some(E::Integer(8)));
    assert_eq!(even.s, None);
    assert_eq!(even.filter, None);

    match client.get_box(0, "x").await {
        Err(Error::Api { body, .. }) => assert_eq!(
            body,
            GetBoxError::Default(Result2 {
                kind: None,
                message: Some("no shelf 0 (slot x)".to_owned()),
            })
        ),
        other => panic!("shelf 0 is an error, got {other:?}"),
    }
}
