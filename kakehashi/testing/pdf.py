"""For the tests of generated PDFs: render each page to PNG (pypdfium2, the PDF engine of
Chromium) and check that a text is there as people see it: found in the page's text, drawn
with ink inside each character's box, and with distinct shapes for distinct characters (a
missing font draws the same empty box for every character). The PNGs are written to
test-output/pdf/ to be looked at."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "pdf"
SCALE = 2  # 144 dpi


@dataclass
class RenderedPdf:
    pages: list[Any]  # PIL images
    texts: list[str]
    document: Any

    def text(self) -> str:
        return "\n".join(self.texts)


def render(data: bytes, name: str) -> RenderedPdf:
    import pypdfium2 as pdfium

    assert data.startswith(b"%PDF-"), "not a PDF"
    document = pdfium.PdfDocument(data)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pages, texts = [], []
    for number, page in enumerate(document, start=1):
        image = page.render(scale=SCALE).to_pil()
        image.save(OUTPUT / f"{name}-{number}.png")
        pages.append(image)
        texts.append(page.get_textpage().get_text_range())
    return RenderedPdf(pages, texts, document)


def assert_drawn(pdf: RenderedPdf, text: str) -> None:
    """`text` is on some page, and each of its characters is drawn: ink in its box, and
    distinct characters in distinct shapes."""
    for number, page in enumerate(pdf.document):
        textpage = page.get_textpage()
        found = textpage.search(text, match_case=True).get_next()
        if not found:
            continue
        start, count = found
        height = page.get_height()
        image = pdf.pages[number].convert("L")
        shapes: dict[str, str] = {}
        for index in range(start, start + count):
            char = textpage.get_text_range(index, 1)
            if not char.strip():
                continue
            left, bottom, right, top = textpage.get_charbox(index)
            box = (
                int(left * SCALE),
                int((height - top) * SCALE),
                int(right * SCALE) + 1,
                int((height - bottom) * SCALE) + 1,
            )
            crop = image.crop(box)
            ink = sum(crop.histogram()[:128])
            assert ink > 0, f"{char!r} of {text!r} is not drawn (page {number + 1})"
            shapes.setdefault(char, hashlib.sha256(crop.tobytes()).hexdigest())
        if len(shapes) > 1:
            assert len(set(shapes.values())) > len(shapes) // 2, f"{text!r}: the same box drawn"
        return
    raise AssertionError(f"{text!r} is not in the PDF: {pdf.text()[:400]!r}")
