"""Reconciliation with the national portal: what DVCQG holds against what it should hold.

The portal lists the records whose reception date (or submission date, before reception) lies in a range
(`TraCuuHoSo` with TuNgay/DenNgay). We expect there every dossier of ours received, or submitted and not yet
received, in that range whose procedure is mapped to a national code, as the record builder would send it
now (`records.dossier_record`). Each difference is typed: a dossier missing on the portal, a record of the
portal unknown here, a different status, a different date (compared at the second, in local time), and a
dossier whose message to the portal is dead or failing in the outbox. A dossier the portal should hold but
did not list, and that it accepted once (it has a NationalSync), is looked up alone: its dates there may put
it outside the range. Each run is stored without personal data: codes, statuses, dates, masked errors.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, NoReturn

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.core.identifiers import mask_personal_ids
from motcua.delivery.models import MessageStatus, OutboxMessage
from motcua.delivery.outbox import Refused, Unreachable, enqueue, retry
from motcua.dossiers.models import Dossier, Origin
from motcua.exchange.dvcqg.client import PortalClient, PortalRefused, portal_client
from motcua.exchange.dvcqg.outbound import (
    DESTINATION,
    DOSSIER_KIND,
    DOSSIER_RELATIONS,
    ordering_key,
    record_payload,
)
from motcua.exchange.dvcqg.records import (
    ProcedureNotMapped,
    dossier_record,
    national_dossier_code,
    portal_date,
)
from motcua.exchange.models import DifferenceKind, NationalSync, ReconciliationRun
from motcua.worktime.calendar import LOCAL_TZ

LOOKUP_SERVICE = "TraCuuHoSo"
# The portal's answer to a look-up of a code it does not hold (dvcqg-protocol: error_code -1).
NOT_FOUND_CODE = -1
# The dates compared, by their national field names.
DATE_FIELDS = ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra")
STATUS_FIELD = "TrangThaiHoSo"
# A longer range is refused: the portal would list it in one answer.
MAX_DAYS = 366
# Outbox look-ups by ordering key, a few hundred keys per query.
CHUNK = 500
# A message the portal has not taken and that a person should know of: dead, or tried and failing.
UNDELIVERED = Q(status=MessageStatus.DEAD) | Q(status=MessageStatus.PENDING, attempts__gt=0)


class ReconciliationFailed(Exception):
    """The comparison could not be made (sync off, the portal unreachable or refusing the look-up); the run is
    stored with the reason."""

    def __init__(self, reason: str, run: ReconciliationRun) -> None:
        super().__init__(reason)
        self.reason = reason
        self.run = run


@dataclasses.dataclass(frozen=True)
class Difference:
    kind: DifferenceKind
    code: str  # MaHoSo on the portal
    dossier: str = ""  # our code; blank when the portal's record is unknown here
    field: str = ""
    ours: str = ""
    theirs: str = ""
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {**dataclasses.asdict(self), "kind": str(self.kind)}


@dataclasses.dataclass(frozen=True)
class Reconciliation:
    run: ReconciliationRun
    differences: list[Difference]

    @property
    def expected(self) -> int:
        return self.run.expected_count

    @property
    def on_portal(self) -> int:
        return self.run.portal_count


def check_range(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
    """The range as given, or an InvalidInput naming the field that is missing or wrong."""
    if date_from is None:
        raise InvalidInput.field("from", "required", _("Give the first day of the range."))
    if date_to is None:
        raise InvalidInput.field("to", "required", _("Give the last day of the range."))
    if date_to < date_from:
        raise InvalidInput.field("to", "before_start", _("The last day comes before the first day."))
    if (date_to - date_from).days >= MAX_DAYS:
        raise InvalidInput.field(
            "to", "too_long", _("A reconciliation covers at most %(days)d days.") % {"days": MAX_DAYS}
        )
    return date_from, date_to


def reconcile(
    date_from: dt.date | None, date_to: dt.date | None, *, started_by: Any = None
) -> Reconciliation:
    """Compare the portal's records for the days date_from..date_to (inclusive, local time) with ours; store
    and return the run. InvalidInput for a wrong range, ReconciliationFailed when the portal cannot say."""
    date_from, date_to = check_range(date_from, date_to)
    run = ReconciliationRun.objects.create(
        date_from=date_from,
        date_to=date_to,
        started_at=timezone.now(),
        started_by=started_by if getattr(started_by, "pk", None) else None,
    )
    client = portal_client()
    if client is None:
        _fail(run, _("Synchronisation with the national portal is off (MOTCUA_DVCQG_URL is not set)."))
    start, end = _bounds(date_from, date_to)
    try:
        listed = _records(
            client.call(LOOKUP_SERVICE, {"TuNgay": portal_date(start), "DenNgay": portal_date(end)})
        )
        differences = _compare(client, listed, start, end)
    except (Unreachable, Refused) as error:
        _fail(run, mask_personal_ids(str(error)) or type(error).__name__)
    run.portal_count = len(listed)
    run.expected_count = _expected(start, end).count()
    run.differences = [d.as_dict() for d in differences]
    run.difference_count = len(differences)
    run.finished_at = timezone.now()
    run.save()
    return Reconciliation(run, differences)


def _fail(run: ReconciliationRun, reason: str) -> NoReturn:
    run.error = reason
    run.finished_at = timezone.now()
    run.save(update_fields=["error", "finished_at"])
    raise ReconciliationFailed(reason, run)


def _bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first and last second of the range, local time."""
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=LOCAL_TZ)
    end = dt.datetime.combine(date_to, dt.time(23, 59, 59), tzinfo=LOCAL_TZ)
    return start, end


