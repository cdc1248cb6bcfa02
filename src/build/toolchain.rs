//! Finding NEURON and the C++ compiler, and reading how NEURON's own `nrnivmodl` would compile and link.
//!
//! NEURON is `--neuron-home` when given (and nothing else then); otherwise it is looked for, in order: `NRNHOME`; the
//! active virtual environment's `neuron` package
//! (`$VIRTUAL_ENV/lib/python*/site-packages/neuron/.data`, the layout of the PyPI wheel); `nrnivmodl` on `PATH`
//! (the wheel's Python wrapper leads to its environment's package, a native install to its prefix); `nocmodl` on
//! `PATH`. A candidate counts only if it has `bin/nocmodl`, `bin/nrnmech_makefile`, `share/nrn/lib/nrnunits.lib`,
//! `include/` and `lib/`; otherwise the error names every place looked at and what was missing there.
//!
//! Flags, defines, include and library paths come from evaluating the installed `bin/nrnmech_makefile` (see
//! [`super::makefile`]), exactly as `nrnivmodl`'s `make` would, never from a list written here. The compiler is
//! `CXX` when set, else the one NEURON was configured with when it exists on this machine, else `g++`, `c++` or
//! `clang++` from `PATH` (the PyPI wheel was configured with a compiler path of its build machine; its own
//! `nrnivmodl` wrapper also falls back to the local compiler). The compiler's identity (`--version`) is asked once
//! and remembered in the store, keyed by the compiler file's path, size and modification time, so an up-to-date
//! build starts no process at all.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::exec::{Executor, ToolCommand, ToolKind};
use super::makefile::MakeVariables;
use super::store::{KeyBuilder, Store, StoreKey};

/// What to look for and what the user adds.
#[derive(Clone, Debug, Default)]
pub struct NeuronDiscoveryOptions {
    /// An explicit NEURON prefix (`--neuron-home`): the only one tried.
    pub neuron_home: Option<PathBuf>,
    /// Extra compile flags (nrnivmodl's `-incflags`).
    pub include_flags: String,
    /// Extra link flags (nrnivmodl's `-loadflags`).
    pub load_flags: String,
}

/// The environment variables discovery reads, passed in so tests can vary them without touching the process's.
#[derive(Clone, Debug, Default)]
pub struct DiscoveryEnvironment {
    pub nrnhome: Option<PathBuf>,
    pub virtual_env: Option<PathBuf>,
    pub path: Option<std::ffi::OsString>,
    pub cxx: Option<String>,
}

impl DiscoveryEnvironment {
    pub fn from_process() -> DiscoveryEnvironment {
        let non_empty = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
        DiscoveryEnvironment {
            nrnhome: non_empty("NRNHOME").map(PathBuf::from),
            virtual_env: non_empty("VIRTUAL_ENV").map(PathBuf::from),
            path: non_empty("PATH"),
            cxx: non_empty("CXX").map(|value| value.to_string_lossy().into_owned()),
        }
    }
}

/// Why NEURON or a compiler could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ToolchainError {
    #[error("{simulator} not found. Looked at:\n{}\n{hint}", .places.join("\n"))]
    NotFound {
        simulator: &'static str,
        places: Vec<String>,
        hint: &'static str,
    },
    #[error("cannot read NEURON's {}: {message}", .path.display())]
    Unreadable { path: PathBuf, message: String },
    #[error("cannot evaluate NEURON's {}: {message}", .path.display())]
    Makefile { path: PathBuf, message: String },
    #[error("no C++ compiler: {0}")]
    CompilerNotFound(String),
    #[error("the C++ compiler {} does not run: {message}", .compiler.display())]
    CompilerBroken { compiler: PathBuf, message: String },
}

