#!/usr/bin/env python3
"""Fetch the official OASIS SARIF 2.1.0 JSON schema, which tests/lint_sarif.rs validates `glia lint --format sarif`
against.

The schema is not vendored: it is the file `src/schema.json` of the crate serde-sarif 0.8.0 (a copy of OASIS's
`sarif-schema-2.1.0.json`), taken from the crate archive on crates.io's static host and extracted to

    corpus/real/sarif/sarif-schema-2.1.0.json

(the folder is gitignored, like the rest of `corpus/real/`).

How it works:
  1. the pinned crate archive is downloaded (Python's urllib; crates.io is a package registry the project uses);
  2. its sha256 must equal the pinned one, otherwise the script stops with an error (a changed upload is never used
     silently);
  3. the one member is extracted, checked to be the SARIF 2.1.0 schema, and written through a temporary sibling file
     renamed into place, with a stamp file recording the archive hash, so a re-run does nothing (idempotent) and an
     interrupted run never leaves a half-written schema behind.

Usage:  python3 tools/fetch-sarif-schema.py [--force]

Only the Python standard library is used.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = PROJECT_ROOT / "corpus" / "real" / "sarif"
SCHEMA_PATH = SCHEMA_DIR / "sarif-schema-2.1.0.json"
STAMP_PATH = SCHEMA_DIR / ".glia-sarif-schema-stamp"

CRATE = "serde-sarif"
VERSION = "0.8.0"
ARCHIVE_URL = f"https://static.crates.io/crates/{CRATE}/{CRATE}-{VERSION}.crate"
ARCHIVE_SHA256 = "a053c46f18a8043570d4e32fefc4c6377f82bf29ec310a33e93f273048e3b0be"
MEMBER = f"{CRATE}-{VERSION}/src/schema.json"
# What the extracted file must declare, to be sure it is the schema the tests mean.
SCHEMA_ID = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
SCHEMA_DRAFT = "http://json-schema.org/draft-07/schema#"


class SchemaError(Exception):
    """A download, verification or extraction failure; the message says what to do."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="download and extract again even if up to date")
    arguments = parser.parse_args()
    try:
        status = fetch(force=arguments.force)
    except SchemaError as error:
        print(f"error: {CRATE}=={VERSION}: {error}", file=sys.stderr)
        return 1
    print(f"SARIF 2.1.0 schema {status}: {SCHEMA_PATH}")
    return 0


def stamp_text() -> str:
    return f"{CRATE}=={VERSION} sha256={ARCHIVE_SHA256} member={MEMBER}\n"


def fetch(force: bool) -> str:
    if (
        not force
        and SCHEMA_PATH.is_file()
        and STAMP_PATH.is_file()
        and STAMP_PATH.read_text() == stamp_text()
    ):
        return "up to date"
    archive = download()
    verify_sha256(archive)
    schema = extract_member(archive)
    check_schema(schema)
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    partial = SCHEMA_PATH.with_name(SCHEMA_PATH.name + ".partial")
    partial.write_bytes(schema)
    partial.replace(SCHEMA_PATH)
    STAMP_PATH.write_text(stamp_text())
    return "extracted"


def download() -> bytes:
    print(f"downloading {CRATE} {VERSION} ...", flush=True)
    request = urllib.request.Request(ARCHIVE_URL, headers={"User-Agent": "glia tools/fetch-sarif-schema.py"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.read()
    except OSError as error:
        raise SchemaError(f"download of {ARCHIVE_URL} failed: {error}") from error


def verify_sha256(archive: bytes) -> None:
    digest = hashlib.sha256(archive).hexdigest()
    if digest != ARCHIVE_SHA256:
        raise SchemaError(
            f"SHA256 MISMATCH for {CRATE}-{VERSION}.crate\n  pinned:     {ARCHIVE_SHA256}\n  downloaded: {digest}\n"
            "The archive on the registry is not the one that was pinned. Do not use it: check the release and, "
            "only if the change is understood, update the pin in tools/fetch-sarif-schema.py."
        )


def extract_member(archive: bytes) -> bytes:
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tarred:
            extracted = tarred.extractfile(MEMBER)
            if extracted is None:
                raise SchemaError(f"{MEMBER} is not a regular file in the archive")
            return extracted.read()
    except KeyError as error:
        raise SchemaError(f"the archive has no {MEMBER}") from error
    except tarfile.TarError as error:
        raise SchemaError(f"the archive cannot be read: {error}") from error


def check_schema(schema: bytes) -> None:
    try:
        document = json.loads(schema)
    except ValueError as error:
        raise SchemaError(f"{MEMBER} is not JSON: {error}") from error
    if document.get("$id") != SCHEMA_ID or document.get("$schema") != SCHEMA_DRAFT:
        raise SchemaError(
            f"{MEMBER} is not the OASIS SARIF 2.1.0 schema ($id {document.get('$id')!r}, "
            f"$schema {document.get('$schema')!r})"
        )


if __name__ == "__main__":
    sys.exit(main())
