"""What ``crosscheck ingest`` is given (files, folders, URLs) turned into Documents or InputErrors.

Each input is routed to one reader by its extension, then by sniffing its first bytes
(or, for URLs, by the response's content type). Bad inputs are yielded as InputError
values, not raised, so one bad file does not stop the rest.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

import httpx

from crosscheck.errors import FetchError, InputError
from crosscheck.readers.corpus import corpus_field_names, read_csv, read_json_array, read_jsonl
from crosscheck.readers.decode import (
    BINARY_HINT,
    TOO_LONG_HINT,
    declared_html_charset,
    decode_bytes,
    looks_binary,
    read_bytes,
    too_long_reason,
)
from crosscheck.readers.feeds import Feed, FeedItem, item_document, looks_like_feed, parse_feed
from crosscheck.readers.fetch import Fetched, Fetcher
from crosscheck.readers.html import looks_like_html, parse_html
from crosscheck.readers.outlets import set_outlet
from crosscheck.readers.text import parse_text
from crosscheck.records import Document
from crosscheck.sources import SourceRegistry

__all__ = ["read_inputs", "walk_folder"]

CORPUS_LINES = {".jsonl", ".ndjson"}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
FEED_EXTENSIONS = {".xml", ".rss", ".atom"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}
CORPUS_TYPES = {"text/csv", "application/json", "application/x-ndjson", "application/jsonl"}
# At most this many linked pages are fetched per feed URL whose items carry only a teaser.
MAX_FEED_FETCHES = 25
_URL = re.compile(r"^https?://", re.IGNORECASE)
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)

Item = Document | InputError
Fields = dict[str, tuple[str, ...]]


def read_inputs(
    sources: Iterable[str],
    *,
    corpus_fields: dict[str, str] | None = None,
    allow_private: bool = False,
    fetch_timeout: float = 15.0,
    max_bytes: int = 10_000_000,
    max_chars: int = 2_000_000,
    transport: httpx.BaseTransport | None = None,
    registry: SourceRegistry | None = None,
) -> Iterator[Document | InputError]:
    """Documents from files, folders (recursive, sorted, hidden files skipped) and http(s) URLs.

    Bad inputs are yielded as InputError (FetchError for URLs). A bad ``corpus_fields``
    mapping raises ConfigError at once. ``registry`` defaults to ``SourceRegistry.load()``.
    """
    fields = corpus_field_names(corpus_fields)
    if isinstance(sources, str):
        sources = [sources]
    fetcher = partial(
        Fetcher, timeout=fetch_timeout, max_bytes=max_bytes, allow_private=allow_private, transport=transport
    )
    reader = _Reader(fields=fields, max_chars=max_chars, registry=registry, make_fetcher=fetcher)
    return reader.read_all(sources)


def walk_folder(root: Path) -> list[Path]:
    """Files under ``root``, recursively, sorted by path; hidden files and folders are skipped."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(folder) / f for f in files if not f.startswith("."))
    return sorted(found, key=lambda p: p.relative_to(root).parts)