/// A NEURON installation and the commands nrnivmodl would run with it.
#[derive(Clone, Debug)]
pub struct NeuronToolchain {
    pub prefix: PathBuf,
    /// How the prefix was found, for messages (`NRNHOME`, `the virtual environment …`).
    pub found_by: String,
    /// NEURON's version, from `include/nrnsemanticversion.h`.
    pub version: String,
    /// The folder name NEURON uses for build products (`x86_64`, …), from its `nrnivmodl` script.
    pub architecture: String,
    pub nocmodl: PathBuf,
    pub units_library: PathBuf,
    pub include_folder: PathBuf,
    pub main_source: PathBuf,
    pub compiler: Compiler,
    /// Flags, defines and include paths for compiling a translated mod file (after the compiler).
    pub compile_arguments: Vec<String>,
    /// Flags that make a shared library (after the compiler, before the output).
    pub link_shared_arguments: Vec<String>,
    /// Libraries and search paths (after the objects).
    pub library_arguments: Vec<String>,
    /// Flags for linking the `special` executable (after the compiler).
    pub link_executable_arguments: Vec<String>,
    /// Libraries and run paths for `special` (after the objects), with `@ORIGIN@` standing for `$ORIGIN`.
    pub special_library_arguments: Vec<String>,
    /// Everything about the installation that the products depend on (version, files, flags, compiler).
    pub fingerprint: StoreKey,
    /// Things the user should know (e.g. a configured compiler that is not on this machine).
    pub notes: Vec<String>,
}

/// A C++ compiler: the program, the arguments `CXX` put before every others, and what `--version` said.
#[derive(Clone, Debug)]
pub struct Compiler {
    pub program: PathBuf,
    pub leading_arguments: Vec<String>,
    pub identity: String,
}

impl Compiler {
    /// GCC reads `header.gch` beside a header included first; other compilers do not.
    pub fn supports_gcc_precompiled_headers(&self) -> bool {
        let identity = self.identity.to_ascii_lowercase();
        !identity.contains("clang")
            && (identity.contains("free software foundation") || identity.contains("gcc"))
    }
}

