from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.org.services import issue_api_token


class Command(BaseCommand):
    help = "Issue a new API token for a user; the token is printed on the last line, and only once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **kw):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username}.")
        self.stdout.write(f"New API token for {username} (use it as 'Authorization: Bearer <token>'):")
        self.stdout.write(issue_api_token(user))
