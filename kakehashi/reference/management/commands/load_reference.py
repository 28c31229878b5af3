from typing import Any

from django.core.management.base import BaseCommand

from kakehashi.reference.services import reference_data_load


class Command(BaseCommand):
    help = "Create or update the fields and business categories from reference/data/fields.yaml."

    def handle(self, *args: Any, **options: Any) -> None:
        fields, categories = reference_data_load()
        self.stdout.write(f"Reference data: {fields} fields, {categories} business categories.")
