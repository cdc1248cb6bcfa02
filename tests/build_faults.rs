//! Full disks and read-only folders under real `glia nrnivmodl` builds (NEURON 9.0.2, g++): each gives a clear
//! error naming the folder and the operating system's cause, exits with status 2, leaves the previous library in
//! place and no temporary file behind, and the build succeeds once there is room again, reusing what was stored.
//!
//! Where this machine lets the test mount a small tmpfs (root, or CAP_SYS_ADMIN), the disks are real: a store and
//! an output folder on a full tmpfs, and a store on a tmpfs remounted read-only. Where it does not, the same
//! scenarios run through the store's write seam (`FailingWrites`, ENOSPC or EROFS), through the library API;
//! the seam test at every write runs in any case.

mod common;

use std::path::{Path, PathBuf};

use common::builds::{leak_channel, text, Workspace};
use common::disks::{is_root, SmallDisk};
use common::library::{
    check_complete_elf, mechanisms_neuron_loads, store_entries, store_temporary_files,
    temporary_products,
};
use glia::build::exec::Executor;
use glia::build::neuron::{build_neuron_library, NeuronBuildRequest};
use glia::build::outcome::{BuildError, BuildReport, ModInput};
use glia::build::progress::{Progress, ProgressMode};
use glia::build::store::{FailingWrites, Store, StoreWrites};
use glia::build::toolchain::{DiscoveryEnvironment, NeuronDiscoveryOptions, NeuronToolchain};

const NAMES: [&str; 2] = ["fault_a", "fault_b"];
const ENOSPC: i32 = 28;
const EROFS: i32 = 30;

fn write_version(workspace: &Workspace, version: usize) {
    for name in NAMES {
        workspace.write(
            &format!("{name}.mod"),
            &leak_channel(name, &format!("0.{:03}", version + 1)),
        );
    }
}

/// What must hold after a build that failed on its surroundings: the library is the one from before, no
/// temporary product sits in the output folder, no work folder or half-written entry in the store, and every
/// stored object matches its checksum.
fn assert_nothing_lost(workspace: &Workspace, store: &Path, previous_library: &[u8]) {
    assert_eq!(
        std::fs::read(workspace.library()).unwrap(),
        previous_library,
        "the previous library is in place"
    );
    assert_eq!(
        temporary_products(&workspace.output.join("x86_64")),
        Vec::<String>::new()
    );
    assert_eq!(store_temporary_files(store), Vec::<PathBuf>::new());
    let (_, broken) = store_entries(store, "neuron-objects");
    assert!(broken.is_empty(), "{broken:?}");
}

/// Builds version 1 of the mechanisms; the library.
fn first_build(workspace: &Workspace) -> Vec<u8> {
    write_version(workspace, 1);
    let (status, report) = workspace.build(&[]);
    assert_eq!(status, 0, "{report:#}");
    std::fs::read(workspace.library()).unwrap()
}

/// A `glia nrnivmodl` run: its status and everything it printed.
fn build_and_read(workspace: &Workspace) -> (Option<i32>, String) {
    let output = workspace.command(&[]).output().unwrap();
    (output.status.code(), text(&output))
}

#[test]
fn a_full_disk_under_the_store_is_a_clear_error_and_nothing_is_lost() {
    let mut workspace = Workspace::new();
    let disk = match SmallDisk::mount(64 * 1024) {
        Ok(disk) => disk,
        Err(reason) => {
            eprintln!(
                "no tmpfs ({reason}): the full disk is acted out through the store's write seam"
            );
            return full_disk_through_the_seam(&workspace);
        }
    };
    workspace.store = disk.folder.join("store");
    let store = workspace.store.clone();
    let previous = first_build(&workspace);
    write_version(&workspace, 2);
    // Completely full, then with less room than a translation leaves: nocmodl exits 0 with an empty or cut file
    // on a full disk, and the build must notice rather than compile it.
    for room_kibibytes in [0, 200] {
        disk.fill_leaving(room_kibibytes);
        let (status, output) = build_and_read(&workspace);
        assert_eq!(status, Some(2), "{room_kibibytes} KiB free: {output}");
        assert!(output.contains("No space left on device"), "{output}");
        assert!(
            output.contains(&store.display().to_string()),
            "the error names the store: {output}"
        );
        assert_nothing_lost(&workspace, &store, &previous);
        disk.free();
    }
    let (status, report) = workspace.build(&[]);
    assert_eq!(status, 0, "with room again the build succeeds: {report:#}");
    check_complete_elf(&std::fs::read(workspace.library()).unwrap()).unwrap();
    assert_eq!(mechanisms_neuron_loads(&workspace.library()), NAMES);
}

