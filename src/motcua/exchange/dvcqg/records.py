"""What the national portal (DVCQG) is told of a dossier: the DongBoHoSoMC record of the dossier as it stands,
and the CapNhatTienDoHoSoMC entry of one step of its history (DOMAIN.md §7, §2.6; docs/integrations/
dvcqg-outbound.md has the field table).

Both are built from the database inside the transaction of the change, so that the message holds the dossier
as of that change. The statuses and channels are the national codes the lifecycle declares.
The record carries the applicant's personal ID number because the portal needs it (SoGiayToChuHoSo): it is
stored in the outbox, and must never be logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation

from motcua.core.links import absolute_url
from motcua.dossiers.lifecycle import ActionName, event_label, national_channel_code, national_code
from motcua.dossiers.models import ApplicantKind, Dossier, DossierEvent, Origin
from motcua.exchange.dvcqg.times import portal_time
from motcua.exchange.models import AgencyMapping, ProcedureMapping
from motcua.org.models import Agency, StaffRole

# LoaiDoiTuong (DOMAIN.md §5.5).
APPLICANT_KIND_CODE: dict[str, str] = {ApplicantKind.PERSON: "1", ApplicantKind.ORGANISATION: "2"}
# The actions that end a dossier by refusing it (at receipt, or by stopping its processing): NgayTuChoi.
REFUSING_ACTIONS = (ActionName.REFUSE, ActionName.STOP)
# How the new date an apology promises is shown to the portal's readers, in local time.
SHOWN_DATE_FORMAT = "%d/%m/%Y %H:%M"


class ProcedureNotMapped(LookupError):
    """The dossier's procedure (named by its local code) has no national code: it is not synchronised."""


def portal_date(moment: dt.datetime | None) -> str:
    """`moment` as the portal writes dates (yyyyMMddHHmmss, Vietnam's time); an unknown date is empty."""
    return portal_time(moment) if moment is not None else ""


def national_dossier_code(dossier: Dossier) -> str:
    """MaHoSo on the portal: the portal's own code for a dossier filed there, our code for every other."""
    if dossier.origin == Origin.NATIONAL_PORTAL and dossier.origin_code:
        return dossier.origin_code
    return dossier.code


def national_procedure_code(dossier: Dossier) -> str | None:
    """MaTTHC: the national code the procedure is mapped to, None when it is not mapped (not synchronised)."""
    try:
        # Read with the dossier when it was selected with "procedure_version__procedure__national_mapping".
        return dossier.procedure_version.procedure.national_mapping.national_code
    except ProcedureMapping.DoesNotExist:
        return None


def national_unit_code(agency: Agency) -> str:
    """The agency's unit code on the portal: its mapping, else its identity code (which the portal uses for
    units of the national identity-code table)."""
    try:
        return agency.national_mapping.national_code
    except AgencyMapping.DoesNotExist:
        return agency.identity_code


def _person_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _other_codes(dossier: Dossier, main: str) -> str:
    codes = [dossier.code, *dossier.other_codes]
    return ";".join(dict.fromkeys(code for code in codes if code and code != main))


def _applicant_document_number(dossier: Dossier) -> str:
    if dossier.applicant_kind == ApplicantKind.ORGANISATION:
        return dossier.applicant_tax_code
    return dossier.applicant_id_number


def _refused_at(dossier: Dossier) -> dt.datetime | None:
    if dossier.closed_at is None:  # refusing a dossier closes it: an open one was never refused
        return None
    return (
        dossier.events.filter(action__in=REFUSING_ACTIONS)
        .order_by("-version")
        .values_list("at", flat=True)
        .first()
    )


def _documents(dossier: Dossier) -> list[dict[str, Any]]:
    documents = dossier.documents.select_related("requirement", "file").order_by("added_at", "id")
    return [
        {
            "TepDinhKemId": str(document.pk),
            "TenTepDinhKem": document.file.original_name
            if document.file
            else (document.requirement.name if document.requirement else ""),
            "MaThanhPhanHoSo": document.requirement.national_doc_type_code if document.requirement else "",
            # A document with a scan was digitised (766 indicator 4.2); paper received unscanned was not.
            "DuocSoHoa": "1" if document.file_id else "0",
        }
        for document in documents
    ]


def _fees(dossier: Dossier, procedure_name: str) -> list[dict[str, Any]]:
    if not dossier.fee_due:
        return []
    fees = list(dossier.case.fees.order_by("id"))
    name = "; ".join(fee.description for fee in fees if fee.description) or procedure_name
    return [
        {
            "TenPhiLePhi": name,
            "MaPhiLePhi": str(fees[0].pk) if len(fees) == 1 else "",
            "Gia": dossier.fee_due,
        }
    ]


def _supplements(dossier: Dossier) -> list[dict[str, Any]]:
    requests = dossier.supplements.select_related("requested_by").order_by("requested_at", "id")
    return [
        {
            "HoSoBoSungId": str(request.pk),
            "NguoiYeuCauBoSung": _person_name(request.requested_by),
            "NoiDungBoSung": "; ".join(
                [request.reason, *(item.get("description", "") for item in request.items)]
            ).strip("; "),
            "NgayBoSung": portal_date(request.requested_at),
            "NgayTiepNhanBoSung": portal_date(request.submitted_at),
        }
        for request in requests
    ]