impl NeuronToolchain {
    /// Finds NEURON and a compiler. May ask the compiler its version once (remembered in `store`).
    pub fn discover(
        options: &NeuronDiscoveryOptions,
        environment: &DiscoveryEnvironment,
        store: &Store,
        executor: &Executor,
    ) -> Result<NeuronToolchain, ToolchainError> {
        let (prefix, found_by) = find_neuron_prefix(options, environment)?;
        let makefile_path = prefix.join("bin").join("nrnmech_makefile");
        let makefile_text = read_text(&makefile_path)?;
        let version = read_neuron_version(&prefix)?;
        let architecture = read_architecture(&prefix.join("bin").join("nrnivmodl"));

        let root = prefix.to_string_lossy().into_owned();
        let sentinel = "@GLIA_CXX@";
        let command_line = [
            ("ROOT", root.as_str()),
            ("MODOBJFILES", ""),
            ("UserINCFLAGS", options.include_flags.as_str()),
            ("UserLDFLAGS", options.load_flags.as_str()),
            ("CXX", sentinel),
        ];
        let operating_system = if cfg!(target_os = "macos") {
            "Darwin"
        } else {
            "Linux"
        };
        let makefile_error = |error: super::makefile::MakefileError| ToolchainError::Makefile {
            path: makefile_path.clone(),
            message: error.to_string(),
        };
        let variables =
            MakeVariables::evaluate(&makefile_text, &command_line, &[], operating_system)
                .map_err(makefile_error)?;
        let expand_words = |text: &str| -> Result<Vec<String>, ToolchainError> {
            let expanded = variables.expand_text(text).map_err(makefile_error)?;
            Ok(expanded
                .split_whitespace()
                .filter(|word| *word != sentinel)
                .map(str::to_string)
                .collect())
        };
        let mut compile_arguments = expand_words("$(CXXCOMPILE) $(INCLUDES) -fPIC")?;
        let link_shared_arguments = expand_words("$(CXX_LINK_SHARED) -I $(incdir)")?;
        let library_arguments = expand_words("$(NRNLIB_FLAGS) $(NRNLIB_RPATH_FLAGS) $(LDFLAGS)")?;
        let link_executable_arguments = expand_words(
            "$(CXX_LINK_EXE) -I $(incdir) -I $(incdir)/nrncvode -DAUTO_DLOPEN_NRNMECH=0",
        )?;
        let special_library_arguments = expand_words(
            "$(NRNLIB_FLAGS) -Wl,-rpath,@ORIGIN@ -Wl,-rpath,$(libdir) $(LDFLAGS) $(EXTRA_LDFLAGS)",
        )?;
        let datadir = variables.expand("datadir").map_err(makefile_error)?;

        // The compiler NEURON was configured with: the makefile's CXX when make's default is not overridden.
        let configured = MakeVariables::evaluate(
            &makefile_text,
            &command_line[..command_line.len() - 1],
            &[],
            operating_system,
        )
        .and_then(|variables| variables.expand("CXX"))
        .map_err(makefile_error)?;
        let mut notes = Vec::new();
        let (program, leading_arguments) = choose_compiler(
            environment,
            "NEURON",
            &configured,
            &["g++", "c++", "clang++"],
            &mut notes,
        )?;
        let identity = compiler_identity(&program, store, executor)?;
        let compiler = Compiler {
            program,
            leading_arguments,
            identity,
        };
        // `CXX="g++ -pthread"`: the words after the program come first on every compile and link.
        compile_arguments.splice(0..0, compiler.leading_arguments.iter().cloned());

        let nocmodl = prefix.join("bin").join("nocmodl");
        let library = prefix.join("lib").join(if cfg!(target_os = "macos") {
            "libnrniv.dylib"
        } else {
            "libnrniv.so"
        });
        let mut fingerprint = KeyBuilder::new("neuron-toolchain", 1)
            .text_field("version", &version)
            .text_field("makefile", &makefile_text)
            .text_field("nocmodl", &file_stamp(&nocmodl))
            .text_field("libnrniv", &file_stamp(&library))
            .text_field(
                "nrnunits",
                &file_stamp(&prefix.join("share/nrn/lib/nrnunits.lib")),
            )
            .text_field(
                "nrnconf",
                &file_stamp(&prefix.join("include").join("nrnconf.h")),
            )
            .text_field("compiler", &compiler.program.to_string_lossy())
            .text_field("compiler identity", &compiler.identity);
        for argument in compile_arguments.iter().chain(&link_shared_arguments) {
            fingerprint = fingerprint.text_field("argument", argument);
        }
        Ok(NeuronToolchain {
            nocmodl,
            units_library: prefix.join("share/nrn/lib/nrnunits.lib"),
            include_folder: prefix.join("include"),
            main_source: PathBuf::from(datadir).join("nrnmain.cpp"),
            prefix,
            found_by,
            version,
            architecture,
            compiler,
            compile_arguments,
            link_shared_arguments,
            library_arguments,
            link_executable_arguments,
            special_library_arguments,
            fingerprint: fingerprint.finish(),
            notes,
        })
    }
}

/// The files a usable NEURON prefix has.
const REQUIRED_NEURON_FILES: [&str; 5] = [
    "bin/nocmodl",
    "bin/nrnmech_makefile",
    "share/nrn/lib/nrnunits.lib",
    "include",
    "lib",
];

