use std::path::Path;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use super::{in_stretches, pretty, pretty_items, BATCH};
use crate::{emit, generate, EmitOptions, Selection};

/// The tokens of `stream` with their spacing left out, groups marked by their delimiters:
/// what the compiler reads, whatever the layout. A list's trailing comma is left out too
/// (the layout drops it on one line and adds it on several), except in a macro's input
/// and in a one-element tuple; so is one before a generics' closing `>`.
fn meaning(stream: TokenStream) -> Vec<String> {
    let mut tokens = group_meaning(stream);
    let mut index = 1;
    while index < tokens.len() {
        if tokens[index] == ">" && tokens[index - 1] == "," {
            tokens.remove(index - 1);
        } else {
            index += 1;
        }
    }
    tokens
}

fn group_meaning(stream: TokenStream) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut after_bang = false;
    for token in stream {
        let bang = matches!(&token, TokenTree::Punct(punct) if punct.as_char() == '!');
        match token {
            TokenTree::Group(group) => {
                tokens.push(format!("{:?}(", group.delimiter()));
                let mut inner = group_meaning(group.stream());
                let commas = inner.iter().filter(|token| *token == ",").count();
                let one_tuple = group.delimiter() == Delimiter::Parenthesis && commas == 1;
                if inner.last().is_some_and(|last| last == ",") && !after_bang && !one_tuple {
                    inner.pop();
                }
                tokens.extend(inner);
                tokens.push(")".to_owned());
            }
            TokenTree::Punct(punct) => tokens.push(punct.as_char().to_string()),
            // A doc comment reads back as a plain string where `quote!` wrote a raw one.
            TokenTree::Literal(literal) => {
                let spelled = literal.to_string();
                tokens.push(match syn::parse_str::<syn::LitStr>(&spelled) {
                    Ok(string) => format!("{:?}", string.value()),
                    Err(_) => spelled,
                });
            }
            other => tokens.push(other.to_string()),
        }
        after_bang = bang;
    }
    tokens
}

/// Lays out `tokens` and checks that the text reads back as the same tokens.
fn laid_out(tokens: TokenStream) -> String {
    let source = pretty(&crate::Code::from_tokens(&tokens));
    let read_back: TokenStream = match source.parse() {
        Ok(read_back) => read_back,
        Err(error) => panic!("the layout does not lex: {error}\n{source}"),
    };
    assert_eq!(meaning(read_back), meaning(tokens), "\n{source}");
    source
}

#[test]
fn items_statements_and_fields_take_a_line_each() {
    let source = laid_out(quote! {
        #[doc = " A pet."]
        #[derive(Clone, Debug)]
        pub struct Pet { pub name: String, pub tags: Vec<String> }
        impl Pet {
            #[doc = " Its name."]
            pub fn name(&self) -> &str { let name = &self.name; name }
        }
    });
    assert_eq!(
        source,
        "/// A pet.
#[derive(Clone, Debug)]
pub struct Pet {
    pub name: String,
    pub tags: Vec<String>,
}
impl Pet {
    /// Its name.
    pub fn name(&self) -> &str {
        let name = &self.name;
        name
    }
}
"
    );
}

#[test]
fn a_group_that_does_not_fit_takes_an_element_per_line() {
    let source = laid_out(quote! {
        fn f() {
            let call = ::tether::__private::Call::new(&self.http, ::tether::Method::GET, "listPetsOfTheWholeStore", json);
            short(a, b);
        }
    });
    assert_eq!(
        source,
        "fn f() {
    let call = ::tether::__private::Call::new(
        &self.http,
        ::tether::Method::GET,
        \"listPetsOfTheWholeStore\",
        json,
    );
    short(a, b);
}
"
    );
}

