//! Macros that generated clients invoke for the items every request builder and every
//! struct has, so that a client's source says them once rather than once per operation or
//! per type.
//!
//! They live here, not in the generated module: an item expanded from another crate's
//! macro is the compiler's "external macro" code, which the lints of the user's crate
//! (`dead_code` for the builders a program does not use, Clippy's) leave alone, as they
//! leave the attribute macro's own output alone.

/// The struct, `options`, `send` and `IntoFuture` of a request builder, and the `__start`
/// its client method begins the call with: the builder's name, the name of its client
/// method (for the docs), its output type, its error type, then the HTTP method (a
/// `Method` constant, or the name of another method as a string), the operation's id and
/// the runtime's decoder of a success (`json`, `empty`, `text`, `bytes`, `by_status`).
///
/// What only some builders have follows, each part after a comma:
/// - a listing's paging, `pages Item: "how" { next: .., items: .., into_items: .. }` (any
///   attributes of the description first): the item type, how the pages go (for the docs
///   of `items`), and where a page keeps its items and its cursor, as in
///   [`Paging`](crate::__private::Paging). The builder then has `items`, `pages` and
///   `resume_from`.
/// - a stream of values, `events Item: Framing "media/type"`: the type of each value, the
///   [`Framing`](crate::__private::Framing) and the media type asked for. The builder then
///   has `event_stream`.
/// - `bytes_stream`, for a binary or text body: the builder then has `bytes_stream`.
#[doc(hidden)]
#[macro_export]
macro_rules! __request_builder {
    // `client` is named by the caller: a local of one rule is not seen by another.
    (@call $client:ident, $http:ident, $operation:literal, $decode:ident) => {
        $crate::__private::Call::new($client, $crate::Method::$http, $operation, $crate::__private::$decode)
    };
    (@call $client:ident, $http:literal, $operation:literal, $decode:ident) => {
        $crate::__private::Call::with_method_name($client, $http, $operation, $crate::__private::$decode)
    };
    // The optional parts, one at a time.
    (@parts $builder:ident, $output:ty, $error:ty;) => {};
    (
        @parts $builder:ident, $output:ty, $error:ty;
        $(#[$paging_attr:meta])*
        pages $item:ty: $how:literal {
            next: $next:expr,
            items: $items:expr,
            into_items: $into_items:expr $(,)?
        }
        $(, $($rest:tt)*)?
    ) => {
        impl $builder {
            $(#[$paging_attr])*
            const PAGING: $crate::__private::Paging<$output, $item> = $crate::__private::Paging {
                next: $next,
                items: $items,
                into_items: $into_items,
            };

            /// Every item across all pages, one page in memory at a time.
            ///
            #[doc = ::core::concat!(" Pages: ", $how, ".")]
            #[inline]
            pub fn items(self) -> $crate::Items<$output, $item, $error> {
                $crate::__private::items(self.0, Self::PAGING)
            }

            /// Every page, each with the cursor of the page after it.
            #[inline]
            pub fn pages(self) -> $crate::Pages<$output, $item, $error> {
                $crate::__private::pages(self.0, Self::PAGING)
            }

            /// Starts the listing at a cursor saved from an earlier page.
            #[inline]
            pub fn resume_from(mut self, cursor: $crate::Cursor) -> Self {
                self.0.resume_from(cursor);
                self
            }
        }

        $crate::__request_builder!(@parts $builder, $output, $error; $($($rest)*)?);
    };
    (
        @parts $builder:ident, $output:ty, $error:ty;
        events $item:ty: $framing:ident $media_type:literal
        $(, $($rest:tt)*)?
    ) => {
        impl $builder {
            #[doc = $crate::__request_builder!(@events_doc $framing)]
            #[inline]
            pub fn event_stream(self) -> $crate::EventStreamFuture<$item, $error> {
                $crate::__private::send_events(
                    self.0,
                    $crate::__private::Framing::$framing,
                    $media_type,
                )
            }
        }

        $crate::__request_builder!(@parts $builder, $output, $error; $($($rest)*)?);
    };
    (@parts $builder:ident, $output:ty, $error:ty; bytes_stream $(, $($rest:tt)*)?) => {
        impl $builder {
            /// Sends the request and reads the body as it arrives, a chunk of bytes at a
            /// time, rather than whole into memory: for large downloads and long streams.
            #[inline]
            pub fn bytes_stream(self) -> $crate::ByteStreamFuture<$error> {
                $crate::__private::send_stream(self.0)
            }
        }

        $crate::__request_builder!(@parts $builder, $output, $error; $($($rest)*)?);
    };
    (@events_doc ServerSentEvents) => {
        " Sends the request and reads the response as the server-sent events \
         (`text/event-stream`) the spec documents, each event's data decoded as it \
         arrives; the stream ends with the body, or at a `[DONE]` event."
    };
    (@events_doc JsonLines) => {
        " Sends the request and reads the response as the JSON lines the spec documents, \
         each line decoded as it arrives."
    };
    (
        $builder:ident,
        $method:literal,
        $output:ty,
        $error:ty,
        $http:tt $operation:literal $decode:ident
        $(, $($parts:tt)*)?
    ) => {
        #[doc = ::core::concat!(
            " Request builder for [`Client::",
            $method,
            "`]: set optional parameters, then `.await` it (or call `send` for the status and headers)."
        )]
        #[must_use = "a request is sent only when awaited"]
        pub struct $builder($crate::__private::Call<$output, $error>);

        impl $builder {
            /// The call this builder's client method starts.
            #[inline]
            fn __start(client: &$crate::HttpClient) -> $crate::__private::Call<$output, $error> {
                $crate::__request_builder!(@call client, $http, $operation, $decode)
            }

            /// Overrides the client's timeout or retry policy for this call.
            #[inline]
            pub fn options(mut self, options: $crate::CallOptions) -> Self {
                self.0.options(options);
                self
            }

            /// Sends the request; the response keeps its status and headers.
            #[inline]
            pub fn send(self) -> $crate::ResponseFuture<$crate::Response<$output>, $error> {
                $crate::__private::send(self.0)
            }
        }

        impl ::core::future::IntoFuture for $builder {
            type Output = ::core::result::Result<$output, $crate::Error<$error>>;
            type IntoFuture = $crate::ResponseFuture<$output, $error>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                $crate::__private::send_body(self.0)
            }
        }

        $crate::__request_builder!(@parts $builder, $output, $error; $($($parts)*)?);
    };
}

