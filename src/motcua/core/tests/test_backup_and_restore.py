"""`motcua backup` and `motcua restore` (issue 10, "Backup and restore"; ADR 0019).

The round trip runs the commands as an operator would, each in a process of its own: a database of the test
run's kind gets the demo province and a few simulated days of dossiers with their uploaded files, is backed
up, restored into a new database (of the same kind, and in the PostgreSQL suite also into SQLite), and backed
up again: both archives hold the same rows and the same files. Before issue 10 there was no such command.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from motcua.core.backup import BackupError, restore_backup
from motcua.core.models import IdempotencyKey
from motcua.core.tests.liveserver import BIN, make_server_database, motcua, server_env


def _rows(archive: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], dict[str, str]]:
    """The manifest, every table's rows (decoded, so that jsonb's key order does not count) and the files."""
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
        tables = {
            t["model"]: [json.loads(line) for line in z.read(t["file"]).splitlines()]
            for t in manifest["tables"]
        }
        files = {
            f["path"]: hashlib.sha256(z.read(f"media/{f['path']}")).hexdigest() for f in manifest["files"]
        }
    return manifest, tables, files


def _restore_into(tmp_path: Path, name: str, database_url: str, archive: Path) -> tuple[Path, str]:
    env = server_env(tmp_path / name, database_url)
    motcua(env, "migrate", "--no-input")
    restored = motcua(env, "restore", str(archive))
    again = tmp_path / f"{name}.zip"
    motcua(env, "backup", str(again))
    return again, restored


def test_backup_restores_into_an_empty_database_with_the_same_rows_and_files(tmp_path):
    """Issue 10 "Backup and restore": demo data and dossiers with files survive backup → restore → backup."""
    source, drop_source = make_server_database(tmp_path, "motcua_backup_source")
    target, drop_target = make_server_database(tmp_path, "motcua_backup_target")
    try:
        env = server_env(tmp_path / "source", source.url)
        motcua(env, "migrate", "--no-input")
        motcua(env, "loaddemo")
        motcua(env, "simulate", "--days", "2", "--per-day", "3")
        archive = tmp_path / "motcua.zip"
        said = motcua(env, "backup", str(archive))
        manifest, tables, files = _rows(archive)
        assert manifest["database"] == source.vendor
        assert tables["dossiers.dossier"] and tables["dossiers.dossierevent"] and files, said
        assert oct(archive.stat().st_mode & 0o777) == "0o600"  # the whole province's personal data
        assert f"{manifest['totals']['rows']} rows" in said and f"{len(files)} files" in said

        targets = [("same-kind", target.url)]
        if source.vendor == "postgresql":
            targets.append(("sqlite", f"sqlite:///{tmp_path / 'restored.sqlite3'}"))
        for name, url in targets:
            again, restored = _restore_into(tmp_path, name, url, archive)
            assert f"Restored {manifest['totals']['rows']} rows" in restored, restored
            manifest2, tables2, files2 = _rows(again)
            assert manifest2["migrations"] == manifest["migrations"]
            assert {t: len(r) for t, r in tables2.items()} == {t: len(r) for t, r in tables.items()}, name
            for table, rows in tables.items():
                assert tables2[table] == rows, f"{name}: {table} differs after the round trip"
            assert files2 == files, name
            media = tmp_path / name / "media"
            on_disk = {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()}
            assert on_disk == set(files), name

        # The restored database takes new work: its sequences continue after the restored ids.
        env_target = server_env(tmp_path / "same-kind", target.url)
        motcua(env_target, "simulate", "--days", "1", "--per-day", "2")
        # A second restore into the now non-empty database is refused and changes nothing.
        refused = subprocess.run(
            [str(BIN / "motcua"), "restore", str(archive)], env=env_target, capture_output=True, text=True
        )
        assert refused.returncode != 0 and "not empty" in refused.stderr, refused.stderr
    finally:
        drop_source()
        drop_target()


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory) -> Path:
    """A backup of a database that `motcua migrate` has just made, with one uploaded file."""
    root = tmp_path_factory.mktemp("backup")
    env = server_env(root, f"sqlite:///{root / 'small.sqlite3'}")
    motcua(env, "migrate", "--no-input")
    (root / "media" / "uploads").mkdir(parents=True)
    (root / "media" / "uploads" / "scan.pdf").write_bytes(b"%PDF-1.4 scan")
    motcua(env, "backup", str(root / "small.zip"))
    return root / "small.zip"


def _rewrite(source: Path, target: Path, change: Any) -> Path:
    """A copy of the archive with `change(name, data) -> data` applied to every member."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))
    return target


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_restore_refuses_a_database_that_has_rows(world, small_archive, media_root):
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(small_archive)
    assert not media_root.exists() or not any(media_root.rglob("*.pdf"))


def test_restore_refuses_a_damaged_archive_before_writing_anything(db, small_archive, tmp_path, media_root):
    def flip(name: str, data: bytes) -> bytes:
        return data.replace(b"scan", b"SCAN") if name.startswith("media/") else data

    damaged = _rewrite(small_archive, tmp_path / "damaged.zip", flip)
    with pytest.raises(BackupError, match=r"checksum of media/uploads/scan\.pdf"):
        restore_backup(damaged)
    assert not media_root.exists()
    assert not IdempotencyKey.objects.exists()


def test_restore_refuses_another_migration_state(db, small_archive, tmp_path, media_root):
    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["core"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    with pytest.raises(BackupError, match="9999_from_the_future"):
        restore_backup(_rewrite(small_archive, tmp_path / "newer.zip", newer))


@pytest.mark.parametrize("path", ["../../etc/cron.d/evil", "/etc/passwd", "uploads/../../x", ".restore-1/x"])
def test_restore_refuses_a_file_path_outside_media_root(db, small_archive, tmp_path, media_root, path):
    def escape(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["files"][0]["path"] = path
        return json.dumps(manifest).encode()

    with pytest.raises(BackupError, match="unsafe file path"):
        restore_backup(_rewrite(small_archive, tmp_path / "escape.zip", escape))


def test_restore_refuses_what_is_not_a_backup(db, tmp_path):
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("hello.txt", "hello")
    with pytest.raises(BackupError, match="not a motcua backup"):
        restore_backup(other)
    (tmp_path / "text.zip").write_text("not a zip")
    with pytest.raises(BackupError, match="cannot read"):
        restore_backup(tmp_path / "text.zip")


def test_backup_refuses_to_overwrite(tmp_path):
    env = server_env(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}")
    (tmp_path / "exists.zip").write_bytes(b"keep me")
    done = subprocess.run(
        [str(BIN / "motcua"), "backup", str(tmp_path / "exists.zip")], env=env, capture_output=True, text=True
    )
    assert done.returncode != 0 and "never overwrites" in done.stderr
    assert (tmp_path / "exists.zip").read_bytes() == b"keep me"
    shutil.rmtree(tmp_path / "media", ignore_errors=True)
