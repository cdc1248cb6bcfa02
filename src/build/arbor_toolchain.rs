//! Finding Arbor, and reading how its own CMake configuration would compile and link a catalogue.
//!
//! Arbor is looked for, in order: `--arbor-prefix`; the active virtual environment's `arbor` package
//! (`$VIRTUAL_ENV/lib/python*/site-packages/arbor`, the PyPI wheel's layout); `modcc` on `PATH` (the wheel's
//! wrapper leads to its environment's package, a native install to its prefix). A candidate counts only if it has
//! `bin/modcc`, `include/arbor/` and Arbor's CMake package (`lib64/cmake/arbor` or `lib/cmake/arbor`).
//!
//! What `arbor-build-catalogue`'s generated CMake project would pass is read from the installed files, not written
//! here: `ARB_MODCC_FLAGS`, `ARB_CXX`, `ARB_CXX_FLAGS`, `ARB_CXX_FLAGS_TARGET` (generator expressions evaluated for
//! C++) and `ARB_WITH_GPU` from `arbor-config.cmake`; include folders (`INTERFACE_INCLUDE_DIRECTORIES`) and plain
//! link libraries (`INTERFACE_LINK_LIBRARIES`) from `arbor-targets.cmake`; the static libraries from
//! `IMPORTED_LOCATION_RELEASE` in `arbor-targets-release.cmake`; `STANDALONE=1` and the C++ standard from
//! `share/arbor/BuildModules.cmake`. Only CMake's own defaults are constants here: `-O3 -DNDEBUG` for a release
//! build, `-fPIC` and `-D<target>_EXPORTS` for a shared library, `-isystem` for imported include folders.

use std::path::{Path, PathBuf};

use super::exec::Executor;
use super::store::{KeyBuilder, Store, StoreKey};
use super::toolchain::{
    add_virtual_environment_candidates, choose_compiler, compiler_identity, file_stamp,
    find_on_path, prefixes_of_program_in, read_text, Compiler, DiscoveryEnvironment,
    ToolchainError,
};

/// CMake's `CMAKE_CXX_FLAGS_RELEASE` default, which `arbor-build-catalogue`'s project uses (build type `release`).
const CMAKE_RELEASE_FLAGS: [&str; 2] = ["-O3", "-DNDEBUG"];

/// An Arbor installation and what a catalogue build runs with it.
#[derive(Clone, Debug)]
pub struct ArborToolchain {
    pub prefix: PathBuf,
    pub found_by: String,
    pub version: String,
    pub modcc: PathBuf,
    /// `ARB_MODCC_FLAGS` (e.g. `--simd`).
    pub modcc_flags: Vec<String>,
    /// Arbor was built with GPU support.
    pub has_gpu: bool,
    pub compiler: Compiler,
    /// Compile arguments for every catalogue source except the catalogue's own `-D<name>_catalogue_EXPORTS`
    /// (see [`ArborToolchain::compile_arguments_for`]).
    pub compile_arguments: Vec<String>,
    /// Link arguments before the output (`-fPIC -O3 -DNDEBUG -shared`).
    pub link_arguments: Vec<String>,
    /// Libraries after the objects (`libarbor.a -ldl libunits.a`).
    pub library_arguments: Vec<String>,
    pub fingerprint: StoreKey,
    pub notes: Vec<String>,
}

impl ArborToolchain {
    /// The compile arguments for the sources of catalogue `name` (CMake defines `<target>_EXPORTS`, the target
    /// being `<name>-catalogue`).
    pub fn compile_arguments_for(&self, catalogue: &str) -> Vec<String> {
        let mut arguments = self.compiler.leading_arguments.clone();
        arguments.push("-DSTANDALONE=1".to_string());
        arguments.push(format!("-D{catalogue}_catalogue_EXPORTS"));
        arguments.extend(self.compile_arguments.iter().cloned());
        arguments
    }

