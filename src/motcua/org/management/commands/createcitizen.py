from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import DomainError
from motcua.org.services import create_citizen


class Command(BaseCommand):
    help = "Create a citizen account with a personal identification number."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--id-number", required=True, help="12-digit personal identification number")
        parser.add_argument("--password")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")

    def handle(
        self, *args, username: str, id_number: str, password: str | None, full_name: str, email: str, **kw
    ):
        try:
            create_citizen(username, id_number, password=password, full_name=full_name, email=email)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{username}: citizen")
