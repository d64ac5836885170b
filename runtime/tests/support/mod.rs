//! What the runtime's integration tests share: the tracing output of the current test.
//!
//! One subscriber for the whole process, installed before any test sends a request:
//! thread-local subscribers race with the callsite interest cache when tests run in
//! parallel, and lose events. Each test runs its runtime on its own thread, so a test
//! reads what its thread traced.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::ThreadId;

use tracing_subscriber::layer::SubscriberExt;

/// One event or span (or values recorded into a span later), its fields as text.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// An event's message, or a span's name.
    pub message: String,
    pub fields: BTreeMap<String, String>,
    /// For an event, the name of the span it happened in.
    pub span: Option<String>,
}

impl Record {
    /// The numeric field `field`; panics, naming the record, without one.
    pub fn number(&self, field: &str) -> u64 {
        self.fields
            .get(field)
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("no number `{field}` in {self:?}"))
    }

    /// The field `field` as text; panics, naming the record, without one.
    pub fn text(&self, field: &str) -> &str {
        self.fields
            .get(field)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no field `{field}` in {self:?}"))
    }
}

#[derive(Default)]
struct FieldText(Record);

impl tracing::field::Visit for FieldText {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.0.message = text;
        } else {
            self.0.fields.insert(field.name().to_owned(), text);
        }
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }
}

type Records = Arc<Mutex<Vec<(ThreadId, Record)>>>;

/// Every event, span and later-recorded span value of the process, with its thread.
#[derive(Clone, Default)]
struct Captured {
    events: Records,
    spans: Records,
    recorded: Records,
}

fn push(records: &Records, record: Record) {
    let thread = std::thread::current().id();
    records
        .lock()
        .expect("no test panicked while tracing")
        .push((thread, record));
}

impl<S> tracing_subscriber::Layer<S> for Captured
where
    S: tracing::Subscriber + for<'lookup> tracing_subscriber::registry::LookupSpan<'lookup>,
{
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        context: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut text = FieldText::default();
        event.record(&mut text);
        text.0.span = context.event_span(event).map(|span| span.name().to_owned());
        push(&self.events, text.0);
    }

    fn on_new_span(
        &self,
        attributes: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut text = FieldText::default();
        attributes.record(&mut text);
        text.0.message = attributes.metadata().name().to_owned();
        push(&self.spans, text.0);
    }

    fn on_record(
        &self,
        _: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut text = FieldText::default();
        values.record(&mut text);
        push(&self.recorded, text.0);
    }
}

static CAPTURED: OnceLock<Captured> = OnceLock::new();

/// What the current test's thread traced.
pub struct Trace {
    thread: ThreadId,
    captured: &'static Captured,
}

impl Trace {
    /// Starts capturing; every test calls this first, so that the subscriber is in place
    /// before any request is sent.
    pub fn install() -> Trace {
        let captured = CAPTURED.get_or_init(|| {
            let captured = Captured::default();
            let subscriber = tracing_subscriber::registry().with(captured.clone());
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other subscriber in this test binary");
            captured
        });
        Trace {
            thread: std::thread::current().id(),
            captured,
        }
    }

    fn of(&self, records: &Records) -> Vec<Record> {
        records
            .lock()
            .expect("no test panicked while tracing")
            .iter()
            .filter(|(thread, _)| *thread == self.thread)
            .map(|(_, record)| record.clone())
            .collect()
    }

    pub fn events(&self) -> Vec<Record> {
        self.of(&self.captured.events)
    }

    pub fn spans(&self) -> Vec<Record> {
        self.of(&self.captured.spans)
    }

    /// The retries the attempts traced (`retrying` events): attempt, wait in ms, and where
    /// the wait came from.
    pub fn retries(&self) -> Vec<(u64, u64, String)> {
        self.retrying()
            .map(|event| {
                (
                    event.number("attempt"),
                    event.number("wait_ms"),
                    event.text("wait_source").to_owned(),
                )
            })
            .collect()
    }

    /// The waits (ms) of the retries traced.
    pub fn waits_ms(&self) -> Vec<u64> {
        self.retrying()
            .map(|event| event.number("wait_ms"))
            .collect()
    }

    /// Why each traced retry was needed: the failed attempt's reason.
    pub fn retry_reasons(&self) -> Vec<String> {
        self.retrying()
            .map(|event| event.text("reason").to_owned())
            .collect()
    }

    fn retrying(&self) -> impl Iterator<Item = Record> {
        self.events()
            .into_iter()
            .filter(|event| event.message == "retrying")
    }

    /// Everything traced, as one text, to search for secrets.
    pub fn all_text(&self) -> String {
        self.events()
            .iter()
            .chain(&self.spans())
            .chain(&self.of(&self.captured.recorded))
            .map(|record| format!("{record:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}
