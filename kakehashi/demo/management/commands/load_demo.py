from typing import Any

from django.core.management.base import BaseCommand

from kakehashi.demo.scenario import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the Nagaoka–Kyrgyzstan demo (idempotent) and print the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        users = load_demo()
        w = max(len(u.username) for u in users)
        self.stdout.write("")
        self.stdout.write("Kakehashi demo: the Nagaoka–Kyrgyzstan scenario is loaded.")
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
        self.stdout.write("")
        for user in users:
            self.stdout.write(f"  {user.username.ljust(w)}  {user.role_label} — {user.organization}")
        self.stdout.write("")
        self.stdout.write("API (OpenAPI docs): http://127.0.0.1:8000/api/v1/docs")
        self.stdout.write("Get a token:  .venv/bin/python manage.py issue_api_token hana")
        self.stdout.write(
            "Then:         curl -H 'Authorization: Bearer <token>' http://127.0.0.1:8000/api/v1/cases"
        )
        self.stdout.write("")
