"""Plain-text and seed-format articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.errors import InputError
from crosscheck.readers import read_inputs
from crosscheck.readers.text import normalise_paragraphs, parse_text
from crosscheck.records import Document
from crosscheck.sources import SourceRegistry


def read_one(path: Path, registry: SourceRegistry) -> Document:
    items = list(read_inputs([str(path)], registry=registry))
    assert len(items) == 1
    assert isinstance(items[0], Document), items[0]
    return items[0]


def test_seed_format_metadata_is_taken_out_of_the_body(fixtures: Path, registry: SourceRegistry) -> None:
    doc = read_one(fixtures / "seed_gao_convoy.txt", registry)
    assert doc.title == "Convoy Ambushed on Road North of Gao"
    assert doc.byline == "Reuters"
    assert doc.published == "2024-03-12"
    assert doc.url == "https://www.reuters.com/world/africa/convoy-ambushed-north-gao-2024-03-12/"
    assert doc.outlet == "Reuters"
    assert doc.outlet_kind == "wire_agency"
    assert doc.outlet_country == "GB"
    assert doc.text.startswith("Gunmen attacked a supply convoy")
    assert doc.text.endswith("gave no figure for its own losses.")
    for meta in ("##", "By Reuters", "March 12, 2024", "Original url", "https://"):
        assert meta not in doc.text
    assert doc.text.count("\n\n") == 3
    assert "\n\n\n" not in doc.text


def test_url_at_end_without_newline_and_crlf_give_the_same_document(fixtures: Path) -> None:
    raw = (fixtures / "seed_gao_convoy.txt").read_text(encoding="utf-8")
    plain = parse_text(raw, where="a.txt")
    no_newline = parse_text(raw.rstrip("\n"), where="b.txt")
    crlf = parse_text(raw.replace("\n", "\r\n"), where="c.txt")
    assert plain.text == no_newline.text == crlf.text
    assert plain.url == no_newline.url == crlf.url
    assert plain.id == crlf.id


def test_handle_heading_is_kept_as_handle_not_body(fixtures: Path, registry: SourceRegistry) -> None:
    doc = read_one(fixtures / "post_with_handle.md", registry)
    assert doc.handle == "@Harbour_Authority_Info"
    assert doc.title == "Port Strikes Reported Overnight"
    assert doc.published == "2023-02-07"
    assert "@Harbour" not in doc.text
    assert doc.text.startswith("The port authority said")
    assert doc.url is None
    assert doc.outlet is None  # no URL, no outlet: nothing is invented


def test_bare_headline_line_becomes_the_title(fixtures: Path, registry: SourceRegistry) -> None:
    doc = read_one(fixtures / "bare_headline.txt", registry)
    assert doc.title == "Flood Defences Hold as River Crests in Lower Valley"
    assert doc.text.startswith("Engineers said on Thursday")
    assert doc.published is None


def test_title_from_first_sentence_stays_in_the_body(fixtures: Path, registry: SourceRegistry) -> None:
    doc = read_one(fixtures / "one_paragraph_lead.txt", registry)
    assert doc.title == "Militia fighters seize hilltop near the lake in overnight push"
    assert doc.text.startswith("Militia fighters seize hilltop near the lake in overnight push. A spokesman")
    assert doc.published is None
    assert doc.byline is None


def test_a_long_first_sentence_is_not_made_a_title() -> None:
    words = " ".join(f"word{n}" for n in range(45))
    doc = parse_text(f"{words}.\n\nSecond paragraph here.", where="x.txt")
    assert doc.title is None


def test_date_inside_the_body_is_not_the_publication_date() -> None:
    raw = "## Shelling resumes\n\nThe shelling resumed at dawn, residents said.\n\nMarch 3, 2021\n\nIt went on all day."
    doc = parse_text(raw, where="x.txt")
    assert doc.published is None
    assert "March 3, 2021" in doc.text


def test_a_sentence_starting_with_by_is_body_not_byline() -> None:
    raw = "By the end of the week the bridge had reopened to traffic.\n\nBuses ran again on Saturday."
    doc = parse_text(raw, where="x.txt")
    assert doc.byline is None
    assert doc.text.startswith("By the end of the week")


def test_text_after_a_glued_url_is_kept_as_body() -> None:
    raw = "## Title here\n\nBody one.\n\n## Original url:\nhttps://example.org/a-b Trailing words."
    doc = parse_text(raw, where="x.txt")
    assert doc.url == "https://example.org/a-b"
    assert doc.text.endswith("Trailing words.")


def test_lines_without_blank_lines_are_paragraphs() -> None:
    assert normalise_paragraphs("One.\nTwo.\r\nThree.") == "One.\n\nTwo.\n\nThree."
    assert normalise_paragraphs("A\nwrapped line.\n\n\n\nNext.  ") == "A\nwrapped line.\n\nNext."


def test_file_with_only_metadata_is_an_error() -> None:
    with pytest.raises(InputError, match="no article text"):
        parse_text("## Only a title\n\nBy AFP\n\nJune 1, 2020\n", where="meta.txt")