fn find_neuron_prefix(
    options: &NeuronDiscoveryOptions,
    environment: &DiscoveryEnvironment,
) -> Result<(PathBuf, String), ToolchainError> {
    let mut places = Vec::new();
    let mut candidates: Vec<(PathBuf, String)> = Vec::new();
    // An explicit prefix is the only candidate: falling back elsewhere would build with another NEURON.
    if let Some(home) = &options.neuron_home {
        candidates.push((home.clone(), "--neuron-home".to_string()));
    } else {
        match &environment.nrnhome {
            Some(home) => candidates.push((home.clone(), "NRNHOME".to_string())),
            None => places.push("  NRNHOME: not set".to_string()),
        }
        add_virtual_environment_candidates(
            environment.virtual_env.as_deref(),
            "neuron",
            "neuron/.data",
            &mut candidates,
            &mut places,
        );
        for program in ["nrnivmodl", "nocmodl"] {
            match find_on_path(program, environment.path.as_deref()) {
                Some(found) => {
                    for prefix in prefixes_of_program(&found) {
                        candidates
                            .push((prefix, format!("{program} on PATH ({})", found.display())));
                    }
                }
                None => places.push(format!("  {program}: not on PATH")),
            }
        }
    }
    for (prefix, found_by) in candidates {
        let missing: Vec<&str> = REQUIRED_NEURON_FILES
            .iter()
            .copied()
            .filter(|file| !prefix.join(file).exists())
            .collect();
        if missing.is_empty() {
            return Ok((prefix, found_by));
        }
        places.push(format!(
            "  {} (from {found_by}): missing {}",
            prefix.display(),
            missing.join(", ")
        ));
    }
    Err(ToolchainError::NotFound {
        simulator: "NEURON",
        places,
        hint: "Install it (`pip install neuron`) in the active environment, or set NRNHOME to its prefix.",
    })
}

/// `lib/python*/site-packages/neuron/.data` (and `dist-packages`) under an environment or install prefix.
/// Adds to `candidates` the folders `relative` (e.g. `neuron/.data`) under the site-packages of the active virtual
/// environment, or says in `places` why there are none (no environment, or no `package` in it).
pub(crate) fn add_virtual_environment_candidates(
    virtual_environment: Option<&Path>,
    package: &str,
    relative: &str,
    candidates: &mut Vec<(PathBuf, String)>,
    places: &mut Vec<String>,
) {
    let Some(environment_folder) = virtual_environment else {
        places.push("  VIRTUAL_ENV: no virtual environment is active".to_string());
        return;
    };
    let found = site_package_folders(environment_folder, relative);
    if found.is_empty() {
        places.push(format!(
            "  the virtual environment {}: no {package} package in lib/python*/site-packages",
            environment_folder.display()
        ));
    }
    for folder in found {
        candidates.push((
            folder,
            format!("the virtual environment {}", environment_folder.display()),
        ));
    }
}

/// `lib/python*/{site,dist}-packages/<relative>` folders that exist under an environment or install prefix.
pub(crate) fn site_package_folders(environment_folder: &Path, relative: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(environment_folder.join("lib")) else {
        return found;
    };
    let mut python_folders: Vec<PathBuf> = entries
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("python"))
        .map(|entry| entry.path())
        .collect();
    python_folders.sort();
    for python_folder in python_folders {
        for packages in ["site-packages", "dist-packages"] {
            let data = python_folder.join(packages).join(relative);
            if data.is_dir() {
                found.push(data);
            }
        }
    }
    found
}

/// Where NEURON might be, given a `nrnivmodl` or `nocmodl` found on PATH: the wheel's Python wrapper lives in
/// `<env>/bin/`, a native install's programs in `<prefix>/bin/` (possibly through a symbolic link).
fn prefixes_of_program(program: &Path) -> Vec<PathBuf> {
    prefixes_of_program_in(program, "neuron/.data")
}

/// The prefixes a program found on PATH may belong to: its `bin/`'s parent, and the Python package folder
/// `relative` of the environment it sits in.
pub(crate) fn prefixes_of_program_in(program: &Path, relative: &str) -> Vec<PathBuf> {
    let mut prefixes = Vec::new();
    for path in [
        Some(program.to_path_buf()),
        std::fs::canonicalize(program).ok(),
    ]
    .into_iter()
    .flatten()
    {
        if let Some(prefix) = path.parent().and_then(Path::parent) {
            prefixes.push(prefix.to_path_buf());
            prefixes.extend(site_package_folders(prefix, relative));
        }
    }
    prefixes.dedup();
    prefixes
}

/// The first executable file called `program` in the `PATH` list.
pub fn find_on_path(program: &str, path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    let path = path?;
    std::env::split_paths(path)
        .filter(|folder| !folder.as_os_str().is_empty())
        .map(|folder| folder.join(program))
        .find(|candidate| is_executable_file(candidate))
}