    /// Finds Arbor and a compiler. May ask the compiler its version once (remembered in `store`).
    pub fn discover(
        arbor_prefix: Option<&Path>,
        environment: &DiscoveryEnvironment,
        store: &Store,
        executor: &Executor,
    ) -> Result<ArborToolchain, ToolchainError> {
        let (prefix, found_by, cmake_folder) = find_arbor_prefix(arbor_prefix, environment)?;
        let config = read_text(&cmake_folder.join("arbor").join("arbor-config.cmake"))?;
        let targets = read_text(&cmake_folder.join("arbor").join("arbor-targets.cmake"))?;
        let release_targets = read_text(
            &cmake_folder
                .join("arbor")
                .join("arbor-targets-release.cmake"),
        )?;
        let version_file = read_text(
            &cmake_folder
                .join("arbor")
                .join("arbor-config-version.cmake"),
        )?;
        let build_modules = std::fs::read_to_string(prefix.join("share/arbor/BuildModules.cmake"))
            .unwrap_or_default();
        let version = cmake_set_value(&version_file, "PACKAGE_VERSION")
            .map(|value| value.trim_matches('"').to_string())
            .ok_or_else(|| ToolchainError::Unreadable {
                path: cmake_folder.join("arbor/arbor-config-version.cmake"),
                message: "no PACKAGE_VERSION".to_string(),
            })?;
        let prefix_text = prefix.to_string_lossy().into_owned();
        let substitute = |value: &str| value.replace("${_IMPORT_PREFIX}", &prefix_text);

        let modcc_flags =
            cmake_list(cmake_set_value(&config, "ARB_MODCC_FLAGS").unwrap_or_default());
        let has_gpu = cmake_set_value(&config, "ARB_WITH_GPU").is_some_and(|value| {
            let value = value.trim().to_ascii_uppercase();
            !value.is_empty() && !matches!(value.as_str(), "OFF" | "FALSE" | "0" | "NO")
        });
        let configured_compiler = cmake_set_value(&config, "ARB_CXX").unwrap_or_default();
        let cxx_flags = cmake_list(cmake_set_value(&config, "ARB_CXX_FLAGS").unwrap_or_default());
        let target_flags: Vec<String> =
            cmake_list(cmake_set_value(&config, "ARB_CXX_FLAGS_TARGET").unwrap_or_default())
                .iter()
                .filter_map(|item| evaluate_for_cxx(item))
                .filter(|item| !item.is_empty())
                .collect();
        let mut include_folders: Vec<String> = Vec::new();
        for value in target_property_values(&targets, "INTERFACE_INCLUDE_DIRECTORIES") {
            for folder in cmake_list(&value) {
                let folder = substitute(&folder);
                if !folder.is_empty() && !include_folders.contains(&folder) {
                    include_folders.push(folder);
                }
            }
        }
        let standard = build_modules_standard(&build_modules);

        let mut compile_arguments = Vec::new();
        for folder in &include_folders {
            compile_arguments.push("-isystem".to_string());
            compile_arguments.push(folder.clone());
        }
        compile_arguments.extend(cxx_flags.iter().cloned());
        compile_arguments.extend(CMAKE_RELEASE_FLAGS.iter().map(|flag| flag.to_string()));
        compile_arguments.push(format!("-std=c++{standard}"));
        compile_arguments.push("-fPIC".to_string());
        compile_arguments.extend(target_flags);

        let location = |target: &str| {
            imported_location(&release_targets, target)
                .or_else(|| {
                    // units' targets live in their own package folder.
                    let units = cmake_folder
                        .join("units")
                        .join("unitsTargets-release.cmake");
                    std::fs::read_to_string(units)
                        .ok()
                        .and_then(|text| imported_location(&text, target))
                })
                .map(|path| substitute(&path))
        };
        let mut library_arguments = Vec::new();
        let arbor_library = location("arbor::arbor").ok_or_else(|| ToolchainError::Unreadable {
            path: cmake_folder.join("arbor/arbor-targets-release.cmake"),
            message: "no IMPORTED_LOCATION_RELEASE for arbor::arbor".to_string(),
        })?;
        library_arguments.push(arbor_library);
        for value in target_property_values(&targets, "INTERFACE_LINK_LIBRARIES") {
            for library in cmake_list(&value) {
                let is_plain_name = !library.is_empty()
                    && !library.contains("::")
                    && !library.contains('$')
                    && !library.contains('/');
                let flag = format!("-l{library}");
                if is_plain_name && !library_arguments.contains(&flag) {
                    library_arguments.push(flag);
                }
            }
        }
        if let Some(units) = location("arbor::units") {
            library_arguments.push(units);
        }

        let mut notes = Vec::new();
        let (program, leading_arguments) = choose_compiler(
            environment,
            "Arbor",
            configured_compiler,
            &["c++", "g++", "clang++"],
            &mut notes,
        )?;
        let identity = compiler_identity(&program, store, executor)?;
        let compiler = Compiler {
            program,
            leading_arguments,
            identity,
        };
        let mut link_arguments = compiler.leading_arguments.clone();
        link_arguments.push("-fPIC".to_string());
        link_arguments.extend(CMAKE_RELEASE_FLAGS.iter().map(|flag| flag.to_string()));
        link_arguments.push("-shared".to_string());

        let modcc = prefix.join("bin").join("modcc");
        let mut fingerprint = KeyBuilder::new("arbor-toolchain", 1)
            .text_field("version", &version)
            .text_field("config", &config)
            .text_field("targets", &targets)
            .text_field("release targets", &release_targets)
            .text_field("modcc", &file_stamp(&modcc))
            .text_field("compiler", &compiler.program.to_string_lossy())
            .text_field("compiler identity", &compiler.identity);
        for argument in compile_arguments.iter().chain(&library_arguments) {
            fingerprint = fingerprint.text_field("argument", argument);
        }
        for library in library_arguments
            .iter()
            .filter(|argument| argument.starts_with('/'))
        {
            fingerprint = fingerprint.text_field("library stamp", &file_stamp(Path::new(library)));
        }
        for flag in &modcc_flags {
            fingerprint = fingerprint.text_field("modcc flag", flag);
        }
        Ok(ArborToolchain {
            prefix,
            found_by,
            version,
            modcc,
            modcc_flags,
            has_gpu,
            compiler,
            compile_arguments,
            link_arguments,
            library_arguments,
            fingerprint: fingerprint.finish(),
            notes,
        })
    }
}

