from typing import Any

from django.core.management.base import BaseCommand

from kakehashi.accounts.mfa import current_code
from kakehashi.demo.scenario import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = (
        "Print the current second-factor code of the demo's authenticator key (the demo's "
        "contact-point, immigration and city staff sign in with it). It knows no other key."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(current_code(DEMO_TOTP_KEY))
