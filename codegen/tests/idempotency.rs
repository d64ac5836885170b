//! Operations that declare an `Idempotency-Key` header tell the runtime so, and only those:
//! the runtime then sends a key with each of their writes and can retry them.

use std::path::PathBuf;

use tether_codegen::{generate, pretty, EmitOptions, Selection};

const SPEC: &str = r#"openapi: 3.0.3
info: {title: Payments, version: "1"}
paths:
  /payments:
    post:
      operationId: createPayment
      parameters:
        - {name: Idempotency-Key, in: header, schema: {type: string}}
      responses:
        "200": {description: ok}
  /refunds:
    post:
      operationId: createRefund
      parameters:
        - {name: X-Request-Id, in: header, schema: {type: string}}
      responses:
        "200": {description: ok}
"#;

#[test]
fn declared_idempotency_headers_reach_the_runtime() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("idempotency");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let spec = dir.join("payments.yaml");
    std::fs::write(&spec, SPEC).expect("spec written");
    let generated =
        generate(&spec, &Selection::default(), &EmitOptions::default()).expect("spec generates");
    let source = pretty(&generated.code);
    let marked: Vec<&str> = source
        .lines()
        .filter(|line| line.contains("idempotency_header"))
        .map(str::trim)
        .collect();
    assert_eq!(marked, [r#"call.idempotency_header("Idempotency-Key");"#]);
}
