"""Dossier codes: {receiving unit identity code}-{yyMMdd}-{NNNN}, gap-free per unit per day (Decree 61/2018
Art. 26, DOMAIN.md §5.2)."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from motcua.dossiers.models import DossierCodeCounter
from motcua.org.models import Agency

# One statement takes the per-unit, per-day row lock and returns the new number; both engines speak this SQL.
# Run inside the intake transaction, so a failed intake rolls the number back and leaves no gap.
_NEXT_SEQUENCE_SQL = f"""
    INSERT INTO {DossierCodeCounter._meta.db_table} (agency_id, day, last) VALUES (%s, %s, 1)
    ON CONFLICT (agency_id, day) DO UPDATE SET last = {DossierCodeCounter._meta.db_table}.last + 1
    RETURNING last
"""


def next_dossier_code(agency: Agency, day: dt.date) -> str:
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_SEQUENCE_SQL, [agency.pk, day])
        (sequence,) = cursor.fetchone()
    return f"{agency.identity_code}-{day:%y%m%d}-{sequence:04d}"
