"""Everything held about a citizen, as one .zip (Law 91/2025, the data subject's right of access; ADR 0016).

The archive holds `data.json` (the account, the citizen's profile, every dossier of their account with its
data, history, documents, supplement requests, rating and who opened it, their uploads, and what the portal
adds: their drafts) and, under `files/`, every file they uploaded or that belongs to one of their dossiers.
It is written as it is sent: the zip is produced piece by piece from each file's chunks, so no file is ever
held whole in memory. Building one is recorded in the access log and allowed once per
MOTCUA_SUBJECT_EXPORT_INTERVAL_MINUTES."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, Rating, UploadedFile
from motcua.dossiers.selectors import dossier_documents
from motcua.org.models import CitizenProfile
from motcua.privacy.constants import AccessChannel, AccessKind
from motcua.privacy.models import AccessRecord
from motcua.privacy.services import Reader, record
from motcua.privacy.wording import kind_text, reader_name, roles_text, unit_text

FORMAT = "motcua.subject-export/1"
CHUNK = 64 * 1024
_UNSAFE_NAME = re.compile(r"[^\w.\- ]+")


class ExportTooSoon(DomainError):
    status = 429
    slug = "too-many-requests"
    title = gettext_lazy("Too many requests")


@dataclass
class Archive:
    document: dict[str, Any]
    files: list[tuple[str, UploadedFile]] = field(default_factory=list)


def _when(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def file_path(stored: UploadedFile) -> str:
    name = _UNSAFE_NAME.sub("_", stored.original_name.replace("\\", "/").rsplit("/", 1)[-1]) or "file"
    return f"files/{stored.pk}-{name}"


def _file(stored: UploadedFile | None) -> dict[str, Any] | None:
    if stored is None:
        return None
    return {
        "name": stored.original_name,
        "content_type": stored.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
        "uploaded_at": _when(stored.created_at),
        "path": file_path(stored),
    }


def retention() -> list[dict[str, Any]]:
    """The retention rules as configured (settings.MOTCUA_RETENTION), in words for the citizen."""
    rules: dict[str, dict[str, Any]] = settings.MOTCUA_RETENTION
    what = {
        "dossier": _("Your dossiers, their documents and files"),
        "access_log": _("The record of who opened your dossiers"),
    }
    after = {
        "dossier": _("after the dossier is closed, then handed to the archive under the archive law"),
        "access_log": _("after the access"),
    }
    return [
        {
            "kind": kind,
            "what": str(what.get(kind, kind)),
            "years": int(rule["years"]),
            "after": str(after.get(kind, "")),
            "basis": str(rule["basis"]),
        }
        for kind, rule in rules.items()
    ]


def _access(record_: AccessRecord) -> dict[str, Any]:
    return {
        "at": _when(record_.at),
        "by": reader_name(record_),
        "unit": unit_text(record_),
        "roles": roles_text(record_),
        "what": kind_text(record_),
    }


def _dossier(dossier: Dossier, accesses: list[AccessRecord], rating: Rating | None) -> dict[str, Any]:
    documents = dossier_documents(dossier)
    return {
        "code": dossier.code,
        "procedure": {
            "code": dossier.procedure_version.procedure.local_code,
            "name": dossier.procedure_version.name,
        },
        "case": dossier.case.name,
        "channel": dossier.channel,
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "applicant": {
            "kind": dossier.applicant_kind,
            "full_name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "tax_code": dossier.applicant_tax_code,
            "date_of_birth": _when(dossier.applicant_date_of_birth),
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
            "representative": dossier.representative,
        },
        "form": dossier.form_data,
        "receiving_unit": dossier.receiving_unit.name,
        "competent_authority": dossier.competent_authority.name,
        "result_delivery": dossier.result_delivery,
        "created_at": _when(dossier.created_at),
        "submitted_at": _when(dossier.submitted_at),
        "received_at": _when(dossier.received_at),
        "due_at": _when(dossier.due_at),
        "new_appointment_at": _when(dossier.new_appointment_at),
        "finished_at": _when(dossier.finished_at),
        "returned_at": _when(dossier.returned_at),
        "closed_at": _when(dossier.closed_at),
        "fee_due": dossier.fee_due,
        "fee_paid": dossier.fee_paid,
        "result_number": dossier.result_number,
        "result_file": _file(dossier.result_file),
        "documents": [
            {
                "requirement": d.requirement.name if d.requirement else None,
                "submitted_as": d.submitted_as,
                "copies": d.copies,
                "added_at": _when(d.added_at),
                "file": _file(d.file),
            }
            for d in documents
        ],
        # The history as the applicant may know it: what happened and when; officers' internal notes are
        # work documents of the agency and stay out (ADR 0016).
        "events": [
            {"action": e.action, "at": _when(e.at), "from_status": e.from_status, "to_status": e.to_status}
            for e in dossier.events.order_by("at", "id")
        ],
        "supplement_requests": [
            {
                "requested_at": _when(s.requested_at),
                "reason": s.reason,
                "items": s.items,
                "submitted_at": _when(s.submitted_at),
                "accepted_at": _when(s.accepted_at),
            }
            for s in dossier.supplements.all()
        ],
        "rating": None
        if rating is None
        else {
            "score": rating.score,
            "comment": rating.comment,
            "channel": rating.channel,
            "rated_at": _when(rating.rated_at),
        },
        "opened_by": [_access(a) for a in accesses],
    }


def subject_archive(user: User, *, drafts: Sequence[dict[str, Any]] = ()) -> Archive:
    """What the archive holds for `user`; `drafts` are the portal's drafts, described by the portal."""
    dossiers = list(
        Dossier.objects.filter(applicant_user_id=user.pk)
        .select_related(
            "procedure_version__procedure", "case", "receiving_unit", "competent_authority", "result_file"
        )
        .prefetch_related("documents__file", "documents__requirement", "supplements")
        .order_by("created_at", "id")
    )
    codes = [d.code for d in dossiers]
    accesses: dict[str, list[AccessRecord]] = {code: [] for code in codes}
    for access in (
        AccessRecord.objects.filter(dossier_code__in=codes)
        .exclude(user_id=user.pk)
        .select_related("user", "unit")
        .order_by("-at", "-id")
    ):
        accesses[access.dossier_code].append(access)
    ratings = {r.dossier_id: r for r in Rating.objects.filter(dossier__in=dossiers)}
    profile = CitizenProfile.objects.filter(user_id=user.pk).first()

    files: dict[int, UploadedFile] = {}
    for dossier in dossiers:
        for document in dossier_documents(dossier):
            if document.file is not None:
                files[document.file.pk] = document.file
        if dossier.result_file is not None:
            files[dossier.result_file.pk] = dossier.result_file
    uploads = list(UploadedFile.objects.filter(owner_id=user.pk).order_by("created_at", "id"))
    for upload in uploads:
        files.setdefault(upload.pk, upload)

    data = {
        "format": FORMAT,
        "generated_at": _when(timezone.now()),
        "account": {
            "username": user.get_username(),
            "full_name": user.get_full_name(),
            "email": user.email,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "citizen_profile": None
        if profile is None
        else {
            "id_number": profile.id_number,
            "phone": profile.phone,
            "email_verified_at": _when(profile.email_verified_at),
        },
        "retention": retention(),
        "dossiers": [_dossier(d, accesses[d.code], ratings.get(d.pk)) for d in dossiers],
        "drafts": list(drafts),
        "uploads": [_file(u) for u in uploads],
    }
    return Archive(data, [(file_path(files[pk]), files[pk]) for pk in sorted(files)])


def start_export(who: Reader, user: User, *, now: dt.datetime | None = None) -> list[str]:
    """Allow the export (once per interval) and record it, one access record per dossier; the dossier codes.

    The user's row is locked while checking, so two requests at once cannot both pass."""
    now = now or timezone.now()
    interval = dt.timedelta(minutes=int(settings.MOTCUA_SUBJECT_EXPORT_INTERVAL_MINUTES))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        last = (
            AccessRecord.objects.filter(user_id=user.pk, kind=AccessKind.SUBJECT_EXPORT)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        if last is not None and last > now - interval:
            wait = max(1, math.ceil((last + interval - now).total_seconds() / 60))
            raise ExportTooSoon(
                _("You downloaded your data recently. You can download it again in %(minutes)d minutes.")
                % {"minutes": wait}
            )
        codes = list(Dossier.objects.filter(applicant_user_id=user.pk).values_list("code", flat=True))
        record(
            who,
            channel=AccessChannel.PORTAL,
            kind=AccessKind.SUBJECT_EXPORT,
            codes=codes or [""],
        )
    return codes


class _Pipe(io.RawIOBase):
    """A write-only stream that keeps what was written until it is taken: the zip's bytes as they come."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def zip_stream(archive: Archive) -> Iterator[bytes]:
    """The archive as a .zip, in pieces: each file is copied a chunk at a time, `data.json` written last
    (it lists the files that could not be read)."""
    pipe = _Pipe()
    missing: list[str] = []
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive_zip:
        for path, stored in archive.files:
            try:
                source = stored.file.open("rb")
            except OSError:
                missing.append(path)
                continue
            info = zipfile.ZipInfo(path, stamp)
            # Deflated even when the content is already compressed: a stored entry written to a stream (its
            # sizes after its data) is refused by some unzip programs.
            info.compress_type = zipfile.ZIP_DEFLATED
            with source, archive_zip.open(info, "w", force_zip64=True) as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    if data := pipe.take():
                        yield data
            if data := pipe.take():
                yield data
        document = {**archive.document, "missing_files": missing}
        info = zipfile.ZipInfo("data.json", stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive_zip.writestr(info, json.dumps(document, ensure_ascii=False, indent=2, default=str))
    yield pipe.take()
