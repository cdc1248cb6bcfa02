//! A shared, read-only build store (`GLIA_SHARED_STORE`: a team's or a CI job's) under real `glia nrnivmodl` and
//! `glia build-catalogue` builds: two users with their own cache folders reuse its objects when the keys match
//! (no translation, no compile: only the link), and a damaged object in it — truncated, one byte changed, its
//! checksum file missing or garbled, replaced by another object — is detected, reported in `--verbose` and the
//! JSON report, rebuilt, and never linked: the link reads only objects copied into the user's own store, checked
//! on the way. The shared store is never written (its files are compared before and after).
//!
//! Where this machine lets the test mount a tmpfs, the shared store sits on one remounted read-only between
//! damages, so a write to it would fail for real.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::builds::{arbor_leak_channel, leak_channel, outcomes, text, Workspace};
use common::disks::SmallDisk;
use common::library::{digest, files_under, mechanisms_arbor_loads, mechanisms_neuron_loads};
use serde_json::Value;

const NAMES: [&str; 3] = ["shared_a", "shared_b", "shared_c"];

/// The team's store: on a tmpfs that can be made read-only where possible, else in a temporary folder.
struct TeamStore {
    folder: PathBuf,
    disk: Option<SmallDisk>,
    _holder: Option<tempfile::TempDir>,
}

impl TeamStore {
    fn new() -> TeamStore {
        match SmallDisk::mount(128 * 1024) {
            Ok(disk) => TeamStore {
                folder: disk.folder.join("team-store"),
                disk: Some(disk),
                _holder: None,
            },
            Err(reason) => {
                eprintln!("no tmpfs ({reason}): the shared store is only checked to be unchanged");
                let holder = tempfile::tempdir().unwrap();
                TeamStore {
                    folder: holder.path().join("team-store"),
                    disk: None,
                    _holder: Some(holder),
                }
            }
        }
    }

    fn set_read_only(&self, read_only: bool) {
        if let Some(disk) = &self.disk {
            disk.set_read_only(read_only);
        }
    }

    /// Every file with its digest, to check that nobody wrote to it.
    fn snapshot(&self) -> Vec<(PathBuf, [u8; 32])> {
        files_under(&self.folder)
            .into_iter()
            .map(|file| {
                let bytes = std::fs::read(&file).unwrap_or_default();
                (file, digest(&bytes))
            })
            .collect()
    }

    /// The object of mechanism `name`: the one that holds its registration function `_<name>_reg` (and is not
    /// the registration source's object, `modl_reg`, which calls them all).
    fn object_of(&self, name: &str) -> PathBuf {
        let contains = |bytes: &[u8], marker: &str| {
            bytes
                .windows(marker.len())
                .any(|window| window == marker.as_bytes())
        };
        files_under(&self.folder.join("neuron-objects"))
            .into_iter()
            .filter(|file| file.extension().is_some_and(|extension| extension == "o"))
            .find(|file| {
                let bytes = std::fs::read(file).unwrap();
                contains(&bytes, &format!("_{name}_reg")) && !contains(&bytes, "modl_reg")
            })
            .unwrap_or_else(|| panic!("no object of {name} in {}", self.folder.display()))
    }
}

fn sidecar(object: &Path) -> PathBuf {
    let mut name = object.file_name().unwrap().to_os_string();
    name.push(".sum");
    object.with_file_name(name)
}

/// `glia nrnivmodl` (or, with `catalogue`, `glia build-catalogue team`) of the workspace's mods into `output`,
/// with a JSON report.
fn build_command(workspace: &Workspace, catalogue: bool, output: &Path) -> Command {
    let mut command = if catalogue {
        workspace.glia(&["build-catalogue", "team"])
    } else {
        workspace.glia(&["nrnivmodl"])
    };
    command
        .arg(&workspace.mods)
        .arg("-o")
        .arg(output)
        .args(["--format", "json"]);
    command
}

/// The team (or a CI job) fills its store with an ordinary build.
fn team_build(workspace: &Workspace, team: &TeamStore, catalogue: bool) {
    let (status, report) = common::builds::json_run(
        build_command(
            workspace,
            catalogue,
            &workspace.root.path().join("team-out"),
        )
        .arg("--cache-dir")
        .arg(&team.folder),
    );
    assert_eq!(status, 0, "{report:#}");
}

