"""Dossiers citizens filed on the National Public Service Portal (DVCQG) come in here
(docs/integrations/dvcqg-inbound.md).

The portal lists them through its fetch service (`MOTCUA_DVCQG_FETCH_SERVICE`) from a filing time on, and
lists the same dossier again on every fetch until that time moves past it. Each one is created through the
intake of our own online submissions (status submitted, channel online, origin the national portal, its
national code kept), acted by the portal's system account. The unique origin of a dossier makes it exist once
however often it is listed, even when two workers fetch at once. A dossier that cannot be created (a procedure
we do not map, data our intake refuses) is recorded as an `InboundProblem` with the reason, for staff; it is
tried again only when listed again, never in a loop.

The cursor moves to the latest filing time among the dossiers settled (created, already here, or recorded as a
problem), never backwards, and the next fetch asks from a margin before it
(`MOTCUA_DVCQG_FETCH_OVERLAP_SECONDS`): a dossier the portal lists late, with an earlier filing time, is still
seen.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Case
from motcua.catalog.selectors import intake_offer
from motcua.core.errors import DomainError, FieldProblem, InvalidInput
from motcua.dossiers.lifecycle import Channel
from motcua.dossiers.models import ApplicantKind, Dossier, Origin
from motcua.dossiers.services.intake import Applicant, AttachedDocument, Intake, create_dossier
from motcua.exchange.dvcqg.attachments import portal_files, stored
from motcua.exchange.dvcqg.client import portal_client
from motcua.exchange.dvcqg.config import portal_config
from motcua.exchange.dvcqg.records import APPLICANT_KIND_CODE
from motcua.exchange.dvcqg.times import parse_portal_date, parse_portal_time, portal_time
from motcua.exchange.models import FetchCursor, InboundDocument, InboundProblem, ProcedureMapping

logger = logging.getLogger(__name__)

# The account that acts for the portal in a dossier's history: it has no password and no staff role.
PORTAL_ACCOUNT = "dvcqg"

# LoaiDoiTuong, read back (DOMAIN.md §5.5).
_APPLICANT_KINDS = {code: kind for kind, code in APPLICANT_KIND_CODE.items()}
_VNEID_VERIFIED = {"1", "true"}
# What the dossier's columns hold; a longer value is the portal's data at fault, not ours to cut.
_LONGEST = {"ChuHoSo": 255, "SoDienThoai": 32, "Email": 254, "DiaChi": 500}
# Our intake names a problem by its own field; staff reading the reason know the portal's names.
_PORTAL_FIELDS = {
    "applicant.kind": "LoaiDoiTuong",
    "applicant.full_name": "ChuHoSo",
    "applicant.id_number": "SoGiayToChuHoSo",
    "applicant.tax_code": "SoGiayToChuHoSo",
    "applicant.date_of_birth": "NgaySinh",
    "procedure": "MaTTHC",
    "channel": "MaTTHC",
}


class UnreadableListing(Exception):
    """The portal's answer to the fetch service is not a list of dossiers."""


class Outcome(enum.StrEnum):
    CREATED = "created"
    KNOWN = "known"
    PROBLEM = "problem"


@dataclass
class FetchRun:
    """What one fetch did: `off` when synchronisation is off (nothing was asked)."""

    off: bool = False
    asked_from: dt.datetime | None = None
    created: list[str] = field(default_factory=list)  # our codes of the dossiers created
    known: int = 0
    problems: list[str] = field(default_factory=list)  # national codes recorded as problems
    unreadable: int = 0  # entries without a national code: logged, nothing to record them by

    def as_dict(self) -> dict[str, Any]:
        return {
            "off": self.off,
            "asked_from": self.asked_from.isoformat() if self.asked_from else None,
            "created": self.created,
            "known": self.known,
            "problems": self.problems,
            "unreadable": self.unreadable,
        }


@dataclass(frozen=True)
class _Listed:
    """One entry of the portal's list, read: what our intake needs, and what we keep beside the dossier."""

    national_code: str
    procedure_code: str
    filed_at: dt.datetime | None
    entry: dict[str, Any]


