#![deny(missing_docs)]
// Generated code never uses the deprecated fields of a spec on its own account (a multipart
// body sending one, paging through one): the caller is warned where the caller uses them.
#![deny(deprecated)]
//! Clients generated from the specs in `specs/`, shared by the tests in `tests/`.

/// The pet store: every parameter, body and response kind; its types compare with `==`
/// (`partial_eq`).
#[tether::integration(spec = "../specs/petstore.yaml", partial_eq = true)]
pub mod petstore {}

/// The OpenAPI 3.2 catalog without its sandbox: the client alone derives only what its
/// requests and responses need (a type only a `_multipart` method sends still serializes).
#[tether::integration(spec = "../specs/catalog.yaml")]
pub mod catalog {}

/// HubSpot CRM contacts (v3).
#[tether::integration(spec = "../specs/hubspot-crm.yaml")]
pub mod hubspot {}

/// A completion service whose responses stream: server-sent events and JSON lines.
#[tether::integration(spec = "../specs/chat.yaml")]
pub mod chat {}

/// Real specs from the shared corpus, compiled as part of the test build when the corpus
/// is present (see `build.rs`).
#[cfg(tether_corpus)]
pub mod corpus {
    /// Oxide's keeper (OpenAPI 3.0.3).
    #[tether::integration(spec = "../../shared/corpus/oxide/keeper.json")]
    pub mod keeper {}

    /// Oxide's buildomat (OpenAPI 3.0.3).
    #[tether::integration(spec = "../../shared/corpus/oxide/buildomat.json")]
    pub mod buildomat {}

    /// Oxide's nexus (OpenAPI 3.0.3, 193 operations).
    #[tether::integration(spec = "../../shared/corpus/oxide/nexus.json")]
    pub mod nexus {}

    /// The OpenAPI 3.0 examples of the OpenAPI Initiative.
    pub mod examples {
        #[tether::integration(spec = "../../shared/corpus/petstore/examples/v3.0/petstore.yaml")]
        pub mod petstore {}

        #[tether::integration(
            spec = "../../shared/corpus/petstore/examples/v3.0/petstore-expanded.yaml"
        )]
        pub mod petstore_expanded {}

        #[tether::integration(
            spec = "../../shared/corpus/petstore/examples/v3.0/api-with-examples.yaml"
        )]
        pub mod api_with_examples {}

        #[tether::integration(
            spec = "../../shared/corpus/petstore/examples/v3.0/callback-example.yaml"
        )]
        pub mod callback_example {}

        #[tether::integration(
            spec = "../../shared/corpus/petstore/examples/v3.0/link-example.yaml"
        )]
        pub mod link_example {}

        #[tether::integration(spec = "../../shared/corpus/petstore/examples/v3.0/uspto.yaml")]
        pub mod uspto {}
    }
}

/// One list operation per pagination style; `listWidgets` pages as the attribute says.
#[tether::integration(
    spec = "../specs/pagination.yaml",
    paginate(
        operation = "listWidgets",
        style = "cursor",
        param = "from",
        next = "more_from",
        items = "widgets"
    )
)]
pub mod paging {}

/// One operation per way of authenticating: API keys, bearer, basic, OAuth2, OpenID Connect.
#[tether::integration(spec = "../specs/auth.yaml")]
pub mod auth {}

/// Slack: failures reported as `200 {"ok": false}` (`x-tether-error-when`).
#[tether::integration(spec = "../specs/slack.yaml")]
pub mod slack {}

/// Sandboxes (`sandbox = true`): the pet store's is served by the tests in
/// `tests/sandbox_e2e.rs`; the others check that every spec of `specs/` generates one that
/// compiles.
pub mod sandboxed {
    /// The pet store, with its sandbox; its types compare with `==` (`partial_eq`).
    #[tether::integration(spec = "../specs/petstore.yaml", sandbox = true, partial_eq = true)]
    pub mod petstore {}

    /// The pagination styles, with a sandbox that answers pages; its types compare with
    /// `==` (`partial_eq`).
    #[tether::integration(spec = "../specs/pagination.yaml", sandbox = true, partial_eq = true)]
    pub mod paging {}

    /// HubSpot CRM contacts, with a sandbox.
    #[tether::integration(spec = "../specs/hubspot-crm.yaml", sandbox = true)]
    pub mod hubspot {}

    /// The completion service, with a sandbox that answers its streams.
    #[tether::integration(spec = "../specs/chat.yaml", sandbox = true, partial_eq = true)]
    pub mod chat {}

    /// Salesforce, with a sandbox.
    #[tether::integration(spec = "../specs/salesforce.yaml", sandbox = true)]
    pub mod salesforce {}

    /// Slack, with a sandbox.
    #[tether::integration(spec = "../specs/slack.yaml", sandbox = true)]
    pub mod slack {}

    /// Every way of authenticating, with a sandbox.
    #[tether::integration(spec = "../specs/auth.yaml", sandbox = true)]
    pub mod auth {}

    /// Schemas named like the generated code's generic parameters and prelude items, and
    /// a path placeholder no parameter declares, with a sandbox; its types compare with
    /// `==` (`partial_eq`).
    #[tether::integration(
        spec = "../specs/colliding-names.yaml",
        sandbox = true,
        partial_eq = true
    )]
    pub mod colliding_names {}

    /// Parameters the spec allows one value for (AWS's `X-Amz-Target`, a required
    /// `api-version`), with a sandbox that routes by them; its types compare with `==`
    /// (`partial_eq`).
    #[tether::integration(
        spec = "../specs/fixed-parameters.yaml",
        sandbox = true,
        partial_eq = true
    )]
    pub mod fixed_parameters {}

    /// OpenAPI 3.2's `QUERY` method and `additionalOperations`, with a sandbox; its types
    /// compare with `==` (`partial_eq`).
    #[tether::integration(spec = "../specs/catalog.yaml", sandbox = true, partial_eq = true)]
    pub mod catalog {}
}
