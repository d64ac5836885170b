//! The one place where names from a spec become Rust identifiers: case conversion,
//! symbols, keywords, leading digits, and uniqueness within a scope.

use std::borrow::Cow;

use rustc_hash::FxHashSet;
use smol_str::SmolStr;

use crate::short_names::{short_names, ShortNames};

/// Words for symbols that carry the meaning of a value, so that `=`/`!=` or
/// `Etc/GMT+0`/`Etc/GMT-0` do not collapse into the same name. Most names need no word
/// (only ASCII, no `+`, no leading `-`, and letters or digits among the symbols): they are
/// their own spelling, since [`words`] splits at every symbol alike.
fn spell_symbols(raw: &str) -> Cow<'_, str> {
    let bytes = raw.as_bytes();
    if raw.is_ascii()
        && !bytes.contains(&b'+')
        && !raw.starts_with('-')
        && bytes.iter().any(u8::is_ascii_alphanumeric)
    {
        return Cow::Borrowed(raw);
    }
    // Identifiers are ASCII: other letters are written the nearest ASCII way (`Ábra` is
    // `Abra`, not `bra`), by deunicode's tables.
    let transliterated;
    let raw = if raw.is_ascii() {
        raw
    } else {
        transliterated = deunicode::deunicode(raw);
        transliterated.as_str()
    };
    // deunicode writes ASCII, so the text is read a byte at a time from here.
    let bytes = raw.as_bytes();
    let meaningful = !bytes.iter().any(u8::is_ascii_alphanumeric);
    let mut spelled = String::with_capacity(raw.len() + 8);
    for (index, &byte) in bytes.iter().enumerate() {
        let word = match byte {
            b'+' => Some(" plus "),
            b'-' if index == 0 || meaningful => Some(" minus "),
            b'=' if meaningful => Some(" eq "),
            b'!' if meaningful => Some(" not "),
            b'<' if meaningful => Some(" lt "),
            b'>' if meaningful => Some(" gt "),
            b'*' if meaningful => Some(" star "),
            b'.' if meaningful => Some(" dot "),
            b'/' if meaningful => Some(" slash "),
            b'@' if meaningful => Some(" at "),
            _ => None,
        };
        match word {
            Some(word) => spelled.push_str(word),
            None if byte.is_ascii_alphanumeric() => spelled.push(char::from(byte)),
            // Everything else separates words; heck splits on it.
            None => spelled.push(' '),
        }
    }
    Cow::Owned(spelled)
}

/// `UpperCamelCase` for types and variants; `fallback` when nothing usable is left.
pub fn type_name(raw: &str, fallback: &str) -> SmolStr {
    let mut name = String::new();
    camel_letters(raw, &mut name);
    finish_type_name(&SmolStr::from(name), fallback)
}

/// `raw` in `UpperCamelCase`, letters and digits only, written into `name` (emptied first).
fn camel_letters(raw: &str, name: &mut String) {
    let spelled = spell_symbols(raw);
    name.clear();
    name.reserve(spelled.len());
    words(&spelled, |word| {
        let start = name.len();
        name.push_str(word);
        name[start..].make_ascii_lowercase();
        if let Some(first) = name.get_mut(start..start + 1) {
            first.make_ascii_uppercase();
        }
    });
}

