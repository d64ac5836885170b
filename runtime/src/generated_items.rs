//! Macros that generated clients invoke for the items every request builder and every
//! struct has, so that a client's source says them once rather than once per operation or
//! per type.
//!
//! They live here, not in the generated module: an item expanded from another crate's
//! macro is the compiler's "external macro" code, which the lints of the user's crate
//! (`dead_code` for the builders a program does not use, Clippy's) leave alone, as they
//! leave the attribute macro's own output alone.

/// The struct, `options`, `send` and `IntoFuture` of a request builder: the builder's
/// name, the name of its client method (for the docs), its output type and its error type.
#[doc(hidden)]
#[macro_export]
macro_rules! __request_builder {
    ($builder:ident, $method:literal, $output:ty, $error:ty) => {
        #[doc = ::core::concat!(
            " Request builder for [`Client::",
            $method,
            "`]: set optional parameters, then `.await` it (or call `send` for the status and headers)."
        )]
        #[must_use = "a request is sent only when awaited"]
        pub struct $builder($crate::__private::Call<$output, $error>);

        impl $builder {
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
