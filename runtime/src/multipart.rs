//! `multipart/form-data` bodies: the parts a call sends, and the form a caller builds part
//! by part for an operation whose spec does not list the parts (a `{}` schema, a `oneOf`
//! of objects).

use std::borrow::Cow;

use bytes::Bytes;

/// What one part of a multipart body holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartContent {
    /// A form field's text.
    Text(String),
    /// A file's bytes (sent with the part's name as its file name).
    File(Bytes),
}

/// A `multipart/form-data` body, part by part, in the order the parts are sent.
///
/// ```
/// let form = tether::MultipartForm::new()
///     .text("title", "Q3 report")
///     .file("attachment", b"%PDF-1.7".to_vec());
/// assert_eq!(form.parts().count(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MultipartForm {
    parts: Vec<(Cow<'static, str>, PartContent)>,
}

impl MultipartForm {
    /// A form without parts.
    pub fn new() -> Self {
        MultipartForm::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.push(Cow::Owned(name.into()), PartContent::Text(value.into()));
        self
    }

    /// Adds a file.
    pub fn file(mut self, name: impl Into<String>, content: impl Into<Bytes>) -> Self {
        self.push(Cow::Owned(name.into()), PartContent::File(content.into()));
        self
    }

    /// The parts: each name with what it holds.
    pub fn parts(&self) -> impl Iterator<Item = (&str, &PartContent)> {
        self.parts
            .iter()
            .map(|(name, content)| (name.as_ref(), content))
    }

    pub(crate) fn push(&mut self, name: Cow<'static, str>, content: PartContent) {
        self.parts.push((name, content));
    }

    /// The form as `reqwest` sends it.
    pub(crate) fn to_reqwest(&self) -> reqwest::multipart::Form {
        self.parts
            .iter()
            .fold(
                reqwest::multipart::Form::new(),
                |form, (name, content)| match content {
                    PartContent::Text(text) => form.text(name.clone(), text.clone()),
                    PartContent::File(bytes) => form.part(
                        name.clone(),
                        reqwest::multipart::Part::stream(reqwest::Body::from(bytes.clone()))
                            .file_name(name.clone()),
                    ),
                },
            )
    }
}
