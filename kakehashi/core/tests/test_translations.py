"""The Japanese, Russian and Kyrgyz catalogues are complete: every message in the code has a
translation (every plural form too), none is fuzzy, and each catalogue compiles. The data
that carries its own texts has all four languages. The language comes from the user's
choice, then Accept-Language, and <html lang> says which."""

from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

COMPLETE_LANGUAGES = ["ja", "ru", "ky"]
IGNORE = [".venv", "var", "node_modules", "test-output", "staticfiles"]


def _entries(po: Path) -> dict[str, str]:
    text = po.read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        if "#, fuzzy" in block:
            entries[f"FUZZY:{block}"] = ""
            continue
        if "msgid_plural" in block:
            msgid = "".join(re.findall(r'^msgid "(.*)"', block, re.M))
            forms = re.findall(r'^msgstr\[\d+\] ((?:".*"\n?)+)', block, re.M)
            texts = ["".join(re.findall(r'"(.*)"', f)) for f in forms]
            entries[f"PLURAL:{msgid}"] = "" if not texts or not all(texts) else texts[0]
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if match:
            msgid = "".join(re.findall(r'"(.*)"', match.group(1)))
            msgstr = "".join(re.findall(r'"(.*)"', match.group(2)))
            if msgid:
                entries[msgid] = msgstr
    return entries


@pytest.mark.parametrize("language", COMPLETE_LANGUAGES)
def test_catalogue_has_every_message_of_the_code_translated(tmp_path, monkeypatch, language):
    # makemessages walks the current directory and writes to every catalogue it finds, so
    # it runs in a scratch tree: the code (linked) and a copy of the catalogue.
    base = Path(settings.BASE_DIR)
    shipped = base / "locale" / language / "LC_MESSAGES" / "django.po"
    work = tmp_path / "locale" / language / "LC_MESSAGES"
    work.mkdir(parents=True)
    shutil.copy(shipped, work / "django.po")
    before = shipped.read_bytes()
    (tmp_path / "kakehashi").symlink_to(base / "kakehashi")
    monkeypatch.chdir(tmp_path)
    # makemessages writes a temporary .py beside each template it reads (in the shared code,
    # through the link): two test processes at once would remove each other's. One at a time.
    lock_path = base / "var" / "makemessages.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with lock_path.open("w") as lock, override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        fcntl.flock(lock, fcntl.LOCK_EX)
        call_command(
            "makemessages", locale=[language], ignore_patterns=IGNORE, symlinks=True, verbosity=0
        )
    assert shipped.read_bytes() == before, "makemessages must not touch the shipped catalogue"
    refreshed = _entries(work / "django.po")
    missing = sorted(k for k, v in refreshed.items() if not v)
    assert missing == [], f"untranslated or fuzzy in {language}: run `make messages` and translate"


@pytest.mark.parametrize("language", COMPLETE_LANGUAGES)
def test_catalogue_compiles_without_errors(tmp_path, language):
    shipped = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(shipped)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


FOUR = ("ja", "en", "ru", "ky")


def _texts(node: object, path: str = "") -> list[tuple[str, dict[str, object]]]:
    """Every mapping with ja and en texts in a YAML tree, with where it is."""
    found: list[tuple[str, dict[str, object]]] = []
    if isinstance(node, dict):
        if isinstance(node.get("ja"), str) and isinstance(node.get("en"), str):
            found.append((path, node))
        for key, value in node.items():
            found += _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _texts(value, f"{path}[{index}]")
    return found


@pytest.mark.parametrize(
    "data_file",
    [
        "kakehashi/procedures/definitions/kg-2023.yaml",
        "kakehashi/procedures/definitions/jp_ssw_rules.yaml",
        "kakehashi/reference/data/fields.yaml",
        "kakehashi/reference/data/sources.yaml",
        "kakehashi/reference/data/contacts.yaml",
        "kakehashi/support/data/plan_items.yaml",
        "kakehashi/support/data/stay_rules.yaml",
    ],
)
def test_data_texts_are_in_all_four_languages(data_file):
    import yaml

    tree = yaml.safe_load((Path(settings.BASE_DIR) / data_file).read_text(encoding="utf-8"))
    texts = _texts(tree)
    assert texts, data_file
    missing = [
        f"{path}: {language}"
        for path, text in texts
        for language in FOUR
        if not str(text.get(language) or "").strip()
    ]
    assert missing == [], missing[:20]


@pytest.mark.parametrize(
    ("accept", "expected", "word"),
    [("ru", "ru", "Язык"), ("ky", "ky", "Тил"), ("en", "en", "Language"), ("", "ja", "言語")],
)
def test_the_language_follows_accept_language_and_html_lang_says_it(
    db, client, accept, expected, word
):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    page = client.get("/public/", **headers).content.decode()
    assert f'<html lang="{expected}">' in page
    assert word in page


def test_the_users_choice_wins_over_accept_language(db, client):
    client.post("/i18n/setlang/", {"language": "ky", "next": "/public/"})
    page = client.get("/public/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ky">' in page
