"""The checks of a person's record: each names the field and the rule.

- names and texts: present where required, within their length, no control characters;
- countries: from the ISO 3166-1 list (iso_3166), never typed (so "ZZ" is refused);
- dates: the one date parser's bounds (born from 1900 on, not in the future); a passport
  valid for at most ten years from today, expiring after birth;
- passport number: letters and digits, 6 to 9 of them (the document number of a passport's
  machine-readable zone, icao_9303 Part 4);
- machine-readable zone, when given: its check digits verified by the `mrz` library
  (icao_9303 Part 3), and what it says matched against the record."""

from __future__ import annotations

import datetime
import re
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from mrz.base.errors import FieldError
from mrz.checker.td3 import TD3CodeChecker

from kakehashi.core import validation
from kakehashi.core.dates import DateProblem, check_bounds
from kakehashi.core.errors import InvalidInput, Problem
from kakehashi.reference.citations import sourced
from kakehashi.reference.countries import alpha2_from_alpha3, country_problems

from .inputs import PersonData
from .models import Person

PASSPORT_NUMBER = re.compile(r"[A-Z0-9]{6,9}")
# A passport is issued for ten years at the most; an expiry further away is a typing slip.
PASSPORT_YEARS = 10
TEXT_FIELDS = (
    "family_name",
    "given_names",
    "native_name",
    "current_status_of_residence",
    "phone",
)
REQUIRED_TEXT = ("family_name", "given_names")


def _max_length(name: str) -> int:
    return getattr(Person._meta.get_field(name), "max_length", None) or 200


def _mrz_date(value: str, *, past: bool) -> datetime.date | None:
    """YYMMDD of the MRZ. A birth date is in the past; an expiry within this century."""
    try:
        parsed = datetime.datetime.strptime(value, "%y%m%d").date()  # noqa: DTZ007
    except ValueError:
        return None
    if past and parsed > timezone.localdate():
        parsed = parsed.replace(year=parsed.year - 100)
    return parsed


def mrz_problems(data: PersonData) -> tuple[list[Problem], dict[str, Any]]:
    """Check the machine-readable zone and what it says against the record. Returns the
    problems and the values the MRZ gives for fields left empty (passport number, expiry)."""
    source = sourced("icao_9303 Part 3, Part 4")
    text = "\n".join(line.strip().upper() for line in data.mrz.strip().splitlines() if line.strip())
    lines = text.split("\n")
    if len(lines) != 2 or any(len(line) != 44 for line in lines):
        return [
            Problem(
                "invalid_mrz",
                _(
                    "The machine-readable zone of a passport is two lines of 44 characters; "
                    "copy both lines exactly."
                ),
                field="mrz",
                **source,
            )
        ], {}
    try:
        checker = TD3CodeChecker(text, check_expiry=False)
    except FieldError:
        checker = None
    if checker is None or not bool(checker):
        return [
            Problem(
                "mrz_check_digits",
                _(
                    "The check digits of the machine-readable zone do not match: a character "
                    "was probably mistyped."
                ),
                field="mrz",
                **source,
            )
        ], {}
    found = checker.fields()
    filled: dict[str, Any] = {}
    problems: list[Problem] = []
    number = found.document_number.replace("<", "")
    if data.passport_number and data.passport_number != number:
        problems.append(_mismatch("passport_number", number))
    elif not data.passport_number:
        filled["passport_number"] = number
    nationality = alpha2_from_alpha3(found.nationality.replace("<", ""))
    if nationality and data.nationality and nationality != data.nationality:
        problems.append(_mismatch("nationality", nationality))
    born = _mrz_date(found.birth_date, past=True)
    if born is not None and data.date_of_birth and born != data.date_of_birth:
        problems.append(_mismatch("date_of_birth", born.isoformat()))
    expiry = _mrz_date(found.expiry_date, past=False)
    if expiry is not None and data.passport_expiry and expiry != data.passport_expiry:
        problems.append(_mismatch("passport_expiry", expiry.isoformat()))
    elif expiry is not None and not data.passport_expiry:
        filled["passport_expiry"] = expiry
    surname = found.surname.replace("<", " ").strip()
    if surname and data.family_name and surname != data.family_name.upper():
        problems.append(_mismatch("family_name", surname))
    return problems, filled


def _mismatch(field: str, value: str) -> Problem:
    return Problem(
        "mrz_mismatch",
        _("The machine-readable zone says “%(value)s”.") % {"value": value},
        field=field,
        **sourced("icao_9303 Part 4"),
    )


def clean_person(data: PersonData) -> PersonData:
    """The record, checked and normalized (upper-case passport number and codes); raises
    InvalidInput with every problem at once."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        values[name] = validation.text_field(
            getattr(data, name),
            name,
            problems,
            required=name in REQUIRED_TEXT,
            max_length=_max_length(name),
        )
    values["email"] = validation.text_field(data.email, "email", problems, max_length=254)
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            problems.append(
                Problem("invalid_email", _("Enter a valid e-mail address."), field="email")
            )
    for name in ("nationality", "current_country"):
        code = str(getattr(data, name) or "").strip().upper()
        if not code:
            problems.append(Problem("required", _("This field is required."), field=name))
        else:
            problems += country_problems([code], name)
        values[name] = code
    number = re.sub(r"[\s-]", "", data.passport_number or "").upper()
    if number and not PASSPORT_NUMBER.fullmatch(number):
        problems.append(
            Problem(
                "invalid_passport_number",
                _("A passport number is 6 to 9 letters and digits, as in the passport."),
                field="passport_number",
                **sourced("icao_9303 Part 4"),
            )
        )
    values["passport_number"] = number
    today = timezone.localdate()
    born = data.date_of_birth
    for name, day in (("date_of_birth", born), ("passport_expiry", data.passport_expiry)):
        if day is not None:
            try:
                check_bounds(day)
            except DateProblem as problem:
                problems.append(validation.as_problem(problem, name))
    validation.not_in_future(born, "date_of_birth", problems, today)
    expiry = data.passport_expiry
    if expiry is not None:
        latest = today + relativedelta(years=PASSPORT_YEARS)
        if expiry > latest:
            problems.append(
                Problem(
                    "implausible_expiry",
                    _(
                        "A passport is valid for ten years at the most: the expiry cannot be "
                        "after %(latest)s."
                    )
                    % {"latest": latest.isoformat()},
                    field="passport_expiry",
                )
            )
        elif born and expiry <= born:
            problems.append(
                Problem(
                    "before_birth",
                    _("The passport expiry must be after the date of birth."),
                    field="passport_expiry",
                )
            )
    if values["current_country"] != "JP" and values["current_status_of_residence"]:
        problems.append(
            Problem(
                "status_outside_japan",
                _("A status of residence applies only to a person living in Japan."),
                field="current_status_of_residence",
            )
        )
    cleaned = PersonData(
        **{**values, "date_of_birth": born, "passport_expiry": expiry, "mrz": data.mrz or ""}
    )
    if cleaned.mrz.strip() and not problems:
        mrz, filled = mrz_problems(cleaned)
        problems += mrz
        cleaned = PersonData(**{**cleaned.__dict__, **filled})
    if problems:
        raise InvalidInput(problems)
    return cleaned
