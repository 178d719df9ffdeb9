"""Watch feeds: poll RSS/Atom feeds politely, ingest new articles, report new contradictions and disputes.

Each feed is fetched with a conditional GET (``If-None-Match`` / ``If-Modified-Since`` from the last
answer), a User-Agent naming crosscheck, and an exponential backoff per feed after errors (doubling from
``interval``, capped at ``max_backoff``, longer when the server sends ``Retry-After``). What each feed
answered and which of its items were ingested is kept in a small JSON state file, rewritten atomically
after every poll, so a watcher stopped at any point starts again where it was: nothing is lost and,
because document ids are content hashes, nothing is ingested twice.

New relations of the kinds in ``report_types`` between a new claim and the ledger are written as one
JSON line each to ``out`` and POSTed to ``webhook``. Every event (polls, errors, new documents,
relations) also goes to ``on_event``: printing them is the command line's job, not this module's.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import httpx

from crosscheck.config import load_settings
from crosscheck.dedup import NearDuplicateIndex
from crosscheck.errors import ConfigError, FetchError, InputError, NotFound
from crosscheck.ingest import IngestReport, store_one
from crosscheck.pipeline import Pipeline
from crosscheck.readers import read_inputs
from crosscheck.readers.feeds import Feed, FeedItem, item_document, parse_feed
from crosscheck.readers.fetch import MAX_REDIRECTS, USER_AGENT, Fetcher
from crosscheck.readers.inputs import MAX_FEED_FETCHES
from crosscheck.readers.outlets import set_outlet
from crosscheck.reconcile import reconcile
from crosscheck.records import Analysis, Claim, Document, Relation
from crosscheck.storage import Store, open_store
from crosscheck.storage.engine import mask, parse_url

__all__ = ["FeedState", "WatchReport", "default_state_path", "watch"]

STATE_VERSION = 1
SEEN_KEPT = 2000  # item keys remembered per feed (a feed lists far fewer items than this)
MAX_BACKOFF = 6 * 3600.0
REPORTED = ("contradicts", "disputes")

Event = dict[str, Any]


@dataclass
class FeedState:
    """What is remembered about one feed between polls (and between runs)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0  # errors in a row; the backoff doubles with each
    next_poll: float = 0.0  # epoch seconds
    last_polled: float | None = None
    last_status: str | None = None  # "200", "304", or the error
    seen: list[str] = field(default_factory=list)  # keys of items already ingested, oldest first


@dataclass
class WatchReport:
    rounds: int = 0
    polls: int = 0
    not_modified: int = 0
    errors: int = 0
    documents: int = 0  # new documents stored
    unchanged: int = 0  # items whose article was already in the ledger
    claims: int = 0
    relations: int = 0  # new relations reported (of the kinds asked for)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def default_state_path(db: str) -> Path:
    """Beside a SQLite ledger (``ledger.db.watch.json``); for a server, a file named after the URL
    under ``$XDG_STATE_HOME/crosscheck`` (default ``~/.local/state/crosscheck``)."""
    url = parse_url(db)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(str(url.database) + ".watch.json")
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "crosscheck"
    return base / f"watch-{hashlib.sha1(mask(url).encode('utf-8')).hexdigest()[:12]}.json"


