//! `glia nrnivmodl` against the real NEURON 9.0.2 and g++: what each kind of edit rebuilds (counted by the
//! executor and reported in `--format json`), and how failures are reported and survived.
//!
//! Every test uses its own build store (`--cache-dir`) and output folder, and finds NEURON through the oracle venv
//! (`VIRTUAL_ENV`), as a user with an activated environment would.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::builds::{leak_channel, outcomes, text, Workspace};
use serde_json::Value;

/// A point process whose PARAMETER block is INCLUDEd.
const SYNAPSE: &str = "NEURON {\n    POINT_PROCESS test_synapse\n    RANGE tau, e, i\n    NONSPECIFIC_CURRENT i\n}\n\nINCLUDE \"synapse_parameters.inc\"\n\nASSIGNED {\n    v (millivolt)\n    i (nanoamp)\n}\n\nSTATE { g (microsiemens) }\n\nINITIAL { g = 0 }\n\nBREAKPOINT {\n    SOLVE state METHOD cnexp\n    i = g*(v - e)\n}\n\nDERIVATIVE state { g' = -g/tau }\n\nNET_RECEIVE(weight (microsiemens)) { g = g + weight }\n";

const SYNAPSE_PARAMETERS: &str =
    "PARAMETER {\n    tau = 0.1 (ms) <1e-9,1e9>\n    e = 0 (millivolt)\n}\n";

/// (translations, compiles, precompiled headers, links) a build started.
fn processes(report: &Value) -> (u64, u64, u64, u64) {
    let counts = &report["processes"];
    let field = |name: &str| counts[name].as_u64().unwrap();
    (
        field("translate"),
        field("compile"),
        field("precompile"),
        field("link"),
    )
}

#[test]
fn each_kind_of_edit_rebuilds_exactly_what_it_should() {
    let workspace = Workspace::new();
    workspace.write("leak_a.mod", &leak_channel("leak_a", "0.001"));
    workspace.write("leak_b.mod", &leak_channel("leak_b", "0.002"));
    workspace.write("leak_d.mod", &leak_channel("leak_d", "0.004"));
    workspace.write("synapse.mod", SYNAPSE);
    workspace.write("synapse_parameters.inc", SYNAPSE_PARAMETERS);

    // Cold: four translations; four compiles plus mod_func.cpp; one link; and one precompiled header, used by
    // all but the longest file (which compiles while the header is built).
    let (status, report) = workspace.build(&[]);
    assert_eq!(status, 0, "{report:#}");
    assert_eq!(processes(&report), (4, 5, 1, 1), "{report:#}");
    assert_eq!(report["precompiled_header_users"], 3);
    let library = std::fs::read(workspace.library()).unwrap();
    assert!(library.starts_with(b"\x7fELF"));

    // Nothing changed, then only the modification time: no process at all.
    let (status, report) = workspace.build(&[]);
    assert_eq!((status, report["up_to_date"].as_bool()), (0, Some(true)));
    assert_eq!(processes(&report), (0, 0, 0, 0));
    let file = std::fs::File::options()
        .write(true)
        .open(workspace.mods.join("leak_a.mod"))
        .unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    drop(file);
    let (_, report) = workspace.build(&[]);
    assert_eq!(processes(&report), (0, 0, 0, 0), "touch: {report:#}");

    // A comment and a whitespace edit: nothing the compiler acts on changed.
    workspace.write(
        "leak_a.mod",
        &format!(": a new comment\n{}", leak_channel("leak_a", "0.001")),
    );
    let (_, report) = workspace.build(&[]);
    assert_eq!(processes(&report), (0, 0, 0, 0), "comment: {report:#}");
    workspace.write(
        "leak_b.mod",
        &leak_channel("leak_b", "0.002").replace("    ", "\t"),
    );
    let (_, report) = workspace.build(&[]);
    assert_eq!(processes(&report), (0, 0, 0, 0), "whitespace: {report:#}");
    assert_eq!(std::fs::read(workspace.library()).unwrap(), library);

    // A real change: that one mechanism, then the link (mod_func.cpp is unchanged, so it is reused).
    workspace.write("leak_a.mod", &leak_channel("leak_a", "0.005"));
    let (status, report) = workspace.build(&[]);
    assert_eq!(status, 0);
    assert_eq!(processes(&report), (1, 1, 0, 1), "real change: {report:#}");
    assert_eq!(outcomes(&report, "built"), ["leak_a.mod"]);

    // A removed file: no mechanism compiles; a new registration source, and the link.
    std::fs::remove_file(workspace.mods.join("leak_b.mod")).unwrap();
    let (_, report) = workspace.build(&[]);
    assert_eq!(processes(&report), (0, 1, 0, 1), "removed: {report:#}");
    assert_eq!(report["mechanisms"].as_array().unwrap().len(), 3);

    // An added file: it alone is translated and compiled, plus the registration source and the link.
    workspace.write("leak_c.mod", &leak_channel("leak_c", "0.003"));
    let (_, report) = workspace.build(&[]);
    assert_eq!(processes(&report), (1, 2, 0, 1), "added: {report:#}");
    assert_eq!(outcomes(&report, "built"), ["leak_c.mod"]);

    // A changed INCLUDEd file: the mechanism that includes it.
    workspace.write(
        "synapse_parameters.inc",
        &SYNAPSE_PARAMETERS.replace("tau = 0.1", "tau = 0.2"),
    );
    let (_, report) = workspace.build(&[]);
    assert_eq!(processes(&report), (1, 1, 0, 1), "include: {report:#}");
    assert_eq!(outcomes(&report, "built"), ["synapse.mod"]);

    // Back to a set built before: every object is in the store; only the registration and the link.
    workspace.write("leak_b.mod", &leak_channel("leak_b", "0.002"));
    let (_, report) = workspace.build(&[]);
    assert_eq!(processes(&report), (0, 1, 0, 1), "restored: {report:#}");
}