/// The same inherent items (`{ ... }`) for each of several types: setters that several
/// request builders have word for word.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_each {
    ([$($builder:ident),* $(,)?] $items:tt) => {
        $(impl $builder $items)*
    };
}

/// A generated struct's `Deserialize` and [`FromMap`](crate::__private::FromMap) impls:
/// its name (after any attributes for the `FromMap` impl), its property names shortest
/// first (`names`), the strings some properties always hold (`fixed`, for unions), its
/// required properties (`index local: Type`, in the struct's order, so that the first one
/// missing is the one reported) and its optional ones (likewise, `null` read as absent),
/// and the field that keeps properties it does not name (`others`). `index` is the
/// property's place in `names`, which also names a missing required property. The macro's own locals
/// (`__map`, `__key`, `__name`) cannot clash with a slot named after a property: hygiene
/// keeps a macro's identifiers apart from its caller's.
#[doc(hidden)]
#[macro_export]
macro_rules! __deserialize_object {
    // The seed that reads a property's name: one that keeps names the struct does not
    // list when it has a field for them.
    (@seed) => {
        $crate::__private::Names::<Self>::SEED
    };
    (@seed $others:ident) => {
        $crate::__private::NamesAndOthers::<Self>::SEED
    };
    (
        $(#[$attr:meta])*
        $name:ident,
        names: [$($names:literal),* $(,)?],
        $(fixed: [$(($fixed_name:literal, $fixed_value:literal)),* $(,)?],)?
        required: [$($required_index:literal $required:ident: $required_type:ty),* $(,)?],
        optional: [$($optional_index:literal $optional:ident: $optional_type:ty),* $(,)?]
        $(, others: $others:ident: $others_type:ty)?
        $(,)?
    ) => {
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                $crate::__private::decode_object(deserializer)
            }
        }

        $(#[$attr])*
        impl<'de> $crate::__private::FromMap<'de> for $name {
            const NAME: &'static str = ::core::stringify!($name);
            const NAMES: &'static [&'static str] = &[$($names),*];
            $(const FIXED: &'static [(&'static str, &'static str)] = &[$(($fixed_name, $fixed_value)),*];)?

            fn from_map<__A: $crate::__private::serde::de::MapAccess<'de>>(
                mut __map: __A,
            ) -> ::core::result::Result<Self, __A::Error> {
                // Typed slots, and one `?` after the match: rustc infers nothing per property.
                $(let mut $required: ::core::option::Option<$required_type> = ::core::option::Option::None;)*
                $(let mut $optional: ::core::option::Option<$optional_type> = ::core::option::Option::None;)*
                $(let mut $others: ::std::collections::HashMap<::std::string::String, $others_type> =
                    ::std::collections::HashMap::new();)?
                while let ::core::option::Option::Some(__key) =
                    __map.next_key_seed($crate::__deserialize_object!(@seed $($others)?))?
                {
                    match __key {
                        $($crate::__private::Key::Listed($required_index) => $crate::__private::read(&mut __map, &mut $required),)*
                        $($crate::__private::Key::Listed($optional_index) => $crate::__private::read_nullable(&mut __map, &mut $optional),)*
                        $($crate::__private::Key::Other(__name) => $crate::__private::read_additional(&mut __map, &mut $others, __name),)?
                        _ => $crate::__private::skip(&mut __map),
                    }?;
                }
                ::core::result::Result::Ok(Self {
                    $($required: $crate::__private::required(
                        $required,
                        <Self as $crate::__private::FromMap<'de>>::NAMES[$required_index],
                    )?,)*
                    $($optional,)*
                    $($others,)?
                })
            }
        }
    };
}

