from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kakehashi.accounts.models import User
from kakehashi.accounts.services import api_token_issue
from kakehashi.core.errors import InvalidInput


class Command(BaseCommand):
    help = (
        "Print a new API token for USERNAME (use it as 'Authorization: Bearer <token>'). It "
        "expires after --days (API_TOKEN_DAYS, 90 by default; at most 365)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="what the token is for")
        parser.add_argument("--days", default=None, help="days until it expires")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user named {options['username']!r}.") from exc
        try:
            record, token = api_token_issue(user=user, name=options["name"], days=options["days"])
        except InvalidInput as exc:
            raise CommandError("; ".join(f"{p.field}: {p.message}" for p in exc.problems)) from exc
        self.stdout.write(token)
        self.stderr.write(f"expires {record.expires_at:%Y-%m-%d %H:%M %Z}")
