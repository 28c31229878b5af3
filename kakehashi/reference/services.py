"""Loading reference data (fields, business categories) from reference/data/fields.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from .models import BusinessCategory, Field

DATA_FILE = Path(__file__).resolve().parent / "data" / "fields.yaml"


@transaction.atomic
def reference_data_load(*, path: Path = DATA_FILE) -> tuple[int, int]:
    """Create or update every field and category in the file (idempotent).
    Returns (fields, categories) counts."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = data["source"]
    categories = 0
    for order, item in enumerate(data["fields"]):
        field, _ = Field.objects.update_or_create(
            code=item["code"],
            defaults={
                "name_ja": item["ja"],
                "name_en": item["en"],
                "name_ru": item.get("ru", ""),
                "name_ky": item.get("ky", ""),
                "ssw1_open_from": item["open"],
                "ssw2_available": item["ssw2"],
                "source": source,
                "sort_order": order,
            },
        )
        for category in item["categories"]:
            BusinessCategory.objects.update_or_create(
                code=category["code"],
                defaults={
                    "field": field,
                    "name_ja": category["ja"],
                    "name_en": category["en"],
                    "name_ru": category.get("ru", ""),
                    "name_ky": category.get("ky", ""),
                    "skill_test_name": category.get("test", ""),
                    "source": source,
                },
            )
            categories += 1
    return len(data["fields"]), categories
