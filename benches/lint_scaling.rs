//! Linearity benchmark: how `glia lint` and `glia check` grow with the size of one file.
//!
//! Run with `cargo bench --bench lint_scaling` (release profile; about a minute). `cargo test --benches` runs the
//! smallest size once as a smoke test.
//!
//! Generated files (written to a temporary folder) with 10,000, 100,000 and 1,000,000 declarations and statements
//! (`GLIA_SCALING_SIZES=10000,50000` overrides; `GLIA_SCALING_BINARY=path/to/glia` measures another build), in
//! three shapes:
//! - `parameters`: one PARAMETER block of N entries `pK = K.5 (mV)`, none of them used, so `glia lint` warns about
//!   each (W005): the output grows with the input too;
//! - `mixed`: N/3 PARAMETERs, N/3 ASSIGNED variables (each in a RANGE statement) and N/3 assignments `aK = pK*v`
//!   in BREAKPOINT; every name is used, so lint finds no error (exit status 0; NEURON warns once about the
//!   undeclared current);
//! - `blocks`: N/3 PROCEDUREs, each with a LOCAL `x` and an assignment to it (N/3 blocks, declarations and
//!   statements): every use of `x` must find its own block's LOCAL among all the others of that name.
//!
//! Each command is a whole `glia` process as a user runs it (human output to /dev/null, one worker thread, the file
//! in the page cache): `glia lint FILE` (NEURON), `glia lint --dialect arbor FILE` and `glia check FILE`; the best of
//! three runs for wall time, the largest peak resident set size (`wait4`'s `ru_maxrss`). Printed per command and
//! size: MB/s, peak RSS in MB and per MB of input, and the growth from the previous size (time ratio divided by the
//! size ratio: 1.0 is linear, 10 would be quadratic over a tenfold step). Targets (issue #14): `glia lint` at least
//! 50 MB/s and a peak RSS at most 10x the file size. Nothing is asserted: the machine is shared and timings are
//! noisy; the figures and whether each target holds are printed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use measure::run_measured;

mod measure;

const DEFAULT_SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];
const RUNS: usize = 3;
const THROUGHPUT_TARGET_MB_PER_SECOND: f64 = 50.0;
const MEMORY_TARGET_TIMES_FILE: f64 = 10.0;

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then one small size, one run.
    let benchmark_mode = arguments.iter().any(|argument| argument == "--bench");
    let Some(glia) = glia_binary() else {
        println!("lint_scaling: SKIPPED: no glia binary (build it with `cargo build --release`)");
        return;
    };
    let sizes: Vec<usize> = match std::env::var("GLIA_SCALING_SIZES") {
        Ok(list) => list
            .split(',')
            .filter_map(|size| size.trim().parse().ok())
            .collect(),
        Err(_) if benchmark_mode => DEFAULT_SIZES.to_vec(),
        Err(_) => vec![1_000],
    };
    let runs = if benchmark_mode { RUNS } else { 1 };
    let work = tempfile::tempdir().expect("a temporary folder");
    let commands: [(&str, &[&str]); 3] = [
        ("glia lint", &["lint"]),
        ("glia lint --dialect arbor", &["lint", "--dialect", "arbor"]),
        ("glia check", &["check"]),
    ];
    let mut table = String::from(
        "| shape | declarations | file MB | command | wall s | MB/s | peak RSS MB | RSS / file | growth |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for shape in [Shape::Parameters, Shape::Mixed, Shape::Blocks] {
        let mut previous: Vec<Option<(usize, Duration)>> = vec![None; commands.len()];
        for &size in &sizes {
            let path = work.path().join(format!("{}_{size}.mod", shape.name()));
            let text = shape.generate(size);
            std::fs::write(&path, &text).expect("write the generated file");
            let megabytes = text.len() as f64 / 1e6;
            for (index, (label, arguments)) in commands.iter().enumerate() {
                let Some((wall, peak_rss, status)) = measure(&glia, arguments, &path, runs) else {
                    return;
                };
                let growth =
                    previous[index].map_or("".to_string(), |(previous_size, previous_wall)| {
                        let time_ratio = wall.as_secs_f64() / previous_wall.as_secs_f64().max(1e-9);
                        let size_ratio = size as f64 / previous_size as f64;
                        format!("{:.2}", time_ratio / size_ratio)
                    });
                previous[index] = Some((size, wall));
                let throughput = megabytes / wall.as_secs_f64().max(1e-9);
                let peak_megabytes = peak_rss as f64 / 1e6;
                println!(
                    "{:<10} {size:>9} declarations ({megabytes:7.2} MB)  {label:<26} {:8.3} s  {throughput:7.1} MB/s  \
                     peak RSS {peak_megabytes:8.1} MB ({:5.1}x the file)  growth {growth:>5}  exit {status}",
                    shape.name(),
                    wall.as_secs_f64(),
                    peak_megabytes / megabytes,
                );
                writeln!(
                    table,
                    "| {} | {size} | {megabytes:.2} | `{label}` | {:.3} | {throughput:.1} | {peak_megabytes:.1} | {:.1}x | {growth} |",
                    shape.name(),
                    wall.as_secs_f64(),
                    peak_megabytes / megabytes,
                )
                .unwrap();
            }
        }
    }
    println!("\n{table}");
    println!(
        "targets: `glia lint` >= {THROUGHPUT_TARGET_MB_PER_SECOND} MB/s and peak RSS <= {MEMORY_TARGET_TIMES_FILE}x \
         the file; growth 1.0 is linear (the largest size matters most: small files are dominated by start-up). \
         Wall times on a shared machine scatter; compare instruction counts (valgrind --tool=callgrind) for changes."
    );
}

