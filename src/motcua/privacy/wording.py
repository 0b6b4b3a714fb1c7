"""An access record in words, for the auditors' page and export and the citizen's page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.org.constants import Role
from motcua.privacy.constants import AccessChannel, AccessKind
from motcua.privacy.models import AccessRecord


def roles_text(record: AccessRecord) -> str:
    labels = [str(Role(r).label) for r in record.roles.split(",") if r in Role.values]
    if labels:
        return ", ".join(labels)
    return _("System administrator") if record.user.is_superuser else _("Account holder")


def reader_name(record: AccessRecord) -> str:
    return record.user.get_full_name() or record.user.get_username()


def kind_text(record: AccessRecord) -> str:
    return str(AccessKind(record.kind).label) if record.kind in AccessKind.values else record.kind


def channel_text(record: AccessRecord) -> str:
    known = record.channel in AccessChannel.values
    return str(AccessChannel(record.channel).label) if known else record.channel


def unit_text(record: AccessRecord) -> str:
    return record.unit.name if record.unit else ""
