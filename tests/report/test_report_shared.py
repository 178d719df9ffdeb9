"""Reports over real ledgers: the seed articles and one week of the shared corpus, ingested at test time.
Skipped when ``../shared`` is absent."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from crosscheck.conflicts import find_conflicts
from crosscheck.report import build_report
from crosscheck.storage import open_store


def _section(html: str, name: str, until: str) -> str:
    return html[html.index(f'id="{name}"') : html.index(f'id="{until}"')]


def test_seed_report_names_the_contest_sides_and_numbers(seed_db: str, tmp_path: Path, html_checks: Any) -> None:
    with open_store(seed_db) as store:
        result = build_report(store, fmt="html", out=tmp_path / "seeds.html")
        urls = {d.id: d.url for d in store.iter_documents(with_text=False)}
        claim_docs = {c.id: c.document_id for c in store.iter_claims()}
    html = result.path.read_text(encoding="utf-8")
    html_checks.self_contained(html)
    contested = _section(html, "contested", "numbers")
    subjects = re.findall(r'<div class="conflict" id="[^"]+">\s*<h3>([^<]+)</h3>', contested)
    assert subjects and subjects[0] == "Pokrovsk"
    first = contested.split('<div class="conflict"')[1]
    for side in ("Russia", "Ukraine"):
        assert f"</span>{side}</strong>" in first, side
    numbers = _section(html, "numbers", "map")
    assert "Hundreds of Russian soldiers" in numbers and "200–999" in numbers
    assert "around 200 Russian soldiers" in numbers and "180–220" in numbers
    findings = _section(html, "findings", "contested")
    assert "Pokrovsk" in findings and "“Hundreds of Russian soldiers” (200–999)" in findings
    assert "“around 200 Russian soldiers” (180–220)" in findings
    blocks = html_checks.blocks(html)
    assert len(blocks) == result.listed > 10
    with_url = 0
    for cid, block in blocks.items():
        url = urls[claim_docs[cid]]
        if url:
            with_url += 1
            assert f'href="{url}"' in block
        else:
            assert "(no URL known)" in block
    assert with_url


def test_seed_report_markdown_and_pdf(seed_db: str, tmp_path: Path) -> None:
    with open_store(seed_db) as store:
        md = build_report(store, place="Pokrovsk", fmt="md", out=tmp_path / "md" / "pokrovsk.md")
        text = md.path.read_text(encoding="utf-8")
        for image in re.findall(r"!\[[^\]]*\]\(<([^>]+)>\)", text):
            assert (md.path.parent / image).read_bytes().startswith(b"\x89PNG")
        assert len(md.files) >= 4 and "# Briefing: claims about Pokrovsk" in text
        pytest.importorskip("weasyprint", reason="PDF output needs WeasyPrint")
        if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
            pytest.skip("poppler-utils (pdftoppm, pdftotext) is not installed")
        pdf = build_report(store, place="Pokrovsk", fmt="pdf", out=tmp_path / "pokrovsk.pdf")
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf.path), str(tmp_path / "p")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert pdf.pages is not None and len(pages) == pdf.pages >= 3
    out = subprocess.run(["pdftotext", str(pdf.path), "-"], check=True, capture_output=True, text=True, timeout=120)
    flat = " ".join(out.stdout.split())
    for words in (
        "Briefing: claims about Pokrovsk",
        "Russia",
        "Ukraine",
        "Hundreds of Russian soldiers",
        "around 200 Russian soldiers",
        "themoscowtimes.com",
    ):
        assert words in flat, words


def test_week_of_corpus_report(week_db: str, tmp_path: Path, html_checks: Any) -> None:
    with open_store(week_db) as store:
        stats = store.stats()
        result = build_report(store, fmt="html", out=tmp_path / "week.html")
        in_ledger = len(find_conflicts(store, limit=6))
        urls = {d.id: d.url for d in store.iter_documents(with_text=False)}
        claim_docs = {c.id: c.document_id for c in store.iter_claims()}
        md = build_report(store, since="2022-06-13", until="2022-06-19", fmt="md", out=tmp_path / "week.md")
    html = result.path.read_text(encoding="utf-8")
    html_checks.self_contained(html)
    # every contested subject the ledger holds (up to the report's six) is in the report, none invented
    assert result.claims == stats["claims"] and result.statements >= 5 and result.conflicts == in_ledger
    lede = re.search(r'<p class="lede">(.*?)</p>', html, re.S)
    assert lede and "Sides:" in lede.group(1)
    named = [s for s in stats["claims_by_side"] if s != "none"]
    assert all(side in lede.group(1) for side in named)
    findings = _section(html, "findings", "map" if 'id="contested"' not in html else "contested")
    assert f"The ledger holds {stats['claims']:,} claims" in findings
    top = stats["top_claimants"][0]["name"]
    assert top in findings
    for cid, block in html_checks.blocks(html).items():
        url = urls[claim_docs[cid]]
        assert url and f'href="{url}"' in block
    text = md.path.read_text(encoding="utf-8")
    assert "from 2022-06-13 to 2022-06-19" in text
    assert all((md.path.parent / f).exists() for f in re.findall(r"\]\(<([^>]+\.png)>\)", text))
