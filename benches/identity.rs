//! Semantic hash benchmark: how long hashing 2,000 mod files takes (target: under 0.5 s wall).
//!
//! Run with `cargo bench --bench identity` (release profile). The input is the real corpus in `corpus/real` (fetch
//! it with `python3 tools/fetch-corpus.py`), cycled to 2,000 files (`GLIA_BENCH_FILES` changes the count); without
//! it the fixtures in `corpus/fixtures`, and the output says so. Three figures, each the best and the mean of 10
//! runs after one warm-up, printed and never asserted:
//!
//! 1. in process, one thread: `parse` + `semantic_hash` of every file, sources already in memory;
//! 2. in process, rayon over the machine's cores, as `glia hash` does;
//! 3. `glia hash --format text DIR` as a user runs it (the release binary, the files just written to a temporary
//!    folder, output to /dev/null), when the binary is there.
//!
//! `cargo test --benches` (no `--bench` argument) runs a 50-file smoke test of parts 1 and 2 only.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use glia::identity::hash::{semantic_hash, SemanticHash};
use glia::syntax::{parse, Dialect};
use rayon::prelude::*;

const TARGET: Duration = Duration::from_millis(500);
const RUNS: usize = 10;

fn main() {
    let benchmark_mode = std::env::args().any(|argument| argument == "--bench");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (corpus_name, mut corpus) = load_corpus(manifest);
    corpus.sort();
    if corpus.is_empty() {
        println!("identity: SKIPPED: no mod file in corpus/real or corpus/fixtures");
        return;
    }
    let file_count = if benchmark_mode {
        std::env::var("GLIA_BENCH_FILES")
            .ok()
            .and_then(|text| text.parse().ok())
            .unwrap_or(2000)
    } else {
        50
    };
    let files: Vec<&(PathBuf, Vec<u8>)> = corpus.iter().cycle().take(file_count).collect();
    let total_bytes: usize = files.iter().map(|(_, source)| source.len()).sum();
    println!(
        "identity: {file_count} files cycled from {} {corpus_name} files, {:.1} MB",
        corpus.len(),
        total_bytes as f64 / 1e6
    );
    let runs = if benchmark_mode { RUNS } else { 1 };

    let single = time_runs(runs, || {
        for (path, source) in &files {
            black_box(hash_one(path, source));
        }
    });
    report("in process, 1 thread", file_count, total_bytes, single);
    let parallel = time_runs(runs, || {
        files.par_iter().for_each(|(path, source)| {
            black_box(hash_one(path, source));
        });
    });
    report(
        &format!(
            "in process, rayon ({} threads)",
            rayon::current_num_threads()
        ),
        file_count,
        total_bytes,
        parallel,
    );
    if benchmark_mode {
        time_glia_hash_process(manifest, &files);
    }
}

fn hash_one(path: &Path, source: &[u8]) -> Option<SemanticHash> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let parsed = parse(source, Dialect::Neuron);
    semantic_hash(source, &parsed, Dialect::Neuron, &mut |name: &str| {
        std::fs::read(folder.join(name)).map_err(|error| error.to_string())
    })
    .ok()
}

/// `(best, mean)` of `runs` timed runs after one warm-up.
fn time_runs(runs: usize, mut work: impl FnMut()) -> (Duration, Duration) {
    work();
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        work();
        times.push(start.elapsed());
    }
    let best = times.iter().copied().min().unwrap_or_default();
    let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    (best, mean)
}

fn report(what: &str, file_count: usize, total_bytes: usize, (best, mean): (Duration, Duration)) {
    let target_note = if file_count < 2000 {
        "fewer than 2,000 files: no target"
    } else if mean < TARGET {
        "under the 0.5 s target"
    } else {
        "OVER the 0.5 s target"
    };
    println!(
        "identity: {what}: {file_count} files in {:.1} ms mean, {:.1} ms best ({:.1} MB/s); {target_note}",
        mean.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3,
        total_bytes as f64 / 1e6 / mean.as_secs_f64().max(1e-9),
    );
}

fn time_glia_hash_process(manifest: &Path, files: &[&(PathBuf, Vec<u8>)]) {
    let binary = option_env!("CARGO_BIN_EXE_glia")
        .map(PathBuf::from)
        .filter(|path| path.is_file())
        .or_else(|| Some(manifest.join("target/release/glia")).filter(|path| path.is_file()));
    let Some(binary) = binary else {
        println!(
            "identity: glia hash process: SKIPPED: no release binary; build it with `cargo build --release`"
        );
        return;
    };
    let Ok(folder) = tempfile::tempdir() else {
        println!("identity: glia hash process: SKIPPED: no temporary folder");
        return;
    };
    for (index, (path, source)) in files.iter().enumerate() {
        let stem = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        if std::fs::write(folder.path().join(format!("{index:05}_{stem}.mod")), source).is_err() {
            println!("identity: glia hash process: SKIPPED: cannot write the files");
            return;
        }
    }
    let timing = time_runs(RUNS, || {
        let status = Command::new(&binary)
            .args(["hash", "--format", "text"])
            .arg(folder.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        black_box(status.ok());
    });
    let total_bytes: usize = files.iter().map(|(_, source)| source.len()).sum();
    report(
        &format!("`glia hash DIR` process ({})", binary.display()),
        files.len(),
        total_bytes,
        timing,
    );
}

fn load_corpus(manifest: &Path) -> (&'static str, Vec<(PathBuf, Vec<u8>)>) {
    for (name, folder) in [("real", "corpus/real"), ("fixture", "corpus/fixtures")] {
        let mut paths = Vec::new();
        collect_mod_files(&manifest.join(folder), &mut paths);
        let files: Vec<(PathBuf, Vec<u8>)> = paths
            .into_iter()
            .filter_map(|path| std::fs::read(&path).ok().map(|source| (path, source)))
            .collect();
        if !files.is_empty() {
            return (name, files);
        }
    }
    ("no", Vec::new())
}

fn collect_mod_files(folder: &Path, paths: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_mod_files(&path, paths);
        } else if path.extension().is_some_and(|extension| extension == "mod") {
            paths.push(path);
        }
    }
}
