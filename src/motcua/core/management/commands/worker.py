"""`motcua worker`: django-tasks-db's `db_worker`, with every periodic job queued first (core/recurring.py):
the deadline scan, the outbox's retries, the national portal's fetch. Every `db_worker` option is accepted
unchanged (`motcua worker --help`)."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from motcua.core.recurring import schedule_all


class Command(DatabaseWorkerCommand):
    help = "Run the background tasks queued in the database, the periodic jobs among them."

    def handle(self, *args: Any, **options: Any) -> None:
        for name in schedule_all():
            self.stdout.write(f"Scheduled the {name}.")
        super().handle(*args, **options)