def _results(dossier: Dossier) -> list[dict[str, Any]]:
    if dossier.finished_at is None or not (dossier.result_number or dossier.result_file_id):
        return []
    result: dict[str, Any] = {
        "TenGiayTo": dossier.procedure_version.name,
        "MaGiayToKetQua": dossier.result_number,
        "GiayToId": str(dossier.result_file_id or ""),
        "DuongDanTepTinKetQua": "",
    }
    if dossier.result_file_id:
        # An electronic result: where the applicant (signed in) downloads it, signed (ADR 0017).
        result["DuongDanTepTinKetQua"] = absolute_url(reverse("api-v1:download_result", args=[dossier.code]))
    return [result]


def dossier_record(dossier: Dossier) -> dict[str, Any]:
    """The DongBoHoSoMC record of `dossier` as it stands; ProcedureNotMapped when its procedure has no
    national code (the portal would refuse it)."""
    procedure_code = national_procedure_code(dossier)
    if procedure_code is None:
        raise ProcedureNotMapped(dossier.procedure_version.procedure.local_code)
    version = dossier.procedure_version
    main_code = national_dossier_code(dossier)
    case = dossier.case.name
    summary = version.name if case in ("", version.name) else f"{version.name}: {case}"
    return {
        "MaHoSo": main_code,
        "MaTTHC": procedure_code,
        "TenTTHC": version.name,
        "MaLinhVuc": version.field.code,
        "TenLinhVuc": version.field.name,
        "KenhThucHien": str(national_channel_code(dossier.channel)),
        "ChuHoSo": dossier.applicant_name,
        "SoGiayToChuHoSo": _applicant_document_number(dossier),
        "LoaiDoiTuong": APPLICANT_KIND_CODE[dossier.applicant_kind],
        "Email": dossier.applicant_email,
        "SoDienThoai": dossier.applicant_phone,
        "TrichYeuHoSo": summary,
        # A dossier received at the counter was filed there and then: its filing is its creation.
        "NgayNopHoSo": portal_date(dossier.submitted_at or dossier.created_at),
        "NgayTiepNhan": portal_date(dossier.received_at),
        "NgayHenTra": portal_date(dossier.due_at),
        "TrangThaiHoSo": str(national_code(dossier.status)),
        "NgayTra": portal_date(dossier.returned_at),
        "NgayKetThucXuLy": portal_date(dossier.finished_at),
        "NgayTuChoi": portal_date(_refused_at(dossier)),
        "DonViXuLy": national_unit_code(dossier.competent_authority),
        "MaHoSoKhac": _other_codes(dossier, main_code),
        "TaiKhoanDuocXacThucVoiVNeID": "1" if dossier.vneid_verified else "0",
        "TaiLieuNop": _documents(dossier),
        "DanhSachLePhi": _fees(dossier, version.name),
        "DanhSachHoSoBoSung": _supplements(dossier),
        "DanhSachGiayToKetQua": _results(dossier),
    }


def _title(actor: User | None, unit_id: int | None) -> str:
    """The actor's position in the unit they acted for (ChucDanh), else their role there."""
    if actor is None or unit_id is None:
        return ""
    roles = list(StaffRole.objects.filter(user=actor, agency_id=unit_id).order_by("id"))
    positioned = next((role.position for role in roles if role.position), "")
    return positioned or (str(roles[0].get_role_display()) if roles else "")


def _what_was_done(event: DossierEvent) -> str:
    label = event_label(event.action)
    details = [str(event.data.get("reason") or "")]
    if promised := event.data.get("new_appointment"):
        moment = timezone.localtime(dt.datetime.fromisoformat(promised), timezone.get_default_timezone())
        details.append(moment.strftime(SHOWN_DATE_FORMAT))
    text = "; ".join(part for part in [*details, event.note] if part)
    return f"{label}: {text}" if text else label


def progress_entry(dossier: Dossier, event: DossierEvent) -> dict[str, Any]:
    """The CapNhatTienDoHoSoMC entry of `event`, one step of `dossier`'s history, in the deployment's
    language (Vietnamese): who did what, in which unit, when, and the status and deadline it left."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _title(event.actor, event.actor_unit_id)
        what = _what_was_done(event)
    return {
        "MaHoSo": national_dossier_code(dossier),
        # The applicant acting on their dossier (a supplement, a withdrawal) by the name they applied under,
        # never by their account's user name.
        "NguoiXuLy": dossier.applicant_name
        if event.actor_id is not None and event.actor_id == dossier.applicant_user_id
        else _person_name(event.actor),
        "ChucDanh": title,
        "ThoiDiemXuLy": portal_date(event.at),
        "PhongBanXuLy": event.actor_unit.name if event.actor_unit else "",
        "NoiDungXuLy": what,
        "TrangThai": str(national_code(event.to_status)),
        "NgayBatDau": portal_date(event.at),
        "NgayKetThucTheoQuyDinh": portal_date(dossier.due_at),
    }
