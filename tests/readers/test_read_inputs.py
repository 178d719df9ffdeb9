"""Routing: folders, sorting, hidden files, unknown inputs, and bad inputs not stopping good ones."""

from __future__ import annotations

from pathlib import Path

import httpx

from crosscheck.errors import InputError
from crosscheck.readers import read_inputs, walk_folder
from crosscheck.records import Document
from crosscheck.sources import SourceRegistry

GRAIN_TEASER = "A bulk carrier loaded with maize left the port on Friday evening, the port administration said."


def article(title: str) -> str:
    return f"## {title}\n\nBy AFP\n\nJune 3, 2022\n\nThe story of {title.lower()} in one paragraph."


def test_folders_are_read_recursively_sorted_without_hidden_files(tmp_path: Path, registry: SourceRegistry) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deeper").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_text(article("Bravo two"), encoding="utf-8")
    (tmp_path / "b" / "1.txt").write_text(article("Bravo one"), encoding="utf-8")
    (tmp_path / "a" / "deeper" / "x.md").write_text(article("Alpha deep"), encoding="utf-8")
    (tmp_path / "a" / "z.txt").write_text(article("Alpha zed"), encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(article("Hidden"), encoding="utf-8")
    (tmp_path / ".git" / "HEAD").write_text(article("Git"), encoding="utf-8")
    titles = [d.title for d in read_inputs([str(tmp_path)], registry=registry) if isinstance(d, Document)]
    assert titles == ["Alpha deep", "Alpha zed", "Bravo one", "Bravo two"]
    assert [p.name for p in walk_folder(tmp_path)] == ["x.md", "z.txt", "1.txt", "2.txt"]


def test_bad_inputs_do_not_stop_the_rest(tmp_path: Path, registry: SourceRegistry) -> None:
    good = tmp_path / "good.txt"
    good.write_text(article("Good one"), encoding="utf-8")
    zipped = tmp_path / "notes.docx"
    zipped.write_bytes(b"PK\x03\x04" + bytes(300))
    empty = tmp_path / "empty.md"
    empty.touch()
    items = list(read_inputs([str(tmp_path / "missing.txt"), str(zipped), str(empty), str(good)], registry=registry))
    assert [type(i).__name__ for i in items] == ["InputError", "InputError", "InputError", "Document"]
    missing, binary, blank, doc = items
    assert isinstance(missing, InputError) and missing.reason == "no such file or folder"
    assert isinstance(binary, InputError) and binary.reason == "binary file, not text" and binary.where == str(zipped)
    assert isinstance(blank, InputError) and blank.reason == "empty file"
    assert isinstance(doc, Document) and doc.title == "Good one" and doc.path == str(good)


def test_the_same_article_read_twice_has_the_same_id(tmp_path: Path, registry: SourceRegistry) -> None:
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text(article("Same story"), encoding="utf-8")
    two.write_text(article("Same story").replace("\n", "\r\n"), encoding="utf-8")
    a, b = read_inputs([str(one), str(two)], registry=registry)
    assert isinstance(a, Document) and isinstance(b, Document) and a.id == b.id


def test_registry_is_loaded_when_not_given(fixtures: Path) -> None:
    (doc,) = read_inputs([str(fixtures / "seed_gao_convoy.txt")])
    assert isinstance(doc, Document) and doc.outlet == "Reuters"


def test_feed_item_falls_back_to_its_summary_when_the_page_fails(
    fixtures: Path, registry: SourceRegistry, public_dns: dict
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/feed.xml":
            return httpx.Response(200, content=(fixtures / "feed.rss").read_bytes())
        raise httpx.ConnectError("unreachable", request=request)

    items = list(
        read_inputs(["https://kyivindependent.com/feed.xml"], registry=registry, transport=httpx.MockTransport(handler))
    )
    school, grain, link_only = items
    assert isinstance(grain, Document)
    assert grain.text == GRAIN_TEASER
    assert isinstance(link_only, InputError) and "cannot connect" in link_only.reason
    assert isinstance(school, Document)


def test_a_single_string_is_one_source(fixtures: Path, registry: SourceRegistry) -> None:
    (doc,) = read_inputs(str(fixtures / "bare_headline.txt"), registry=registry)
    assert isinstance(doc, Document)


def test_text_mentioning_markup_is_still_text(tmp_path: Path, registry: SourceRegistry) -> None:
    path = tmp_path / "note.txt"
    path.write_text("## Feeds\n\nThe ministry publishes an <rss> feed and a <feed> page, officials said.", "utf-8")
    (doc,) = read_inputs([str(path)], registry=registry)
    assert isinstance(doc, Document) and doc.title == "Feeds" and "<rss>" in doc.text
