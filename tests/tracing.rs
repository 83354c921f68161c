//! Observability: every attempt of a call is a `tracing` span. In a test binary of its own,
//! since it installs the process-wide subscriber.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use polar_files::{Client, RetryPolicy};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "polar_oat_test_secret_123";
const PASSWORD: &str = "url-pa55word";

fn list_page() -> serde_json::Value {
    json!({"items": [], "pagination": {"total_count": 0, "max_page": 1}})
}

/// Every attempt is a `tracing` span with OpenTelemetry's HTTP field names (method, URL template,
/// server, resend count, status, error type) and the elapsed time.
#[tokio::test]
async fn requests_are_traced() {
    use std::sync::{Arc, Mutex};
    use tracing::field::{Field, Visit};
    use tracing_subscriber::layer::{Context, SubscriberExt};
    use tracing_subscriber::registry::LookupSpan;

    /// One span's fields, as (name, debug value).
    type SpanFields = Vec<(String, String)>;
    #[derive(Clone, Default)]
    struct Spans(Arc<Mutex<Vec<SpanFields>>>, Arc<Mutex<Vec<String>>>);
    struct Fields<'a>(&'a mut Vec<(String, String)>);
    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0.push((field.name().to_owned(), format!("{value:?}")));
        }
    }
    impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Spans {
        fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
            let mut fields = Vec::new();
            event.record(&mut Fields(&mut fields));
            self.1.lock().unwrap().push(format!("{} {fields:?}", event.metadata().target()));
        }
        fn on_new_span(&self, attrs: &tracing::span::Attributes<'_>, id: &tracing::span::Id, _: Context<'_, S>) {
            let mut all = Vec::new();
            attrs.record(&mut Fields(&mut all));
            self.1.lock().unwrap().push(format!("{} {all:?}", attrs.metadata().name()));
            if attrs.metadata().name() == "http_request" {
                let mut fields = vec![("id".to_owned(), format!("{}", id.into_u64()))];
                attrs.record(&mut Fields(&mut fields));
                self.0.lock().unwrap().push(fields);
            }
        }
        fn on_record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>, _: Context<'_, S>) {
            let mut spans = self.0.lock().unwrap();
            if let Some(fields) = spans.iter_mut().find(|f| f[0].1 == format!("{}", id.into_u64())) {
                values.record(&mut Fields(fields));
            }
        }
    }

    // The process-wide subscriber (this binary has this one test): a thread-scoped one can miss
    // spans whose callsite another test thread registered first.
    let spans = Spans::default();
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(spans.clone())).unwrap();
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(list_page())).with_priority(2).mount(&server).await;
    // Credentials in the base URL never reach a trace either.
    let client = Client::builder()
        .base_url(server.uri().replace("http://", &format!("http://alice:{PASSWORD}@")))
        .token(TOKEN)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)).jitter(false))
        .build()
        .unwrap();
    client.files().list().await.unwrap();
    let recorded = spans.0.lock().unwrap().clone();
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    for (attempt, (fields, status)) in recorded.iter().zip(["503", "200"]).enumerate() {
        let get = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        // OpenTelemetry's HTTP client semantic conventions.
        assert_eq!(get("http.request.method"), Some("GET"));
        assert_eq!(get("url.template"), Some("\"/v1/files/\""));
        assert_eq!(get("otel.name"), Some("GET /v1/files/"));
        assert_eq!(get("otel.kind"), Some("\"client\""));
        assert_eq!(get("server.address"), Some("\"127.0.0.1\""));
        assert!(get("server.port").is_some(), "{fields:?}");
        assert_eq!(get("http.request.resend_count"), Some(attempt.to_string().as_str()));
        assert_eq!(get("http.response.status_code"), Some(status));
        assert_eq!(get("error.type"), if status == "503" { Some("\"503\"") } else { None });
        assert!(get("elapsed_ms").is_some(), "{fields:?}");
        assert!(!fields.iter().any(|(_, v)| v.contains(TOKEN)));
    }
    let everything = spans.1.lock().unwrap().clone();
    assert!(everything.iter().any(|line| line.contains("retrying")), "{everything:?}");
    assert!(!everything.iter().any(|line| line.contains(TOKEN) || line.contains(PASSWORD)), "{everything:?}");
}