def _records(result: Any) -> dict[str, dict[str, Any]]:
    """The portal's list, by MaHoSo; an answer that is not a list of records is the portal's fault."""
    if not isinstance(result, list) or not all(isinstance(r, dict) and r.get("MaHoSo") for r in result):
        raise Refused(_("The national portal's list of dossiers is not a list of records with MaHoSo."))
    return {str(r["MaHoSo"]): r for r in result}


def _expected(start: dt.datetime, end: dt.datetime) -> QuerySet[Dossier]:
    """Our dossiers the portal should list for the range: received in it, or submitted in it and not yet
    received, of a procedure mapped to a national code."""
    in_range = Q(received_at__range=(start, end)) | Q(
        received_at__isnull=True, submitted_at__range=(start, end)
    )
    return Dossier.objects.filter(in_range, procedure_version__procedure__national_mapping__isnull=False)


def _compare(
    client: PortalClient, listed: dict[str, dict[str, Any]], start: dt.datetime, end: dt.datetime
) -> list[Difference]:
    differences: list[Difference] = []
    expected = list(
        _expected(start, end).select_related(*DOSSIER_RELATIONS, "national_sync").order_by("code")
    )
    ours = {national_dossier_code(dossier): dossier for dossier in expected}
    for code, dossier in ours.items():
        theirs = listed.get(code)
        if theirs is None and hasattr(dossier, "national_sync"):
            theirs = _look_up(client, code)
        if theirs is None:
            differences.append(Difference(DifferenceKind.MISSING_ON_PORTAL, code, dossier.code))
        else:
            differences.extend(_field_differences(code, dossier, theirs))
    unknown = [code for code in listed if code not in ours]
    known = _dossiers_by_portal_code(unknown)
    for code in sorted(unknown):
        found = known.get(code)
        if found is None:
            differences.append(
                Difference(DifferenceKind.MISSING_HERE, code, theirs=_text(listed[code].get(STATUS_FIELD)))
            )
        else:
            # Ours, but outside the range here (or not expected): its dates or mapping differ.
            differences.extend(_field_differences(code, found, listed[code]))
            expected.append(found)
    differences.extend(_outbox_differences(expected))
    return differences


def _look_up(client: PortalClient, code: str) -> dict[str, Any] | None:
    try:
        record = client.call(LOOKUP_SERVICE, {"MaHoSo": code})
    except PortalRefused as refusal:
        if refusal.code == NOT_FOUND_CODE:
            return None
        raise
    return record if isinstance(record, dict) else None


