from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kakehashi.accounts.models import User
from kakehashi.accounts.services import api_token_revoke, api_tokens_of


class Command(BaseCommand):
    help = (
        "List USERNAME's API tokens (name, first characters, made, last used, expires, "
        "revoked); --revoke PREFIX revokes the token that begins with PREFIX."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--revoke", metavar="PREFIX", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        tokens = api_tokens_of(user)
        if options["revoke"]:
            matching = [t for t in tokens if t.prefix.startswith(options["revoke"])]
            if len(matching) != 1:
                raise CommandError(f"{len(matching)} tokens begin with {options['revoke']!r}.")
            api_token_revoke(token=matching[0])
            self.stdout.write(f"revoked {matching[0].prefix}… ({matching[0].name})")
            return
        for t in tokens:
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            state = "revoked" if t.revoked_at else f"expires {t.expires_at:%Y-%m-%d}"
            self.stdout.write(
                f"{t.prefix}…  {t.name:<24} made {t.created_at:%Y-%m-%d}  last used {used}  {state}"
            )
