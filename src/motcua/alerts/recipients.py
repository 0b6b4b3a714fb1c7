"""Who hears of a deadline: the officer doing the work, then up the ladder (docs/operations/worker.md).

- Level 0: the assignee; when nobody is assigned, the officers holding the role the work waits for.
- Level 1: the unit leaders of the unit the work is at.
- Level 2, the head of agency: the unit leaders of the agency directly above the level-1 leaders' agency, the
  body that unit answers to (a department's director for one of its offices, the People's Committee's
  leadership for a department or a commune). Not the root of the tree: that would put every late dossier of
  the province on one desk.

A role held in an agency covers the agencies below it (org.selectors.roles_in), so at each level the officers
are those of the nearest agency, going up from the unit, in which someone holds the role.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from motcua.alerts.constants import Level
from motcua.org.constants import Role
from motcua.org.models import StaffRole
from motcua.org.selectors import ancestor_ids


@dataclass(frozen=True)
class Officer:
    id: int
    username: str
    email: str


@dataclass(frozen=True)
class Place:
    """Where a deadline's work waits: the unit, the role that does it, and who was assigned it, if anyone."""

    unit_id: int
    role: str
    assignee: User | None


class Directory:
    """The active officers by agency and role, each pair read once: one scan asks about the same few units
    for thousands of dossiers."""

    def __init__(self) -> None:
        self._holders: dict[tuple[int, str], tuple[Officer, ...]] = {}

    def holders(self, agency_id: int, role: str) -> tuple[Officer, ...]:
        key = (agency_id, role)
        if key not in self._holders:
            rows = (
                StaffRole.objects.filter(agency_id=agency_id, role=role, user__is_active=True)
                .order_by("user_id")
                .values_list("user_id", "user__username", "user__email")
            )
            self._holders[key] = tuple(Officer(*row) for row in rows)
        return self._holders[key]

    def nearest(self, agency_ids: list[int], role: str) -> tuple[int | None, tuple[Officer, ...]]:
        """The first agency of `agency_ids` (a chain going up) in which someone holds `role`, and who."""
        for agency_id in agency_ids:
            if found := self.holders(agency_id, role):
                return agency_id, found
        return None, ()

    def ladder(self, place: Place) -> dict[int, tuple[Officer, ...]]:
        """The officers warned at each level of the ladder for work waiting at `place`."""
        chain = ancestor_ids(place.unit_id)
        assignee = place.assignee
        if assignee is not None and assignee.is_active:
            doers: tuple[Officer, ...] = (Officer(assignee.pk, assignee.username, assignee.email),)
        else:
            doers = self.nearest(chain, place.role)[1]
        leaders_at, leaders = self.nearest(chain, Role.UNIT_LEADER)
        heads: tuple[Officer, ...] = ()
        if leaders_at is not None:
            above = ancestor_ids(leaders_at)[1:]
            heads = self.nearest(above, Role.UNIT_LEADER)[1]
        return {Level.ASSIGNEE: doers, Level.UNIT_LEADER: leaders, Level.HEAD_OF_AGENCY: heads}
