from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from kakehashi.people.services import identifiers_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted identifier with the first key of FIELD_ENCRYPTION_KEYS "
        "and recompute its keyed hash with IDENTIFIER_HASH_KEY. Run it after putting a new "
        "key first; then the old key can be removed (docs/security.md, Identifiers)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = identifiers_rotate()
        self.stdout.write(f"{count} identifiers re-encrypted with the newest key.")