def _dossiers_by_portal_code(codes: list[str]) -> dict[str, Dossier]:
    found: dict[str, Dossier] = {}
    for chunk in _chunks(codes):
        for dossier in Dossier.objects.select_related(*DOSSIER_RELATIONS).filter(
            Q(code__in=chunk) | Q(origin=Origin.NATIONAL_PORTAL, origin_code__in=chunk)
        ):
            found[national_dossier_code(dossier)] = dossier
    return found


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _field_differences(code: str, dossier: Dossier, theirs: dict[str, Any]) -> Iterator[Difference]:
    try:
        expected = dossier_record(dossier)
    except ProcedureNotMapped as unmapped:
        yield Difference(
            DifferenceKind.NOT_MAPPED,
            code,
            dossier.code,
            "MaTTHC",
            "",
            _text(theirs.get("MaTTHC")),
            str(unmapped),
        )
        return
    ours_status, their_status = _text(expected.get(STATUS_FIELD)), _text(theirs.get(STATUS_FIELD))
    if ours_status.lstrip("0") != their_status.lstrip("0"):
        yield Difference(
            DifferenceKind.WRONG_STATUS, code, dossier.code, STATUS_FIELD, ours_status, their_status
        )
    for field in DATE_FIELDS:
        ours_date, their_date = _second(expected.get(field)), _second(theirs.get(field))
        if ours_date != their_date:
            yield Difference(DifferenceKind.WRONG_DATE, code, dossier.code, field, ours_date, their_date)


def _second(value: Any) -> str:
    """A national date to the second (yyyyMMddHHmmss): a longer one is cut, a blank one stays blank."""
    return _text(value)[: len("yyyyMMddHHmmss")]


def _outbox_differences(dossiers: Iterable[Dossier]) -> list[Difference]:
    portal_codes = {ordering_key(d.code): (national_dossier_code(d), d.code) for d in dossiers}
    differences = []
    for chunk in _chunks(sorted(portal_codes)):
        messages = OutboxMessage.objects.filter(
            UNDELIVERED, destination=DESTINATION, ordering_key__in=chunk
        ).order_by("ordering_key", "id")
        for message in messages:
            code, ours = portal_codes[message.ordering_key]
            kind = (
                DifferenceKind.OUTBOX_DEAD
                if message.status == MessageStatus.DEAD
                else (DifferenceKind.OUTBOX_FAILING)
            )
            detail = mask_personal_ids(message.last_error)
            differences.append(Difference(kind, code, ours, field=message.kind, detail=detail))
    return differences


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for first in range(0, len(items), CHUNK):
        yield items[first : first + CHUNK]


# --- resync ------------------------------------------------------------------------------------------------


def resync(run_id: int, index: int) -> Difference:
    """Send the record of the dossier behind difference `index` of run `run_id` again, as it is now.

    A dossier's messages wait behind its undelivered ones, so the dead and failing ones are tried again now;
    every undelivered record among them (a full snapshot, built from data since corrected, perhaps refused for
    it) is replaced by the current one under a new idempotency key, the portal having answered the old key
    already. Without such a record, the current one is queued after them. NotFound for an unknown run or
    difference, Conflict when there is nothing of ours to send."""
    with transaction.atomic():
        run = ReconciliationRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or not 0 <= index < len(run.differences):
            raise NotFound(_("There is no such difference in reconciliation %d.") % run_id)
        entry = run.differences[index]
        dossier = Dossier.objects.filter(code=entry.get("dossier") or None).first()
        if dossier is None:
            raise Conflict(
                _("The national portal's dossier %s is unknown here: there is nothing to send.")
                % entry.get("code", "")
            )
        if portal_client() is None:
            raise Conflict(_("Synchronisation with the national portal is off."))
        try:
            # The portal takes a record it does not hold yet as new, one it holds as an update.
            payload = record_payload(dossier, updating=NationalSync.objects.filter(dossier=dossier).exists())
        except ProcedureNotMapped:
            raise Conflict(
                _("The procedure of dossier %s has no national code: it is not synchronised.") % dossier.code
            ) from None
        key = ordering_key(dossier.code)
        waiting = OutboxMessage.objects.filter(destination=DESTINATION, ordering_key=key).exclude(
            status=MessageStatus.DELIVERED
        )
        replaced = False
        for message in waiting.select_for_update().order_by("id"):
            if message.kind == DOSSIER_KIND:
                message.payload, message.idempotency_key = payload, uuid.uuid4()
                message.save(update_fields=["payload", "idempotency_key"])
                replaced = True
            if message.status == MessageStatus.DEAD or message.attempts:
                retry(message.pk)
        if not replaced:
            enqueue(DESTINATION, DOSSIER_KIND, payload, ordering_key=key)
        entry["resynced_at"] = timezone.now().isoformat()
        run.save(update_fields=["differences"])
    return Difference(
        DifferenceKind(entry["kind"]),
        entry.get("code", ""),
        entry.get("dossier", ""),
        entry.get("field", ""),
        entry.get("ours", ""),
        entry.get("theirs", ""),
        entry.get("detail", ""),
    )