class _Reader:
    def __init__(
        self,
        *,
        fields: Fields,
        max_chars: int,
        registry: SourceRegistry | None,
        make_fetcher: Callable[[], Fetcher],
    ) -> None:
        self.fields = fields
        self.max_chars = max_chars
        self._registry = registry
        self._make_fetcher = make_fetcher
        self._fetcher: Fetcher | None = None

    @property
    def registry(self) -> SourceRegistry:
        if self._registry is None:
            self._registry = SourceRegistry.load()
        return self._registry

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = self._make_fetcher()
        return self._fetcher

    def read_all(self, sources: Iterable[str]) -> Iterator[Item]:
        try:
            for source in sources:
                yield from self.read_one(str(source))
        finally:
            if self._fetcher is not None:
                self._fetcher.close()

    def read_one(self, source: str) -> Iterator[Item]:
        if _URL.match(source):
            yield from self.read_url(source)
            return
        if _OTHER_SCHEME.match(source):
            yield InputError(source, "unsupported kind of URL", "only http:// and https:// URLs are fetched")
            return
        path = Path(source).expanduser()
        if path.is_dir():
            for file in walk_folder(path):
                yield from self.read_file(file)
        elif path.is_file():
            yield from self.read_file(path)
        elif path.exists():
            yield InputError(source, "not a regular file or folder", "pass a file, a folder or a URL")
        else:
            yield InputError(source, "no such file or folder", "check the path; URLs must start with http(s)://")

    # files

    def read_file(self, path: Path) -> Iterator[Item]:
        where = str(path)
        ext = path.suffix.lower()
        try:
            if ext in CORPUS_LINES or ext in {".csv", ".json"}:
                yield from self._read_corpus(path, ext)
                return
            data = read_bytes(path, max_chars=self.max_chars)
            if looks_binary(data):
                raise InputError(where, "binary file, not text", BINARY_HINT)
            head = data[:4096]
            if ext in FEED_EXTENSIONS or (ext not in HTML_EXTENSIONS and looks_like_feed(head)):
                yield from self._feed_documents(parse_feed(data, where=where), path=where, fetch=False)
            elif ext in HTML_EXTENSIONS or looks_like_html(head):
                html = decode_bytes(data, where=where, declared=declared_html_charset(data))
                yield self._finish(parse_html(html, where=where, path=where))
            else:
                text = decode_bytes(data, where=where)
                self._check_length(len(text), where)
                yield self._finish(parse_text(text, where=where, path=where))
        except InputError as err:
            yield err
        except OSError as err:
            yield InputError(where, f"cannot read file ({err.strerror or err})", "check that it exists and is readable")

    def _read_corpus(self, path: Path, ext: str) -> Iterator[Item]:
        if path.stat().st_size == 0:
            yield InputError(str(path), "empty file", "there is nothing to read")
            return
        if ext == ".csv":
            reader = read_csv
        elif ext == ".json" and _first_byte(path) == b"[":
            reader = read_json_array
        else:
            reader = read_jsonl
        # record_document has checked each text's length; only the outlet is left to fill in
        for item in reader(path, fields=self.fields, max_chars=self.max_chars):
            yield set_outlet(item, self.registry) if isinstance(item, Document) else item

    def _check_length(self, length: int, where: str) -> None:
        if length > self.max_chars:
            raise InputError(where, too_long_reason(length, "characters", self.max_chars), TOO_LONG_HINT)

    def _finish(self, doc: Document, *, fallback_url: str | None = None) -> Document:
        self._check_length(len(doc.text), doc.source_ref or doc.path or doc.url or "?")
        return set_outlet(doc, self.registry, fallback_url=fallback_url)

    # feeds

    def _feed_documents(self, feed: Feed, *, path: str | None, fetch: bool) -> Iterator[Item]:
        fetched = 0
        for item in feed.items:
            if fetch and not item.full_text and item.link and fetched < MAX_FEED_FETCHES:
                fetched += 1
                page = self._linked_page(item)
                if isinstance(page, Document) or not item.text:
                    yield page  # a failed fetch is reported only when there is no summary to fall back on
                    continue
            doc = item_document(item, path=path)
            if isinstance(doc, Document):
                doc.outlet = feed.title
                try:
                    doc = self._finish(doc, fallback_url=feed.link)
                except InputError as err:
                    yield err
                    continue
            yield doc

    def _linked_page(self, item: FeedItem) -> Item:
        """The article a teaser item links to; its title and date fill gaps in the page's metadata."""
        assert item.link is not None
        try:
            response = self.fetcher.get(item.link)
            if response.content_type and response.content_type not in HTML_TYPES:
                raise FetchError(
                    item.link, f"linked page is {response.content_type}, not HTML", "the item's summary is used instead"
                )
            html = decode_bytes(
                response.body, where=item.link, declared=response.charset or declared_html_charset(response.body)
            )
            doc = parse_html(html, where=item.link, url=response.url)
        except InputError as err:
            return err
        doc.title = doc.title or item.title
        doc.published = doc.published or item.published
        doc.byline = doc.byline or item.author
        try:
            return self._finish(doc, fallback_url=response.url)
        except InputError as err:
            return err

    # URLs

    def read_url(self, url: str) -> Iterator[Item]:
        try:
            response = self.fetcher.get(url)
            yield from self._read_response(url, response)
        except InputError as err:
            yield err

    def _read_response(self, url: str, response: Fetched) -> Iterator[Item]:
        body, kind = response.body, response.content_type
        if not body.strip():
            raise FetchError(url, "empty response", "check the address")
        if kind in CORPUS_TYPES:
            raise InputError(url, f"{kind} is not read from URLs", "download the corpus and ingest the file")
        if looks_binary(body):
            raise InputError(url, f"binary content ({kind or 'no content type'}), not text", BINARY_HINT)
        head = body[:4096]
        if kind in FEED_TYPES - {"application/xml", "text/xml"} or (kind not in HTML_TYPES and looks_like_feed(head)):
            yield from self._feed_documents(parse_feed(body, where=url), path=None, fetch=True)
        elif kind in HTML_TYPES or looks_like_html(head):
            html = decode_bytes(body, where=url, declared=response.charset or declared_html_charset(body))
            yield self._finish(parse_html(html, where=url, url=response.url), fallback_url=response.url)
        else:
            text = decode_bytes(body, where=url, declared=response.charset)
            self._check_length(len(text), url)
            doc = parse_text(text, where=url)
            doc.url = doc.url or response.url
            yield self._finish(doc, fallback_url=response.url)


def _first_byte(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(256).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
