"""Catalogue rows the catalogue tests start from, as plain functions each test module wraps as it needs."""

import datetime as dt

from motcua.catalog.services import CaseSpec, StepSpec, VersionSpec
from motcua.org.constants import AgencyKind, UnitLevel
from motcua.org.models import AdministrativeUnit, Agency


def make_agencies() -> dict[str, Agency]:
    """The province's committee, one department and one commune committee: what the sample file names."""
    province = AdministrativeUnit.objects.create(code="01", name="Thành phố Hà Nội", level=UnitLevel.PROVINCE)
    ward = AdministrativeUnit.objects.create(
        code="00004", name="Phường Ba Đình", level=UnitLevel.COMMUNE, parent=province
    )
    city = Agency.objects.create(
        identity_code="000.00.00.H26",
        name="Ủy ban nhân dân Thành phố Hà Nội",
        kind=AgencyKind.PEOPLES_COMMITTEE,
        administrative_unit=province,
    )
    justice = Agency.objects.create(
        identity_code="000.00.21.H26",
        name="Sở Tư pháp",
        kind=AgencyKind.DEPARTMENT,
        parent=city,
        administrative_unit=province,
    )
    commune = Agency.objects.create(
        identity_code="000.A1.01.H26",
        name="Ủy ban nhân dân Phường Ba Đình",
        kind=AgencyKind.PEOPLES_COMMITTEE,
        parent=city,
        administrative_unit=ward,
    )
    return {a.identity_code: a for a in (city, justice, commune)}


def small_procedure() -> VersionSpec:
    """A small procedure as a publisher describes it: one three-day case with a workflow."""
    return VersionSpec(
        national_code="9.999001",
        local_code="9.999001.000.00.00.H26",
        name="Thủ tục thử nghiệm",
        field_code="TEST",
        field_name="Lĩnh vực thử nghiệm",
        level="province",
        competent_agency_code="000.00.21.H26",
        cases=(
            CaseSpec(
                code="TH1",
                name="Trường hợp chung",
                time_value=3,
                time_unit="working_days",
                same_day_cutoff=dt.time(15),
                form_schema={
                    "type": "object",
                    "properties": {"ho_ten": {"type": "string", "title": "Họ tên"}},
                },
                steps=(StepSpec("Thẩm định", "specialist", 16), StepSpec("Ký", "unit_leader", 8)),
            ),
        ),
        receiving_unit_codes=("000.00.21.H26",),
    )
