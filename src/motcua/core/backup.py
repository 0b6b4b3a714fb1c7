"""`motcua backup FILE` and `motcua restore FILE`: the database and the uploaded files in one archive.

ADR 0019.

An archive is a zip file:

    manifest.json                 format, versions, migration state; each member's count and SHA-256
    db/<app>.<model>.jsonl        one JSON object per row (attribute name → value), tables in dependency order
    media/<path>                  every file under MEDIA_ROOT

The rows are read in one snapshot: a REPEATABLE READ, READ ONLY transaction on PostgreSQL, one deferred read
transaction on SQLite (WAL lets writers carry on meanwhile). They are written as JSON values, not as SQL, so a
backup of SQLite restores into PostgreSQL and back. The files are read after the rows: files are only ever
added, so every file a backed-up row names is in the archive.

A restore checks the manifest and every checksum before it writes anything, refuses a database with any row
in it (a restore never merges) or of another migration state, puts the files aside, inserts every row in one
transaction with their stored primary keys and values (raw inserts, as loaddata does: no save() logic, no
signals, no UPDATE or DELETE on event tables, so stored hashes stay as they were), resets the PostgreSQL
sequences, and only then moves the files into place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "motcua-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 2000
# Sessions are not backed up: a restored system makes everyone sign in again.
SKIPPED = frozenset({"sessions.session"})
# `migrate` fills these in any new database; a restore replaces them with the backed-up rows (same ids).
MIGRATE_FILLED = frozenset({"contenttypes.contenttype", "auth.permission"})

Progress = Callable[[str, int], Any]  # (description, total) → an object with update(n) and close()


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why, and nothing was changed."""


@dataclass
class Summary:
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0
    file_bytes: int = 0

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _no_progress(description: str, total: int) -> _NoProgress:
    return _NoProgress()


# --- what is backed up, in which order ---------------------------------------------------------------------


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete table (many-to-many tables included), each after the tables its foreign keys name."""
    candidates = [
        m
        for m in apps.get_models(include_auto_created=True)
        if not m._meta.proxy and m._meta.managed and m._meta.label_lower not in SKIPPED
    ]
    candidates.sort(key=lambda m: m._meta.label_lower)
    ordered: list[type[models.Model]] = []
    placed: set[type[models.Model]] = set()
    remaining = list(candidates)
    while remaining:
        ready = [m for m in remaining if _dependencies(m, candidates) <= placed]
        # A cycle (two tables pointing at each other) is broken by name: constraints are checked at commit.
        for model in ready or remaining[:1]:
            ordered.append(model)
            placed.add(model)
            remaining.remove(model)
    return ordered


def _dependencies(model: type[models.Model], among: list[type[models.Model]]) -> set[type[models.Model]]:
    targets = set()
    for f in model._meta.local_concrete_fields:
        target = f.related_model if f.is_relation else None
        if isinstance(target, type) and target is not model and target in among:
            targets.add(target)
    return targets


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.local_concrete_fields)


def _encode(obj: models.Model, columns: list[models.Field[Any, Any]]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for f in columns:
        value = getattr(obj, f.attname)
        if value is None or isinstance(f, models.JSONField) or isinstance(value, bool | int | float | str):
            row[f.attname] = value
        else:
            row[f.attname] = f.value_to_string(
                obj
            )  # dates, decimals, UUIDs, files (their name), bytes (base64)
    return row


def _decode(
    model: type[models.Model], columns: list[models.Field[Any, Any]], row: dict[str, Any]
) -> models.Model:
    values = {}
    for f in columns:
        value = row.get(f.attname)
        if value is not None and not isinstance(f, models.JSONField):
            value = f.to_python(value)
        values[f.attname] = value
    return model(**values)


def _member(model: type[models.Model]) -> str:
    return f"db/{model._meta.label_lower}.jsonl"


def _migration_state(alias: str) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        state.setdefault(app, []).append(name)
    return state


# --- backup -----------------------------------------------------------------------------------------------


@contextmanager
def _snapshot(alias: str) -> Iterator[None]:
    """One consistent view of the whole database for the reads inside."""
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("a backup reads in a transaction of its own; it cannot run inside another one")
    if connection.vendor == "postgresql":
        # A kept connection's health check runs now: SET TRANSACTION must be the transaction's first query.
        connection.ensure_connection()
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # Django's SQLite transactions take the write lock at BEGIN (IMMEDIATE, settings.py); a backup must
        # not stop intake, so it opens a deferred transaction itself: a WAL reader's snapshot, no write lock.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("ROLLBACK")
        return
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


class _HashingWriter:
    """A writable member of the zip that counts and hashes what passes through it."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.target.write(data)
        self.sha256.update(data)
        self.size += len(data)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _media_files(root: Path) -> list[tuple[Path, str]]:
    if not root.is_dir():
        return []
    found = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".restore-"))
        for name in sorted(filenames):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                found.append((path, path.relative_to(root).as_posix()))
    return found