#[test]
fn a_full_disk_under_the_output_folder_is_a_clear_error_and_nothing_is_lost() {
    let disk = match SmallDisk::mount(64 * 1024) {
        Ok(disk) => disk,
        Err(reason) => {
            // The output folder is written by the linker, not through the store's seam.
            eprintln!("no tmpfs ({reason}): a full output folder cannot be acted out here");
            return;
        }
    };
    let mut workspace = Workspace::new();
    workspace.output = disk.folder.join("out");
    let store = workspace.store.clone();
    let previous = first_build(&workspace);
    write_version(&workspace, 2);
    disk.fill_leaving(16);
    let (status, output) = build_and_read(&workspace);
    assert_eq!(status, Some(2), "{output}");
    assert!(output.contains("No space left on device"), "{output}");
    assert!(
        output.contains(&workspace.output.join("x86_64").display().to_string()),
        "the error names the output folder: {output}"
    );
    assert_nothing_lost(&workspace, &store, &previous);
    disk.free();
    let (status, report) = workspace.build(&[]);
    assert_eq!(status, 0, "{report:#}");
    assert_eq!(
        (
            report["processes"]["compile"].as_u64(),
            report["processes"]["link"].as_u64()
        ),
        (Some(0), Some(1)),
        "the objects compiled before the link failed are reused: {report:#}"
    );
}

#[test]
fn a_read_only_store_is_a_clear_error_and_nothing_is_lost() {
    let mut workspace = Workspace::new();
    if let Ok(disk) = SmallDisk::mount(64 * 1024) {
        workspace.store = disk.folder.join("store");
        let store = workspace.store.clone();
        let previous = first_build(&workspace);
        disk.set_read_only(true);
        // Up to date: nothing to write, so a read-only store is no obstacle.
        let (status, output) = build_and_read(&workspace);
        assert_eq!(status, Some(0), "{output}");
        write_version(&workspace, 2);
        let (status, output) = build_and_read(&workspace);
        assert_eq!(status, Some(2), "{output}");
        assert!(output.contains("Read-only file system"), "{output}");
        assert!(output.contains(&store.display().to_string()), "{output}");
        assert!(
            output.contains("GLIA_SHARED_STORE"),
            "the error says what to do: {output}"
        );
        assert_nothing_lost(&workspace, &store, &previous);
        disk.set_read_only(false);
        let (status, output) = build_and_read(&workspace);
        assert_eq!(status, Some(0), "{output}");
    } else if !is_root() {
        // Without root, permissions are real: a store folder without write permission.
        let store = workspace.store.clone();
        let previous = first_build(&workspace);
        let set_mode = |mode: u32| {
            for folder in std::iter::once(store.clone()).chain(folders_under(&store)) {
                let mut permissions = std::fs::metadata(&folder).unwrap().permissions();
                std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, mode);
                std::fs::set_permissions(&folder, permissions).unwrap();
            }
        };
        set_mode(0o555);
        write_version(&workspace, 2);
        let (status, output) = build_and_read(&workspace);
        set_mode(0o755);
        assert_eq!(status, Some(2), "{output}");
        assert!(output.contains("Permission denied"), "{output}");
        assert_nothing_lost(&workspace, &store, &previous);
    } else {
        eprintln!(
            "root without tmpfs: the read-only store is acted out through the store's write seam"
        );
        let previous = first_build(&workspace);
        write_version(&workspace, 2);
        let error = build_through_seam(&workspace, Box::new(FailingWrites::new(1, EROFS)))
            .expect_err("nothing can be written");
        let message = error.to_string();
        assert!(message.contains("Read-only file system"), "{message}");
        assert!(message.contains("GLIA_SHARED_STORE"), "{message}");
        assert_nothing_lost(&workspace, &workspace.store, &previous);
    }
}

