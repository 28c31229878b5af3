"""An offer as label/value pairs for the pages, public fields only (nothing about who
wrote or reviewed it, and never a contact)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import JobOffer, JobOfferStatus

# CSS badge class (static/kakehashi/app.css) per status.
STATUS_BADGE: dict[str, str] = {
    JobOfferStatus.DRAFT: "waiting",
    JobOfferStatus.SUBMITTED: "available",
    JobOfferStatus.PUBLISHED: "done",
    JobOfferStatus.REJECTED: "refused",
    JobOfferStatus.WITHDRAWN: "withdrawn",
}


def _label(name: str) -> str:
    return str(capfirst(JobOffer._meta.get_field(name).verbose_name))  # type: ignore[union-attr]


EMPLOYER_PAYS = gettext_lazy("Employer pays: the worker pays no fee")


def offer_costs(offer: JobOffer) -> str:
    """The employer-pays mark, or every fee the worker is asked to pay with its amount
    (moc_kg §4(1)(e))."""
    if offer.worker_pays_nothing:
        return str(EMPLOYER_PAYS)
    fees = list(offer.fees.all())
    if not fees:
        return _("No fee to the worker is recorded")
    return "; ".join(
        f"{f.get_purpose_display()}: {f.amount:,.0f} {f.currency} ({f.basis})" for f in fees
    )


def wage(offer: JobOffer) -> str:
    return _("%(amount)s yen a month") % {"amount": f"{offer.monthly_wage_jpy:,}"}


def offer_facts(offer: JobOffer) -> list[tuple[str, Any]]:
    """The short facts shown above the texts, in the reading order of a job advert."""
    return [
        (_("Receiving organization"), offer.receiving_organization.display_name),
        (_label("field"), offer.field.display_name),
        (_label("business_category"), offer.business_category.display_name),
        (_label("work_location"), offer.work_location),
        (_label("positions"), offer.positions),
        (_("Monthly wage"), wage(offer)),
        (_label("japanese_level_required"), offer.get_japanese_level_required_display()),
        (
            _label("closes_on"),
            offer.closes_on.isoformat() if offer.closes_on else _("No closing date"),
        ),
        (_("Costs to the worker"), offer_costs(offer)),
    ]


# What the feed reads of each offer: plain rows, not model instances (the feed may hold
# thousands of offers; building four objects per row was most of its cost).
FEED_VALUES = (
    "id",
    "country",
    "receiving_organization_id",
    "receiving_organization__name_ja",
    "receiving_organization__name_en",
    "field__code",
    "field__name_ja",
    "field__name_en",
    "business_category__code",
    "business_category__name_ja",
    "business_category__name_en",
    "title",
    "description",
    "positions",
    "work_location",
    "monthly_wage_jpy",
    "japanese_level_required",
    "organization_info",
    "how_to_apply",
    "published_at",
    "closes_on",
    "worker_pays_nothing",
)


def _names(row: dict[str, Any], prefix: str) -> dict[str, str]:
    return {"name_ja": row[f"{prefix}__name_ja"], "name_en": row[f"{prefix}__name_en"]}


def public_offer_data(row: dict[str, Any], url: str) -> dict[str, Any]:
    """One published offer (a row of FEED_VALUES) for the board's JSON and CSV: its public
    fields, names in both languages so that the file is the same whatever the reader's
    language."""
    published = row["published_at"]
    return {
        "id": row["id"],
        "url": url,
        "country": row["country"],
        "receiving_organization": {
            "id": row["receiving_organization_id"],
            **_names(row, "receiving_organization"),
        },
        "field": {"code": row["field__code"], **_names(row, "field")},
        "business_category": {
            "code": row["business_category__code"],
            **_names(row, "business_category"),
        },
        "title": row["title"],
        "description": row["description"],
        "positions": row["positions"],
        "work_location": row["work_location"],
        "monthly_wage_jpy": row["monthly_wage_jpy"],
        "japanese_level_required": row["japanese_level_required"],
        "organization_info": row["organization_info"],
        "how_to_apply": row["how_to_apply"],
        "published_on": timezone.localdate(published).isoformat() if published else None,
        "closes_on": row["closes_on"].isoformat() if row["closes_on"] else None,
        "worker_pays_nothing": row["worker_pays_nothing"],
    }


CSV_COLUMNS = (
    "id",
    "url",
    "title",
    "receiving_organization_ja",
    "receiving_organization_en",
    "field",
    "field_ja",
    "field_en",
    "business_category",
    "business_category_ja",
    "business_category_en",
    "work_location",
    "positions",
    "monthly_wage_jpy",
    "japanese_level_required",
    "published_on",
    "closes_on",
    "worker_pays_nothing",
    "description",
    "organization_info",
    "how_to_apply",
)


def public_offer_row(data: dict[str, Any]) -> dict[str, Any]:
    """The offer's JSON data flattened for the CSV feed (names as columns)."""
    return {
        **data,
        "receiving_organization_ja": data["receiving_organization"]["name_ja"],
        "receiving_organization_en": data["receiving_organization"]["name_en"],
        "field": data["field"]["code"],
        "field_ja": data["field"]["name_ja"],
        "field_en": data["field"]["name_en"],
        "business_category": data["business_category"]["code"],
        "business_category_ja": data["business_category"]["name_ja"],
        "business_category_en": data["business_category"]["name_en"],
    }
