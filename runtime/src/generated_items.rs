//! Macros that generated clients invoke for the items every request builder has, so
//! that a client's source says them once rather than once per operation.
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