pub(crate) fn is_executable_file(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

pub(crate) fn read_text(path: &Path) -> Result<String, ToolchainError> {
    std::fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .map_err(|error| ToolchainError::Unreadable {
            path: path.to_path_buf(),
            message: error.to_string(),
        })
}

/// `9.0.2` from `#define NRN_VERSION_MAJOR 9` … in `include/nrnsemanticversion.h`.
fn read_neuron_version(prefix: &Path) -> Result<String, ToolchainError> {
    let header = read_text(&prefix.join("include").join("nrnsemanticversion.h"))?;
    let part = |name: &str| {
        header.lines().find_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some("#define") && words.next() == Some(name))
                .then(|| words.next().map(str::to_string))
                .flatten()
        })
    };
    match (
        part("NRN_VERSION_MAJOR"),
        part("NRN_VERSION_MINOR"),
        part("NRN_VERSION_PATCH"),
    ) {
        (Some(major), Some(minor), Some(patch)) => Ok(format!("{major}.{minor}.{patch}")),
        _ => Err(ToolchainError::Unreadable {
            path: prefix.join("include").join("nrnsemanticversion.h"),
            message: "no NRN_VERSION_MAJOR/MINOR/PATCH definitions".to_string(),
        }),
    }
}

/// The product folder name from the `MODSUBDIR=` line of NEURON's nrnivmodl script, else the machine's.
fn read_architecture(nrnivmodl_script: &Path) -> String {
    std::fs::read(nrnivmodl_script)
        .ok()
        .and_then(|bytes| {
            String::from_utf8_lossy(&bytes).lines().find_map(|line| {
                line.trim()
                    .strip_prefix("MODSUBDIR=")
                    .map(|value| value.trim_matches('"').to_string())
                    .filter(|value| {
                        !value.is_empty()
                            && value
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    })
            })
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string())
}

/// The compiler program and its leading arguments: `CXX`, else the configured one if present, else the first of
/// `fallbacks` on PATH (with a note saying so).
pub(crate) fn choose_compiler(
    environment: &DiscoveryEnvironment,
    simulator: &str,
    configured: &str,
    fallbacks: &[&str],
    notes: &mut Vec<String>,
) -> Result<(PathBuf, Vec<String>), ToolchainError> {
    let resolve = |word: &str| -> Option<PathBuf> {
        if word.contains('/') {
            is_executable_file(Path::new(word)).then(|| PathBuf::from(word))
        } else {
            find_on_path(word, environment.path.as_deref())
        }
    };
    if let Some(cxx) = &environment.cxx {
        let words = split_words(cxx);
        let Some((program, rest)) = words.split_first() else {
            return Err(ToolchainError::CompilerNotFound("CXX is blank".to_string()));
        };
        return match resolve(program) {
            Some(path) => Ok((path, rest.to_vec())),
            None => Err(ToolchainError::CompilerNotFound(format!(
                "CXX names `{program}`, which is not an executable file or on PATH"
            ))),
        };
    }
    let configured_words = split_words(configured);
    if let Some((program, rest)) = configured_words.split_first() {
        if let Some(path) = resolve(program) {
            return Ok((path, rest.to_vec()));
        }
    }
    for candidate in fallbacks {
        if let Some(path) = find_on_path(candidate, environment.path.as_deref()) {
            if !configured.is_empty() {
                notes.push(format!(
                    "{simulator} was configured with the compiler {configured}, which is not on this machine; using {} (set CXX to choose)",
                    path.display()
                ));
            }
            return Ok((path, Vec::new()));
        }
    }
    Err(ToolchainError::CompilerNotFound(format!(
        "{simulator}'s configured compiler `{configured}` is not on this machine, and none of {} is on PATH; install one or set CXX",
        fallbacks.join(", ")
    )))
}

/// What `compiler --version` says, remembered in the store by the compiler file's path, size and time.
pub(crate) fn compiler_identity(
    compiler: &Path,
    store: &Store,
    executor: &Executor,
) -> Result<String, ToolchainError> {
    let canonical = std::fs::canonicalize(compiler).unwrap_or_else(|_| compiler.to_path_buf());
    let key = KeyBuilder::new("compiler-identity", 1)
        .text_field("path", &compiler.to_string_lossy())
        .text_field("stamp", &file_stamp(&canonical))
        .finish();
    if let Some(entry) = store.lookup("compilers", &key, "txt") {
        if let Ok(identity) = std::fs::read_to_string(entry) {
            return Ok(identity);
        }
    }
    let run = executor.run(&ToolCommand::new(ToolKind::Query, compiler).argument("--version"));
    if !run.success {
        return Err(ToolchainError::CompilerBroken {
            compiler: compiler.to_path_buf(),
            message: run.output.trim().to_string(),
        });
    }
    let identity = run.output.trim().to_string();
    // Best effort: without the note the next build asks again.
    let _ = store.insert_bytes("compilers", &key, "txt", identity.as_bytes());
    Ok(identity)
}

/// A file's identity for keys: its size and modification time (nanoseconds), or `missing`.
pub fn file_stamp(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(metadata) => {
            let modified = metadata
                .modified()
                .ok()
                .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |duration| duration.as_nanos());
            let mut stamp = String::new();
            let _ = write!(stamp, "{}:{modified}", metadata.len());
            stamp
        }
        Err(_) => "missing".to_string(),
    }
}

