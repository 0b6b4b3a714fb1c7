from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import DomainError
from motcua.org.constants import Role
from motcua.org.services import create_staff


class Command(BaseCommand):
    help = "Create a staff account (or add a role to an existing one) in an agency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--unit", required=True, help="Identity code of the agency, e.g. 000.00.00.H26")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--password", help="Without it the account can only use API tokens.")
        parser.add_argument("--full-name", default="")

    def handle(self, *args, username: str, unit: str, role: str, password: str | None, full_name: str, **kw):
        try:
            staff_role = create_staff(username, unit, role, password=password, full_name=full_name)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{username}: {staff_role.role} @ {staff_role.agency}")
