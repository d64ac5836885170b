//! A client generated into a private module, of which the program uses one operation and
//! one setter. The builders and setters it does not use are generated code, which the
//! user's lints leave alone: this file denies every warning, so a generated item that
//! counted as the user's dead code would stop it compiling.
#![deny(warnings)]

#[tether::integration(spec = "../specs/petstore.yaml")]
mod petstore {}

#[test]
fn a_private_client_of_which_little_is_used_compiles_without_warnings() {
    let client = petstore::Client::new("http://127.0.0.1:9/v1").expect("a valid base URL");
    // `limit` is one of the setters that several builders share.
    let request = client.list_pets().limit(3);
    assert!(std::any::type_name_of_val(&request).ends_with("ListPets"));
}
