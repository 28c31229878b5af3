"""The Japanese catalogue is complete: every message in the code has a translation, none is
fuzzy, and the catalogue compiles. (Russian and Kyrgyz join this list when added.)"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

COMPLETE_LANGUAGES = ["ja"]
IGNORE = [".venv", "var", "node_modules", "test-output", "staticfiles"]


def _entries(po: Path) -> dict[str, str]:
    text = po.read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        if "#, fuzzy" in block:
            entries[f"FUZZY:{block}"] = ""
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
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
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
