from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.demo.catalogue import DemoDataError
from motcua.demo.loader import DEMO_PASSWORD, demo_province_code, load_demo


class Command(BaseCommand):
    help = (
        "Load (or refresh) the demo province: Hà Nội's units and agencies, an account in every role, and 25 "
        "common procedures. Running it again changes nothing."
    )

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "The demo accounts have a published password; loaddemo does not run in production."
            )
        if demo_province_code() != settings.MOTCUA_PROVINCE_CODE:
            raise CommandError(
                f"The demo data is for province {demo_province_code()}, this deployment serves province "
                f"{settings.MOTCUA_PROVINCE_CODE} (MOTCUA_PROVINCE_CODE)."
            )
        try:
            summary = load_demo()
        except DemoDataError as exc:
            raise CommandError(f"Demo data not loaded: {exc}") from exc
        for kind, statuses in summary.rows.items():
            detail = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
            self.stdout.write(f"{kind}: {sum(statuses.values())} ({detail})")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        rows = [("username", "password", "role", "unit")]
        rows += [(a.username, DEMO_PASSWORD, a.role, a.unit) for a in summary.accounts]
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