/// Files a usable Arbor prefix has (besides its CMake package folder).
const REQUIRED_ARBOR_FILES: [&str; 2] = ["bin/modcc", "include/arbor"];

fn find_arbor_prefix(
    explicit: Option<&Path>,
    environment: &DiscoveryEnvironment,
) -> Result<(PathBuf, String, PathBuf), ToolchainError> {
    let mut places = Vec::new();
    let mut candidates: Vec<(PathBuf, String)> = Vec::new();
    // An explicit prefix is the only candidate: falling back elsewhere would build with another Arbor.
    if let Some(prefix) = explicit {
        candidates.push((prefix.to_path_buf(), "--arbor-prefix".to_string()));
    } else {
        add_virtual_environment_candidates(
            environment.virtual_env.as_deref(),
            "arbor",
            "arbor",
            &mut candidates,
            &mut places,
        );
        match find_on_path("modcc", environment.path.as_deref()) {
            Some(modcc) => {
                for prefix in prefixes_of_program_in(&modcc, "arbor") {
                    candidates.push((prefix, format!("modcc on PATH ({})", modcc.display())));
                }
            }
            None => places.push("  modcc: not on PATH".to_string()),
        }
    }
    for (prefix, found_by) in candidates {
        let cmake_folder = ["lib64/cmake", "lib/cmake"]
            .iter()
            .map(|relative| prefix.join(relative))
            .find(|folder| folder.join("arbor").join("arbor-config.cmake").is_file());
        let mut missing: Vec<&str> = REQUIRED_ARBOR_FILES
            .iter()
            .copied()
            .filter(|file| !prefix.join(file).exists())
            .collect();
        if cmake_folder.is_none() {
            missing.push("lib64/cmake/arbor/arbor-config.cmake");
        }
        match cmake_folder {
            Some(cmake_folder) if missing.is_empty() => {
                return Ok((prefix, found_by, cmake_folder))
            }
            _ => places.push(format!(
                "  {} (from {found_by}): missing {}",
                prefix.display(),
                missing.join(", ")
            )),
        }
    }
    Err(ToolchainError::NotFound {
        simulator: "Arbor",
        places,
        hint: "Install it (`pip install arbor`) in the active environment, or give --arbor-prefix.",
    })
}

/// The value of `set(NAME value...)` in CMake text (the first such call), without the parentheses.
fn cmake_set_value<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("set(")?;
        let rest = rest.strip_prefix(name)?;
        if !rest.starts_with([' ', ')']) {
            return None;
        }
        let end = rest.rfind(')')?;
        Some(rest[..end].trim())
    })
}

/// A CMake list (`a;b;$<x;y>`) split at the semicolons outside generator expressions, quotes removed.
fn cmake_list(value: &str) -> Vec<String> {
    let value = value.trim().trim_matches('"');
    let mut items = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut characters = value.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '$' if characters.peek() == Some(&'<') => {
                depth += 1;
                current.push(character);
            }
            '>' if depth > 0 => {
                depth -= 1;
                current.push(character);
            }
            ';' if depth == 0 => items.push(std::mem::take(&mut current)),
            _ => current.push(character),
        }
    }
    items.push(current);
    items
        .into_iter()
        .map(|item| item.trim().replace("\\$", "$"))
        .filter(|item| !item.is_empty())
        .collect()
}

/// A list item as a C++ compile of a consumer sees it: plain text as is; `$<condition:value>` gives `value` when
/// the condition holds for C++ (`COMPILE_LANGUAGE:CXX`, `BUILD_INTERFACE`), nothing otherwise; `$<:x>` (an empty
/// condition) gives nothing. `None` for what cannot be read.
fn evaluate_for_cxx(item: &str) -> Option<String> {
    let Some(inner) = item
        .strip_prefix("$<")
        .and_then(|rest| rest.strip_suffix('>'))
    else {
        return Some(item.to_string());
    };
    // Split at the first ':' outside nested `$<...>`.
    let mut depth = 0usize;
    let mut split = None;
    let bytes = inner.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'$' if bytes.get(index + 1) == Some(&b'<') => {
                depth += 1;
                index += 1;
            }
            b'>' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                split = Some(index);
                break;
            }
            _ => {}
        }
        index += 1;
    }
    let split = split?;
    let (condition, value) = (&inner[..split], &inner[split + 1..]);
    let holds = condition.contains("COMPILE_LANGUAGE:CXX")
        || condition == "1"
        || condition.starts_with("BUILD_INTERFACE") && !condition.contains("COMPILE_LANGUAGE:");
    Some(if holds {
        value.to_string()
    } else {
        String::new()
    })
}

