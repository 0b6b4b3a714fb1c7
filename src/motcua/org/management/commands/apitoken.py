from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.core.errors import DomainError
from motcua.org.services import issue_api_token


class Command(BaseCommand):
    help = (
        "Issue a new API token for a user; the token is printed on the last line, and only once. It works "
        "for --days days (MOTCUA_API_TOKEN_DAYS by default) or until the user's password changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help="How many days the token works.")

    def handle(self, *args, username: str, days: int | None = None, **kw):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username}.")
        try:
            token = issue_api_token(user, days)
        except DomainError as error:
            raise CommandError(str(error.detail)) from error
        expires = timezone.localtime(token.expires_at).isoformat(timespec="minutes")
        self.stdout.write(
            f"New API token for {username}, valid until {expires} "
            "(use it as 'Authorization: Bearer <token>'):"
        )
        self.stdout.write(token)