/// The words of `text` (ASCII, as [`spell_symbols`] writes it), split where heck's case
/// conversions split them, so that names stay as they were when heck made them: at
/// anything not a letter or digit, after a lowercase letter (or a digit after one) that an
/// uppercase letter follows (`fooBar`), and before the last uppercase letter of a run that a
/// lowercase letter follows (`HTTPServer`). Written here rather than called from heck:
/// heck formats each character through `fmt`, and names were a twentieth of generation.
fn words(text: &str, mut word: impl FnMut(&str)) {
    #[derive(Clone, Copy, PartialEq)]
    enum LastCased {
        Nothing,
        Lower,
        Upper,
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // A part: a run of ASCII letters and digits (anything else separates parts). Its
        // ends are character boundaries, so it is sliced from the text as it is.
        let Some(part_start) = bytes[at..]
            .iter()
            .position(u8::is_ascii_alphanumeric)
            .map(|offset| at + offset)
        else {
            break;
        };
        let part_end = bytes[part_start..]
            .iter()
            .position(|byte| !byte.is_ascii_alphanumeric())
            .map_or(bytes.len(), |offset| part_start + offset);
        at = part_end;
        let part = &text[part_start..part_end];
        let bytes = part.as_bytes();
        let mut start = 0;
        let mut last = LastCased::Nothing;
        for (index, pair) in bytes.windows(2).enumerate() {
            let (current, next) = (pair[0], pair[1]);
            let with_current = if current.is_ascii_lowercase() {
                LastCased::Lower
            } else if current.is_ascii_uppercase() {
                LastCased::Upper
            } else {
                last
            };
            if with_current == LastCased::Lower && next.is_ascii_uppercase() {
                word(&part[start..=index]);
                start = index + 1;
                last = LastCased::Nothing;
            } else if last == LastCased::Upper
                && current.is_ascii_uppercase()
                && next.is_ascii_lowercase()
            {
                word(&part[start..index]);
                start = index;
                last = LastCased::Nothing;
            } else {
                last = with_current;
            }
        }
        if start < part.len() {
            word(&part[start..]);
        }
    }
}

fn finish_type_name(name: &SmolStr, fallback: &str) -> SmolStr {
    if name.is_empty() {
        return SmolStr::new(fallback);
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return smol_str::format_smolstr!("{fallback}{name}");
    }
    name.clone()
}

/// `snake_case` for fields, arguments and methods.
pub fn value_name(raw: &str) -> SmolStr {
    let mut name = String::new();
    snake_letters(raw, &mut name);
    finish_value_name(&SmolStr::from(name))
}

/// `raw` in `snake_case`, letters, digits and underscores only, written into `name`
/// (emptied first).
fn snake_letters(raw: &str, name: &mut String) {
    let spelled = spell_symbols(raw);
    name.clear();
    name.reserve(spelled.len() + 4);
    words(&spelled, |word| {
        if !name.is_empty() {
            name.push('_');
        }
        let start = name.len();
        name.push_str(word);
        name[start..].make_ascii_lowercase();
    });
}

fn finish_value_name(name: &SmolStr) -> SmolStr {
    if name.is_empty() || name == "_" {
        return SmolStr::new_static("value");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return smol_str::format_smolstr!("n{name}");
    }
    name.clone()
}

/// [`type_name`] and [`value_name`], remembering each case conversion: specs repeat the
/// same property names thousands of times (GitHub's `url`, `id`, `node_id`), and the
/// conversions were a fifth of lowering them.
#[derive(Debug, Default)]
pub struct Spellings {
    camel: SpellingMap,
    snake: SpellingMap,
    /// Where a new spelling is written before it is kept (most are short enough for a
    /// `SmolStr` to hold inline, which a `String` of their own would only be copied into).
    scratch: String,
}

impl Spellings {
    /// [`type_name`].
    pub fn type_name(&mut self, raw: &str, fallback: &str) -> SmolStr {
        let spelled = remembered(&mut self.camel, &mut self.scratch, raw, camel_letters);
        finish_type_name(spelled, fallback)
    }

    /// [`value_name`].
    pub fn value_name(&mut self, raw: &str) -> SmolStr {
        finish_value_name(remembered(
            &mut self.snake,
            &mut self.scratch,
            raw,
            snake_letters,
        ))
    }
}

/// Spellings by the raw names they were made from.
type SpellingMap = hashbrown::HashMap<SmolStr, SmolStr, rustc_hash::FxBuildHasher>;

fn remembered<'a>(
    spelled: &'a mut SpellingMap,
    scratch: &mut String,
    raw: &str,
    spell: fn(&str, &mut String),
) -> &'a SmolStr {
    spelled.entry_ref(raw).or_insert_with(|| {
        spell(raw, scratch);
        SmolStr::new(scratch.as_str())
    })
}

/// The part of an operation id its method is named from (spelled by [`value_name`]). Ids
/// that embed the path, as HubSpot's do (`get-/crm/v3/objects/contacts_getPage`), are named
/// by the part after the path when `shorten` is set (the caller checks that the short
/// names are unique).
pub fn operation_words(id: &str, shorten: bool) -> &str {
    if shorten && id.contains('/') {
        if let Some((_, short)) = id.rsplit_once('_') {
            if short.chars().any(char::is_alphanumeric) && !short.contains('/') {
                return short;
            }
        }
    }
    id
}

