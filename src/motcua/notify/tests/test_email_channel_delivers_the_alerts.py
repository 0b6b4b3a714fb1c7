"""The e-mail channel is a plugin of the notification registry: it delivers through Django's mail backend,
reports a refusal as DeliveryFailed, takes typed options from MOTCUA_NOTIFY_CHANNELS, and is what the deadline
alerts send with; switched off, no one is e-mailed and warnings stay in the back office."""

from __future__ import annotations

from smtplib import SMTPServerDisconnected

import pytest
from django.core import checks, mail
from django.core.exceptions import ImproperlyConfigured

from motcua.alerts.constants import Channel, WarningKind
from motcua.alerts.models import DeadlineWarning
from motcua.alerts.tests.scenes import APPLICANT_EMAIL, AlertDesk, scan
from motcua.notify.channels import DeliveryFailed, Message, NotificationChannel, channels
from motcua.notify.mail import EmailChannel, EmailOptions

MESSAGE = Message(to="mai@example.vn", subject="Hồ sơ", body="Nội dung")


class RecordingChannel(EmailChannel):
    sent: list[Message] = []

    def send(self, message: Message) -> None:
        self.sent.append(message)


def test_the_email_channel_is_on_by_default_and_sends_from_the_default_address(settings):
    settings.DEFAULT_FROM_EMAIL = "Một cửa <motcua@example.vn>"
    email = channels.get("email")
    assert isinstance(email, EmailChannel)
    email.send(MESSAGE)
    [sent] = mail.outbox
    assert (sent.to, sent.subject, sent.body, sent.from_email) == (
        ["mai@example.vn"],
        "Hồ sơ",
        "Nội dung",
        "Một cửa <motcua@example.vn>",
    )


def test_the_sender_is_an_option_and_a_wrong_option_is_a_start_error(settings):
    settings.MOTCUA_NOTIFY_CHANNELS = {"email": {"from_address": "canbo@example.vn"}}
    email = channels.get("email")
    assert email is not None and email.options == EmailOptions(from_address="canbo@example.vn")
    email.send(MESSAGE)
    assert mail.outbox[0].from_email == "canbo@example.vn"

    settings.MOTCUA_NOTIFY_CHANNELS = {"email": {"sender": "canbo@example.vn"}}
    with pytest.raises(ImproperlyConfigured, match="sender: Extra inputs are not permitted"):
        channels.get("email")
    errors = [e for e in checks.run_checks() if e.id == "motcua.notify.E001"]
    assert len(errors) == 1 and "MOTCUA_NOTIFY_CHANNELS['email']" in errors[0].msg


def test_a_refusing_mail_server_is_a_delivery_failure(settings):
    settings.EMAIL_BACKEND = "motcua.alerts.tests.test_applicant_reminded_of_the_apology.RefusingBackend"
    email = channels.get("email")
    assert email is not None
    with pytest.raises(DeliveryFailed) as raised:
        email.send(MESSAGE)
    assert isinstance(raised.value.__cause__, SMTPServerDisconnected)


def test_every_channel_is_a_notification_channel():
    assert "email" in channels
    assert all(issubclass(channels.plugin_class(key), NotificationChannel) for key in channels)


def test_the_alerts_send_through_the_channel_the_registry_gives(world):
    desk = AlertDesk(world)
    desk.give_emails("leader")
    dossier = desk.at_the_department()

    RecordingChannel.sent = []
    with channels.replaced("email", RecordingChannel):
        result = scan("2026-03-05 09:01")

    assert mail.outbox == [], "the replaced channel, not the mail backend, delivered"
    assert result.emails_sent == len(RecordingChannel.sent) > 0
    addresses = {message.to for message in RecordingChannel.sent}
    assert {APPLICANT_EMAIL, "leader@motcua.example"} <= addresses
    assert all(dossier.code in message.subject for message in RecordingChannel.sent)


def test_without_the_email_channel_warnings_stay_in_the_back_office(world, settings):
    settings.MOTCUA_NOTIFY_CHANNELS = {}
    desk = AlertDesk(world)
    desk.give_emails("leader")
    dossier = desk.at_the_department()

    result = scan("2026-03-05 09:01")

    assert (result.emails_sent, mail.outbox) == (0, [])
    warnings = DeadlineWarning.objects.filter(dossier=dossier)
    assert warnings.filter(kind=WarningKind.OVERDUE).exists()
    assert set(warnings.values_list("channel", flat=True)) == {Channel.IN_APP}
