import datetime as dt

import time_machine

from motcua.catalog.models import Case, ProcedureVersion
from motcua.conftest import BIRTH_FORM, act, post_json
from motcua.dossiers.models import Dossier


def test_a_catalogue_change_never_moves_a_received_dossier(world):
    with time_machine.travel("2026-06-29T09:00:00+07:00", tick=False):
        body = world.intake_body("counter")
        code = post_json(world.client("counter"), "/api/v1/dossiers", body).json()["code"]
    world.version.valid_to = dt.date(2026, 6, 30)
    world.version.save()
    newer = ProcedureVersion.objects.create(
        procedure=world.procedure,
        number=2,
        valid_from=dt.date(2026, 7, 1),
        name="Đăng ký khai sinh (2026)",
        field=world.version.field,
        level=world.version.level,
        competent_agency=world.department,
    )
    Case.objects.create(version=newer, code="standard", name="Nhanh", time_value=1, form_schema=BIRTH_FORM)
    with time_machine.travel("2026-07-01T09:00:00+07:00", tick=False):
        response = act(world, "counter", code, "forward")
        assert response.status_code == 200
        assert response.json()["due_at"] == "2026-07-02T09:00:00+07:00"
    dossier = Dossier.objects.get(code=code)
    assert dossier.procedure_version_id == world.version.pk and dossier.case_id == world.case.pk