#[test]
fn expressions_are_spaced_the_way_rustfmt_spaces_them() {
    let source = laid_out(quote! {
        fn f<'a, T: Into<String> + 'a>(x: &'a mut T) -> Option<Vec<Vec<u8>>> where T: Clone {
            let items = page.iter().map(|v| &v.after).filter(|v| !v.is_empty() && **v != "").collect::<Vec<_>>();
            let none = || -1;
            match x { Some(Foo { a, .. }) | None if a >= 2 => vec![1u8; 4], _ => format!("{}", a)? }
        }
    });
    assert_eq!(
        source,
        "fn f<'a, T: Into<String> + 'a>(x: &'a mut T) -> Option<Vec<Vec<u8>>> where T: Clone {
    let items = page
        .iter()
        .map(|v| &v.after)
        .filter(|v| !v.is_empty() && **v != \"\")
        .collect::<Vec<_>>();
    let none = || -1;
    match x {
        Some(Foo { a, .. }) | None if a >= 2 => vec![1u8; 4],
        _ => format!(\"{}\", a)?,
    }
}
"
    );
}

#[test]
fn a_macro_called_with_braces_is_spaced_from_them() {
    let source = laid_out(quote! {
        ::tether::__deserialize_object! { Pet, names: ["id"], required: [0 id: i64], optional: [], }
        m!(a);
    });
    assert_eq!(
        source,
        "::tether::__deserialize_object! { Pet, names: [\"id\"], required: [0 id: i64], optional: [], }
m!(a);
"
    );
}

#[test]
fn blocks_break_when_they_hold_statements_and_chain_on_after_the_brace() {
    let source = laid_out(quote! {
        fn f() {
            if let Self::A { x } = y { go(x) } else { stop(); }
            let s = async move { run().await };
            items(|page| { let a = page; a })
        }
        fn g() {
            routes.add((method, "/a/long/template/{id}", "operation_id"), 200, encode, |api: Arc<A>, request: &Incoming| { go() });
        }
    });
    assert_eq!(
        source,
        "fn f() {
    if let Self::A { x } = y {
        go(x)
    } else {
        stop();
    }
    let s = async move {
        run().await
    };
    items(|page| {
        let a = page;
        a
    })
}
fn g() {
    routes.add(
        (method, \"/a/long/template/{id}\", \"operation_id\"),
        200,
        encode,
        |api: Arc<A>, request: &Incoming| { go() }
    );
}
"
    );
}

#[test]
fn docs_a_comment_cannot_hold_stay_attributes() {
    let source = laid_out(quote! {
        #[doc = "/ not a comment"]
        #[doc = "two\nlines"]
        struct A;
    });
    assert!(
        source.contains("#[doc = \"/ not a comment\"]\n"),
        "{source}"
    );
    assert!(source.contains("#[doc = \"two\\nlines\"]\n"), "{source}");
}

#[test]
fn marks_that_would_join_keep_a_space() {
    // Written as text: rustfmt would join `& &` in a `quote!` here.
    let tokens: TokenStream = "const A: &&str = & &B;".parse().expect("lexes");
    let source = laid_out(tokens);
    assert_eq!(source, "const A: &&str = & &B;\n");
}

#[test]
fn generated_clients_and_sandboxes_read_back_as_their_tokens() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let entries = std::fs::read_dir(&specs).expect("the project's specs");
    let (mut checked, mut batched) = (0, 0);
    for entry in entries.flatten() {
        let options = EmitOptions {
            sandbox: true,
            ..EmitOptions::default()
        };
        let generated = generate(&entry.path(), &Selection::default(), &options)
            .unwrap_or_else(|error| panic!("{}: {error}", entry.path().display()));
        let source = laid_out(generated.code.to_tokens().expect("generated code lexes"));
        assert!(
            source.lines().all(|line| line.trim_end() == line),
            "a line ends in spaces"
        );
        let text = generated.code.as_str();
        assert_eq!(source, in_stretches(text, usize::MAX), "all at once");
        assert_eq!(source, in_stretches(text, 1), "an item at a time");
        let items = emit::emit_items(&generated.api, &options);
        assert!(items.len() > 2, "a module of {} items", items.len());
        assert_eq!(source, pretty_items(&items), "from the items, in batches");
        batched += usize::from(text.len() > BATCH);
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} specs in {}", specs.display());
    assert!(
        batched >= 1,
        "no spec's client is laid out in more than one batch"
    );
}

#[test]
fn a_trailing_comma_goes_on_one_line_and_comes_on_several_where_it_is_optional() {
    let source = laid_out(quote! {
        #[derive(Debug, Clone,)]
        struct A(u8,);
        const B: (u8,) = (1,);
        const F: (fn(u8, u8) -> u8,) = (|a, b| a | b,);
        fn f() {
            let c = C { a, ..Default::default() };
            g(a, b,);
            m!(a, b,);
            let long = vec![first_element_of_a_long_list, second_element_of_a_long_list, third_element_too];
        }
    });
    assert_eq!(
        source,
        "#[derive(Debug, Clone)]
struct A(u8,);
const B: (u8,) = (1,);
const F: (fn(u8, u8) -> u8,) = (|a, b| a | b,);
fn f() {
    let c = C { a, ..Default::default() };
    g(a, b);
    m!(a, b,);
    let long = vec![
        first_element_of_a_long_list,
        second_element_of_a_long_list,
        third_element_too
    ];
}
"
    );
}

#[test]
fn generics_too_long_for_the_line_take_an_argument_per_line() {
    let source = laid_out(quote! {
        impl ListPets {
            pub fn send(self) -> ::tether::ResponseFuture<::tether::Response<Vec<PetPage>>, ::std::convert::Infallible> {
                send(self.0)
            }
            pub fn short(self) -> Result<Vec<u8>, Error> { short(self.0) }
        }
    });
    assert_eq!(
        source,
        "impl ListPets {
    pub fn send(self) -> ::tether::ResponseFuture<
        ::tether::Response<Vec<PetPage>>,
        ::std::convert::Infallible,
    > {
        send(self.0)
    }
    pub fn short(self) -> Result<Vec<u8>, Error> {
        short(self.0)
    }
}
"
    );
}
