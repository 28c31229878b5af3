import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kakehashi.demo.scenario import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo


class Command(BaseCommand):
    help = "Load the Nagaoka–Kyrgyzstan demo (idempotent) and print the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        users = load_demo()
        base = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        w = max(len(u.username) for u in users)
        self.stdout.write("")
        self.stdout.write("Kakehashi demo: the Nagaoka–Kyrgyzstan scenario is loaded.")
        self.stdout.write(f"Open {base}/ and sign in as one of these accounts")
        self.stdout.write(f"(every demo account's password is: {DEMO_PASSWORD}):")
        self.stdout.write("")
        for user in users:
            self.stdout.write(
                f"  {user.username.ljust(w)}  {user.role_label} — {user.organization}"
            )
        self.stdout.write("")
        if settings.MFA_REQUIRED_KINDS:
            self.stdout.write(
                "Staff of the contact points, immigration and the city also enter a code from"
            )
            self.stdout.write(f"an authenticator app with the key {DEMO_TOTP_SECRET}, or the one")
            self.stdout.write("printed by:   .venv/bin/python manage.py demo_code")
            self.stdout.write("")
        self.stdout.write(f"API (OpenAPI docs): {base}/api/v1/docs")
        self.stdout.write("Get a token:  .venv/bin/python manage.py issue_api_token hana")
        self.stdout.write(
            f"Then:         curl -H 'Authorization: Bearer <token>' {base}/api/v1/cases"
        )
        self.stdout.write("")
