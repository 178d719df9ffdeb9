"""Watching feeds served on loopback: conditional GET, backoff, no re-ingest, relations reported.

The feeds and articles are written for these tests (a made-up week of fighting in Sudan, January 2024).
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import httpx
import pytest

from crosscheck.pipeline import Pipeline
from crosscheck.storage import open_store
from crosscheck.watch import default_state_path, watch

ARMY = (
    "Army says it retook Wad Madani",
    "https://bluenile.example/a1",
    "2024-01-14T09:00:00Z",
    "The Sudanese army said on Saturday that its troops had recaptured Wad Madani after two days of fighting. "
    "A military spokesman said at least 30 fighters of the Rapid Support Forces were killed in the town. "
    "Residents said the market had been closed since Thursday.",
)
RSF = (
    "RSF says it holds Wad Madani",
    "https://kordofan.example/b2",
    "2024-01-14T15:00:00Z",
    "The Rapid Support Forces said on Saturday that their fighters were still holding Wad Madani. "
    "An RSF commander denied that the army had entered the town, calling the reports fabricated. "
    "Aid groups said thousands of families had fled south toward Sennar.",
)
DRONE = (
    "Drone strike on El Obeid",
    "https://bluenile.example/a3",
    "2024-01-20T08:00:00Z",
    "Officials in North Kordofan said a drone struck the airport in El Obeid on Friday night. "
    "The governor said five people were wounded and two hangars were destroyed.",
)
CONVOY = (
    "Convoy reaches Kadugli",
    "https://sahelmon.example/c4",
    "2024-01-21T11:00:00Z",
    "A United Nations spokesperson said an aid convoy of 18 trucks reached Kadugli on Sunday. "
    "Local officials said the road from El Obeid remained dangerous.",
)


def atom(title: str, entries: list[tuple[str, str, str, str]]) -> bytes:
    """An Atom feed, newest entry first, each entry with its full text as content."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>urn:test:{escape(title)}</id>",
        "<updated>2024-01-21T12:00:00Z</updated>",
    ]
    for head, link, updated, text in entries:
        parts.append(
            f'<entry><title>{escape(head)}</title><link href="{escape(link)}"/><id>{escape(link)}</id>'
            f'<updated>{updated}</updated><content type="text">{escape(text)}</content></entry>'
        )
    parts.append("</feed>")
    return "\n".join(parts).encode("utf-8")


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Route:
    """Answers in turn (the last one again and again); 304 when the request names ``etag``."""

    answers: list[tuple[int, dict[str, str], bytes]]
    etag: str | None = None
    served: int = 0