/// Splits flags the way a shell splits words, honouring single and double quotes and backslashes (nothing is
/// expanded: there is no shell).
pub fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut characters = text.chars();
    while let Some(character) = characters.next() {
        match character {
            '\'' => {
                in_word = true;
                for quoted in characters.by_ref() {
                    if quoted == '\'' {
                        break;
                    }
                    current.push(quoted);
                }
            }
            '"' => {
                in_word = true;
                while let Some(quoted) = characters.next() {
                    match quoted {
                        '"' => break,
                        '\\' => {
                            if let Some(escaped) = characters.next() {
                                current.push(escaped);
                            }
                        }
                        _ => current.push(quoted),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(escaped) = characters.next() {
                    current.push(escaped);
                }
            }
            character if character.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            character => {
                in_word = true;
                current.push(character);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_a_shell_without_expanding() {
        assert_eq!(
            split_words(r#"-I"/a b" -L'/c d' -DX=\"y\" $HOME  plain"#),
            ["-I/a b", "-L/c d", "-DX=\"y\"", "$HOME", "plain"]
        );
        assert!(split_words("   ").is_empty());
        assert_eq!(split_words("''"), [""]);
    }

    #[test]
    fn a_missing_neuron_names_every_place_looked_at() {
        let empty = tempfile::tempdir().unwrap();
        let environment = DiscoveryEnvironment {
            nrnhome: Some(empty.path().join("nowhere")),
            virtual_env: Some(empty.path().to_path_buf()),
            path: Some(empty.path().as_os_str().to_owned()),
            cxx: None,
        };
        let error = find_neuron_prefix(&NeuronDiscoveryOptions::default(), &environment)
            .unwrap_err()
            .to_string();
        assert!(error.contains("NEURON not found"), "{error}");
        assert!(
            error.contains("nowhere (from NRNHOME): missing bin/nocmodl"),
            "{error}"
        );
        assert!(error.contains("no neuron package"), "{error}");
        assert!(error.contains("nrnivmodl: not on PATH"), "{error}");
        assert!(error.contains("pip install neuron"), "{error}");
    }

    #[test]
    fn the_architecture_comes_from_the_nrnivmodl_script() {
        let folder = tempfile::tempdir().unwrap();
        let script = folder.path().join("nrnivmodl");
        std::fs::write(&script, "#!/bin/bash\nARCH=x86_64\nMODSUBDIR=arm64\n").unwrap();
        assert_eq!(read_architecture(&script), "arm64");
        assert_eq!(
            read_architecture(&folder.path().join("absent")),
            std::env::consts::ARCH
        );
    }
}