class _State:
    """The state file: one ``FeedState`` per feed URL."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.feeds: dict[str, FeedState] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as err:
            raise ConfigError(
                f"{path}: cannot read the watch state ({err}); move the file away to start afresh"
            ) from err
        for url, fs in (data.get("feeds") or {}).items():
            known = {k: v for k, v in fs.items() if k in FeedState.__dataclass_fields__}
            self.feeds[url] = FeedState(**{**known, "url": url})

    def feed(self, url: str) -> FeedState:
        return self.feeds.setdefault(url, FeedState(url=url))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": STATE_VERSION, "feeds": {url: asdict(fs) for url, fs in self.feeds.items()}}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)


class _Refused(FetchError):
    """An HTTP error answer, with the wait the server asked for (``Retry-After``), if any."""

    def __init__(self, where: str, reason: str, hint: str, *, retry_after: float | None) -> None:
        super().__init__(where, reason, hint)
        self.retry_after = retry_after


@dataclass
class _Answer:
    status: int
    url: str
    headers: httpx.Headers
    body: bytes = b""


def watch(
    feeds: Sequence[str],
    *,
    db: str | None = None,
    interval: float = 300.0,
    once: bool = False,
    state_path: str | None = None,
    out: TextIO | None = None,
    webhook: str | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_event: Callable[[Event], None] | None = None,
    clock: Callable[[], float] = time.time,
    rounds: int | None = None,
    max_backoff: float = MAX_BACKOFF,
    allow_private: bool | None = None,
    report_types: Sequence[str] = REPORTED,
    store: Store | None = None,
    pipeline: Pipeline | None = None,
) -> WatchReport:
    """Poll ``feeds`` every ``interval`` seconds until stopped (``once``: one round; ``rounds``: that
    many), ingesting new items into the ledger at ``db`` (or ``store``) and reporting new relations.

    ``state_path`` defaults to ``default_state_path(db)``. ``transport`` is httpx's seam for tests;
    ``sleep`` and ``clock`` are the seams for time. A feed in backoff is skipped until it is due,
    in ``once`` mode too. Errors of one feed never stop the others.
    """
    if not feeds:
        raise ConfigError("no feeds to watch; give one or more feed URLs")
    if interval <= 0:
        raise ConfigError(f"interval must be more than 0 seconds, got {interval}")
    if webhook is not None and not webhook.lower().startswith(("http://", "https://")):
        raise ConfigError(f"webhook {webhook!r} is not an http(s) URL")
    settings = load_settings(db=db, allow_private_urls=allow_private)
    own_store = store is None
    st = store if store is not None else open_store(settings["db"])
    state = _State(Path(state_path) if state_path else default_state_path(str(settings["db"])))
    client = httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(settings["fetch_timeout"]),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        trust_env=False,
    )
    guard = Fetcher(
        timeout=settings["fetch_timeout"], allow_private=settings["allow_private_urls"], transport=transport
    )
    try:
        watcher = _Watcher(
            st,
            pipeline or Pipeline(model=settings["model"], batch_size=settings["batch_size"]),
            state,
            client,
            guard,
            settings=settings,
            interval=interval,
            max_backoff=max_backoff,
            clock=clock,
            report_types=set(report_types),
            sinks=_Sinks(out, webhook, client, on_event),
            transport=transport,
        )
        limit = 1 if once else rounds
        while True:
            for url in dict.fromkeys(feeds):
                watcher.poll_if_due(url)
            watcher.report.rounds += 1
            if limit is not None and watcher.report.rounds >= limit:
                return watcher.report
            wake = min(state.feed(url).next_poll for url in feeds)
            sleep(max(0.0, wake - clock()))
    finally:
        client.close()
        guard.close()
        if own_store:
            st.close()


class _Sinks:
    """Where events go: every event to ``on_event``; relations also to ``out`` and the webhook."""

    def __init__(
        self,
        out: TextIO | None,
        webhook: str | None,
        client: httpx.Client,
        on_event: Callable[[Event], None] | None,
    ) -> None:
        self.out = out
        self.webhook = webhook
        self.client = client
        self.on_event = on_event

    def emit(self, event: Event) -> None:
        if event["event"] == "relation":
            if self.out is not None:
                self.out.write(json.dumps(event, ensure_ascii=False) + "\n")
                self.out.flush()
            if self.webhook is not None:
                self._post(event)
        if self.on_event is not None:
            self.on_event(event)

    def _post(self, event: Event) -> None:
        assert self.webhook is not None
        try:
            response = self.client.post(self.webhook, json=event)
            if response.status_code >= 400:
                raise FetchError(self.webhook, f"HTTP {response.status_code}", "check the webhook")
        except (httpx.HTTPError, FetchError) as err:
            if self.on_event is not None:
                self.on_event({"event": "error", "webhook": self.webhook, "error": f"webhook failed: {err}"})


class _Watcher:
    def __init__(
        self,
        store: Store,
        pipeline: Pipeline,
        state: _State,
        client: httpx.Client,
        guard: Fetcher,
        *,
        settings: dict[str, Any],
        interval: float,
        max_backoff: float,
        clock: Callable[[], float],
        report_types: set[str],
        sinks: _Sinks,
        transport: httpx.BaseTransport | None,
    ) -> None:
        self.store = store
        self.pipeline = pipeline
        self.state = state
        self.client = client
        self.guard = guard
        self.settings = settings
        self.interval = interval
        self.max_backoff = max_backoff
        self.clock = clock
        self.report_types = report_types
        self.sinks = sinks
        self.transport = transport
        self.report = WatchReport()
        self.known = store.document_ids()
        self.index = NearDuplicateIndex(threshold=settings["near_duplicate_threshold"])
        self.index.add_signatures(store.iter_signatures())
        self.reported: set[str] = set()

    # -- one feed ----------------------------------------------------------------------------------

    def poll_if_due(self, url: str) -> None:
        fs = self.state.feed(url)
        now = self.clock()
        if fs.next_poll > now:
            self.sinks.emit({"event": "skipped", "feed": url, "next_poll": _iso(fs.next_poll), "failures": fs.failures})
            return
        self.report.polls += 1
        fs.last_polled = now
        try:
            answer = self._get(url, fs)
            if answer.status == 304:
                self.report.not_modified += 1
                self._succeeded(fs, "304")
                self.sinks.emit({"event": "not_modified", "feed": url, "next_poll": _iso(fs.next_poll)})
                return
            feed = parse_feed(answer.body, where=url)
            found = self._ingest(url, feed, fs)
        except InputError as err:
            self._failed(fs, err, retry_after=err.retry_after if isinstance(err, _Refused) else None)
            return
        fs.etag = answer.headers.get("etag") or None
        fs.last_modified = answer.headers.get("last-modified") or None
        self._succeeded(fs, str(answer.status))
        self.sinks.emit({"event": "polled", "feed": url, "next_poll": _iso(fs.next_poll), **found})

    def _succeeded(self, fs: FeedState, status: str) -> None:
        fs.failures = 0
        fs.last_status = status
        fs.next_poll = self.clock() + self.interval
        self.state.save()

    def _failed(self, fs: FeedState, err: InputError, *, retry_after: float | None) -> None:
        self.report.errors += 1
        fs.failures += 1
        fs.last_status = err.reason
        delay = min(self.max_backoff, self.interval * 2**fs.failures)
        if retry_after is not None:
            delay = min(self.max_backoff, max(delay, retry_after))
        fs.next_poll = self.clock() + delay
        self.state.save()
        self.sinks.emit(
            {
                "event": "error",
                "feed": fs.url,
                "error": str(err),
                "failures": fs.failures,
                "next_poll": _iso(fs.next_poll),
            }
        )

    def _get(self, url: str, fs: FeedState) -> _Answer:
        """A conditional GET of ``url``, every redirect hop checked like any fetch; raises FetchError."""
        headers = {}
        if fs.etag:
            headers["If-None-Match"] = fs.etag
        if fs.last_modified:
            headers["If-Modified-Since"] = fs.last_modified
        target = self.guard.check_url(url, where=url)
        max_bytes = int(self.settings["fetch_max_bytes"])
        for _ in range(MAX_REDIRECTS + 1):
            try:
                with self.client.stream("GET", target, headers=headers) as response:
                    if response.status_code == 304:
                        return _Answer(304, str(response.url), response.headers)
                    if response.has_redirect_location:
                        location = response.headers["location"]
                        target = self.guard.check_url(str(target.join(location)), where=url)
                        continue
                    if response.status_code >= 400:
                        raise _Refused(
                            url,
                            f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                            "the feed is polled again later, less often while it keeps failing",
                            retry_after=_retry_after(response.headers.get("retry-after"), self.clock()),
                        )
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise FetchError(url, f"feed larger than {max_bytes:,} bytes", "raise fetch_max_bytes")
                    return _Answer(response.status_code, str(response.url), response.headers, bytes(body))
            except httpx.HTTPError as err:
                raise FetchError(url, f"fetch failed ({type(err).__name__}: {err})", "polled again later") from err
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects", "watch the final address")

    # -- items -------------------------------------------------------------------------------------

    def _ingest(self, url: str, feed: Feed, fs: FeedState) -> dict[str, int]:
        """Ingest the feed's items not seen before (oldest first); returns counts for the poll event."""
        seen = set(fs.seen)
        fresh: list[Document] = []
        keys: dict[str, str] = {}  # document id -> item key
        done: list[str] = []
        fetches = 0
        unchanged = 0
        for item in reversed(feed.items):  # feeds list the newest first
            key = _item_key(item)
            if key in seen:
                continue
            needs_page = not item.full_text and item.link is not None and fetches < MAX_FEED_FETCHES
            fetches += int(needs_page)
            doc = self._document(item, feed, fetch=needs_page)
            if isinstance(doc, InputError):
                self.sinks.emit({"event": "error", "feed": url, "error": str(doc)})
                continue  # not marked seen: tried again when the feed next changes
            seen.add(key)
            if doc.id in self.known:
                unchanged += 1
                done.append(key)
                continue
            self.known.add(doc.id)
            keys[doc.id] = key
            fresh.append(doc)
        self.report.unchanged += unchanged
        stats = {"items": len(feed.items), "new_documents": 0, "unchanged": unchanged, "claims": 0, "relations": 0}
        for analysis in self._analyse(url, fresh, done, keys):
            stored, claims, relations = self._store(url, analysis)
            stats["new_documents"] += stored
            stats["claims"] += claims
            stats["relations"] += relations
            done.append(keys[analysis.document.id])
        fs.seen = [*fs.seen, *done][-SEEN_KEPT:]
        return stats

    def _analyse(self, url: str, docs: list[Document], done: list[str], keys: dict[str, str]) -> list[Analysis]:
        """The analyses of ``docs``. An article the pipeline fails on is reported and marked seen, so
        that one bad article neither stops the watcher nor blocks its feed poll after poll."""
        try:
            return list(self.pipeline.analyse_many(docs))
        except Exception:  # a bug on one article: find it by analysing one at a time
            pass
        out: list[Analysis] = []
        for doc in docs:
            try:
                out.extend(self.pipeline.analyse_many([doc]))
            except Exception as err:
                self.report.errors += 1
                self.known.discard(doc.id)
                done.append(keys[doc.id])
                where = doc.url or doc.source_ref or doc.id
                self.sinks.emit({"event": "error", "feed": url, "error": f"{where}: analysis failed: {err!r}"})
        return out

    def _document(self, item: FeedItem, feed: Feed, *, fetch: bool) -> Document | InputError:
        """The article of a feed item: its linked page for a teaser (the summary if that fails), else the item."""
        registry = self.pipeline.sources
        if fetch:
            assert item.link is not None
            page = next(
                iter(
                    read_inputs(
                        [item.link],
                        allow_private=bool(self.settings["allow_private_urls"]),
                        fetch_timeout=self.settings["fetch_timeout"],
                        max_bytes=self.settings["fetch_max_bytes"],
                        max_chars=self.settings["max_document_chars"],
                        transport=self.transport,
                        registry=registry,
                    )
                ),
                None,
            )
            if isinstance(page, Document):
                page.title = page.title or item.title
                page.published = page.published or item.published
                page.byline = page.byline or item.author
                return page
            if not item.text:
                return page or InputError(item.where, "linked page gave no article", "check the item's link")
        doc = item_document(item)
        if isinstance(doc, InputError):
            return doc
        if len(doc.text) > self.settings["max_document_chars"]:
            return InputError(item.where, "item text is too long", "raise max_document_chars")
        doc.outlet = feed.title
        return set_outlet(doc, registry, fallback_url=feed.link)

    def _store(self, url: str, analysis: Analysis) -> tuple[int, int, int]:
        """Store one analysis, reconcile it, report its new relations: (documents, claims, relations)."""
        before = IngestReport()
        store_one(self.store, analysis, index=self.index, report=before, relate=False)
        if not before.inserted:
            for err in before.errors:
                self.sinks.emit({"event": "error", "feed": url, "error": str(err)})
            self.report.unchanged += before.unchanged
            return 0, 0, 0
        doc = analysis.document
        self.report.documents += 1
        self.report.claims += len(analysis.claims)
        self.sinks.emit(
            {
                "event": "document",
                "feed": url,
                "id": doc.id,
                "title": doc.title,
                "url": doc.url,
                "outlet": doc.outlet,
                "claims": len(analysis.claims),
            }
        )
        if not analysis.claims or not reconcile(self.store, analysis.claims):
            return 1, len(analysis.claims), 0
        reported = 0
        for relation in self._new_relations(analysis.claims):
            self.sinks.emit(self._relation_event(url, relation))
            reported += 1
        self.report.relations += reported
        return 1, len(analysis.claims), reported

    def _new_relations(self, claims: Sequence[Claim]) -> Iterator[Relation]:
        """The relations of the kinds asked for that touch these (just stored) claims: all new."""
        for claim in claims:
            for relation in self.store.relations(claim_id=claim.id):
                if relation.type in self.report_types and relation.id not in self.reported:
                    self.reported.add(relation.id)
                    yield relation

    def _relation_event(self, url: str, relation: Relation) -> Event:
        found: list[dict[str, Any]] = []
        claims = {}
        for cid in relation.claims:
            try:
                claims[cid] = self.store.get_claim(cid)
            except NotFound:  # deleted meanwhile: the event keeps its id alone
                continue
        info = self.store.documents_info(c.document_id for c in claims.values())
        for cid in relation.claims:
            c = claims.get(cid)
            if c is None:
                found.append({"id": cid})
                continue
            d = info.get(c.document_id)
            found.append(
                {
                    "id": c.id,
                    "claimant": c.claimant.name if c.claimant else None,
                    "side": c.claimant.side if c.claimant else None,
                    "text": c.text,
                    "document_id": c.document_id,
                    "outlet": d.outlet if d else None,
                    "url": d.url if d else None,
                    "published": d.published if d else None,
                }
            )
        return {"event": "relation", "feed": url, "found_at": _iso(self.clock()), **relation.to_dict(), "detail": found}


def _item_key(item: FeedItem) -> str:
    raw = "\x1f".join([item.link or "", item.title or "", item.text])
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")