def make_backup(
    target: Path, *, alias: str = DEFAULT_DB_ALIAS, progress: Progress = _no_progress
) -> tuple[dict[str, Any], Summary]:
    """Write the archive to `target` (through a temporary file beside it, renamed at the end)."""
    connection = connections[alias]
    summary = Summary()
    tables: list[dict[str, Any]] = []
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            with _snapshot(alias):
                migrations = _migration_state(alias)
                for model in backed_up_models():
                    columns = _columns(model)
                    queryset = model._base_manager.using(alias).order_by("pk")
                    bar = progress(model._meta.label_lower, queryset.count())
                    with archive.open(_entry(_member(model)), "w", force_zip64=True) as raw:
                        writer = _HashingWriter(raw)
                        rows = 0
                        for obj in queryset.iterator(chunk_size=CHUNK):
                            line = json.dumps(
                                _encode(obj, columns), cls=DjangoJSONEncoder, ensure_ascii=False
                            )
                            writer.write(line.encode() + b"\n")
                            rows += 1
                            if rows % 500 == 0:
                                bar.update(500)
                        bar.update(rows % 500)
                    bar.close()
                    summary.tables[model._meta.label_lower] = rows
                    tables.append(
                        {
                            "model": model._meta.label_lower,
                            "file": _member(model),
                            "rows": rows,
                            "sha256": writer.sha256.hexdigest(),
                        }
                    )
            files = []
            media = _media_files(Path(settings.MEDIA_ROOT))
            bar = progress("files", len(media))
            for path, relative in media:
                with (
                    path.open("rb") as source,
                    archive.open(_entry(f"media/{relative}"), "w", force_zip64=True) as raw,
                ):
                    writer = _HashingWriter(raw)
                    while chunk := source.read(1 << 20):
                        writer.write(chunk)
                files.append({"path": relative, "bytes": writer.size, "sha256": writer.sha256.hexdigest()})
                summary.files += 1
                summary.file_bytes += writer.size
                bar.update(1)
            bar.close()
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "motcua_version": _version(),
                "django_version": django.get_version(),
                "database": connection.vendor,
                "migrations": migrations,
                "tables": tables,
                "files": files,
                "totals": {"rows": summary.rows, "files": summary.files, "file_bytes": summary.file_bytes},
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
        os.chmod(temporary, 0o600)  # personal data of the whole province: readable by its owner only
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return manifest, summary


def _version() -> str:
    try:
        return metadata.version("motcua")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- restore ----------------------------------------------------------------------------------------------


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError(f"not a motcua backup: no readable {MANIFEST}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not a motcua backup: the manifest names another format")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format {manifest.get('format_version')} is not {FORMAT_VERSION}")
    for entry in manifest.get("files", []):
        _safe_relative(entry["path"])
    return manifest


