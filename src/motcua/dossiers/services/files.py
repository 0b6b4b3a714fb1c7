"""Uploads: checked by their content, not their name; hashed; stored through Django's storage API."""

from __future__ import annotations

import hashlib

import filetype
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile as DjangoUpload
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput, PayloadTooLarge
from motcua.dossiers.models import UploadedFile

# What a dossier may carry: scans and photos, PDFs, and office documents (DOMAIN.md §2.2 digitisation).
ACCEPTED_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/tiff",
        "image/webp",
        "image/heic",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
    }
)
_SNIFF_BYTES = 8192
_CHUNK = 1 << 20


def store_upload(owner: User, upload: DjangoUpload) -> UploadedFile:
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    size = upload.size or 0
    if size == 0:
        raise InvalidInput.field("file", "empty", _("The file is empty."))
    if size > limit:
        raise PayloadTooLarge(
            _("The file is %(size)d bytes; the limit is %(limit)d bytes.") % {"size": size, "limit": limit},
        )
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ACCEPTED_TYPES:
        raise InvalidInput.field(
            "file",
            "unsupported_type",
            _("Only PDF, images (JPEG, PNG, TIFF, WebP, HEIC) and office documents are accepted, not %s.")
            % (kind.mime if kind else _("of an unknown type")),
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(_CHUNK):
        digest.update(chunk)
    upload.seek(0)
    name = (upload.name or "file").rsplit("/", 1)[-1][-200:]
    stored = UploadedFile(
        owner=owner, original_name=name, content_type=kind.mime, size=size, sha256=digest.hexdigest()
    )
    stored.file.save(f"{digest.hexdigest()[:16]}.{kind.extension}", upload, save=False)
    stored.save()
    return stored