@dataclass
class FeedServer:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def hooks(self) -> list[Any]:
        return [json.loads(r.body) for r in self.requests if r.method == "POST"]

    def gets(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.method == "GET" and r.path == path]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    state = FeedServer(base="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            state.requests.append(Seen("GET", self.path, dict(self.headers.items())))
            route = state.routes.get(self.path)
            if route is None:
                self._answer(404, {}, b"no such feed")
                return
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self._answer(304, {"ETag": route.etag}, b"")
                return
            status, headers, body = route.answers[min(route.served, len(route.answers) - 1)]
            route.served += 1
            self._answer(status, headers, body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            state.requests.append(Seen("POST", self.path, dict(self.headers.items()), self.rfile.read(length)))
            self._answer(204, {}, b"")

        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and status != 304:
                self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


class Clock:
    """Time for the watcher: ``sleep`` moves it on instead of waiting."""

    def __init__(self) -> None:
        self.now = 1_705_300_000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


ATOM = {"Content-Type": "application/atom+xml"}


def test_new_articles_are_ingested_and_their_conflicts_reported(
    server: FeedServer, tmp_path: Path, pipeline: Pipeline
) -> None:
    server.routes["/sudan.xml"] = Route([(200, {**ATOM, "ETag": '"v1"'}, atom("Sudan wire", [RSF, ARMY]))], '"v1"')
    db, state = f"sqlite:///{tmp_path / 'ledger.db'}", str(tmp_path / "watch.json")
    out, events, clock = io.StringIO(), [], Clock()
    common: dict[str, Any] = {"db": db, "state_path": state, "allow_private": True, "pipeline": pipeline}
    report = watch(
        [server.url("/sudan.xml")],
        once=True,
        out=out,
        webhook=server.url("/hook"),
        on_event=events.append,
        clock=clock,
        **common,
    )
    assert (report.polls, report.documents, report.errors) == (1, 2, 0)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines and {line["type"] for line in lines} <= {"contradicts", "disputes"}
    contradiction = next(line for line in lines if line["type"] == "contradicts")
    sides = {d["side"] for d in contradiction["detail"]}
    assert sides == {"Sudan", "Rapid Support Forces"} and contradiction["feed"] == server.url("/sudan.xml")
    assert server.hooks() == lines  # each relation POSTed too
    assert [e["event"] for e in events if e["event"] != "relation"] == ["document", "document", "polled"]
    assert "crosscheck" in server.gets("/sudan.xml")[0].headers["User-Agent"]

    # a restart, after the interval: the conditional GET gets 304 and nothing is read again
    clock.now += 301
    again, events2 = io.StringIO(), []
    second = watch([server.url("/sudan.xml")], once=True, out=again, on_event=events2.append, clock=clock, **common)
    assert (second.not_modified, second.documents, again.getvalue()) == (1, 0, "")
    assert server.gets("/sudan.xml")[-1].headers["If-None-Match"] == '"v1"'
    assert [e["event"] for e in events2] == ["not_modified"]
    with open_store(db) as st:
        assert st.count_documents() == 2


def test_repeated_items_are_not_ingested_again(server: FeedServer, tmp_path: Path, pipeline: Pipeline) -> None:
    copy = ("Drone strike on El Obeid", "https://mirror.example/drone", DRONE[2], DRONE[3])  # same article elsewhere
    server.routes["/kordofan.rss"] = Route(
        [(200, ATOM, atom("Kordofan", [DRONE])), (200, ATOM, atom("Kordofan", [CONVOY, copy, DRONE]))]
    )
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    clock, events = Clock(), []
    report = watch(
        [server.url("/kordofan.rss")],
        db=db,
        rounds=2,
        interval=60,
        state_path=str(tmp_path / "w.json"),
        sleep=clock.sleep,
        clock=clock,
        on_event=events.append,
        allow_private=True,
        pipeline=pipeline,
    )
    assert clock.sleeps == [60]
    polled = [e for e in events if e["event"] == "polled"]
    assert [(e["new_documents"], e["unchanged"]) for e in polled] == [(1, 0), (1, 1)]
    assert (report.documents, report.unchanged) == (2, 1)
    with open_store(db) as st:
        assert st.count_documents() == 2


def test_a_failing_feed_backs_off_then_succeeds(server: FeedServer, tmp_path: Path, pipeline: Pipeline) -> None:
    server.routes["/flaky.xml"] = Route([(500, {}, b"oops"), (503, {}, b"busy"), (200, ATOM, atom("Flaky", [CONVOY]))])
    state = tmp_path / "w.json"
    clock, events = Clock(), []
    report = watch(
        [server.url("/flaky.xml")],
        db=f"sqlite:///{tmp_path / 'ledger.db'}",
        rounds=3,
        interval=300,
        max_backoff=1000,
        state_path=str(state),
        sleep=clock.sleep,
        clock=clock,
        on_event=events.append,
        allow_private=True,
        pipeline=pipeline,
    )
    assert clock.sleeps == [600, 1000]  # doubled from the interval, then capped
    assert [(e["event"], e.get("failures")) for e in events if e["event"] != "document"] == [
        ("error", 1),
        ("error", 2),
        ("polled", None),
    ]
    assert "HTTP 500" in events[0]["error"]
    assert (report.errors, report.documents) == (2, 1)
    saved = json.loads(state.read_text())["feeds"][server.url("/flaky.xml")]
    assert (saved["failures"], saved["last_status"]) == (0, "200")


def test_a_feed_in_backoff_is_skipped_after_a_restart(server: FeedServer, tmp_path: Path, pipeline: Pipeline) -> None:
    server.routes["/down.xml"] = Route([(500, {}, b"down")])
    common: dict[str, Any] = {
        "db": f"sqlite:///{tmp_path / 'ledger.db'}",
        "state_path": str(tmp_path / "w.json"),
        "allow_private": True,
        "pipeline": pipeline,
        "clock": Clock(),
        "once": True,
    }
    watch([server.url("/down.xml")], **common)
    events: list[Any] = []
    watch([server.url("/down.xml")], on_event=events.append, **common)
    assert [e["event"] for e in events] == ["skipped"] and len(server.gets("/down.xml")) == 1


def test_retry_after_is_honoured(tmp_path: Path, pipeline: Pipeline) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "7200"})

    clock = Clock()
    watch(
        ["http://feeds.example/busy.xml"],
        db=f"sqlite:///{tmp_path / 'ledger.db'}",
        once=True,
        interval=60,
        state_path=str(tmp_path / "w.json"),
        transport=httpx.MockTransport(handler),
        clock=clock,
        allow_private=True,
        pipeline=pipeline,
    )
    saved = json.loads((tmp_path / "w.json").read_text())["feeds"]["http://feeds.example/busy.xml"]
    assert saved["next_poll"] == clock.now + 7200 and "429" in saved["last_status"]