/// A user: their own cache folder and output folder, building the same mod files with the team's store shared;
/// the report and what `--verbose` printed (the commands).
fn user_build(
    workspace: &Workspace,
    team: &TeamStore,
    user: &str,
    catalogue: bool,
) -> (Value, String) {
    let user_folder = workspace.root.path().join(user);
    let output = build_command(workspace, catalogue, &user_folder.join("out"))
        .arg("--verbose")
        .env("GLIA_CACHE_DIR", user_folder.join("cache"))
        .env("GLIA_SHARED_STORE", &team.folder)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{user}: no report ({error}):\n{}", text(&output)));
    assert_eq!(output.status.code(), Some(0), "{user}: {report:#}");
    let commands = String::from_utf8_lossy(&output.stderr).into_owned();
    (report, commands)
}

fn processes(report: &Value) -> (u64, u64, u64) {
    let counts = &report["processes"];
    (
        counts["translate"].as_u64().unwrap(),
        counts["compile"].as_u64().unwrap(),
        counts["link"].as_u64().unwrap(),
    )
}

/// The shared-store entries a build refused: (path, problem).
fn refused(report: &Value) -> Vec<(String, String)> {
    report["rejected_store_entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            assert_eq!(entry["shared"], true, "{entry:#}");
            (
                entry["entry"].as_str().unwrap().to_string(),
                entry["problem"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn two_users_reuse_a_read_only_shared_store_and_a_damaged_object_is_rebuilt_never_linked() {
    let workspace = Workspace::new();
    for name in NAMES {
        workspace.write(&format!("{name}.mod"), &leak_channel(name, "0.001"));
    }
    let team = TeamStore::new();
    team_build(&workspace, &team, false);
    team.set_read_only(true);
    let untouched = team.snapshot();

    // Two users, each with an empty cache folder: only the link runs.
    for user in ["alice", "bob"] {
        let (report, commands) = user_build(&workspace, &team, user, false);
        assert_eq!(processes(&report), (0, 0, 1), "{user}: {report:#}");
        assert_eq!(outcomes(&report, "reused").len(), NAMES.len());
        assert!(refused(&report).is_empty(), "{report:#}");
        assert!(
            !commands.contains(&team.folder.display().to_string()),
            "{user}: the link reads the user's own copies:\n{commands}"
        );
        assert!(
            commands.contains("-Wl,-soname"),
            "--verbose shows the link:\n{commands}"
        );
        let library = workspace
            .root
            .path()
            .join(user)
            .join("out/x86_64/libnrnmech.so");
        assert_eq!(mechanisms_neuron_loads(&library), NAMES);
    }
    assert_eq!(team.snapshot(), untouched, "the shared store was only read");

    // Damages, each met by a user with an empty cache folder.
    type Damage = fn(&Path, &Path);
    let damages: [(&str, Damage, &str); 5] = [
        (
            "truncated",
            |object, _| {
                let bytes = std::fs::read(object).unwrap();
                std::fs::write(object, &bytes[..bytes.len() / 2]).unwrap();
            },
            "bytes long where",
        ),
        (
            "one byte changed",
            |object, _| {
                let mut bytes = std::fs::read(object).unwrap();
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0x20;
                std::fs::write(object, bytes).unwrap();
            },
            "sha256 differs",
        ),
        (
            "checksum file missing",
            |object, _| {
                std::fs::remove_file(sidecar(object)).unwrap();
            },
            "no checksum file",
        ),
        (
            "checksum file garbled",
            |object, _| {
                std::fs::write(sidecar(object), "sha256 0000\n").unwrap();
            },
            "not one glia wrote",
        ),
        (
            "replaced by another object",
            |object, other| {
                std::fs::copy(other, object).unwrap();
            },
            "stored",
        ),
    ];
    for (index, (damage_name, damage, problem)) in damages.iter().enumerate() {
        let victim = NAMES[index % NAMES.len()];
        team.set_read_only(false);
        let object = team.object_of(victim);
        let other = team.object_of(NAMES[(index + 1) % NAMES.len()]);
        let original = (
            std::fs::read(&object).unwrap(),
            std::fs::read(sidecar(&object)).ok(),
        );
        damage(&object, &other);
        team.set_read_only(true);

        let user = format!("user-{index}");
        let (report, commands) = user_build(&workspace, &team, &user, false);
        assert_eq!(
            outcomes(&report, "built"),
            [format!("{victim}.mod")],
            "{damage_name}: the damaged object is rebuilt, the others reused: {report:#}"
        );
        assert_eq!(processes(&report), (1, 1, 1), "{damage_name}: {report:#}");
        let refused = refused(&report);
        assert_eq!(refused.len(), 1, "{damage_name}: {report:#}");
        assert_eq!(refused[0].0, object.display().to_string(), "{damage_name}");
        assert!(refused[0].1.contains(problem), "{damage_name}: {refused:?}");
        assert!(
            commands.contains("ignored the shared store entry"),
            "{damage_name}: --verbose notes it:\n{commands}"
        );
        let team_path = team.folder.display().to_string();
        assert!(
            commands
                .lines()
                .all(|line| line.starts_with("note: ") || !line.contains(&team_path)),
            "{damage_name}: nothing from the shared store reaches a command line:\n{commands}"
        );
        let library = workspace
            .root
            .path()
            .join(&user)
            .join("out/x86_64/libnrnmech.so");
        assert_eq!(mechanisms_neuron_loads(&library), NAMES, "{damage_name}");

        team.set_read_only(false);
        std::fs::write(&object, &original.0).unwrap();
        if let Some(sum) = &original.1 {
            std::fs::write(sidecar(&object), sum).unwrap();
        }
        team.set_read_only(true);
    }
    assert_eq!(
        team.snapshot(),
        untouched,
        "repaired, the shared store is as it was"
    );
}

#[test]
fn a_damaged_object_in_the_users_own_store_is_refused_and_built_again() {
    let workspace = Workspace::new();
    for name in NAMES {
        workspace.write(&format!("{name}.mod"), &leak_channel(name, "0.002"));
    }
    let (status, _) = workspace.build(&[]);
    assert_eq!(status, 0);
    let team = TeamStore {
        folder: workspace.store.clone(),
        disk: None,
        _holder: None,
    };
    let object = team.object_of("shared_b");
    let bytes = std::fs::read(&object).unwrap();
    std::fs::write(&object, &bytes[..bytes.len() - 1]).unwrap();
    // Another output folder, so the library is linked again from the store.
    let output = workspace.root.path().join("elsewhere");
    let run = workspace
        .glia(&["nrnivmodl", "--format", "json", "--cache-dir"])
        .arg(&workspace.store)
        .arg("-o")
        .arg(&output)
        .arg(&workspace.mods)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(run.status.code(), Some(0), "{report:#}");
    assert_eq!(outcomes(&report, "built"), ["shared_b.mod"], "{report:#}");
    let entry = &report["rejected_store_entries"][0];
    assert_eq!(entry["shared"], false, "{report:#}");
    assert_eq!(entry["entry"], object.display().to_string());
    assert_eq!(
        mechanisms_neuron_loads(&output.join("x86_64/libnrnmech.so")),
        NAMES
    );
    assert_eq!(
        std::fs::read(&object).unwrap(),
        bytes,
        "the entry was replaced by a whole one"
    );
}

#[test]
fn a_catalogue_reuses_a_shared_store_and_refuses_a_damaged_header() {
    let workspace = Workspace::new();
    for name in NAMES {
        workspace.write(&format!("{name}.mod"), &arbor_leak_channel(name, "0.001"));
    }
    let team = TeamStore::new();
    team_build(&workspace, &team, true);
    team.set_read_only(true);
    let (report, _) = user_build(&workspace, &team, "alice", true);
    assert_eq!(processes(&report), (0, 0, 1), "{report:#}");

    // A header the catalogue source includes, cut short: that mechanism is translated and compiled again (its
    // object cannot be used without it), and the catalogue source is compiled with the whole header.
    team.set_read_only(false);
    let header = files_under(&team.folder.join("arbor-headers"))
        .into_iter()
        .find(|file| {
            file.extension().is_some_and(|extension| extension == "hpp")
                && std::fs::read_to_string(file).unwrap().contains("shared_c")
        })
        .unwrap();
    let text = std::fs::read(&header).unwrap();
    std::fs::write(&header, &text[..text.len() / 3]).unwrap();
    team.set_read_only(true);
    let (report, _) = user_build(&workspace, &team, "bob", true);
    assert_eq!(outcomes(&report, "built"), ["shared_c.mod"], "{report:#}");
    assert_eq!(refused(&report).len(), 1, "{report:#}");
    let catalogue = workspace.root.path().join("bob/out/team-catalogue.so");
    assert_eq!(mechanisms_arbor_loads(&catalogue), NAMES);
}