/// An enum of the values a string or an integer may take (`str` or `i64` after the name),
/// with a catch-all variant for values a later version of the API adds: the enum, its
/// value accessor (`as_str` or `as_i64`), and the serde impls listed after the catch-all
/// (`Serialize`, `Deserialize`). Each variant is given as `Name = value`, after its docs.
/// The impls are written out rather than derived: a derive with a catch-all variant
/// buffers every value through serde's `Content`, which costs compile time in specs with
/// thousands of enums.
#[doc(hidden)]
#[macro_export]
macro_rules! __value_enum {
    (
        $(#[$attr:meta])*
        $name:ident: $wire:ident,
        $variants:tt,
        $other:ident
        $(, $direction:ident)*
        $(,)?
    ) => {
        $crate::__value_enum!(@$wire [$(#[$attr])*] $name $variants $other [$($direction)*]);
    };
    // What tells the wires apart: derives beyond the usual, the catch-all's value, the
    // accessor, the `Serializer` method, and how a value is read (see `@Deserialize`).
    (@str $($enum:tt)*) => {
        $crate::__value_enum!(
            @define [] (::std::string::String) as_str([&] self) -> &str, serialize_str,
            $crate::__private::Text<'de>, [as_str] [into_string];
            $($enum)*
        );
    };
    (@i64 $($enum:tt)*) => {
        $crate::__value_enum!(@define [Copy] (i64) as_i64([] self) -> i64, serialize_i64, i64, [] []; $($enum)*);
    };
    // The accessor's receiver (`self`, after `&` when borrowed) is written by the rules
    // above: a method's `self` must come from where its body's does, and hygiene keeps one
    // rule's `self` from another's. `view` and `keep` are passed on whole, as groups.
    (
        @define [$($derive:ident)?] ($held:ty)
        $accessor:ident([$($by_ref:tt)?] $receiver:ident) -> $returned:ty,
        $serialize:ident, $read:ty, $view:tt $keep:tt;
        [$(#[$attr:meta])*] $name:ident $variants:tt $other:ident [$($direction:ident)*]
    ) => {
        $crate::__value_enum!(
            @enum [$(#[$attr])*] [$($derive)?] $name $variants $other($held),
            $accessor([$($by_ref)?] $receiver) -> $returned
        );
        $($crate::__value_enum!(
            @$direction $name $variants $other, $serialize $accessor, $read $view $keep
        );)*
    };
    (
        @enum [$(#[$attr:meta])*] [$($derive:ident)?] $name:ident
        [$($(#[$variant_attr:meta])* $variant:ident = $value:literal),* $(,)?]
        $other:ident($held:ty),
        $accessor:ident([$($by_ref:tt)?] $receiver:ident) -> $returned:ty
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, $($derive,)? PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$variant_attr])* $variant,)*
            /// A value this version of the spec does not list.
            $other($held),
        }

        impl $name {
            /// The value as it is sent.
            #[inline]
            pub fn $accessor($($by_ref)? $receiver) -> $returned {
                match $receiver {
                    $(Self::$variant => $value,)*
                    Self::$other(value) => value,
                }
            }
        }
    };
    // Each direction is given the whole of the wire's description and uses its part.
    (
        @Serialize $name:ident $variants:tt $other:ident,
        $serialize:ident $accessor:ident,
        $read:ty [$($view:ident)?] [$($keep:ident)?]
    ) => {
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<__S: $crate::__private::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                serializer.$serialize(self.$accessor())
            }
        }
    };
    // `read` is the type the value is read as, `view` what the values are compared with
    // (a string is compared without a copy) and `keep` what the catch-all keeps of it.
    (
        @Deserialize $name:ident
        [$($(#[$variant_attr:meta])* $variant:ident = $value:literal),* $(,)?]
        $other:ident,
        $serialize:ident $accessor:ident,
        $read:ty [$($view:ident)?] [$($keep:ident)?]
    ) => {
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                let value = <$read as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                ::core::result::Result::Ok(match value$(.$view())? {
                    $($value => Self::$variant,)*
                    _ => Self::$other(value$(.$keep())?),
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::__value_enum! {
        /// Which way traffic goes.
        Direction: str,
        [
            /// `in`
            Inbound = "in",
            /// The empty string.
            Nowhere = "",
        ],
        Unlisted,
        Serialize,
        Deserialize
    }

    crate::__value_enum! {
        /// A code.
        Code: i64,
        [Minus = -1, Zero = 0, Big = 9007199254740993],
        Unlisted,
        Serialize,
        Deserialize
    }

    // Only the direction the spec needs is written.
    crate::__value_enum! {
        Received: str,
        [Yes = "yes"],
        Unlisted,
        Deserialize
    }

    crate::__request_builder!(GetThing, "get_thing", (), ::std::convert::Infallible, GET "getThing" empty);
    crate::__request_builder!(Query, "query", String, ::std::convert::Infallible, "QUERY" "search" text);
    crate::__request_builder!(
        ListThings,
        "list_things",
        Vec<String>,
        ::std::convert::Infallible,
        GET "listThings" json,
        pages String: "offset" {
            next: crate::__private::NextPage::Offset { param: "offset", limit: None },
            items: |page| page.as_slice(),
            into_items: |page| page,
        },
        events String: JsonLines "application/jsonl",
        bytes_stream
    );

    /// Both forms of `__start` make the call they name: the error of a refused connection
    /// says which operation and method it was.
    #[tokio::test]
    async fn builders_start_their_calls_with_the_method_and_operation_given() {
        // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
        let config = crate::ClientConfig::new("http://127.0.0.1:9");
        let client = crate::HttpClient::new(config, &[]).unwrap();
        let once = || crate::CallOptions::new().retry(crate::RetryPolicy::none());
        let get = GetThing(GetThing::__start(&client))
            .options(once())
            .send()
            .await;
        let query = Query(Query::__start(&client)).options(once()).send().await;
        let get = get.unwrap_err().to_string();
        let query = query.unwrap_err().to_string();
        assert!(get.contains("getThing (GET http://127.0.0.1:9/)"), "{get}");
        assert!(
            query.contains("search (QUERY http://127.0.0.1:9/)"),
            "{query}"
        );
    }

    /// A builder gets each part it was given: a page's items are read as described, and
    /// `items`, `pages`, `event_stream` and `bytes_stream` send the builder's call, from the
    /// cursor given to `resume_from` when there is one.
    #[tokio::test]
    async fn builders_get_the_parts_they_are_given() {
        use futures::StreamExt;

        let page = vec!["a".to_owned(), "b".to_owned()];
        assert_eq!((ListThings::PAGING.items)(&page), ["a", "b"]);
        assert_eq!((ListThings::PAGING.into_items)(page), ["a", "b"]);
        let config = crate::ClientConfig::new("http://127.0.0.1:9");
        let client = crate::HttpClient::new(config, &[]).unwrap();
        let builder = || {
            let once = crate::CallOptions::new().retry(crate::RetryPolicy::none());
            ListThings(ListThings::__start(&client)).options(once)
        };
        // The error of each way to send, which says the call it sent.
        let failed = |result: Result<(), crate::Error>| match result {
            Ok(()) => "sent without an error".to_owned(),
            Err(error) => error.to_string(),
        };
        let sent = [
            failed(builder().send().await.map(drop)),
            failed(builder().items().next().await.unwrap().map(drop)),
            failed(builder().event_stream().await.map(drop)),
            failed(builder().bytes_stream().await.map(drop)),
        ];
        for error in sent {
            assert!(
                error.contains("listThings (GET http://127.0.0.1:9/)"),
                "{error}"
            );
        }
        let resumed = crate::Cursor::Offset(20);
        let mut pages = builder().resume_from(resumed).pages();
        let page = pages.next().await.unwrap().unwrap_err().to_string();
        assert!(
            page.contains("(GET http://127.0.0.1:9/?offset=20)"),
            "{page}"
        );
    }

    #[test]
    fn string_values_read_and_write_and_unknown_ones_are_kept() {
        let read: Vec<Direction> = serde_json::from_str(r#"["in", "", "sideways"]"#).unwrap();
        assert_eq!(
            read,
            [
                Direction::Inbound,
                Direction::Nowhere,
                Direction::Unlisted("sideways".to_owned())
            ]
        );
        assert_eq!(read[2].as_str(), "sideways");
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r#"["in","","sideways"]"#
        );
        assert!(serde_json::from_str::<Direction>("3").is_err());
        assert_eq!(
            serde_json::from_str::<Received>(r#""yes""#).unwrap(),
            Received::Yes
        );
        assert_eq!(Received::Yes.as_str(), "yes");
    }

    #[test]
    fn integer_values_read_and_write_and_unknown_ones_are_kept() {
        let read: Vec<Code> = serde_json::from_str("[-1, 0, 9007199254740993, 7]").unwrap();
        assert_eq!(
            read,
            [Code::Minus, Code::Zero, Code::Big, Code::Unlisted(7)]
        );
        assert_eq!(read[0].as_i64(), -1);
        assert_eq!(read[3].as_i64(), 7);
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            "[-1,0,9007199254740993,7]"
        );
        assert!(serde_json::from_str::<Code>(r#""0""#).is_err());
    }
}