def test_loopback_is_refused_unless_allowed(server: FeedServer, tmp_path: Path, pipeline: Pipeline) -> None:
    server.routes["/sudan.xml"] = Route([(200, ATOM, atom("Sudan wire", [ARMY]))])
    events: list[Any] = []
    report = watch(
        [server.url("/sudan.xml")],
        db=f"sqlite:///{tmp_path / 'ledger.db'}",
        once=True,
        state_path=str(tmp_path / "w.json"),
        on_event=events.append,
        allow_private=False,
        pipeline=pipeline,
    )
    assert report.errors == 1 and "refused" in events[0]["error"] and server.gets("/sudan.xml") == []


def test_a_moved_feed_is_followed(server: FeedServer, tmp_path: Path, pipeline: Pipeline) -> None:
    server.routes["/old.xml"] = Route([(301, {"Location": "/new.xml"}, b"")])
    server.routes["/new.xml"] = Route([(200, ATOM, atom("Kordofan", [CONVOY]))])
    report = watch(
        [server.url("/old.xml")],
        db=f"sqlite:///{tmp_path / 'ledger.db'}",
        once=True,
        state_path=str(tmp_path / "w.json"),
        allow_private=True,
        pipeline=pipeline,
    )
    assert (report.errors, report.documents) == (0, 1) and len(server.gets("/new.xml")) == 1


class Fragile:
    """A pipeline that fails on one article, as a bug would."""

    def __init__(self, inner: Pipeline) -> None:
        self.inner = inner
        self.sources = inner.sources

    def analyse_many(self, docs: Any) -> Any:
        docs = list(docs)
        if any("poison" in d.text for d in docs):
            raise RuntimeError("cannot analyse this")
        return self.inner.analyse_many(docs)


def test_an_article_the_pipeline_fails_on_is_reported_once(
    server: FeedServer, tmp_path: Path, pipeline: Pipeline
) -> None:
    bad = ("Garbled", "https://sahelmon.example/x", "2024-01-21T12:00:00Z", "A poison pill of an article, it said.")
    server.routes["/mixed.xml"] = Route([(200, ATOM, atom("Sahel", [bad, CONVOY]))])
    clock, events = Clock(), []
    report = watch(
        [server.url("/mixed.xml")],
        db=f"sqlite:///{tmp_path / 'ledger.db'}",
        rounds=2,
        state_path=str(tmp_path / "w.json"),
        sleep=clock.sleep,
        clock=clock,
        on_event=events.append,
        allow_private=True,
        pipeline=Fragile(pipeline),  # type: ignore[arg-type]
    )
    errors = [e["error"] for e in events if e["event"] == "error"]
    assert (report.documents, report.errors, report.polls) == (1, 1, 2)
    assert len(errors) == 1 and "analysis failed" in errors[0] and "sahelmon.example/x" in errors[0]


def test_the_state_file_sits_beside_a_sqlite_ledger(tmp_path: Path) -> None:
    assert default_state_path(f"sqlite:///{tmp_path / 'l.db'}") == tmp_path / "l.db.watch.json"
    assert default_state_path("postgresql://u@db.example/x").name.startswith("watch-")
