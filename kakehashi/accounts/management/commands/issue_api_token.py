from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kakehashi.accounts.models import User
from kakehashi.accounts.services import api_token_issue


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (use it as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="a label to recognise the token by")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user named {options['username']!r}.") from exc
        _, token = api_token_issue(user=user, name=options["name"])
        self.stdout.write(token)