def portal_account() -> User:
    """The system account the portal's dossiers are created by (made on first use)."""
    user, created = User.objects.get_or_create(
        username=PORTAL_ACCOUNT, defaults={"first_name": "Cổng Dịch vụ công quốc gia", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def fetch_new_dossiers(now: dt.datetime | None = None, *, since: dt.datetime | None = None) -> FetchRun:
    """Ask the portal for the dossiers filed since the cursor (or `since`, to look again at an earlier
    period: the cursor never moves back) and take each one in.

    Raises the client's `Unreachable` or `PortalRefused`, or `UnreadableListing`: nothing is taken in and the
    cursor stays, with the error noted on it."""
    config, client = portal_config(), portal_client()
    if config is None or client is None:
        return FetchRun(off=True)
    now = now or timezone.now()
    cursor, _created = FetchCursor.objects.get_or_create(service=config.fetch_service)
    asked_from = since or _overlapped(cursor.filed_up_to)
    try:
        listing = client.call(config.fetch_service, {"TuNgay": portal_time(asked_from)} if asked_from else {})
        if not isinstance(listing, list):
            raise UnreadableListing(f"{config.fetch_service} answered {type(listing).__name__}, not a list")
    except Exception as error:
        FetchCursor.objects.filter(pk=cursor.pk).update(last_fetched_at=now, last_error=str(error)[:1000])
        raise
    run = FetchRun(asked_from=asked_from)
    actor = portal_account()
    settled_up_to = None
    for position, entry in enumerate(listing):
        listed = _listed(entry)
        if listed is None:
            logger.warning("Entry %d of the portal's new dossiers has no MaHoSo; it was skipped", position)
            run.unreadable += 1
            continue
        outcome, code = _take_in(listed, actor, now)
        if outcome == Outcome.CREATED:
            run.created.append(code)
        elif outcome == Outcome.KNOWN:
            run.known += 1
        else:
            run.problems.append(code)
        # A filing time ahead of our clock (the portal's clock, its data) must not carry the cursor past
        # dossiers still to be filed: the cursor goes no further than now.
        filed_at = min(listed.filed_at, now) if listed.filed_at else None
        if filed_at and (settled_up_to is None or filed_at > settled_up_to):
            settled_up_to = filed_at
    _advance(cursor, settled_up_to, now)
    return run


def _overlapped(filed_up_to: dt.datetime | None) -> dt.datetime | None:
    if filed_up_to is None:
        return None
    return filed_up_to - dt.timedelta(seconds=settings.MOTCUA_DVCQG_FETCH_OVERLAP_SECONDS)


def _advance(cursor: FetchCursor, settled_up_to: dt.datetime | None, now: dt.datetime) -> None:
    with transaction.atomic():
        # Two fetches at once: the later filing time wins, whichever finishes last.
        cursor = FetchCursor.objects.select_for_update().get(pk=cursor.pk)
        if settled_up_to and (cursor.filed_up_to is None or settled_up_to > cursor.filed_up_to):
            cursor.filed_up_to = settled_up_to
        cursor.last_fetched_at = now
        cursor.last_error = ""
        cursor.save()


def _text(entry: dict[str, Any], name: str) -> str:
    value = entry.get(name)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _listed(entry: Any) -> _Listed | None:
    if not isinstance(entry, dict) or not (national_code := _text(entry, "MaHoSo")):
        return None
    try:
        filed_at: dt.datetime | None = parse_portal_time(_text(entry, "NgayNopHoSo"))
    except ValueError:
        filed_at = None
    return _Listed(national_code[:64], _text(entry, "MaTTHC"), filed_at, entry)


def _existing(national_code: str) -> Dossier | None:
    return Dossier.objects.filter(
        origin=Origin.NATIONAL_PORTAL, origin_party="", origin_code=national_code
    ).first()


def _take_in(listed: _Listed, actor: User, now: dt.datetime) -> tuple[Outcome, str]:
    """Create the dossier unless it exists; the outcome, and our code (or the national code of a problem)."""
    if (dossier := _existing(listed.national_code)) is not None:
        _resolve_problem(listed.national_code, dossier, now)
        return Outcome.KNOWN, dossier.code
    try:
        intake, case = _intake(listed)
        files = portal_files(listed.entry, case)
        with transaction.atomic():
            kept = [(file, stored(actor, file)) for file in files]
            intake.documents = [
                AttachedDocument(requirement=file.requirement, file=upload.pk)
                for file, upload in kept
                if file.requirement and upload
            ]
            # Filed on the portal at its filing time: that day's procedure version and dossier code.
            dossier = create_dossier(actor, intake, min(listed.filed_at or now, now))
            InboundDocument.objects.bulk_create(
                InboundDocument(
                    dossier=dossier,
                    name=file.name,
                    component_code=file.component_code,
                    url=file.url,
                    file=upload,
                )
                for file, upload in kept
            )
    except DomainError as error:
        _record_problem(listed, _reason(error), now)
        return Outcome.PROBLEM, listed.national_code
    except IntegrityError:
        # Another fetch created it between our look and our insert: the unique origin refused the second.
        if (dossier := _existing(listed.national_code)) is None:
            raise
        return Outcome.KNOWN, dossier.code
    except DatabaseError:
        # The database itself failed: the whole fetch stops and the cursor stays, to be tried again.
        raise
    except Exception as error:
        # A dossier our code cannot handle must not stop every dossier after it on every fetch: it is kept as
        # a problem, which staff see, and the traceback is logged for the developers.
        logger.exception("Taking in the portal's dossier %s failed", listed.national_code)
        _record_problem(listed, _("An unexpected error stopped it (%s).") % type(error).__name__, now)
        return Outcome.PROBLEM, listed.national_code
    _resolve_problem(listed.national_code, dossier, now)
    return Outcome.CREATED, dossier.code


def _intake(listed: _Listed) -> tuple[Intake, Case | None]:
    """The portal's entry as our intake's request, and the case it files under; InvalidInput naming the
    portal's fields at fault."""
    entry = listed.entry
    problems: list[FieldProblem] = []
    procedure_code, case = _procedure(listed.procedure_code, listed.filed_at, problems)
    kind = _APPLICANT_KINDS.get(_text(entry, "LoaiDoiTuong"))
    if kind is None:
        problems.append(
            FieldProblem("LoaiDoiTuong", "invalid", _("Expected 1 (a person) or 2 (an organisation)."))
        )
    born = None
    if birth := _text(entry, "NgaySinh"):
        try:
            born = parse_portal_date(birth)
        except ValueError:
            problems.append(FieldProblem("NgaySinh", "invalid", _("Expected a date as yyyyMMdd.")))
    for name, limit in _LONGEST.items():
        if len(_text(entry, name)) > limit:
            problems.append(FieldProblem(name, "too_long", _("Longer than %d characters.") % limit))
    form = entry.get("DuLieuBieuMau") or {}
    if not isinstance(form, dict):
        problems.append(FieldProblem("DuLieuBieuMau", "invalid", _("Expected the form's data as an object.")))
    if problems:
        raise InvalidInput(_("The dossier cannot be accepted as it is."), problems)
    number = _text(entry, "SoGiayToChuHoSo")
    intake = Intake(
        procedure=procedure_code,
        case=case.code if case else None,
        channel=Channel.ONLINE,
        applicant=Applicant(
            kind=kind or "",
            full_name=_text(entry, "ChuHoSo"),
            id_number=number if kind == ApplicantKind.PERSON else "",
            tax_code=number if kind == ApplicantKind.ORGANISATION else "",
            date_of_birth=born,
            phone=_text(entry, "SoDienThoai"),
            email=_text(entry, "Email"),
            address=_text(entry, "DiaChi"),
        ),
        form=form,
        origin=Origin.NATIONAL_PORTAL,
        origin_code=listed.national_code,
        vneid_verified=_text(entry, "TaiKhoanDuocXacThucVoiVNeID").lower() in _VNEID_VERIFIED,
    )
    return intake, case


def _procedure(
    national_code: str, filed_at: dt.datetime | None, problems: list[FieldProblem]
) -> tuple[str, Case | None]:
    """Our procedure's local code for the national one, and the case to file under: the portal does not say
    which of our cases, so a procedure of several takes its first (the officer checks it on acceptance)."""
    if not national_code:
        problems.append(FieldProblem("MaTTHC", "required", _("The national procedure code is missing.")))
        return "", None
    local_codes = list(
        ProcedureMapping.objects.filter(national_code=national_code).values_list(
            "procedure__local_code", flat=True
        )
    )
    if len(local_codes) != 1:
        message = (
            _("No procedure of ours is mapped to the national procedure %s.")
            if not local_codes
            else _("Several procedures of ours are mapped to the national procedure %s.")
        )
        problems.append(FieldProblem("MaTTHC", "unmapped", message % national_code))
        return "", None
    day = timezone.localdate(filed_at) if filed_at else timezone.localdate()
    offer = intake_offer(local_codes[0], day)
    first_case = next(iter(offer.cases.values()), None) if offer else None
    return local_codes[0], first_case


def _reason(error: DomainError) -> str:
    if not error.errors:
        return str(error)
    return "; ".join(f"{_portal_field(p.field)}: {str(p.message).rstrip('.')}" for p in error.errors)


def _portal_field(field: str) -> str:
    if field.startswith("form."):
        return f"DuLieuBieuMau.{field.removeprefix('form.')}"
    return _PORTAL_FIELDS.get(field, field)


def _record_problem(listed: _Listed, reason: str, now: dt.datetime) -> None:
    problem, created = InboundProblem.objects.get_or_create(
        national_code=listed.national_code,
        defaults={
            "procedure_code": listed.procedure_code[:64],
            "filed_at": listed.filed_at,
            "reason": reason,
            "first_seen_at": now,
            "last_seen_at": now,
        },
    )
    if not created:
        InboundProblem.objects.filter(pk=problem.pk).update(
            procedure_code=listed.procedure_code[:64],
            filed_at=listed.filed_at,
            reason=reason,
            last_seen_at=now,
            times_seen=F("times_seen") + 1,
        )


def _resolve_problem(national_code: str, dossier: Dossier, now: dt.datetime) -> None:
    InboundProblem.objects.filter(national_code=national_code, resolved_at__isnull=True).update(
        dossier=dossier, resolved_at=now
    )