/// The generated file's layout.
#[derive(Clone, Copy)]
enum Shape {
    Parameters,
    Mixed,
    Blocks,
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Parameters => "parameters",
            Shape::Mixed => "mixed",
            Shape::Blocks => "blocks",
        }
    }

    fn generate(self, size: usize) -> String {
        let mut text = String::with_capacity(size * 32);
        match self {
            Shape::Parameters => {
                text.push_str("NEURON { SUFFIX scaling NONSPECIFIC_CURRENT i }\nPARAMETER {\n");
                for index in 0..size {
                    writeln!(text, "    p{index} = {index}.5 (mV)").unwrap();
                }
                text.push_str("}\nASSIGNED { i (mA/cm2) }\nBREAKPOINT { i = 0 }\n");
            }
            Shape::Mixed => {
                let third = size / 3;
                // One RANGE statement per line: nocmodl refuses lines over 511 characters.
                text.push_str("NEURON {\n    SUFFIX scaling\n    NONSPECIFIC_CURRENT i\n");
                for index in 0..third {
                    writeln!(text, "    RANGE a{index}").unwrap();
                }
                text.push_str("}\nPARAMETER {\n");
                for index in 0..third {
                    writeln!(text, "    p{index} = {index}.5 (mV)").unwrap();
                }
                // Neither `v` nor the current declared: modcc refuses both in ASSIGNED (nocmodl only warns).
                text.push_str("}\nASSIGNED {\n");
                for index in 0..third {
                    writeln!(text, "    a{index} (mV)").unwrap();
                }
                text.push_str("}\nBREAKPOINT {\n    i = 0\n");
                for index in 0..third {
                    writeln!(text, "    a{index} = p{index}*v").unwrap();
                }
                text.push_str("}\n");
            }
            Shape::Blocks => {
                text.push_str(
                    "NEURON { SUFFIX scaling NONSPECIFIC_CURRENT i }\nASSIGNED { i (mA/cm2) }\n",
                );
                text.push_str("BREAKPOINT { i = 0 }\n");
                for index in 0..size / 3 {
                    writeln!(
                        text,
                        "PROCEDURE p{index}() {{\n    LOCAL x\n    x = {index}\n}}"
                    )
                    .unwrap();
                }
            }
        }
        text
    }
}

/// The best wall time of `runs` runs of `glia ARGUMENTS FILE`, the largest peak RSS, and the last exit status.
fn measure(
    glia: &Path,
    arguments: &[&str],
    file: &Path,
    runs: usize,
) -> Option<(Duration, u64, i32)> {
    let mut best: Option<(Duration, u64, i32)> = None;
    for _ in 0..runs {
        let mut command = Command::new(glia);
        command
            .args(arguments)
            .arg(file)
            .env("RAYON_NUM_THREADS", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        match run_measured(&mut command) {
            Ok(measured) => {
                let (wall, rss) = best.map_or((measured.wall, 0), |(wall, rss, _)| {
                    (wall.min(measured.wall), rss)
                });
                best = Some((wall, rss.max(measured.peak_rss_bytes), measured.status));
            }
            Err(error) => {
                println!("lint_scaling: cannot run {}: {error}", glia.display());
                return None;
            }
        }
    }
    best
}

/// The `glia` binary cargo built for this benchmark (release profile), else `target/release/glia`.
fn glia_binary() -> Option<PathBuf> {
    // Another build (e.g. the previous commit's) to compare with in the same run.
    if let Some(path) = std::env::var_os("GLIA_SCALING_BINARY") {
        return Some(PathBuf::from(path)).filter(|path| path.is_file());
    }
    option_env!("CARGO_BIN_EXE_glia")
        .map(PathBuf::from)
        .filter(|path| path.is_file())
        .or_else(|| {
            Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/glia"))
                .filter(|path| path.is_file())
        })
}
