"""Dossiers for the alert tests, received and moved through the real services at given local moments.

The world's birth registration takes 3 working days, office hours 08:00–12:00 and 13:00–17:00: received on
Monday 2 March 2026 at 09:00, it is due on Thursday 5 March at 09:00. Its first step, "Thẩm định" at the
department (a specialist's, 12 working hours), opened at 09:30 on the Monday, is due on Tuesday at 14:30.
"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib.auth.models import User

from motcua.alerts.constants import WarningKind
from motcua.alerts.models import DeadlineWarning
from motcua.alerts.services import ScanResult, scan_deadlines
from motcua.conftest import VALID_FORM
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.intake import Applicant, AttachedDocument, Intake, create_dossier
from motcua.dossiers.tests.inbox_fixtures import Desk, local

RECEIVED = "2026-03-02 09:00"
FORWARDED = "2026-03-02 09:30"
ASSIGNED = "2026-03-02 10:00"
STEP_DUE = local("2026-03-03 14:30")
DUE = local("2026-03-05 09:00")
APPLICANT_EMAIL = "mai@example.vn"


class AlertDesk(Desk):
    """A Desk whose applicants give an e-mail address, with the scan at hand."""

    def receive_with_email(self, when: str = RECEIVED, email: str = APPLICANT_EMAIL) -> Dossier:
        intake = Intake(
            procedure=self.world.procedure.local_code,
            case="standard",
            channel="counter",
            applicant=Applicant(
                kind="person",
                full_name="Nguyễn Thị Mai",
                id_number="001090012345",
                date_of_birth=dt.date(1990, 5, 4),
                email=email,
            ),
            form=VALID_FORM,
            documents=[AttachedDocument(self.world.documents[0].pk, self.world.upload("counter"))],
        )
        with time_machine.travel(local(when), tick=False):
            return create_dossier(self.user("counter"), intake)

    def at_the_department(self, *, assigned: bool = True, email: str = APPLICANT_EMAIL) -> Dossier:
        """Received, handed to the department's first step and, by default, assigned to `specialist`."""
        dossier = self.receive_with_email(email=email)
        dossier = self.act("counter", dossier, "forward", FORWARDED)
        if assigned:
            dossier = self.act("leader", dossier, "assign", ASSIGNED, assignee="specialist")
        return dossier

    def give_emails(self, *usernames: str) -> None:
        for username in usernames:
            User.objects.filter(username=username).update(email=f"{username}@motcua.example")


def scan(when: str) -> ScanResult:
    with time_machine.travel(local(when), tick=False):
        return scan_deadlines(local(when))


def warned(dossier: Dossier, kind: str, *, step: bool | None = None) -> set[tuple[int, str]]:
    """(level, recipient username) of the warnings of `kind` on `dossier`; about its step, its own deadline
    or (None) both."""
    warnings = DeadlineWarning.objects.filter(dossier=dossier, kind=kind)
    if step is not None:
        warnings = warnings.filter(step__isnull=not step)
    return {(w.level, w.recipient.username if w.recipient else w.recipient_email) for w in warnings}


def overdue_levels(dossier: Dossier) -> set[tuple[int, str]]:
    """The ladder reached so far on the dossier's own deadline."""
    return warned(dossier, WarningKind.OVERDUE, step=False)
