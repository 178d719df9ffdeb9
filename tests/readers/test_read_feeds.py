"""RSS and Atom feeds, from files and from URLs."""

from __future__ import annotations

from pathlib import Path

import httpx

from crosscheck.errors import FetchError, InputError
from crosscheck.readers import read_inputs
from crosscheck.records import Document
from crosscheck.sources import SourceRegistry

GRAIN_TEASER = "A bulk carrier loaded with maize left the port on Friday evening, the port administration said."

ARTICLE = """<html><head><title>Grain ship leaves Odesa port</title>
<meta property="article:published_time" content="2025-03-07"></head><body><article>
<p>A bulk carrier loaded with maize left the port on Friday evening, the port administration said.</p>
<p>It was the fifth departure this week, the administration added, despite air-raid alerts during loading.</p>
<p>The ship is bound for a port in the eastern Mediterranean, according to tracking data cited by the agency.</p>
</article></body></html>"""


def test_rss_file_one_document_per_item(fixtures: Path, registry: SourceRegistry) -> None:
    path = fixtures / "feed.rss"
    first, second, third = list(read_inputs([str(path)], registry=registry))
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.title == "Drone debris damages school in Chernihiv region"
    assert first.text.startswith("Debris from a downed drone")  # full content preferred to the teaser
    assert "\n\nNo one was hurt" in first.text
    assert first.published == "2025-03-08"
    assert first.url == "https://kyivindependent.com/drone-debris-school/"
    assert first.outlet == "The Kyiv Independent" and first.outlet_country == "UA"
    assert first.source_ref == f"{path}#item1"
    assert second.text == GRAIN_TEASER
    assert isinstance(third, InputError)  # a link and a title only: nothing is fetched for a file
    assert third.where == f"{path}#item3" and "no text" in third.reason


def test_atom_file(fixtures: Path, registry: SourceRegistry) -> None:
    (doc,) = list(read_inputs([str(fixtures / "feed.atom")], registry=registry))
    assert isinstance(doc, Document)
    assert doc.title == "Ferry service suspended after mine found"
    assert doc.byline == "Tomasz Kral"
    assert doc.published == "2022-09-14"
    assert doc.outlet == "Example Regional Desk"  # the feed's own title: not in the registry


def test_feed_is_sniffed_without_extension(fixtures: Path, tmp_path: Path, registry: SourceRegistry) -> None:
    path = tmp_path / "latest"
    path.write_bytes((fixtures / "feed.atom").read_bytes())
    (doc,) = list(read_inputs([str(path)], registry=registry))
    assert isinstance(doc, Document) and doc.byline == "Tomasz Kral"


def test_xml_that_is_not_a_feed(tmp_path: Path, registry: SourceRegistry) -> None:
    path = tmp_path / "gazetteer.xml"
    path.write_text("<?xml version='1.0'?><places><place name='Oldtown'/></places>", encoding="utf-8")
    (err,) = list(read_inputs([str(path)], registry=registry))
    assert isinstance(err, InputError) and "not an RSS or Atom feed" in err.reason


def test_feed_url_fetches_teaser_items_only(fixtures: Path, registry: SourceRegistry, public_dns: dict) -> None:
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        if request.url.path == "/feed.xml":
            return httpx.Response(
                200, content=(fixtures / "feed.rss").read_bytes(), headers={"content-type": "application/rss+xml"}
            )
        if request.url.path == "/grain-ship-odesa/":
            return httpx.Response(200, text=ARTICLE, headers={"content-type": "text/html; charset=utf-8"})
        return httpx.Response(404)

    items = list(
        read_inputs(["https://kyivindependent.com/feed.xml"], registry=registry, transport=httpx.MockTransport(handler))
    )
    assert requested == [
        "https://kyivindependent.com/feed.xml",
        "https://kyivindependent.com/grain-ship-odesa/",
        "https://kyivindependent.com/link-only/",
    ]
    school, grain, missing = items
    assert isinstance(school, Document) and school.text.startswith("Debris from a downed drone")
    assert isinstance(grain, Document)
    assert "fifth departure this week" in grain.text  # the linked page, not the teaser
    assert grain.url == "https://kyivindependent.com/grain-ship-odesa/"
    assert grain.outlet == "The Kyiv Independent"
    assert grain.published == "2025-03-07"
    assert isinstance(missing, FetchError) and "404" in missing.reason