/// Rust keywords, all editions. Value names among them are written as raw
/// identifiers, except those that cannot be raw (`self`, `Self`, `super`, `crate`), which
/// get a `_`.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Whether `name` must be written `r#name`.
pub fn is_keyword(name: &str) -> bool {
    KEYWORD_SET.position(name).is_some()
}

/// [`KEYWORDS`], for a lookup by hash.
static KEYWORD_SET: ShortNames = short_names!(KEYWORDS);

/// Whether `name` cannot be an identifier even as `r#name`.
fn is_unrawable(name: &str) -> bool {
    matches!(name, "self" | "Self" | "super" | "crate" | "_")
}

/// Names taken in one scope (a module, a struct, an enum, a method's arguments). Every
/// request builder starts with the builder's own method names reserved. Names are
/// [`SmolStr`]s, so that taking one costs no copy of it.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    taken: FxHashSet<SmolStr>,
}

impl Scope {
    /// A scope where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&'static str]) -> Self {
        Scope {
            taken: reserved
                .iter()
                .map(|name| SmolStr::new_static(name))
                .collect(),
        }
    }

    /// An empty scope with room for `names` names without growing.
    pub fn with_capacity(names: usize) -> Self {
        Scope {
            taken: FxHashSet::with_capacity_and_hasher(names, Default::default()),
        }
    }

    /// `desired`, or `desired2`, `desired3`, ... whichever is free; then taken.
    pub fn claim(&mut self, desired: impl Into<SmolStr>) -> SmolStr {
        let mut base = desired.into();
        if is_unrawable(&base) {
            base = smol_str::format_smolstr!("{base}_");
        }
        // Most names are free: taken at the first try, with one hash.
        if self.taken.insert(base.clone()) {
            return base;
        }
        let claimed = self.numbered(&base);
        self.taken.insert(claimed.clone());
        claimed
    }

    /// The first of `base2`, `base3`, ... that is free.
    fn numbered(&self, base: &str) -> SmolStr {
        // `Self_` numbers as `Self2`: `Self_2` is not camel case, and rustc says so.
        let stem = match base.trim_end_matches('_') {
            "" => base,
            stem => stem,
        };
        let mut counter = 2;
        loop {
            let candidate = smol_str::format_smolstr!("{stem}{counter}");
            if !self.taken.contains(candidate.as_str()) {
                return candidate;
            }
            counter += 1;
        }
    }

    /// Takes `name` if it is free and a legal name as it is.
    pub fn claim_if_free(&mut self, name: &str) -> bool {
        !is_unrawable(name) && !self.taken.contains(name) && self.taken.insert(SmolStr::new(name))
    }
}