/// Every value of a target property in CMake targets text (`PROPERTY "value"` inside `set_target_properties`).
fn target_property_values(text: &str, property: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix(property)?;
            let rest = rest.trim();
            let value = rest.strip_prefix('"')?;
            let end = value.rfind('"')?;
            Some(value[..end].to_string())
        })
        .collect()
}

/// `IMPORTED_LOCATION_RELEASE` of `target` in a `*-targets-release.cmake` file.
fn imported_location(text: &str, target: &str) -> Option<String> {
    let start = text.find(&format!("set_target_properties({target} PROPERTIES"))?;
    let block = &text[start..];
    let block = &block[..block.find(')').unwrap_or(block.len())];
    target_property_values(block, "IMPORTED_LOCATION_RELEASE")
        .into_iter()
        .next()
}

/// The C++ standard `make_catalogue_standalone` sets (`CXX_STANDARD 17`); 17 when the file says nothing.
fn build_modules_standard(build_modules: &str) -> String {
    let Some(start) = build_modules.find("function(\"make_catalogue_standalone\")") else {
        return "17".to_string();
    };
    let function = &build_modules[start..];
    function
        .split_whitespace()
        .skip_while(|word| *word != "CXX_STANDARD")
        .nth(1)
        .map(|word| word.trim_end_matches(')').to_string())
        .filter(|word| word.chars().all(|character| character.is_ascii_digit()) && !word.is_empty())
        .unwrap_or_else(|| "17".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmake_values_lists_and_generator_expressions() {
        let config = "set(ARB_MODCC_FLAGS --simd)\nset(ARB_WITH_GPU )\nset(ARB_CXX_FLAGS_TARGET -march=x86-64-v3;$<$<BUILD_INTERFACE:$<COMPILE_LANGUAGE:CXX>>:>;$<$<BUILD_INTERFACE:$<COMPILE_LANGUAGE:CXX>>:-fvisibility=hidden>;$<$<BUILD_INTERFACE:$<COMPILE_LANGUAGE:CUDA>>:-Xcompiler=-fvisibility=hidden>)\n";
        assert_eq!(cmake_set_value(config, "ARB_MODCC_FLAGS"), Some("--simd"));
        assert_eq!(cmake_set_value(config, "ARB_WITH_GPU"), Some(""));
        assert_eq!(cmake_set_value(config, "ARB_MISSING"), None);
        let flags: Vec<String> =
            cmake_list(cmake_set_value(config, "ARB_CXX_FLAGS_TARGET").unwrap())
                .iter()
                .filter_map(|item| evaluate_for_cxx(item))
                .filter(|item| !item.is_empty())
                .collect();
        assert_eq!(flags, ["-march=x86-64-v3", "-fvisibility=hidden"]);
    }

    #[test]
    fn target_properties_and_locations() {
        let targets = "set_target_properties(arbor::arbor-private-deps PROPERTIES\n  INTERFACE_LINK_LIBRARIES \"arbor::arbor-config-defs;arbor::ext-random123;dl;Threads::Threads\"\n)\n";
        assert_eq!(
            target_property_values(targets, "INTERFACE_LINK_LIBRARIES"),
            ["arbor::arbor-config-defs;arbor::ext-random123;dl;Threads::Threads"]
        );
        let release = "set_target_properties(arbor::arbor PROPERTIES\n  IMPORTED_LINK_INTERFACE_LANGUAGES_RELEASE \"CXX\"\n  IMPORTED_LOCATION_RELEASE \"${_IMPORT_PREFIX}/lib64/libarbor.a\"\n  )\n";
        assert_eq!(
            imported_location(release, "arbor::arbor").as_deref(),
            Some("${_IMPORT_PREFIX}/lib64/libarbor.a")
        );
        assert_eq!(imported_location(release, "arbor::units"), None);
    }

    #[test]
    fn the_standard_comes_from_build_modules() {
        let text = "function(\"make_catalogue_standalone\")\n  set_target_properties(x\n    PROPERTIES\n    SUFFIX \".so\"\n    CXX_STANDARD 17)\nendfunction()";
        assert_eq!(build_modules_standard(text), "17");
        assert_eq!(build_modules_standard(&text.replace("17", "20")), "20");
    }
}
