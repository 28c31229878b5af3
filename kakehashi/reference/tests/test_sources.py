"""The project's own list of sources: every citation in the rules resolves to a document of
the list, and people read it by title and section in their language, never a file name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from kakehashi.procedures import registry
from kakehashi.procedures import rules as engine_rules
from kakehashi.reference import minimum_wages, sources
from kakehashi.reference.citations import cite

BASE = Path(settings.BASE_DIR) / "kakehashi"


def test_every_document_has_a_title_an_issuer_and_is_marked_confirmed_or_not() -> None:
    documents = sources.documents()
    assert {"moc_kg", "isa_kg_flow", "immigration_act", "minimum_wage_act"} <= set(documents)
    for document in documents.values():
        assert document.title.ja
        assert document.title.en
        assert document.short_title.ja
        assert document.short_title.en
        assert document.issuer.ja
        assert document.issuer.en
        if document.url:
            assert document.url.startswith("https://")
        if not document.confirmed:
            assert document.maintainer_note, f"{document.key}: say what is to be confirmed"


def test_a_citation_reads_as_the_documents_title_and_section() -> None:
    assert sources.cite("moc_kg §7(4)", "en") == (
        "Japan–Kyrgyz Memorandum of Cooperation on Specified Skilled Workers §7(4)"
    )
    assert sources.cite("moc_kg §7(4)", "ja") == "日キルギス特定技能協力覚書 §7(4)"
    with translation.override("ja"):
        assert cite("isa_kg_flow 2(1)").endswith(" 2(1)")
        assert "キルギス国籍の方の受入れ手続の流れ" in cite("isa_kg_flow 2(1)")


def test_several_citations_and_sections_with_semicolons() -> None:
    parsed = sources.split("isa_kg_flow 1 直接採用パターン; 2(2); moc_kg §7(1), §7(4)")
    assert [(c.document, c.section) for c in parsed] == [
        ("isa_kg_flow", "1 直接採用パターン; 2(2)"),
        ("moc_kg", "§7(1), §7(4)"),
    ]
    assert sources.unknown_documents("rumour §1; moc_kg §2") == ["rumour"]


def _citations_in_code() -> list[str]:
    """Every citation the rules and data carry: the definitions' sources, the SSW rules'
    *_source, the engine's and the services' literal citations, the reference data."""
    found: list[str] = []
    for definition in registry.all_definitions():
        found += [s.source.cite() for s in definition.steps]
        found += [p.source.cite() for p in definition.patterns]
        found += [d.source.cite() for s in definition.steps for d in s.deadlines]
    found += [v for k, v in registry.ssw_rules().model_dump().items() if k.endswith("_source")]
    for path in BASE.rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        for match in re.finditer(r'"((?:moc_kg|isa_kg_flow)[^"]*)"', path.read_text()):
            found.append(match.group(1))
    fields = yaml.safe_load((BASE / "reference" / "data" / "fields.yaml").read_text())
    found.append(fields["source"])
    found += [figure.source for figs in minimum_wages.minimum_wages().values() for figure in figs]
    found += [engine_rules.KG_FLOW, engine_rules.MOC, engine_rules.IMMIGRATION_ACT]
    return found


def test_every_citation_in_the_code_and_data_is_in_the_list() -> None:
    citations = _citations_in_code()
    assert len(citations) > 40
    unknown = sorted({key for c in citations for key in sources.unknown_documents(c)})
    assert unknown == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_list_of_sources_is_a_public_page_without_maintainers_notes(language: str) -> None:
    response = Client(headers={"accept-language": language}).get("/sources/")
    page = response.content.decode()
    assert response.status_code == 200
    for document in sources.documents().values():
        assert f'id="{document.key}"' in page
        assert escape(document.short_title.get(language)) in page
        if document.maintainer_note:
            assert escape(document.maintainer_note[:40]) not in page
    assert "confirmed" not in page.lower()


def test_minimum_wages_are_dated_sourced_and_checked() -> None:
    niigata = minimum_wages.for_prefecture("15")
    assert [f.hourly_yen for f in niigata] == [985, 1050]
    assert all(not sources.unknown_documents(f.source) for f in niigata)
    assert minimum_wages.for_prefecture("47") == ()


def test_a_minimum_wage_file_with_an_unknown_prefecture_or_source_is_refused(tmp_path) -> None:
    path = tmp_path / "wages.yaml"
    path.write_text(
        "minimum_wages:\n"
        "  - {prefecture: '99', hourly_yen: 1000, effective_from: 2025-10-01, "
        "source: nowhere, confirmed: false}\n"
    )
    with pytest.raises(ValueError, match=r"unknown prefecture '99'.*'nowhere'"):
        minimum_wages.load(path)
