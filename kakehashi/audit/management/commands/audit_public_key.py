from typing import Any

from django.core.management.base import BaseCommand

from kakehashi.audit.heads import public_key


class Command(BaseCommand):
    help = (
        "Print the public key (base64 of its 32 raw Ed25519 bytes) that checks the signed "
        "heads of the audit log: give it to whoever keeps the heads outside."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(public_key())
