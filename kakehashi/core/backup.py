"""Consistent backups and their restore (docs/deployment.md, "Backup and restore").

A backup is a folder: the database (SQLite's online backup API, a consistent copy while the
app runs; `pg_dump --format=custom` on PostgreSQL, one snapshot transaction), the private
files when they are on the local disk (a tar file), and `manifest.json` with the row count
of every table and the SHA-256 of each file. A restore puts the database and the files back
and compares the row counts with the manifest; a difference is an error."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.db import connection

DATABASE_SQLITE = "database.sqlite3"
DATABASE_POSTGRES = "database.dump"
FILES = "private-files.tar"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def row_counts() -> dict[str, int]:
    """Rows in every table of every installed model (proxies and unmanaged ones aside)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        counts[meta.db_table] = model._base_manager.count()
    return dict(sorted(counts.items()))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def private_dir() -> Path | None:
    storage = cast(dict[str, Any], settings.STORAGES.get("private", {}))
    location = storage.get("OPTIONS", {}).get("location")
    if location and str(storage.get("BACKEND", "")).endswith("FileSystemStorage"):
        return Path(location)
    return None  # an object store keeps its own versions (docs/deployment.md)


def _pg_env() -> dict[str, str]:
    """pg_dump and pg_restore reach the database Django uses (libpq's PG* variables)."""
    db = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-500:]}")


def backup(target: Path) -> dict[str, Any]:
    """Write a backup into the folder `target` (created; it must be empty)."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty.")
    counts = row_counts()
    vendor = connection.vendor
    if vendor == "sqlite":
        database = target / DATABASE_SQLITE
        connection.ensure_connection()
        live = connection.connection
        assert live is not None
        copy = sqlite3.connect(database)
        try:
            live.backup(copy)
        finally:
            copy.close()
    elif vendor == "postgresql":
        database = target / DATABASE_POSTGRES
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(database)])
    else:
        raise BackupError(f"No backup for the {vendor} database.")
    files: dict[str, str] = {database.name: _sha256(database)}
    private = private_dir()
    if private is not None and private.exists():
        archive = target / FILES
        with tarfile.open(archive, "w") as tar:
            tar.add(private, arcname=".")
        files[archive.name] = _sha256(archive)
    manifest = {
        "made_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database": vendor,
        "rows": counts,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} has no {MANIFEST}: not a backup.")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    for name, digest in manifest["files"].items():
        if _sha256(source / name) != digest:
            raise BackupError(f"{name} does not match its checksum in the manifest.")
    return manifest


def restore(source: Path) -> dict[str, tuple[int, int]]:
    """Put the backup in `source` back: the database, then the private files. Returns the
    tables whose row count differs from the manifest (none after a good restore)."""
    manifest = read_manifest(source)
    vendor = connection.vendor
    if manifest["database"] != vendor:
        raise BackupError(f"A {manifest['database']} backup cannot be restored into {vendor}.")
    if vendor == "sqlite":
        connection.ensure_connection()
        live = connection.connection
        assert live is not None
        saved = sqlite3.connect(source / DATABASE_SQLITE)
        try:
            saved.backup(live)
        finally:
            saved.close()
    else:
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                str(connection.settings_dict["NAME"]),
                str(source / DATABASE_POSTGRES),
            ]
        )
    private = private_dir()
    archive = source / FILES
    if private is not None and archive.exists():
        if private.exists():
            shutil.rmtree(private)
        private.mkdir(parents=True)
        with tarfile.open(archive) as tar:
            tar.extractall(private, filter="data")
    now = row_counts()
    return {
        table: (expected, now.get(table, -1))
        for table, expected in manifest["rows"].items()
        if now.get(table, -1) != expected
    }
