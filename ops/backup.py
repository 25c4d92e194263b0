"""Backup and restore of the database and the media together, into / from one .tar.gz archive.

    manage.py backup /var/backups/portal-2026-12-02.tar.gz
    manage.py restore /var/backups/portal-2026-12-02.tar.gz

The archive holds ``manifest.json``, the database (``database.dump``: ``pg_dump --format=custom`` on
PostgreSQL, restored with ``pg_restore --clean --if-exists``; ``database.sqlite3``: a copy made with
SQLite's online backup API) and every file of the media storage under ``media/`` — read through the
storage, so the local folder and an S3 bucket alike. Take the backup while the portal runs (pg_dump
and the SQLite backup API give a consistent snapshot; files written in between are at worst extra).
Restore on a stopped portal (no node, no worker), then restart the nodes: their per-process fragment
caches may hold pages of the state being replaced.

Not ``dumpdata``/``loaddata``: django-simple-history's history tables clash on load (the historical
rows reference the live rows' ids and loaddata's post-save signals write history of their own), and
they carry no media; the database tool's own dump does neither.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.cache import caches
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections

FORMAT = 1
MEDIA = "media/"


class BackupError(Exception):
    pass


def _pg_args(settings_dict: dict) -> tuple[list[str], dict]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args + ["--dbname", settings_dict["NAME"]], env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def media_names(storage=None, folder: str = "") -> list[str]:
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += media_names(storage, f"{folder}{sub}/")
    return sorted(names)


def _dump_database(alias: str, target: Path) -> str:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args], env)
        return "database.dump"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return "database.sqlite3"
    raise BackupError(f"no backup for the {connection.vendor} database")


def backup(path, *, alias: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the archive; returns its manifest."""
    path = Path(path)
    connection = connections[alias]
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as scratch:
        dump = Path(scratch) / "database"
        member = _dump_database(alias, dump)
        names = media_names()
        manifest = {"format": FORMAT, "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                    "database": {"vendor": connection.vendor, "file": member}, "media": len(names)}
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=member)
            for name in names:
                with default_storage.open(name, "rb") as handle:
                    info = tarfile.TarInfo(MEDIA + name)
                    info.size = default_storage.size(name)
                    archive.addfile(info, handle)
        partial.replace(path)  # a half-written archive never has the final name
    return manifest


def _safe_member(name: str) -> bool:
    parts = Path(name).parts
    return not Path(name).is_absolute() and ".." not in parts


def _restore_database(alias: str, source: Path, member: str) -> None:
    connection = connections[alias]
    if member == "database.dump":
        if connection.vendor != "postgresql":
            raise BackupError("the archive holds a PostgreSQL database; this portal runs on " + connection.vendor)
        connection.close()
        args, env = _pg_args(connection.settings_dict)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", *args, str(source)], env)
    elif member == "database.sqlite3":
        if connection.vendor != "sqlite":
            raise BackupError("the archive holds a SQLite database; this portal runs on " + connection.vendor)
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
        raise BackupError(f"unknown database file {member!r}")


def restore(path, *, alias: str = DEFAULT_DB_ALIAS) -> dict:
    """Replace the database and put back every media file of the archive; returns its manifest."""
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory(prefix="portal-restore-") as scratch:
        try:
            manifest = json.load(archive.extractfile("manifest.json"))
        except KeyError:
            raise BackupError("not a portal backup: no manifest.json") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        member = manifest["database"]["file"]
        dump = Path(scratch) / "database"
        with archive.extractfile(member) as source, open(dump, "wb") as target:
            shutil.copyfileobj(source, target)
        media = [m for m in archive.getmembers() if m.isfile() and m.name.startswith(MEDIA)]
        if any(not _safe_member(m.name) for m in media):
            raise BackupError("the archive has a file outside the media folder")
        _restore_database(alias, dump, member)
        for info in media:
            name = info.name[len(MEDIA):]
            if default_storage.exists(name):
                default_storage.delete(name)
            with archive.extractfile(info) as handle:
                saved = default_storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"{name} was stored as {saved}")
    for alias_name in ("default", "local"):
        try:
            caches[alias_name].clear()
        except Exception:  # a cache table not there yet: nothing to clear
            pass
    return manifest
