from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from crosscheck.errors import InputError
from crosscheck.report import build_report
from crosscheck.report.render import _safe_url, md_escape
from crosscheck.storage import Store


def test_html_is_one_self_contained_file_with_working_links(ledger: Store, tmp_path: Path, html_checks: Any) -> None:
    result = build_report(ledger, fmt="html", out=tmp_path / "out" / "brief.html")
    assert result.files == (tmp_path / "out" / "brief.html",)
    assert (result.format, result.claims, result.listed, result.conflicts) == ("html", 7, 7, 1)
    html = result.path.read_text(encoding="utf-8")
    html_checks.self_contained(html)
    assert html.count("data:image/png;base64,") == 4  # map, time, sources, one number chart
    # the findings name the subject, the sides and the numbers
    findings = html[html.index('id="findings"') : html.index('id="contested"')]
    for words in ("Shusha", "North", "South", "hundreds of soldiers", "around 50 soldiers", "200–999", "45–55"):
        assert words in findings, words


def test_every_claim_links_to_its_source_and_back_to_its_findings(
    ledger: Store, tmp_path: Path, html_checks: Any
) -> None:
    html = build_report(ledger, fmt="html", out=tmp_path / "b.html").path.read_text(encoding="utf-8")
    blocks = html_checks.blocks(html)
    assert set(blocks) == {c.id for c in ledger.query_claims()}
    urls = {c.id: ledger.get_document(c.document_id).url for c in ledger.query_claims()}
    for cid, block in blocks.items():
        if urls[cid]:
            assert f'href="{urls[cid]}"' in block
        else:
            assert "notes/denial.txt (no URL known)" in block
    entered = next(cid for cid, b in blocks.items() if "hundreds of soldiers had entered Shusha" in b)
    block = blocks[entered]
    # attribution chain and the sentence with the claim marked
    assert "Northern defence ministry (North)" in block and "Valley Wire" in block
    assert "<mark>hundreds of soldiers had entered Shusha</mark>" in block
    assert re.search(r'cited in <a href="#s\d+">finding \d+</a>', block)
    via = next(b for b in blocks.values() if "<strong>“Northern forces captured" in b)
    assert re.search(r"President Arvo Lenn \(North\).*→.*Ridge Press Agency.*→.*Lowland Courier", via, re.S)


def test_article_text_is_escaped(ledger: Store, tmp_path: Path) -> None:
    html = build_report(ledger, fmt="html", out=tmp_path / "b.html").path.read_text(encoding="utf-8")
    assert "<script" not in html and "<b>changes hands</b>" not in html and "<i>fighting" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; [links](javascript:void)" in html
    assert "Hill town &lt;b&gt;changes hands&lt;/b&gt;?" in html
    assert 'href="javascript' not in html


def test_markdown_writes_images_beside_and_escapes(ledger: Store, tmp_path: Path) -> None:
    result = build_report(ledger, fmt="md", out=tmp_path / "brief.md")
    text = result.path.read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(<([^>]+)>\)", text)
    assert sorted(images) == ["brief-map.png", "brief-numbers-1.png", "brief-sources.png", "brief-timeline.png"]
    for name in images:
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
    assert set(result.files[1:]) == {tmp_path / n for n in images}
    ids = set(re.findall(r'<a id="([^"]+)"></a>', text))
    targets = re.findall(r"\]\(#([^)]+)\)", text)
    assert targets and not {t for t in targets if t not in ids}
    assert "\\<script\\>alert('x')\\</script\\> & \\[links\\](javascript:void) were \\*fake\\* news" in text
    assert "(<https://valley-wire.example/2031/05/02/hill-town>)" in text
    assert "“hundreds of soldiers” (200–999)" in text and "“around 50 soldiers” (45–55)" in text


def test_scoped_report_and_format_from_suffix(ledger: Store, tmp_path: Path, html_checks: Any) -> None:
    result = build_report(ledger, actor="South", since="2031-05-03", fmt=None, out=tmp_path / "south.md")
    assert result.format == "md"
    text = result.path.read_text(encoding="utf-8")
    assert text.startswith('<a id="top"></a>\n# Briefing: claims by South, since 2031-05-03')
    html = build_report(ledger, place="Atlantis", out=tmp_path / "none.html").path.read_text(encoding="utf-8")
    html_checks.self_contained(html)
    assert "The ledger holds no claim about Atlantis." in html


def test_bad_format_and_folder_are_input_errors(ledger: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="format"):
        build_report(ledger, fmt="docx", out=tmp_path / "x.docx")
    with pytest.raises(InputError, match="is a folder"):
        build_report(ledger, fmt="html", out=tmp_path)
    with pytest.raises(InputError, match="since"):
        build_report(ledger, since="yesterday", out=tmp_path / "x.html")


def test_only_http_urls_become_links_and_markdown_is_inert() -> None:
    assert _safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    assert _safe_url("javascript:alert(1)") is None and _safe_url("data:text/html,x") is None
    assert _safe_url('https://a.example/"onmouseover=x') is None
    assert md_escape("a *b* [c](d) <e>  #f\n|g|") == "a \\*b\\* \\[c\\](d) \\<e\\> \\#f \\|g\\|"


def _pdf_tools() -> None:
    pytest.importorskip("weasyprint", reason="PDF output needs WeasyPrint")
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} (poppler-utils) is not installed")


def pdf_pages(pdf: Path, tmp_path: Path) -> tuple[list[Path], str]:
    """The PDF's pages as PNG files (pdftoppm) and its text (pdftotext)."""
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    return sorted(tmp_path.glob("page-*.png")), text


def test_pdf_pages_and_text(ledger: Store, tmp_path: Path) -> None:
    _pdf_tools()
    result = build_report(ledger, fmt="pdf", out=tmp_path / "brief.pdf")
    assert result.path.read_bytes().startswith(b"%PDF-")
    pages, text = pdf_pages(result.path, tmp_path)
    assert result.pages is not None and len(pages) == result.pages >= 2
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pages)
    flat = " ".join(text.split())
    for words in (
        "Briefing: the ledger",
        "Key findings",
        "Contested subjects",
        "Shusha",
        "hundreds of soldiers",
        "around 50 soldiers",
        "200–999",
        "Natural Earth",
        "Valley Wire",
    ):
        assert words in flat, words
