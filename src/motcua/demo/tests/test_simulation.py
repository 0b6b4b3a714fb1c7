"""`motcua simulate` makes history through the real services: every dossier's events chain its versions."""

from django.core.management import call_command
from django.db.models import Count, Max

from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, DossierEvent


def test_simulated_history_is_consistent(db, capsys):
    call_command("loaddemo", verbosity=0)
    call_command("simulate", days=12, per_day=6, seed=3, verbosity=0)
    out = capsys.readouterr().out
    assert "0 rejected" in out
    dossiers = Dossier.objects.annotate(event_count=Count("events"), last=Max("events__version"))
    assert dossiers.count() > 30
    for dossier in dossiers:
        assert dossier.event_count == dossier.version == dossier.last
    assert set(Dossier.objects.values_list("status", flat=True)) >= {Status.RETURNED, Status.IN_PROCESS}
    first = DossierEvent.objects.filter(version=1).values_list("action", flat=True)
    assert set(first) <= {"submit", "receive"}
    received = Dossier.objects.exclude(received_at=None)
    assert all(d.due_at is None or d.due_at > d.received_at for d in received)


def test_if_empty_keeps_existing_history(db, capsys):
    call_command("loaddemo", verbosity=0)
    call_command("simulate", days=5, per_day=2, verbosity=0)
    before = Dossier.objects.count()
    call_command("simulate", days=5, per_day=2, if_empty=True, verbosity=0)
    assert Dossier.objects.count() == before
