"""The project's own list of sources (data/sources.yaml) and citations of them.

A citation is written "<document key> <section>", e.g. "moc_kg §7(4)" or "isa_kg_flow 2(1)":
rules in code and data carry it; people see the document's title and the section in their
language (`cite`), linked to the list at /sources/. Plain Python (no Django), so that the
procedure loader can check every citation of a definition file."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

SOURCES_FILE = Path(__file__).resolve().parent / "data" / "sources.yaml"
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
_KEY = re.compile(KEY_PATTERN)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Wording(_Strict):
    """A text in the languages the list speaks; Japanese and English are required."""

    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)
    ru: str | None = None
    ky: str | None = None

    def get(self, language: str) -> str:
        return getattr(self, language[:2], None) or self.en


class Document(_Strict):
    key: str = Field(pattern=KEY_PATTERN)
    title: Wording
    short_title: Wording
    issuer: Wording
    date: datetime.date | None = None
    url: str | None = None
    # False: taken from a secondary summary, to be checked against the original
    # (maintainers only; never shown on a page).
    confirmed: bool
    maintainer_note: str = ""


class SourceList(_Strict):
    documents: tuple[Document, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Citation:
    document: str
    section: str = ""

    def __str__(self) -> str:
        return f"{self.document} {self.section}".strip()


def load(path: Path = SOURCES_FILE) -> dict[str, Document]:
    data = SourceList.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    keys = [d.key for d in data.documents]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"{path.name}: documents listed twice: {', '.join(duplicates)}")
    return {d.key: d for d in data.documents}


@cache
def documents() -> dict[str, Document]:
    return load()


def parse(citation: str) -> Citation:
    """'moc_kg §7(4)' -> Citation('moc_kg', '§7(4)'). Several citations may be joined with
    '; ' (see `split`); this takes one."""
    key, _, section = citation.strip().partition(" ")
    return Citation(key, section.strip())


def split(citations: str) -> list[Citation]:
    """Citations joined with '; '. A part that does not begin with a document key (such as
    the "2(2)" of "isa_kg_flow 1; 2(2)") continues the previous document's sections."""
    result: list[Citation] = []
    for part in (p.strip() for p in citations.split(";")):
        if not part:
            continue
        citation = parse(part)
        if result and not _KEY.match(citation.document):
            last = result[-1]
            result[-1] = Citation(last.document, f"{last.section}; {part}")
        else:
            result.append(citation)
    return result


def unknown_documents(citations: str) -> list[str]:
    """The document keys a citation string names that the list does not have."""
    known = documents()
    return [c.document for c in split(citations) if c.document not in known]


def cite(citations: str, language: str) -> str:
    """'moc_kg §7(4); isa_kg_flow 3(1)' -> the short titles and sections, in `language`.
    A key the list lacks is shown as it is (validate_sources catches it in CI)."""
    known = documents()
    parts = []
    for citation in split(citations):
        document = known.get(citation.document)
        title = document.short_title.get(language) if document else citation.document
        parts.append(f"{title} {citation.section}".strip())
    return "; ".join(parts)


def cite_list(citations: str) -> list[tuple[Document | None, Citation]]:
    known = documents()
    return [(known.get(c.document), c) for c in split(citations)]
