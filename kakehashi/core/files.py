"""Uploaded files: the one check of what may be stored. PDF, JPEG or PNG only, the type
sniffed from the content (the `filetype` library), never trusted by the name; at most
ATTACHMENT_MAX_BYTES."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from . import validation
from .errors import Problem

ALLOWED_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def sniff(head: bytes) -> str | None:
    """The file's type from its first bytes, if it is one that is allowed."""
    import filetype

    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else None
    return mime if mime in ALLOWED_TYPES else None


def checked_upload(
    name: str, content: bytes, field: str, problems: list[Problem]
) -> tuple[str, str] | None:
    """The file's label and sniffed type, or None with the problems named on `field`."""
    limit = settings.ATTACHMENT_MAX_BYTES
    label = validation.text_field(name, field, problems, required=True, max_length=200)
    if not content:
        problems.append(Problem("required", _("Choose a file."), field=field))
        return None
    if len(content) > limit:
        problems.append(
            Problem(
                "too_large",
                _("A file may have at most %(size)s bytes.") % {"size": f"{limit:,}"},
                field=field,
            )
        )
        return None
    mime = sniff(content[:8192])
    if mime is None:
        problems.append(
            Problem(
                "invalid_file_type",
                _("Only PDF, JPEG and PNG files are accepted (the content was checked)."),
                field=field,
            )
        )
        return None
    return (label, mime) if label else None


def private_storage() -> Any:
    """The storage of personal and confidential files: outside every public folder, read only
    through views that ask the access policy (settings.STORAGES["private"]; an S3-compatible
    store in production, docs/deployment.md)."""
    return storages["private"]


def random_name(folder: str) -> str:
    """A stored file's name: random, never the uploaded name."""
    return f"{folder}/{secrets.token_hex(16)}"


def file_download(record: Any) -> FileResponse:
    """A stored file (a record with `file`, `name` and `content_type`) sent as a download,
    never shown in the browser nor kept by a shared cache. A file erased with its person
    (docs/privacy.md) is no longer there: 404."""
    if not record.file:
        raise Http404(_("This file was erased."))
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.name,
        content_type=record.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
