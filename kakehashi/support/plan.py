"""The support plan's mandatory items (support/data/plan_items.yaml), validated on load."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from kakehashi.reference.sources import Wording

DATA_FILE = Path(__file__).resolve().parent / "data" / "plan_items.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanItem(_Strict):
    key: str
    title: Wording


class PlanItems(_Strict):
    source: str
    interview_every_months: int
    items: tuple[PlanItem, ...]

    def title(self, key: str, language: str) -> str:
        return next((i.title.get(language) for i in self.items if i.key == key), key)


@lru_cache(maxsize=1)
def plan_items() -> PlanItems:
    return PlanItems.model_validate(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")))
