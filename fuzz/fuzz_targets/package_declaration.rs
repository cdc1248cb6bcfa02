//! Arbitrary text through the reader of `Package(...)` declarations (`glia::packages::declaration`), which reads the
//! `__init__.py` of every installed Glia package, written by anyone. Whatever the text, the reader must not panic
//! and must answer either a declaration or why it cannot read one statically, with every span it reports inside the
//! text; the Python-subset lexer's tokens must lie inside it too.

#![no_main]

use std::path::{Path, PathBuf};

use glia::packages::declaration::{read_package_declaration, ReaderContext};
use glia::packages::python::lexer::tokenize;
use glia::span::Span;
use libfuzzer_sys::fuzz_target;

fn assert_inside(span: Span, source: &str, what: &str) {
    assert!(
        span.start <= span.end && span.end as usize <= source.len(),
        "{what} has the span {span:?} outside the text ({} bytes)",
        source.len()
    );
}

fuzz_target!(|bytes: &[u8]| {
    let source = String::from_utf8_lossy(bytes);
    for token in tokenize(&source) {
        assert_inside(token.span, &source, "a token");
    }
    let resolve = |path: &Path| -> PathBuf { path.to_path_buf() };
    let module_exists = |name: &str, _level: usize| name != "absent";
    let context = ReaderContext {
        resolve: &resolve,
        module_exists: &module_exists,
    };
    match read_package_declaration(&source, Path::new("/site/pkg/__init__.py"), "package", &context) {
        Ok(declaration) => {
            if let Some(place) = declaration.place {
                assert_inside(place.package_call, &source, "the Package call");
                for span in [place.mods_list, place.mods_last_item].into_iter().flatten() {
                    assert_inside(span, &source, "the mods list");
                }
                if let Some(end) = place.glia_import_end {
                    assert!(end <= source.len(), "the glia import ends at {end}, past the text");
                }
            }
        }
        Err(not_static) => {
            assert!(!not_static.reason.is_empty(), "a refusal without a reason");
            if let Some(span) = not_static.span {
                assert_inside(span, &source, "the refusal");
            }
        }
    }
});
