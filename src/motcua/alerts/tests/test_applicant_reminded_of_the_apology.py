"""The applicant of a late dossier with no apology is told once, by e-mail and in Vietnamese, that the agency
owes them an apology with a new date (Mẫu 04); officers with an address are e-mailed their warnings."""

from __future__ import annotations

from collections.abc import Sequence
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from motcua.alerts.constants import Channel, WarningKind
from motcua.alerts.models import DeadlineWarning
from motcua.alerts.tests.scenes import APPLICANT_EMAIL, AlertDesk, scan

APOLOGY_FORM = "Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)"


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise SMTPServerDisconnected("the mail server went away")


@pytest.fixture
def desk(world) -> AlertDesk:
    return AlertDesk(world)


def to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def test_the_applicant_of_a_late_dossier_is_reminded_once_in_vietnamese(desk, settings):
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.example.vn"
    dossier = desk.at_the_department()

    scan("2026-03-05 09:01")
    scan("2026-03-05 10:00")
    scan("2026-03-10 09:00")

    [message] = to(APPLICANT_EMAIL)
    assert dossier.code in message.subject
    assert dossier.code in message.body
    assert APOLOGY_FORM in message.body, "the form is named as the law names it, in Vietnamese"
    assert f"https://dichvucong.example.vn/lookup/{dossier.code}/?key={dossier.lookup_key}" in message.body
    reminder = DeadlineWarning.objects.get(dossier=dossier, kind=WarningKind.APOLOGY_OWED)
    assert (reminder.recipient, reminder.recipient_email, reminder.channel) == (
        None,
        APPLICANT_EMAIL,
        "email",
    )
    assert reminder.sent_at is not None


def test_no_reminder_once_the_apology_is_issued(desk):
    dossier = desk.at_the_department()
    desk.act(
        "leader",
        dossier,
        "apologise",
        "2026-03-04 15:00",
        reason="Chờ xác minh của cơ quan khác",
        new_appointment="2026-03-13T09:00:00+07:00",
    )

    scan("2026-03-05 09:01")

    assert to(APPLICANT_EMAIL) == []
    assert not DeadlineWarning.objects.filter(dossier=dossier, kind=WarningKind.APOLOGY_OWED).exists()
    assert DeadlineWarning.objects.filter(dossier=dossier, kind=WarningKind.OVERDUE).exists(), (
        "the dossier is still late: its officers are warned all the same"
    )


def test_an_applicant_without_an_address_is_not_written_to(desk):
    dossier = desk.at_the_department(email="")

    scan("2026-03-05 09:01")

    assert not DeadlineWarning.objects.filter(dossier=dossier, kind=WarningKind.APOLOGY_OWED).exists()
    assert mail.outbox == []


def test_officers_with_an_address_get_their_warnings_by_email_the_others_in_the_back_office(desk, settings):
    desk.give_emails("leader")
    dossier = desk.at_the_department(email="")

    scan("2026-03-04 14:30")  # the step is 8 working hours over: its assignee and the unit leader are warned

    [message] = mail.outbox
    assert message.to == ["leader@motcua.example"]
    assert dossier.code in message.subject
    assert dossier.code in message.body and "Thẩm định" in message.body
    channels = {
        (w.recipient.username, w.channel)
        for w in DeadlineWarning.objects.filter(dossier=dossier, kind=WarningKind.OVERDUE).select_related(
            "recipient"
        )
        if w.recipient is not None
    }
    assert channels == {("specialist", Channel.IN_APP), ("leader", Channel.EMAIL)}


def test_an_email_the_server_refused_is_sent_by_a_later_scan_and_only_once(desk, settings):
    settings.EMAIL_BACKEND = "motcua.alerts.tests.test_applicant_reminded_of_the_apology.RefusingBackend"
    dossier = desk.at_the_department()

    refused = scan("2026-03-05 09:01")

    reminder = DeadlineWarning.objects.get(dossier=dossier, kind=WarningKind.APOLOGY_OWED)
    assert (refused.emails_failed, reminder.sent_at, reminder.send_failures) == (1, None, 1)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    delivered = scan("2026-03-05 09:11")
    scan("2026-03-05 09:21")

    assert delivered.emails_sent == 1
    assert len(to(APPLICANT_EMAIL)) == 1
