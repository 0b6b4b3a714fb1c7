"""Appending to the change chain: the model signals of every tracked model write a `ChangeRecord` in the
transaction of the change, whether it came from the admin, a service, `importprocedures` or the shell.

Bulk operations that skip model signals (`QuerySet.update`, `bulk_create`) must not be used on tracked models;
the catalogue's services create their rows one by one for that reason."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from motcua.audit.context import current_actor
from motcua.audit.models import ChainLock, ChangeRecord, Operation
from motcua.catalog import models as catalog
from motcua.core import hashchain
from motcua.org import models as org

CHAIN = "changes"
# Every field of these models is recorded.
WHOLE: tuple[type[models.Model], ...] = (
    org.StaffRole,
    org.Delegation,
    org.DelegationAudit,
    catalog.Field,
    catalog.Procedure,
    catalog.ProcedureVersion,
    catalog.Case,
    catalog.Fee,
    catalog.RequiredDocument,
    catalog.WorkflowStep,
    catalog.ServiceProgramme,
    catalog.ProgrammeEntry,
)
# Of a user account, only what grants rights: who is staff or superuser, who may sign in, the groups.
USER_FIELDS = ("is_staff", "is_superuser", "is_active")
_BEFORE = "_audit_before"


class _Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _plain(value: Any) -> Any:
    """A field's value as JSON gives it back (dates as ISO text, files by name)."""
    return json.loads(json.dumps(value, cls=_Encoder, ensure_ascii=False))


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    if model is get_user_model():
        return [model._meta.get_field(name) for name in USER_FIELDS]  # type: ignore[misc]
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _snapshot(instance: models.Model) -> dict[str, Any]:
    return {f.attname: _plain(f.value_from_object(instance)) for f in _fields(type(instance))}


def content(record: ChangeRecord) -> dict[str, Any]:
    """What a change record's hash covers."""
    return {
        "at": hashchain.timestamp(record.at),
        "actor": record.actor_id,
        "actor_name": record.actor_name,
        "via": record.via,
        "model": record.model,
        "pk": record.object_pk,
        "operation": record.operation,
        "changes": record.changes,
    }


def append(
    instance_model: type[models.Model], pk: Any, operation: str, changes: dict[str, Any]
) -> ChangeRecord:
    """Append one record to the change chain, holding the chain's lock until the transaction ends."""
    actor = current_actor()
    with transaction.atomic():
        ChainLock.objects.select_for_update().get_or_create(name=CHAIN)
        prev = ChangeRecord.objects.order_by("-id").values_list("hash", flat=True).first()
        record = ChangeRecord(
            at=timezone.now(),
            actor_id=actor.id,
            actor_name=actor.name,
            via=actor.via,
            model=instance_model._meta.label_lower,
            object_pk=str(pk),
            operation=operation,
            changes=_plain(changes),
            prev_hash=prev or hashchain.GENESIS,
            hash_algorithm=hashchain.ALGORITHM,
        )
        record.hash = hashchain.link(record.prev_hash, content(record), record.hash_algorithm)
        record.save(force_insert=True)
    return record


def _is_tracked_user(instance: models.Model, values: dict[str, Any]) -> bool:
    return bool(values.get("is_staff") or values.get("is_superuser"))


def _before_save(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    setattr(instance, _BEFORE, None)
    if raw or instance._state.adding or instance.pk is None:
        return
    fields = _fields(sender)
    names = {f.attname for f in fields}
    update_fields = kwargs.get("update_fields")
    # A save of other fields only (a sign-in's last_login) costs no read.
    if update_fields is not None and not (names | {f.name for f in fields}) & set(update_fields):
        return
    old = sender._base_manager.filter(pk=instance.pk).values(*names).first()
    setattr(instance, _BEFORE, {k: _plain(v) for k, v in old.items()} if old else None)


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    now = _snapshot(instance)
    if created:
        if sender is get_user_model() and not _is_tracked_user(instance, now):
            return
        append(sender, instance.pk, Operation.CREATE, {k: [None, v] for k, v in now.items()})
        return
    before = getattr(instance, _BEFORE, None)
    if before is None:
        return
    changed = {k: [before[k], v] for k, v in now.items() if k in before and before[k] != v}
    if changed:
        append(sender, instance.pk, Operation.UPDATE, changed)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    old = _snapshot(instance)
    if sender is get_user_model() and not _is_tracked_user(instance, old):
        return
    append(sender, instance.pk, Operation.DELETE, {k: [v, None] for k, v in old.items()})


def _m2m(field: str) -> Any:
    def changed(
        sender: type[models.Model],
        instance: models.Model,
        action: str,
        reverse: bool,
        model: type[models.Model],
        pk_set: set[Any] | None,
        **kwargs: Any,
    ) -> None:
        if reverse:
            # Seen from the other side (a group's users, an agency's procedures): recorded on each owner.
            if action == "pre_clear":
                owners = list(model._base_manager.filter(**{field: instance.pk}).values_list("pk", flat=True))
                action, pk_set = "post_remove", set(owners)
            if action in {"post_add", "post_remove"}:
                for owner_pk in sorted(pk_set or ()):
                    _record_links(model, owner_pk, field, action, {instance.pk})
            return
        if action == "pre_clear":
            current = set(getattr(instance, field).values_list("pk", flat=True))
            _record_links(type(instance), instance.pk, field, "post_remove", current)
        elif action in {"post_add", "post_remove"}:
            _record_links(type(instance), instance.pk, field, action, pk_set or set())

    return changed


def _record_links(owner: type[models.Model], pk: Any, field: str, action: str, pks: set[Any]) -> None:
    if not pks:
        return
    key = "added" if action == "post_add" else "removed"
    append(owner, pk, Operation.UPDATE, {field: {key: sorted(pks)}})


def connect() -> None:
    user = get_user_model()
    for model in (*WHOLE, user):
        uid = f"audit_{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}_before", weak=False)
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}_after", weak=False)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}_delete", weak=False)
    m2m_changed.connect(
        _m2m("receiving_units"),
        sender=catalog.ProcedureVersion.receiving_units.through,
        dispatch_uid="audit_receiving_units",
        weak=False,
    )
    m2m_changed.connect(_m2m("groups"), sender=user.groups.through, dispatch_uid="audit_groups", weak=False)
