"""Scans at once, each on its own database connection, record each warning once and send each e-mail once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection

from motcua.alerts.models import DeadlineWarning
from motcua.alerts.services import ScanResult, scan_deadlines
from motcua.alerts.tests.scenes import AlertDesk, local

pytestmark = pytest.mark.django_db(transaction=True)

SCANS = 4


def scans_at_once(when: str) -> list[ScanResult]:
    barrier = threading.Barrier(SCANS)

    def run() -> ScanResult:
        try:
            barrier.wait(timeout=30)
            return scan_deadlines(local(when))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=SCANS) as pool:
        futures = [pool.submit(run) for _ in range(SCANS)]
        return [future.result(timeout=120) for future in futures]


def test_parallel_scans_record_every_warning_once_and_send_every_email_once(world):
    desk = AlertDesk(world)
    desk.give_emails("specialist", "leader", "city_leader")
    dossiers = [desk.at_the_department() for _ in range(3)]

    results = scans_at_once("2026-03-10 09:00")  # every level of both deadlines, and the applicant

    per_dossier = 2 * 3 + 1  # the appointment date's and the step's ladder of three, the reminder
    assert DeadlineWarning.objects.count() == per_dossier * len(dossiers)
    assert sum(len(result.warned) for result in results) == per_dossier * len(dossiers)
    assert len(mail.outbox) == per_dossier * len(dossiers)
    assert sum(result.emails_sent for result in results) == len(mail.outbox)
    assert not DeadlineWarning.objects.filter(channel="email", sent_at__isnull=True).exists()
