"""RSS and Atom feeds: one document per item (content, else summary), via feedparser.

feedparser is always given bytes, never a URL or path, so it never fetches anything itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from crosscheck.errors import InputError
from crosscheck.readers.dates import struct_time_date
from crosscheck.readers.html import fragment_text
from crosscheck.records import Document

__all__ = ["Feed", "FeedItem", "item_document", "looks_like_feed", "parse_feed"]

_FEED_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?xml-stylesheet[^>]*>\s*|<!DOCTYPE[^>]*>\s*)*<(?:rss|rdf:RDF|feed)\b",
    re.IGNORECASE | re.DOTALL,
)
# A summary shorter than this is a teaser: for feeds read from a URL the linked page is fetched.
FULL_TEXT_CHARS = 600


@dataclass
class FeedItem:
    where: str
    title: str | None
    link: str | None
    published: str | None
    author: str | None
    text: str
    full_text: bool


@dataclass
class Feed:
    title: str | None
    link: str | None
    items: list[FeedItem] = field(default_factory=list)


def looks_like_feed(head: bytes) -> bool:
    """True when the first bytes are an RSS, RDF or Atom document."""
    return bool(_FEED_START.match(head[:4096].lstrip(b"\xef\xbb\xbf")))


def _text_of(detail: Any) -> str:
    value = detail.get("value", "") if isinstance(detail, dict) else str(detail or "")
    kind = detail.get("type", "") if isinstance(detail, dict) else ""
    return fragment_text(value) if "html" in kind or "<" in value else " ".join(value.split())


def parse_feed(data: bytes, *, where: str) -> Feed:
    """The items of a feed; raises InputError when the bytes are not RSS or Atom."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        raise InputError(where, f"not an RSS or Atom feed{detail}", "check the file or URL is a feed")
    meta = parsed.get("feed", {})
    feed = Feed(title=(meta.get("title") or "").strip() or None, link=meta.get("link") or None)
    for n, entry in enumerate(parsed.entries, 1):
        content = entry.get("content") or []
        body = _text_of(content[0]) if content else ""
        summary = _text_of(entry.get("summary_detail") or entry.get("summary") or "")
        text = body or summary
        author_detail = entry.get("author_detail") or {}
        feed.items.append(
            FeedItem(
                where=f"{where}#item{n}",
                title=" ".join(_text_of(entry.get("title_detail") or entry.get("title") or "").split()) or None,
                link=entry.get("link") or None,
                published=struct_time_date(entry.get("published_parsed") or entry.get("updated_parsed")),
                author=(author_detail.get("name") or entry.get("author") or "").strip() or None,
                text=text,
                full_text=bool(body) or len(summary) >= FULL_TEXT_CHARS,
            )
        )
    return feed


def item_document(item: FeedItem, *, path: str | None = None) -> Document | InputError:
    """A feed item as a document, keeping its summary as text when that is all it has."""
    if not item.text:
        return InputError(
            item.where,
            "feed item has no text (only a title and link)",
            "ingest the feed by URL so linked pages are fetched, or ingest the article pages",
        )
    return Document(
        text=item.text,
        title=item.title,
        byline=item.author,
        url=item.link,
        published=item.published,
        path=path,
        source_ref=item.where,
    )
