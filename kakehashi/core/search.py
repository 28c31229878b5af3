"""The search key of a name (plain Python, no Django): what a name is found by, whatever
script and case it was typed in.

Every script is written in Latin letters by anyascii ("Асанов" → "Asanov", "José" →
"Jose", "さとう" → "satou"), lower-cased, and "y" read as "i" — so that the Russian-style
"Айзада" → "ayzada" meets the passport's ICAO 9303 spelling "AIZADA" (Й → I, Ю → IU,
Я → IA on the passport; Y, Yu, Ya from anyascii). Anything but letters and digits becomes
one space. The same function makes the stored key and the searched words, so both sides
are read alike."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_OTHER = re.compile(r"[^a-z0-9]+")


def search_key(*texts: str) -> str:
    latin = anyascii(unicodedata.normalize("NFKC", " ".join(t for t in texts if t)))
    folded = latin.lower().replace("y", "i")
    return _OTHER.sub(" ", folded).strip()
