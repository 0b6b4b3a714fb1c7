"""The files an applicant attached on the national portal (TaiLieuNop): every one is kept as a link, and one
that answers a document our case requires (its component code is the document's national type code) is
downloaded and attached to the dossier as that document, with the checks of any upload (its type read from
its content, `MOTCUA_MAX_UPLOAD_BYTES`).

Only links to the portal's own hosts are followed (`MOTCUA_DVCQG_FILE_HOSTS`, default the host of
`MOTCUA_DVCQG_URL`), without redirects: a link is the portal's data, and must not make the worker fetch
whatever it names. A file that cannot be fetched or is refused stays a link; the officer opens it there.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import Case
from motcua.core.errors import DomainError
from motcua.dossiers.models import UploadedFile
from motcua.dossiers.services.files import store_upload

logger = logging.getLogger(__name__)

_WEB_SCHEMES = ("https", "http")


@dataclass(frozen=True)
class PortalFile:
    name: str
    component_code: str
    url: str  # blank unless a web link
    requirement: int | None  # the case's required document it answers
    content: bytes | None  # downloaded, when it answers one


def _text(item: dict[str, Any], name: str) -> str:
    value = item.get(name)
    return value.strip() if isinstance(value, str) else ""


def _followed_hosts() -> set[str]:
    named = {host.strip().lower() for host in settings.MOTCUA_DVCQG_FILE_HOSTS.split(",") if host.strip()}
    return named or {urlsplit(settings.MOTCUA_DVCQG_URL).netloc.lower()}


def _download(url: str) -> bytes | None:
    """The file at `url`, or None when it cannot be had whole within the size limit (the reason logged)."""
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    try:
        with httpx.stream(
            "GET", url, timeout=settings.MOTCUA_DVCQG_TIMEOUT, follow_redirects=False
        ) as answer:
            if answer.status_code != 200:
                logger.warning("A portal file answered HTTP %d; kept as a link", answer.status_code)
                return None
            content = bytearray()
            for chunk in answer.iter_bytes():
                content += chunk
                if len(content) > limit:
                    logger.warning("A portal file is larger than %d bytes; kept as a link", limit)
                    return None
            return bytes(content)
    except httpx.HTTPError as error:
        logger.warning("A portal file could not be fetched (%s); kept as a link", type(error).__name__)
        return None


def portal_files(entry: dict[str, Any], case: Case | None) -> list[PortalFile]:
    """The entry's attachments, those answering a required document of `case` downloaded. Call it outside
    any transaction: it waits for the network."""
    listed = entry.get("TaiLieuNop")
    documents = case.documents.all() if case else []
    required = {d.national_doc_type_code: d.pk for d in documents if d.national_doc_type_code}
    hosts = _followed_hosts()
    files = []
    for item in listed if isinstance(listed, list) else []:
        if not isinstance(item, dict):
            continue
        link = _text(item, "DuongDanTaiTepTin")
        parts = urlsplit(link)
        # Only a web link is kept: anything else could not be opened, and might not be harmless.
        url = link[:1000] if parts.scheme in _WEB_SCHEMES and parts.netloc else ""
        component = _text(item, "MaThanhPhanHoSo")[:64]
        requirement = required.get(component)
        content = _download(url) if requirement and url and parts.netloc.lower() in hosts else None
        name = _text(item, "TenTepDinhKem") or parts.path.rsplit("/", 1)[-1] or component
        files.append(PortalFile(name[:200], component, url, requirement, content))
    return files


def stored(actor: User, file: PortalFile) -> UploadedFile | None:
    """The downloaded file in our storage, owned by `actor`; None when there is none or it is refused."""
    if file.content is None:
        return None
    try:
        return store_upload(actor, SimpleUploadedFile(file.name, file.content))
    except DomainError as refusal:
        logger.warning("A portal file was refused (%s); kept as a link", refusal)
        return None
