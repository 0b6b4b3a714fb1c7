"""The e-mail channel: Django's mail backend (SMTP, or files under the data directory; settings.py)."""

from __future__ import annotations

from smtplib import SMTPException

from django.core.mail import send_mail
from pydantic import BaseModel, ConfigDict

from motcua.notify.channels import DeliveryFailed, Message, NotificationChannel, channels


class EmailOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    from_address: str = ""  # the sender; empty: DEFAULT_FROM_EMAIL


@channels.register("email")
class EmailChannel(NotificationChannel[EmailOptions]):
    options_model = EmailOptions

    def send(self, message: Message) -> None:
        try:
            send_mail(message.subject, message.body, self.options.from_address or None, [message.to])
        except (SMTPException, OSError) as error:
            raise DeliveryFailed(f"the mail server did not take the e-mail to {message.to}") from error
