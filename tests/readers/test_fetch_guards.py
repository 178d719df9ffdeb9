"""URLs: pages, unreachable hosts, refused addresses, redirects, size limits. No test touches the network."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from crosscheck.errors import FetchError, InputError
from crosscheck.readers import read_inputs
from crosscheck.readers.fetch import Fetcher, check_address
from crosscheck.records import Document
from crosscheck.sources import SourceRegistry

PAGE = """<html><head><title>Checkpoint reopened after talks</title>
<meta property="article:published_time" content="2023-08-15T06:00:00Z"></head><body><article>
<p>The checkpoint on the mountain road reopened on Tuesday after local elders negotiated with both sides,
officials said.</p>
<p>Dozens of cars waited overnight in the valley, according to a driver reached by telephone.</p>
<p>A spokesman for the interior ministry said the crossing would close again at sunset.</p>
</article></body></html>"""
Handler = Callable[[httpx.Request], httpx.Response]


def read_url(url: str, handler: Handler, registry: SourceRegistry, **options: object) -> list[Document | InputError]:
    transport = httpx.MockTransport(handler)
    return list(read_inputs([url], registry=registry, transport=transport, **options))  # type: ignore[arg-type]


def page(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, text=PAGE, headers={"content-type": "text/html; charset=utf-8"})


def test_page_url(registry: SourceRegistry, public_dns: dict) -> None:
    (doc,) = read_url("https://www.rferl.org/a/checkpoint/123.html", page, registry)
    assert isinstance(doc, Document), doc
    assert doc.title == "Checkpoint reopened after talks"
    assert doc.url == "https://www.rferl.org/a/checkpoint/123.html"
    assert doc.source_ref == "https://www.rferl.org/a/checkpoint/123.html"
    assert doc.outlet == "Radio Free Europe/Radio Liberty"
    assert doc.published == "2023-08-15"
    assert doc.path is None
    assert doc.text.startswith("The checkpoint on the mountain road reopened")


def test_unreachable_host(registry: SourceRegistry, public_dns: dict) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    (err,) = read_url("https://news.example.com/story", refuse, registry)
    assert isinstance(err, FetchError) and isinstance(err, InputError)
    assert err.where == "https://news.example.com/story"
    assert "cannot connect" in err.reason and err.hint


def test_timeout(registry: SourceRegistry, public_dns: dict) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    (err,) = read_url("https://news.example.com/slow", slow, registry, fetch_timeout=2.5)
    assert isinstance(err, FetchError) and err.reason == "timed out after 2.5 s"


def test_unresolvable_host(registry: SourceRegistry, public_dns: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    from crosscheck.readers import fetch

    def fail(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    monkeypatch.setattr(fetch, "resolve_host", fail)
    (err,) = read_url("https://no-such-host.invalid/", page, registry)
    assert isinstance(err, FetchError) and "cannot resolve host" in err.reason


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/admin",
        "http://[::1]:8080/",
        "http://10.0.0.7/",
        "http://192.168.1.20/router",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "http://224.0.0.1/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "http://intranet.example/",
    ],
)
def test_private_and_loopback_addresses_are_refused(url: str, registry: SourceRegistry, public_dns: dict) -> None:
    public_dns["intranet.example"] = ["93.184.216.34", "10.20.30.40"]  # one private address is enough to refuse
    calls: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return page(request)

    (err,) = read_url(url, record, registry)
    assert isinstance(err, FetchError)
    assert err.reason.startswith("refused:") and "allow_private" in err.hint
    assert calls == []


def test_allow_private_fetches_local_addresses(registry: SourceRegistry) -> None:
    (doc,) = read_url("http://127.0.0.1:8000/story", page, registry, allow_private=True)
    assert isinstance(doc, Document)


def test_redirect_hops_are_checked(registry: SourceRegistry, public_dns: dict) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if request.url.host == "short.example":
            return httpx.Response(302, headers={"location": "http://127.0.0.1/internal"})
        return page(request)

    (err,) = read_url("https://short.example/x", handler, registry)
    assert isinstance(err, FetchError) and "127.0.0.1" in err.reason
    assert calls == ["https://short.example/x"]


def test_public_redirect_is_followed(registry: SourceRegistry, public_dns: dict) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"location": "/new"})
        return page(request)

    (doc,) = read_url("https://www.aljazeera.com/old", handler, registry)
    assert isinstance(doc, Document)
    assert doc.url == "https://www.aljazeera.com/new"
    assert doc.outlet == "Al Jazeera"


def test_redirect_loop_stops(registry: SourceRegistry, public_dns: dict) -> None:
    def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "/again"})

    (err,) = read_url("https://loop.example/", loop, registry)
    assert isinstance(err, FetchError) and "redirects" in err.reason


def test_response_over_max_bytes_is_cut_off(registry: SourceRegistry, public_dns: dict) -> None:
    sent: list[int] = []

    def stream_body() -> httpx.SyncByteStream:
        class Body(httpx.SyncByteStream):
            def __iter__(self):  # type: ignore[no-untyped-def]
                for _ in range(1000):
                    sent.append(1)
                    yield b"<p>" + b"x" * 1021

        return Body()

    def big(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=stream_body(), headers={"content-type": "text/html"})

    (err,) = read_url("https://big.example/", big, registry, max_bytes=10_000)
    assert isinstance(err, FetchError) and "10,000 bytes" in err.reason
    assert len(sent) < 20  # streaming stopped soon after the limit


def test_declared_length_over_max_bytes(registry: SourceRegistry, public_dns: dict) -> None:
    def big(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"a" * 5000, headers={"content-type": "text/plain"})

    (err,) = read_url("https://big.example/", big, registry, max_bytes=4096)
    assert isinstance(err, FetchError) and "larger than" in err.reason


def test_http_error_status(registry: SourceRegistry, public_dns: dict) -> None:
    (err,) = read_url("https://gone.example/", lambda r: httpx.Response(404), registry)
    assert isinstance(err, FetchError) and err.reason.startswith("HTTP 404")


def test_binary_response(registry: SourceRegistry, public_dns: dict) -> None:
    def png(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"\x89PNG\r\n\x1a\n" + bytes(200), headers={"content-type": "image/png"})

    (err,) = read_url("https://img.example/map.png", png, registry)
    assert isinstance(err, InputError) and "binary" in err.reason


def test_other_schemes_are_not_fetched(registry: SourceRegistry) -> None:
    (err,) = list(read_inputs(["ftp://files.example/story.txt"], registry=registry))
    assert isinstance(err, InputError) and "http" in err.hint
    with Fetcher() as fetcher, pytest.raises(FetchError, match="refused scheme"):
        fetcher.check_url("file:///etc/passwd", where="x")


def test_plain_text_url_uses_the_text_reader(registry: SourceRegistry, public_dns: dict) -> None:
    body = "## Wells poisoned, villagers say\n\nBy AP\n\nJuly 2, 2019\n\nVillagers said two wells had been poisoned."

    def text(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=body, headers={"content-type": "text/plain; charset=utf-8"})

    (doc,) = read_url("https://apnews.com/article/wells.txt", text, registry)
    assert isinstance(doc, Document)
    assert doc.title == "Wells poisoned, villagers say" and doc.byline == "AP" and doc.published == "2019-07-02"
    assert doc.outlet == "Associated Press" and doc.url == "https://apnews.com/article/wells.txt"


def test_check_address() -> None:
    assert check_address("93.184.216.34") is None
    assert check_address("2606:4700::1111") is None
    assert check_address("127.0.0.1") == "loopback"
    assert check_address("10.1.1.1") == "private"
    assert check_address("fe80::1") == "link-local"
    assert check_address("::ffff:192.168.0.1") == "private"