def _safe_relative(path: str) -> PurePosixPath:
    """A member path that stays inside MEDIA_ROOT (no absolute path, no '..', no hidden staging name)."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or not relative.parts or any(p in ("", ".", "..") for p in relative.parts):
        raise BackupError(f"unsafe file path in the backup: {path!r}")
    if "\\" in path or relative.parts[0].startswith(".restore-"):
        raise BackupError(f"unsafe file path in the backup: {path!r}")
    return relative


def verify_archive(
    archive: zipfile.ZipFile, manifest: dict[str, Any], progress: Progress = _no_progress
) -> None:
    """Every member the manifest lists is there with its checksum (and each table with its row count)."""
    members = [(t["file"], t["sha256"], t.get("rows")) for t in manifest["tables"]]
    members += [(f"media/{f['path']}", f["sha256"], None) for f in manifest["files"]]
    bar = progress("checking", len(members))
    for name, expected, rows in members:
        digest, lines = hashlib.sha256(), 0
        try:
            with archive.open(name) as member:
                while chunk := member.read(1 << 20):
                    digest.update(chunk)
                    lines += chunk.count(b"\n")
        except KeyError as exc:
            raise BackupError(f"the backup is incomplete: {name} is missing") from exc
        if digest.hexdigest() != expected:
            raise BackupError(f"the backup is damaged: the checksum of {name} does not match")
        if rows is not None and lines != rows:
            raise BackupError(f"the backup is damaged: {name} has {lines} rows, the manifest says {rows}")
        bar.update(1)
    bar.close()


def _check_target(manifest: dict[str, Any], alias: str) -> list[type[models.Model]]:
    """The models to restore, in order; refuses another migration state or a database with rows in it."""
    here = _migration_state(alias)
    there = manifest["migrations"]
    if here != there:
        missing = sorted(f"{a}.{n}" for a, names in there.items() for n in names if n not in here.get(a, []))
        extra = sorted(f"{a}.{n}" for a, names in here.items() for n in names if n not in there.get(a, []))
        raise BackupError(
            "the database is not at the backup's migration state"
            + (f"; not applied here: {', '.join(missing[:5])}" if missing else "")
            + (f"; applied here only: {', '.join(extra[:5])}" if extra else "")
            + ". Restore into a database migrated by the release that made the backup, then migrate."
        )
    by_label = {m._meta.label_lower: m for m in backed_up_models()}
    unknown = [t["model"] for t in manifest["tables"] if t["model"] not in by_label]
    if unknown:
        raise BackupError(f"the backup has tables this release does not know: {', '.join(unknown[:5])}")
    non_empty = [
        label
        for label, model in by_label.items()
        if label not in MIGRATE_FILLED and model._base_manager.using(alias).exists()
    ]
    if non_empty:
        raise BackupError(
            f"the database is not empty ({', '.join(non_empty[:5])} have rows): a restore never merges. "
            "Restore into a new database that `motcua migrate` has just made."
        )
    return [by_label[t["model"]] for t in manifest["tables"]]


def _rows(archive: zipfile.ZipFile, name: str) -> Iterator[dict[str, Any]]:
    with archive.open(name) as member:
        for line in member:
            if line.strip():
                yield json.loads(line)


def _batches(items: Iterable[models.Model], size: int) -> Iterator[list[models.Model]]:
    batch: list[models.Model] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert_rows(model: type[models.Model], rows: Iterable[dict[str, Any]], alias: str, bar: Any) -> int:
    """Raw INSERTs of the stored values, as loaddata's save_base(raw=True) but a batch per statement."""
    columns = _columns(model)
    connection = connections[alias]
    sample = [model()]
    size = max(1, min(500, connection.ops.bulk_batch_size(columns, sample)))
    count = 0
    for batch in _batches((_decode(model, columns, row) for row in rows), size):
        model._base_manager.using(alias)._insert(batch, fields=columns, using=alias, raw=True)  # type: ignore[attr-defined]
        count += len(batch)
        bar.update(len(batch))
    return count


def _stage_files(archive: zipfile.ZipFile, manifest: dict[str, Any], media_root: Path) -> Path:
    """Extract the files under MEDIA_ROOT/.restore-<id>/; refuse to replace a different file in place."""
    staging = media_root / f".restore-{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    for entry in manifest["files"]:
        relative = _safe_relative(entry["path"])
        existing = media_root.joinpath(*relative.parts)
        if existing.exists() and _sha256(existing) != entry["sha256"]:
            shutil.rmtree(staging, ignore_errors=True)
            raise BackupError(
                f"MEDIA_ROOT already holds a different {entry['path']}: a restore never overwrites"
            )
        destination = staging.joinpath(*relative.parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(f"media/{entry['path']}") as source, destination.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
    return staging


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _place_files(staging: Path, media_root: Path) -> None:
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            final = media_root / path.relative_to(staging)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, final)
    shutil.rmtree(staging, ignore_errors=True)


def restore_backup(
    source: Path, *, alias: str = DEFAULT_DB_ALIAS, progress: Progress = _no_progress
) -> tuple[dict[str, Any], Summary]:
    """Restore the archive at `source` into an empty, migrated database and MEDIA_ROOT (see the module)."""
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"cannot read {source}: {exc}") from exc
    with archive:
        manifest = read_manifest(archive)
        verify_archive(archive, manifest, progress)
        order = _check_target(manifest, alias)
        media_root = Path(settings.MEDIA_ROOT)
        staging = _stage_files(archive, manifest, media_root)
        summary = Summary()
        connection = connections[alias]
        try:
            bar = progress("restoring", int(manifest["totals"]["rows"]))
            with transaction.atomic(using=alias):
                # What `migrate` put in the new database is replaced by the backup's rows, ids included.
                with connection.cursor() as cursor:
                    for label in ("auth.permission", "contenttypes.contenttype"):
                        table = apps.get_model(label)._meta.db_table
                        cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
                for model, entry in zip(order, manifest["tables"], strict=True):
                    rows = _insert_rows(model, _rows(archive, entry["file"]), alias, bar)
                    summary.tables[model._meta.label_lower] = rows
                statements = connection.ops.sequence_reset_sql(no_style(), order)
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
            bar.close()
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            ContentType.objects.clear_cache()
        _place_files(staging, media_root)
        summary.files = len(manifest["files"])
        summary.file_bytes = sum(int(f["bytes"]) for f in manifest["files"])
    return manifest, summary