/// The full store disk where no tmpfs can be mounted: ENOSPC from the first write after the first translation.
fn full_disk_through_the_seam(workspace: &Workspace) {
    let previous = first_build(workspace);
    write_version(workspace, 2);
    // The session folder (3 writes), the work folder (1), then the room probe after the first translation.
    let error = build_through_seam(workspace, Box::new(FailingWrites::new(5, ENOSPC)))
        .expect_err("the disk is full");
    assert!(
        error.to_string().contains("No space left on device"),
        "{error}"
    );
    assert_nothing_lost(workspace, &workspace.store, &previous);
}

/// A fault at every write of the store, one build after another (each build failing at its next write, so the
/// fault moves through the sequence of writes), until a build gets through: each failing build is a clear error,
/// leaves the previous library and no temporary file, and what the failed builds stored is reused.
#[test]
fn a_failing_store_write_at_every_point_of_a_build_loses_nothing() {
    let workspace = Workspace::new();
    let previous = first_build(&workspace);
    write_version(&workspace, 2);
    let mut faults = 0;
    let report = loop {
        assert!(
            faults < 60,
            "a build with every write allowed after the {faults}th must succeed"
        );
        match build_through_seam(&workspace, Box::new(FailingWrites::new(faults + 1, ENOSPC))) {
            Ok(report) => break report,
            Err(error) => {
                faults += 1;
                let message = error.to_string();
                assert!(
                    matches!(error, BuildError::Store { .. }),
                    "fault {faults}: {message}"
                );
                assert!(
                    message.contains("No space left on device"),
                    "fault {faults}: {message}"
                );
                assert!(
                    message.contains(&workspace.store.display().to_string()),
                    "{message}"
                );
                assert_nothing_lost(&workspace, &workspace.store, &previous);
            }
        }
    };
    assert!(report.linked, "the last build links");
    assert!(
        faults >= 10,
        "a build of two mechanisms writes at least ten times ({faults})"
    );
    eprintln!("{faults} store write faults injected (ENOSPC), one per build; nothing lost");
    check_complete_elf(&std::fs::read(workspace.library()).unwrap()).unwrap();
}

/// A build of the workspace through the library API, with the store writing through `writes` (the toolchain
/// found and the compiler identified first, through the real file system).
fn build_through_seam(
    workspace: &Workspace,
    writes: Box<dyn StoreWrites>,
) -> Result<BuildReport, BuildError> {
    let executor = Executor::new(2, None, false).unwrap();
    let environment = DiscoveryEnvironment {
        nrnhome: None,
        virtual_env: Some(common::oracle_venv()),
        path: std::env::var_os("PATH"),
        cxx: None,
    };
    let options = NeuronDiscoveryOptions {
        neuron_home: None,
        include_flags: String::new(),
        load_flags: String::new(),
    };
    let toolchain = NeuronToolchain::discover(
        &options,
        &environment,
        &Store::open(&workspace.store).unwrap(),
        &executor,
    )
    .unwrap();
    let store = Store::open_with(&workspace.store, None, writes).unwrap();
    let inputs = NAMES
        .iter()
        .map(|name| {
            let path = workspace.mods.join(format!("{name}.mod"));
            let display = path.display().to_string();
            ModInput::file(path, display)
        })
        .collect();
    let request = NeuronBuildRequest {
        inputs,
        output_folder: workspace.output.clone(),
        link_special: false,
        keep_going: false,
        other_failures: false,
        use_precompiled_header: true,
    };
    let result = build_neuron_library(
        &request,
        &toolchain,
        &store,
        &executor,
        &Progress::new(ProgressMode::Quiet),
    );
    drop(store);
    result
}

fn folders_under(folder: &Path) -> Vec<PathBuf> {
    common::library::files_under(folder)
        .into_iter()
        .filter_map(|file| file.parent().map(Path::to_path_buf))
        .chain(
            std::fs::read_dir(folder)
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| path.is_dir()),
        )
        .collect()
}
