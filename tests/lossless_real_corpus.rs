//! Every byte of every real mod file survives lexing: the tokens, trivia included, concatenate to the file, in
//! both dialects, and every diagnostic points inside its file.

use std::path::{Path, PathBuf};

use glia::syntax::{parse, Dialect};

fn mod_files(directory: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            mod_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "mod") {
            found.push(path);
        }
    }
}

#[test]
fn tokens_reproduce_every_real_corpus_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("corpus/real");
    assert!(
        corpus.is_dir(),
        "{} is missing: run `python3 tools/fetch-corpus.py` (or `bash tools/test.sh`)",
        corpus.display()
    );
    let mut files = Vec::new();
    mod_files(&corpus, &mut files);
    mod_files(&root.join("corpus/fixtures"), &mut files);
    assert!(files.len() > 300, "only {} mod files found", files.len());
    for path in &files {
        let source = std::fs::read(path).unwrap();
        for dialect in [Dialect::Neuron, Dialect::Arbor] {
            let parse = parse(&source, dialect);
            let rebuilt: Vec<u8> = parse
                .tokens
                .iter()
                .flat_map(|token| token.span.slice(&source).iter().copied())
                .collect();
            assert!(
                rebuilt == source,
                "{} is not reproduced in the {dialect:?} dialect",
                path.display()
            );
            for diagnostic in &parse.diagnostics {
                assert!(
                    diagnostic.primary.span.end as usize <= source.len(),
                    "{}",
                    path.display()
                );
            }
        }
    }
}
