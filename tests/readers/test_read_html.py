"""HTML pages through trafilatura: text, metadata, broken markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.errors import InputError
from crosscheck.readers import read_inputs
from crosscheck.readers.html import fragment_text, parse_html
from crosscheck.records import Document
from crosscheck.sources import SourceRegistry

PAGE_CP1251 = """<html><head><meta charset="windows-1251"><title>Паром возобновил рейсы</title>
<meta property="og:url" content="https://meduza.io/news/2021/06/01/parom"></head>
<body><article><h1>Паром возобновил рейсы</h1>
<p>Паромная переправа через пролив возобновила работу в понедельник после трёхдневного перерыва, сообщили в порту.</p>
<p>По словам диспетчера, первыми переправили грузовики с продуктами и топливом для посёлков на острове.</p>
<p>Пассажирские рейсы обещают восстановить к концу недели, если позволит погода.</p>
</article></body></html>"""


def read_all(paths: list[Path], registry: SourceRegistry) -> list[Document | InputError]:
    return list(read_inputs([str(p) for p in paths], registry=registry))


def test_page_text_and_its_own_metadata(fixtures: Path, registry: SourceRegistry) -> None:
    (doc,) = read_all([fixtures / "page.html"], registry)
    assert isinstance(doc, Document), doc
    assert doc.title == "Truce Extended by Three Days"
    assert doc.published == "2024-05-20"
    assert doc.byline == "Amira Haddad"
    assert doc.url == "https://news.example-ledger.org/2024/05/20/truce-extended"
    assert doc.outlet == "The Example Ledger"  # not in the registry: the page's site name
    assert doc.outlet_id is None
    assert doc.text.startswith("The two sides agreed on Monday")
    assert doc.text.endswith("shelling near the crossing on Sunday night.")
    assert doc.text.count("\n\n") == 3
    for chrome in ("Home", "Sport", "Copyright", "Truce Extended by Three Days"):
        assert chrome not in doc.text


def test_outlet_from_registry_and_declared_legacy_charset(tmp_path: Path, registry: SourceRegistry) -> None:
    path = tmp_path / "parom.htm"
    path.write_bytes(PAGE_CP1251.encode("cp1251"))
    (doc,) = read_all([path], registry)
    assert isinstance(doc, Document), doc
    assert doc.title == "Паром возобновил рейсы"
    assert doc.outlet == "Meduza"
    assert doc.outlet_country == "RU"
    assert doc.published == "2021-06-01"  # from the page's own URL
    assert "Паромная переправа через пролив" in doc.text


def test_html_is_sniffed_in_a_file_without_html_extension(tmp_path: Path, registry: SourceRegistry) -> None:
    path = tmp_path / "saved_page"
    path.write_bytes(PAGE_CP1251.encode("cp1251"))
    (doc,) = read_all([path], registry)
    assert isinstance(doc, Document), doc
    assert "<p>" not in doc.text and doc.title == "Паром возобновил рейсы"


@pytest.mark.parametrize("cut", [0.35, 0.6, 0.8])
def test_truncated_html_does_not_crash(fixtures: Path, tmp_path: Path, registry: SourceRegistry, cut: float) -> None:
    raw = (fixtures / "page.html").read_bytes()
    path = tmp_path / "truncated.html"
    path.write_bytes(raw[: int(len(raw) * cut)])
    (item,) = read_all([path], registry)
    if isinstance(item, Document):
        assert item.text.startswith("The two sides agreed")
    else:
        assert "no article text" in item.reason and item.hint


def test_truncated_html_keeps_the_paragraphs_it_has(fixtures: Path, tmp_path: Path, registry: SourceRegistry) -> None:
    raw = (fixtures / "page.html").read_text(encoding="utf-8")
    cut = raw.index("Neither side") + 20  # inside the last paragraph, tags left open
    path = tmp_path / "cut.html"
    path.write_text(raw[:cut], encoding="utf-8")
    (doc,) = read_all([path], registry)
    assert isinstance(doc, Document), doc
    assert "Aid agencies said the pause" in doc.text


@pytest.mark.parametrize(
    "html",
    ["<<<>>>", "<html><body><script>var a = 1;</script></body></html>", "<html><head><title>x", "<p>" * 5000],
    ids=["brackets", "script-only", "cut-in-head", "empty-paragraphs"],
)
def test_html_without_article_text_is_a_clear_error(html: str) -> None:
    with pytest.raises(InputError, match="no article text found"):
        parse_html(html, where="bad.html")


def test_fragment_text_makes_paragraphs() -> None:
    frag = "<p>First <b>bold</b> line.</p><p>Second&nbsp;line.<br><br>Third line.</p><script>x()</script>"
    assert fragment_text(frag) == "First bold line.\n\nSecond line.\n\nThird line."
    assert fragment_text("plain teaser text") == "plain teaser text"