/// The variant name of a response status: its reason phrase (`404` → `NotFound`).
pub fn status_variant(code: u16) -> SmolStr {
    let reason = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        507 => "InsufficientStorage",
        _ => return smol_str::format_smolstr!("Status{code}"),
    };
    SmolStr::new_static(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_keep_values_apart() {
        assert_eq!(type_name("=", "V"), "Eq");
        assert_eq!(type_name("!=", "V"), "NotEq");
        assert_ne!(type_name("Etc/GMT+0", "V"), type_name("Etc/GMT-0", "V"));
        assert_eq!(value_name("+1"), "plus_1");
        assert_eq!(value_name("-1"), "minus_1");
        assert_eq!(type_name("-created", "V"), "MinusCreated");
    }

    #[test]
    fn case_conversion_and_digits() {
        assert_eq!(type_name("pet_status", "T"), "PetStatus");
        assert_eq!(type_name("2fa-method", "V"), "V2faMethod");
        assert_eq!(value_name("petId"), "pet_id");
        assert_eq!(value_name("@odata.nextLink"), "odata_next_link");
        assert_eq!(value_name("3d_secure"), "n3d_secure");
        assert_eq!(value_name(""), "value");
    }

    /// Names must not change with the word splitter: every name a user's code holds came
    /// from heck's conversions before it.
    #[test]
    fn words_split_as_heck_splits_them() {
        use heck::{ToSnakeCase, ToUpperCamelCase};
        let mut inputs: Vec<String> = [
            "HTTPServer",
            "fooBar",
            "foo2Bar",
            "FOO2bar",
            "ABCd",
            "aB",
            "Ab",
            "AB",
            "a",
            "A",
            "1",
            "v1ListPodForAllNamespaces",
            "io.k8s.api.core.v1.PodSpec",
            "XMLHttpRequest2Go",
            "getURLsForIDs",
            "9Lives",
            "a1B2c3",
            "ID",
            "IDs",
            "x-ms-paths",
            "  spaced  out ",
            "__proto__",
            "AaBbCC",
            "CCbbAa",
            "A1a",
            "1aA",
            "a1A",
            "A1A1a",
        ]
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
        // Every string of up to five characters from a small alphabet that has each kind.
        let alphabet = ['a', 'Z', 'b', 'Q', '7', ' ', '_', '.'];
        let mut frontier = vec![String::new()];
        for _ in 0..5 {
            frontier = frontier
                .iter()
                .flat_map(|prefix| {
                    alphabet
                        .iter()
                        .map(move |letter| format!("{prefix}{letter}"))
                })
                .collect();
            inputs.extend(frontier.iter().cloned());
        }
        for input in &inputs {
            let mut camel = String::new();
            let mut snake = Vec::new();
            words(input, |word| {
                camel.push_str(&word.to_upper_camel_case());
                snake.push(word.to_lowercase());
            });
            assert_eq!(camel, input.to_upper_camel_case(), "{input:?}");
            assert_eq!(snake.join("_"), input.to_snake_case(), "{input:?}");
        }
        assert!(inputs.len() > 37_000);
    }

    #[test]
    fn keywords_are_found_and_nothing_else_is() {
        assert!(is_keyword("Self") && is_keyword("abstract") && is_keyword("yield"));
        assert!(!is_keyword("types") && !is_keyword("self_"));
        for keyword in KEYWORDS {
            assert!(is_keyword(keyword), "{keyword}");
            assert!(
                !is_keyword(&keyword[..keyword.len() - 1]),
                "{keyword} shortened"
            );
            assert!(!is_keyword(&format!("{keyword}x")), "{keyword}x");
        }
        assert!(!is_keyword(""));
    }

    #[test]
    fn letters_beyond_ascii_are_written_the_nearest_ascii_way() {
        assert_eq!(type_name("Ábra", "T"), "Abra");
        assert_eq!(type_name("ÁKK", "V"), "Akk");
        assert_eq!(value_name("größe"), "grosse");
        assert_eq!(type_name("日本", "T"), "RiBen");
    }

    #[test]
    fn remembered_spellings_are_the_same_and_keep_each_fallback() {
        let mut spellings = Spellings::default();
        for _ in 0..2 {
            for raw in [
                "pet_status",
                "2fa-method",
                "Self",
                "",
                "@odata.nextLink",
                "3d_secure",
            ] {
                assert_eq!(spellings.value_name(raw), value_name(raw));
                for fallback in ["T", "V"] {
                    assert_eq!(spellings.type_name(raw, fallback), type_name(raw, fallback));
                }
            }
        }
        assert_eq!(spellings.type_name("2fa", "V"), "V2fa");
        assert_eq!(spellings.type_name("2fa", "Op"), "Op2fa");
    }

    #[test]
    fn path_shaped_ids_are_shortened() {
        let id = "get-/crm/v3/objects/contacts_getPage";
        assert_eq!(value_name(operation_words(id, true)), "get_page");
        assert_eq!(
            value_name(operation_words(id, false)),
            "get_crm_v3_objects_contacts_get_page"
        );
        assert_eq!(value_name(operation_words("listPets", true)), "list_pets");
    }

    #[test]
    fn scopes_make_names_unique_and_legal() {
        let mut scope = Scope::with_reserved(&["new"]);
        assert_eq!(scope.claim("new"), "new2");
        assert_eq!(scope.claim("asc"), "asc");
        assert_eq!(scope.claim("asc"), "asc2");
        assert_eq!(scope.claim("self"), "self_");
        assert_eq!(scope.claim("self"), "self2");
        assert_eq!(scope.claim(type_name("Self", "T")), "Self_");
        assert_eq!(scope.claim(type_name("self", "T")), "Self2", "not `Self_2`");
        assert!(is_keyword("type"));
    }

    #[test]
    fn statuses_read_as_reasons() {
        assert_eq!(status_variant(404), "NotFound");
        assert_eq!(status_variant(299), "Status299");
    }
}
