"""Notification channels: how a message reaches a person (e-mail today; SMS and Zalo next), each a plugin of
the `channels` registry, switched on with its options by MOTCUA_NOTIFY_CHANNELS (core/plugins.py).

What to say is the business of the app that notifies (the alerts write their warnings); a channel only
delivers a finished message to an address it understands.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Any

from motcua.core.plugins import OptionsT, Plugin, Registry


@dataclass(frozen=True)
class Message:
    to: str  # the address on the channel: an e-mail address for e-mail
    subject: str
    body: str


class DeliveryFailed(Exception):
    """The channel could not hand the message over (the server refused it, or could not be reached): worth
    trying again later."""


class NotificationChannel(Plugin[OptionsT]):
    @abstractmethod
    def send(self, message: Message) -> None:
        """Deliver `message`; DeliveryFailed when it could not be handed over."""


channels: Registry[NotificationChannel[Any]] = Registry("notification channel", "MOTCUA_NOTIFY_CHANNELS")
