"""`motcua worker`: django-tasks-db's `db_worker`, with the deadline scan scheduled first.

It lives with the alerts because the scan is the periodic job it must start; core, the kernel every app
depends on, cannot import it. Every `db_worker` option is accepted unchanged (`motcua worker --help`).
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from motcua.alerts.tasks import schedule_scan


class Command(DatabaseWorkerCommand):
    help = "Run the background tasks queued in the database, the deadline scan among them."

    def handle(self, *args: Any, **options: Any) -> None:
        if schedule_scan():
            self.stdout.write("Scheduled a deadline scan.")
        super().handle(*args, **options)
