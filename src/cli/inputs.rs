//! Finding and reading the mod files named on the command line (the only file reading of the front end).

use std::path::{Path, PathBuf};

/// A mod file named on the command line, or found in a directory named there.
#[derive(Debug)]
pub struct InputFile {
    pub path: PathBuf,
    pub display: String,
}

/// A path that could not be used.
#[derive(Debug)]
pub struct InputError {
    pub path: PathBuf,
    pub message: String,
}

/// Expands `paths` into mod files: files are taken as given, directories are searched recursively for `*.mod`
/// (sorted, so output is deterministic). Problems with one path do not stop the others.
pub fn collect_mod_files(paths: &[PathBuf]) -> (Vec<InputFile>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => collect_directory(path, &mut files, &mut errors),
            Ok(_) => files.push(input_file(path.clone())),
            Err(error) => errors.push(InputError {
                path: path.clone(),
                message: error.to_string(),
            }),
        }
    }
    (files, errors)
}

fn input_file(path: PathBuf) -> InputFile {
    let display = path.display().to_string();
    InputFile { path, display }
}

fn collect_directory(directory: &Path, files: &mut Vec<InputFile>, errors: &mut Vec<InputError>) {
    let entries = match std::fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(error) => {
            errors.push(InputError {
                path: directory.to_path_buf(),
                message: error.to_string(),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_directory(&path, files, errors);
        } else if path.extension().is_some_and(|extension| extension == "mod") {
            files.push(input_file(path));
        }
    }
}

/// Finds the mod files under `paths` and runs `work` on each file's bytes, in parallel (rayon), keeping the input
/// order. Files that cannot be read, and paths that cannot be searched, come back as errors; the others are done.
pub fn process_mod_files<T: Send>(
    paths: &[PathBuf],
    work: impl Fn(&InputFile, Vec<u8>) -> T + Sync,
) -> (Vec<T>, Vec<InputError>) {
    use rayon::prelude::*;
    let (files, mut errors) = collect_mod_files(paths);
    let results: Vec<Result<T, InputError>> = files
        .par_iter()
        .map(|file| match std::fs::read(&file.path) {
            Ok(source) => Ok(work(file, source)),
            Err(error) => Err(InputError {
                path: file.path.clone(),
                message: error.to_string(),
            }),
        })
        .collect();
    let mut done = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(value) => done.push(value),
            Err(error) => errors.push(error),
        }
    }
    (done, errors)
}

/// Reports what went wrong at the end of a command: a failed write of the output (a closed pipe is not a failure)
/// and every path that could not be read. `Err` carries the exit status when the command could not do its work.
pub fn report_output_and_input_errors(
    written: std::io::Result<()>,
    input_errors: &[InputError],
) -> Result<(), std::process::ExitCode> {
    if let Err(error) = written {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("glia: cannot write output: {error}");
            return Err(std::process::ExitCode::from(super::exit::USAGE_OR_IO));
        }
    }
    for error in input_errors {
        eprintln!(
            "glia: cannot read {}: {}",
            error.path.display(),
            error.message
        );
    }
    if input_errors.is_empty() {
        Ok(())
    } else {
        Err(std::process::ExitCode::from(super::exit::USAGE_OR_IO))
    }
}
