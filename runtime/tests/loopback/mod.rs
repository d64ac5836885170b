//! What the runtime's integration tests with an axum server share: serving it on loopback.

use axum::Router;

/// Serves `app` on a loopback port for the rest of the test, and returns its base URL.
pub async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let url = format!(
        "http://{}",
        listener.local_addr().expect("the bound address")
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}