#[test]
fn a_syntax_error_in_one_mod_among_twenty_fails_only_that_one() {
    let workspace = Workspace::new();
    for index in 0..19 {
        workspace.write(
            &format!("channel_{index:02}.mod"),
            &leak_channel(&format!("channel_{index:02}"), "0.001"),
        );
    }
    let broken = leak_channel("broken", "0.001").replace("i = g*(v - e)", "i = g*(v - e");
    workspace.write("broken.mod", &broken);

    let (status, report) = workspace.build(&[]);
    assert_eq!(status, 1, "{report:#}");
    assert_eq!(outcomes(&report, "failed"), ["broken.mod"]);
    assert_eq!(outcomes(&report, "built").len(), 19);
    assert_eq!(
        report["linked"], false,
        "without --keep-going no library is made"
    );
    assert!(!workspace.library().exists());
    let diagnostic = &report["mechanisms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|mechanism| mechanism["outcome"] == "failed")
        .unwrap()["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E102", "{diagnostic:#}");
    let broken_line = broken
        .lines()
        .position(|line| line.contains("i = g*(v - e"))
        .unwrap()
        + 1;
    // nocmodl notices the missing `)` at the `}` on the next line.
    assert!(
        [broken_line, broken_line + 1].contains(&(diagnostic["line"].as_u64().unwrap() as usize)),
        "{diagnostic:#}"
    );

    // The 19 were stored: with --keep-going they are linked without compiling again.
    let (status, report) = workspace.build(&["--keep-going"]);
    assert_eq!(status, 1, "a failure is still a failure");
    assert_eq!(processes(&report), (1, 1, 0, 1), "{report:#}");
    assert_eq!(outcomes(&report, "reused").len(), 19);
    assert!(workspace.library().is_file());

    // Human output names the file, the line and nocmodl's words.
    let output = workspace.command(&[]).output().unwrap();
    let human = text(&output);
    assert!(human.contains("broken.mod"), "{human}");
    assert!(human.contains("nocmodl"), "{human}");
    assert!(human.contains("failed: "), "{human}");
}

#[test]
fn a_cpp_error_inside_verbatim_is_shown_on_the_mod_line() {
    let workspace = Workspace::new();
    let source = "NEURON {\n    SUFFIX verbatim_error\n}\n\nINITIAL {\nVERBATIM\n    int fine = 1;\n    call_a_function_that_does_not_exist(fine);\nENDVERBATIM\n}\n";
    workspace.write("verbatim_error.mod", source);
    let (status, report) = workspace.build(&[]);
    assert_eq!(status, 1, "{report:#}");
    let diagnostic = &report["mechanisms"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E103", "{diagnostic:#}");
    assert_eq!(diagnostic["line"], 8, "{diagnostic:#}");
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("call_a_function_that_does_not_exist"),
        "{diagnostic:#}"
    );
    let human = text(&workspace.command(&["--verbose"]).output().unwrap());
    assert!(human.contains("verbatim_error.mod:8:"), "{human}");
    assert!(
        human.contains("tool output for"),
        "--verbose shows the raw output: {human}"
    );
}

/// g++ can only point into nocmodl's C++ for an undeclared name; lint's N111 finds it in the mod file.
#[test]
fn an_undeclared_name_in_generated_code_is_shown_where_lint_finds_it() {
    let workspace = Workspace::new();
    let source = "NEURON {\n    SUFFIX undeclared\n    NONSPECIFIC_CURRENT i\n}\nASSIGNED { i (mA/cm2) v (mV) }\nBREAKPOINT {\n    i = 0.001*(v - erev)\n}\n";
    workspace.write("undeclared.mod", source);
    let (status, report) = workspace.build(&[]);
    assert_eq!(status, 1, "{report:#}");
    let diagnostic = &report["mechanisms"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E103", "{diagnostic:#}");
    assert!(
        diagnostic["message"].as_str().unwrap().contains("erev"),
        "{diagnostic:#}"
    );
    assert_eq!(
        (&diagnostic["line"], &diagnostic["column"]),
        (&Value::from(7), &Value::from(20)),
        "{diagnostic:#}"
    );
}

#[test]
fn a_missing_neuron_is_named_with_every_place_looked_at() {
    let workspace = Workspace::new();
    workspace.write("leak.mod", &leak_channel("leak", "0.001"));
    let output = workspace
        .command(&[])
        .env_remove("VIRTUAL_ENV")
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output);
    assert!(message.contains("NEURON not found"), "{message}");
    assert!(message.contains("NRNHOME: not set"), "{message}");
    assert!(
        message.contains("no virtual environment is active"),
        "{message}"
    );
    assert!(message.contains("nrnivmodl: not on PATH"), "{message}");
    assert!(!workspace.output.join("x86_64").exists());
}

#[test]
fn an_unwritable_output_folder_is_reported_before_any_work() {
    let workspace = Workspace::new();
    workspace.write("leak.mod", &leak_channel("leak", "0.001"));
    let read_only = workspace.output.join("read-only");
    std::fs::create_dir_all(&read_only).unwrap();
    let mut permissions = std::fs::metadata(&read_only).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o555);
    std::fs::set_permissions(&read_only, permissions).unwrap();
    // Root may write to a 0555 folder; /sys refuses even root.
    let unwritable = [read_only.clone(), PathBuf::from("/sys/glia-test-output")]
        .into_iter()
        .find(|folder| std::fs::create_dir_all(folder.join("probe")).is_err())
        .expect("no unwritable folder to test with on this machine");
    let output = Command::new(env!("CARGO_BIN_EXE_glia"))
        .args(["nrnivmodl", "--format", "json", "--cache-dir"])
        .arg(&workspace.store)
        .arg("-o")
        .arg(&unwritable)
        .arg(&workspace.mods)
        .env("VIRTUAL_ENV", common::oracle_venv())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("cannot use the output folder"),
        "{message}"
    );
    assert!(
        message.contains(&unwritable.display().to_string()),
        "{message}"
    );
}

#[test]
fn concurrent_builds_do_the_work_once() {
    let workspace = Workspace::new();
    for name in ["one", "two", "three"] {
        workspace.write(&format!("{name}.mod"), &leak_channel(name, "0.001"));
    }
    let builds: Vec<_> = (0..3)
        .map(|_| {
            workspace
                .command(&["--format", "json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let reports: Vec<Value> = builds
        .into_iter()
        .map(|build| {
            let output = build.wait_with_output().unwrap();
            assert_eq!(output.status.code(), Some(0), "{}", text(&output));
            serde_json::from_slice(&output.stdout).unwrap()
        })
        .collect();
    let compiles: u64 = reports.iter().map(|report| processes(report).1).sum();
    let links: u64 = reports.iter().map(|report| processes(report).3).sum();
    assert_eq!((compiles, links), (4, 1), "{reports:#?}");
    assert_eq!(
        reports
            .iter()
            .filter(|report| report["up_to_date"] == true)
            .count(),
        2
    );
}

#[test]
fn a_build_killed_half_way_leaves_the_old_library_and_the_next_build_recovers() {
    let workspace = Workspace::new();
    for index in 0..6 {
        workspace.write(
            &format!("kill_{index}.mod"),
            &leak_channel(&format!("kill_{index}"), "0.001"),
        );
    }
    let (status, _) = workspace.build(&[]);
    assert_eq!(status, 0);
    let old_library = std::fs::read(workspace.library()).unwrap();
    for index in 0..6 {
        workspace.write(
            &format!("kill_{index}.mod"),
            &leak_channel(&format!("kill_{index}"), "0.002"),
        );
    }
    let mut build = workspace
        .command(&["--jobs", "1"])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the first compile to finish, then kill the build in the middle of the others.
    let mut stderr = std::io::BufReader::new(build.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        let read = std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
        assert!(read > 0, "the build ended before compiling anything");
        if line.contains("compiled ") {
            break;
        }
    }
    build.kill().unwrap();
    build.wait().unwrap();
    assert_eq!(
        std::fs::read(workspace.library()).unwrap(),
        old_library,
        "the old library is untouched"
    );

    let (status, report) = workspace.build(&[]);
    assert_eq!(status, 0, "{report:#}");
    let (translations, compiles, _, links) = processes(&report);
    assert!(
        (1..=5).contains(&translations) && compiles <= 6 && links == 1,
        "what the killed build stored is reused: {report:#}"
    );
    assert!(!outcomes(&report, "reused").is_empty());
    assert_ne!(std::fs::read(workspace.library()).unwrap(), old_library);
    let leftovers: Vec<_> = std::fs::read_dir(workspace.output.join("x86_64"))
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn nrnivmodl_spellings_and_file_name_checks() {
    let workspace = Workspace::new();
    workspace.write("bad-name.mod", &leak_channel("bad_name", "0.001"));
    let output = workspace
        .command(&["-incflags", "-DGLIA_TEST=1", "-loadflags", "-lm"])
        .output()
        .unwrap();
    let message = text(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("must be a C identifier"), "{message}");
}

#[test]
fn neuron_is_found_through_nrnhome_and_path_and_the_compiler_through_cxx() {
    let workspace = Workspace::new();
    workspace.write("found.mod", &leak_channel("found", "0.001"));
    let (status, _) = workspace.build(&["--special"]);
    assert_eq!(status, 0);
    let special = workspace.output.join("x86_64/special");
    assert!(std::fs::read(&special).unwrap().starts_with(b"\x7fELF"));

    // The same NEURON found another way is the same toolchain: the build stays up to date.
    let data = common::oracle_site_packages().join("neuron/.data");
    let path = format!(
        "{}:/usr/bin:/bin",
        common::oracle_venv().join("bin").display()
    );
    for (variable, value) in [("NRNHOME", data.display().to_string()), ("PATH", path)] {
        let output = workspace
            .command(&["--special", "--format", "json"])
            .env_remove("VIRTUAL_ENV")
            .env(variable, &value)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{variable}: {}",
            text(&output)
        );
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["up_to_date"], true, "{variable}: {report:#}");
    }

    let output = workspace
        .command(&[])
        .env("CXX", "/nonexistent/c++")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("CXX names `/nonexistent/c++`"),
        "{}",
        text(&output)
    );
}

#[test]
fn a_launcher_runs_every_compile() {
    let workspace = Workspace::new();
    workspace.write("launched_a.mod", &leak_channel("launched_a", "0.001"));
    workspace.write("launched_b.mod", &leak_channel("launched_b", "0.001"));
    // A stand-in for ccache: records its arguments, then runs the compiler it was given.
    let log = workspace.output.with_file_name("launcher.log");
    let launcher = workspace.output.with_file_name("launcher.sh");
    std::fs::write(
        &launcher,
        format!(
            "#!/bin/sh\necho \"$1\" >> '{}'\nexec \"$@\"\n",
            log.display()
        ),
    )
    .unwrap();
    let mut permissions = std::fs::metadata(&launcher).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&launcher, permissions).unwrap();

    let (status, report) = workspace.build(&["--launcher", &launcher.display().to_string()]);
    assert_eq!(status, 0, "{report:#}");
    let (_, compiles, precompiles, _) = processes(&report);
    assert_eq!(precompiles, 0, "no precompiled header behind a launcher");
    let launched = std::fs::read_to_string(&log).unwrap();
    assert_eq!(launched.lines().count() as u64, compiles, "{launched}");
}
