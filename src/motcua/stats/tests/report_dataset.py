"""A small province's March 2026, built through the real services, whose Biểu 06 is known cell by cell.

The case takes 3 working days: received on Monday 2 March at 09:00, a dossier is due on Thursday 5 March.

| dossier | competent agency | field | received | then | in March's report |
|---|---|---|---|---|---|
| H1 | Sở Tư pháp | HT | Fri 27/02, counter | result 03/03 (due 04/03) | carried over, early |
| H2 | Sở Tư pháp | HT | 02/03, counter | result 04/03 | early |
| H3 | Sở Tư pháp | HT | 02/03, counter | result 06/03 | late |
| H4 | Sở Tư pháp | HT | 02/03, online, received 10:00 | open | pending, overdue |
| H5 | Sở Tư pháp | HT | 30/03, counter | open, due 02/04 | pending, within |
| C1 | Sở Tư pháp | CT | 03/03, counter | result 05/03 (due 06/03) | early |
| B1 | UBND Phường Ba Đình | HT | 02/03, commune counter | open | pending, overdue |
| B2 | UBND Phường Ba Đình | HT | 10/03, by post | result 11/03 | early |
| N1 | UBND Phường Ngọc Hà | HT | 04/03, commune counter | open, due 09/03 | pending, overdue |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from motcua.catalog.constants import OnlineLevel, ProcedureLevel
from motcua.catalog.models import Case, Field, Procedure, ProcedureVersion, RequiredDocument, WorkflowStep
from motcua.conftest import BIRTH_FORM, World
from motcua.core.memo import clear_reference_caches
from motcua.org.constants import Role
from motcua.org.services import create_staff
from motcua.stats.tests.indicators_walk import act, receive, submit_online
from motcua.stats.tests.scenario import at
from motcua.worktime.constants import DurationUnit

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
# What March's report says, line by line, in the keys of the API.
ZERO = {
    "carried_over": 0,
    "received_online": 0,
    "received_direct": 0,
    "received_total": 0,
    "resolved_early": 0,
    "resolved_on_time": 0,
    "resolved_late": 0,
    "resolved_total": 0,
    "pending_within": 0,
    "pending_overdue": 0,
    "pending_total": 0,
    "on_time_rate": None,
}
CIVIL_STATUS = ZERO | {
    "carried_over": 1,
    "received_online": 1,
    "received_direct": 6,
    "received_total": 7,
    "resolved_early": 3,
    "resolved_late": 1,
    "resolved_total": 4,
    "pending_within": 1,
    "pending_overdue": 3,
    "pending_total": 4,
    "on_time_rate": 75.0,
}
CERTIFICATION = ZERO | {
    "received_direct": 1,
    "received_total": 1,
    "resolved_early": 1,
    "resolved_total": 1,
    "on_time_rate": 100.0,
}
TOTAL = ZERO | {
    "carried_over": 1,
    "received_online": 1,
    "received_direct": 7,
    "received_total": 8,
    "resolved_early": 4,
    "resolved_late": 1,
    "resolved_total": 5,
    "pending_within": 1,
    "pending_overdue": 3,
    "pending_total": 4,
    "on_time_rate": 80.0,
}
DEPARTMENT = ZERO | {
    "carried_over": 1,
    "received_online": 1,
    "received_direct": 4,
    "received_total": 5,
    "resolved_early": 3,
    "resolved_late": 1,
    "resolved_total": 4,
    "pending_within": 1,
    "pending_overdue": 1,
    "pending_total": 2,
    "on_time_rate": 75.0,
}
BA_DINH = ZERO | {
    "received_direct": 2,
    "received_total": 2,
    "resolved_early": 1,
    "resolved_total": 1,
    "pending_overdue": 1,
    "pending_total": 1,
    "on_time_rate": 100.0,
}
NGOC_HA = ZERO | {"received_direct": 1, "received_total": 1, "pending_overdue": 1, "pending_total": 1}


@dataclass
class Province:
    world: World
    certification: ProcedureVersion
    codes: dict[str, str]


def _certification_procedure(world: World) -> ProcedureVersion:
    """A second procedure of the department, in another field (chứng thực), shaped like the first."""
    field = Field.objects.create(code="CT", name="Chứng thực")
    procedure = Procedure.objects.create(national_code="2.000815", local_code="2.000815.000.00.00.H26")
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        valid_from=dt.date(2025, 7, 1),
        name="Chứng thực bản sao từ bản chính",
        field=field,
        level=ProcedureLevel.PROVINCE,
        competent_agency=world.department,
        online_level=OnlineLevel.FULL,
    )
    version.receiving_units.set([world.centre])
    case = Case.objects.create(
        version=version,
        code="standard",
        name="Thông thường",
        time_value=3,
        time_unit=DurationUnit.WORKING_DAYS,
        form_schema=BIRTH_FORM,
    )
    RequiredDocument.objects.create(case=case, order=1, name="Bản chính", originals=1, mandatory=True)
    WorkflowStep.objects.create(case=case, order=1, name="Thẩm định", role=Role.SPECIALIST, budget_hours=12)
    clear_reference_caches()
    return version


def _resolve(counter: str, signer: str, code: str, received: str, resolved: str) -> None:
    act(counter, code, "forward", at(received, 10))
    act(signer, code, "issue_result", at(resolved, 10))


def build_province(world: World) -> Province:
    """The dossiers of the module's table, and a leader of Phường Ba Đình (username "commune_leader")."""
    ba_dinh, ngoc_ha = world.commune_committee.identity_code, world.other_commune.identity_code
    create_staff("commune_leader", ba_dinh, Role.UNIT_LEADER, password="pw-12345678")
    certification = _certification_procedure(world)
    codes = {
        "H1": receive(world, at("2026-02-27")),
        "H2": receive(world, at("2026-03-02")),
        "H3": receive(world, at("2026-03-02")),
        "H4": submit_online(world, at("2026-03-02", 8)),
        "H5": receive(world, at("2026-03-30")),
        "C1": receive(world, at("2026-03-03"), version=certification),
        "B1": receive(world, at("2026-03-02"), officer="counter_commune", competent=ba_dinh),
        "B2": receive(world, at("2026-03-10"), officer="counter_commune", channel="post", competent=ba_dinh),
        "N1": receive(world, at("2026-03-04"), officer="counter_commune", competent=ngoc_ha),
    }
    _resolve("counter", "leader", codes["H1"], "2026-02-27", "2026-03-03")
    _resolve("counter", "leader", codes["H2"], "2026-03-02", "2026-03-04")
    _resolve("counter", "leader", codes["H3"], "2026-03-02", "2026-03-06")
    act("counter", codes["H4"], "accept", at("2026-03-02", 10))
    _resolve("counter", "leader", codes["C1"], "2026-03-03", "2026-03-05")
    _resolve("counter_commune", "commune_leader", codes["B2"], "2026-03-10", "2026-03-11")
    return Province(world, certification, codes)
