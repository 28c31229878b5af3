from typing import Any

from django.core.management.base import BaseCommand

from kakehashi.audit.heads import export_head


class Command(BaseCommand):
    help = (
        "Sign the audit log's current head (its last row's number, hash and time) with the "
        "installation's Ed25519 key and write it to a new file in AUDIT_HEAD_DIR. Copy the "
        "files off this machine: they prove what the log held when each was written."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        path = export_head()
        self.stdout.write(f"Signed head written to {path}")
