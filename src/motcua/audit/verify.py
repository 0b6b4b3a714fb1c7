"""Re-computing the chains (ADR 0015): every dossier's event chain and the change chain, streamed in chunks so
that memory stays bounded whatever the size of the history, and the anchor that proves later that nothing
before it was rewritten or removed.

A chain is broken at a record when its stored hash differs from the hash recomputed from its content and the
recomputed hash of the record before it. A record whose own content still matches its hash, but whose link
names a hash other than its predecessor's, follows a record that was removed or rewritten. Because the
algorithm has no secret, someone who rewrites a record can recompute every hash after it: only an anchor
kept outside the database (`anchor`, then `verify --anchor`) catches that, and the removal of a chain's last
record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from motcua.audit.models import ChangeRecord
from motcua.audit.recorder import content as change_content
from motcua.core import hashchain
from motcua.dossiers.chain import event_content
from motcua.dossiers.models import Dossier, DossierEvent

EVENTS_TABLE = DossierEvent._meta.db_table
CHANGES_TABLE = ChangeRecord._meta.db_table
CHANGE_CHAIN = "changes"
CHUNK = 2000
ANCHOR_FORMAT = "motcua-audit-anchor"
ANCHOR_VERSION = 1


@dataclass(frozen=True)
class Break:
    """The first place a chain does not hold: which record, why, and the hashes that disagree."""

    table: str
    id: int | None
    chain: str
    reason: str
    expected: str = ""
    stored: str = ""

    def __str__(self) -> str:
        where = f"{self.table} id={self.id}" if self.id is not None else self.table
        chain = f"chain {self.chain}" if self.table == CHANGES_TABLE else f"dossier {self.chain}"
        hashes = f" (expected {self.expected}, stored {self.stored})" if self.expected or self.stored else ""
        return f"{where} [{chain}]: {self.reason}{hashes}"


@dataclass(frozen=True)
class Head:
    chain: str
    position: int  # a dossier event's version, a change record's id
    hash: str

    def line(self, kind: str) -> str:
        return f"{kind} {self.chain} {self.position} {self.hash}"


@dataclass
class Report:
    dossier_chains: int = 0
    dossier_events: int = 0
    changes: int = 0
    breaks: list[Break] = field(default_factory=list)
    broken: int = 0

    def add(self, problem: Break, limit: int) -> None:
        self.broken += 1
        if len(self.breaks) < limit:
            self.breaks.append(problem)


Progress = Callable[[int], object]


def _link_problem(
    table: str, pk: int, chain: str, expected_prev: str, stored_prev: str, own: str, stored: str
) -> Break | None:
    """Compare a stored record with its recomputation; `own` is its hash over its own stored link."""
    if stored_prev != expected_prev and own == stored:
        return Break(
            table,
            pk,
            chain,
            "links to a record that is not the one before it: that record was removed or rewritten",
            expected_prev,
            stored_prev,
        )
    if own != stored:
        return Break(table, pk, chain, "its content does not match its hash: it was rewritten", own, stored)
    return None


def _recompute(algorithm: str, prev: str, content: dict[str, Any]) -> str:
    try:
        return hashchain.link(prev, content, algorithm)
    except hashchain.UnknownAlgorithm:
        return f"unknown algorithm {algorithm!r}"


def dossier_chains(
    report: Report, limit: int, progress: Progress, anchored: dict[str, tuple[int, str]] | None = None
) -> Iterator[Head]:
    """Walk every dossier's events in version order; yield each chain's head as stored and verified.

    With `anchored` (code: the version and hash an anchor saw last), each anchored event is compared as it
    passes and popped; the chains left in it at the end were removed altogether."""
    rows = (
        DossierEvent.objects.order_by("dossier_id", "version")
        .values_list(
            "pk", "dossier_id", "dossier__code", "action", "actor_id", "actor_unit_id", "at", "from_status",
            "to_status", "version", "note", "data", "prev_hash", "hash", "hash_algorithm",
        )
        .iterator(chunk_size=CHUNK)
    )  # fmt: skip
    current: int | None = None
    code = ""
    expected_prev = hashchain.GENESIS
    last: Head | None = None
    for (
        pk,
        dossier_id,
        code_,
        action,
        actor,
        unit,
        at,
        from_,
        to,
        version,
        note,
        data,
        prev,
        stored,
        alg,
    ) in rows:
        if dossier_id != current:
            if last is not None:
                _end_of_chain(report, limit, last, anchored)
                yield last
            current, code, expected_prev = dossier_id, code_, hashchain.GENESIS
            report.dossier_chains += 1
        content = event_content(
            code=code, action=action, actor_id=actor, actor_unit_id=unit, at=at, from_status=from_,
            to_status=to, version=version, note=note, data=data,
        )  # fmt: skip
        own = _recompute(alg, prev, content)
        if problem := _link_problem(EVENTS_TABLE, pk, code, expected_prev, prev, own, stored):
            report.add(problem, limit)
        # The chain goes on from what this record should have been, so one rewrite is named once.
        expected_prev = _recompute(alg, expected_prev, content)
        if anchored is not None and (anchored.get(code) or (None,))[0] == version:
            anchored_hash = anchored.pop(code)[1]
            if anchored_hash != stored:
                report.add(
                    Break(EVENTS_TABLE, pk, code, "differs from the anchor", anchored_hash, stored), limit
                )
        last = Head(code, version, stored)
        report.dossier_events += 1
        progress(1)
    if last is not None:
        _end_of_chain(report, limit, last, anchored)
        yield last
    for pk, code in Dossier.objects.filter(events__isnull=True).values_list("pk", "code").iterator(CHUNK):
        report.add(Break(Dossier._meta.db_table, pk, code, "the dossier has no events left"), limit)


def change_chain(report: Report, limit: int, progress: Progress) -> Head | None:
    expected_prev = hashchain.GENESIS
    last: Head | None = None
    for record in ChangeRecord.objects.order_by("pk").iterator(chunk_size=CHUNK):
        own = _recompute(record.hash_algorithm, record.prev_hash, change_content(record))
        problem = _link_problem(
            CHANGES_TABLE, record.pk, CHANGE_CHAIN, expected_prev, record.prev_hash, own, record.hash
        )
        if problem:
            report.add(problem, limit)
        expected_prev = _recompute(record.hash_algorithm, expected_prev, change_content(record))
        last = Head(CHANGE_CHAIN, record.pk, record.hash)
        report.changes += 1
        progress(1)
    return last


def total_records() -> int:
    return DossierEvent.objects.count() + ChangeRecord.objects.count()


class AnchorInvalid(ValueError):
    """The anchor file is not one this command wrote, or was edited since."""


@dataclass
class _Anchored:
    dossiers: dict[str, tuple[int, str]]
    changes: Head | None


def read_anchor(text: str) -> _Anchored:
    try:
        anchor = json.loads(text)
        if anchor.get("format") != ANCHOR_FORMAT or anchor.get("version") != ANCHOR_VERSION:
            raise AnchorInvalid("not a motcua audit anchor of a known version")
        heads = [Head(str(c), int(v), str(h)) for c, v, h in anchor["dossier_heads"]]
        raw_change = anchor["changes_head"]
        change = Head(CHANGE_CHAIN, int(raw_change["id"]), str(raw_change["hash"])) if raw_change else None
        digest = str(anchor["digest"])
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise AnchorInvalid(f"unreadable anchor: {error}") from None
    if _digest(heads, change) != digest:
        raise AnchorInvalid("the anchor's digest does not match its heads: the file was edited")
    return _Anchored({h.chain: (h.position, h.hash) for h in heads}, change)


def _digest(heads: list[Head], change: Head | None) -> str:
    lines = [h.line("dossier") for h in heads]
    if change is not None:
        lines.append(change.line("changes"))
    return hashchain.digest_of_heads(lines)


def _end_of_chain(
    report: Report, limit: int, head: Head, anchored: dict[str, tuple[int, str]] | None
) -> None:
    if anchored is not None and head.chain in anchored:
        version, hashed = anchored.pop(head.chain)
        reason = f"the anchored version {version} was removed"
        report.add(Break(EVENTS_TABLE, None, head.chain, reason, hashed), limit)


def verify(limit: int = 20, progress: Progress = lambda n: None, anchor: _Anchored | None = None) -> Report:
    """Re-compute every chain; with an anchor, also check each head it names is still there, unchanged."""
    report = Report()
    anchored = dict(anchor.dossiers) if anchor else None
    for _head in dossier_chains(report, limit, progress, anchored):
        pass
    for code, (version, hashed) in (anchored or {}).items():
        reason = f"the dossier's chain is gone (anchored at version {version})"
        report.add(Break(EVENTS_TABLE, None, code, reason, hashed), limit)
    change_head = change_chain(report, limit, progress)
    if anchor is not None and anchor.changes is not None:
        _check_change_anchor(report, limit, anchor.changes, change_head)
    return report


def _check_change_anchor(report: Report, limit: int, anchored: Head, head: Head | None) -> None:
    stored = ChangeRecord.objects.filter(pk=anchored.position).values_list("hash", flat=True).first()
    if stored is None:
        reason = "the anchored change record was removed"
        report.add(Break(CHANGES_TABLE, anchored.position, CHANGE_CHAIN, reason, anchored.hash), limit)
    elif stored != anchored.hash:
        report.add(
            Break(
                CHANGES_TABLE,
                anchored.position,
                CHANGE_CHAIN,
                "differs from the anchor",
                anchored.hash,
                stored,
            ),
            limit,
        )


def anchor(progress: Progress = lambda n: None) -> tuple[dict[str, Any], Report]:
    """Verify every chain and describe its heads: the JSON to keep outside the database."""
    report = Report()
    heads = list(dossier_chains(report, 20, progress))
    change_head = change_chain(report, 20, progress)
    created: dt.datetime = timezone.now()
    document = {
        "format": ANCHOR_FORMAT,
        "version": ANCHOR_VERSION,
        "algorithm": hashchain.ALGORITHM,
        "created_at": created.isoformat(),
        "digest": _digest(heads, change_head),
        "counts": {
            "dossier_chains": report.dossier_chains,
            "dossier_events": report.dossier_events,
            "changes": report.changes,
        },
        "changes_head": {"id": change_head.position, "hash": change_head.hash} if change_head else None,
        "dossier_heads": [[h.chain, h.position, h.hash] for h in heads],
    }
    return document, report
