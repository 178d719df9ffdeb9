"""HTTP(S) fetching with the guards a server-side fetcher needs.

Every hop of a redirect chain is checked: the scheme must be http or https and every
address the host resolves to must be public (private, loopback, link-local, multicast,
reserved and other non-global addresses are refused unless ``allow_private``). Bodies are
streamed and cut off at ``max_bytes``. ``transport`` is httpx's seam for tests
(``httpx.MockTransport``); ``resolver`` is the seam for name resolution.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

import httpx

from crosscheck import __version__
from crosscheck.errors import FetchError

__all__ = ["Fetched", "Fetcher", "check_address", "resolve_host"]

MAX_REDIRECTS = 5
USER_AGENT = f"crosscheck/{__version__} (news claim ledger)"
PRIVATE_HINT = "pass allow_private=True (setting allow_private_urls) to fetch addresses on your own network"

Resolver = Callable[[str, int], list[str]]


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def check_address(address: str) -> str | None:
    """Why ``address`` may not be fetched from (``"loopback"``, ``"private"``...), or None when public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for name in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{name}"):
            return name.replace("_", "-")
    if not ip.is_global:
        return "not globally routable"
    return None


@dataclass
class Fetched:
    """A fetched response: the final URL after redirects, its content type and body."""

    url: str
    content_type: str
    charset: str | None
    body: bytes


class Fetcher:
    """Fetches URLs one at a time under the limits it was made with."""

    def __init__(
        self,
        *,
        timeout: float = 15.0,
        max_bytes: int = 10_000_000,
        allow_private: bool = False,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_private = allow_private
        self._resolver = resolver
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
            trust_env=False,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def check_url(self, url: str, *, where: str) -> httpx.URL:
        """Parse ``url`` and refuse schemes other than http(s) and non-public hosts."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as err:
            raise FetchError(where, f"not a valid URL ({err})", "check the address") from err
        if parsed.scheme not in {"http", "https"}:
            raise FetchError(where, f"refused scheme {parsed.scheme!r}", "only http:// and https:// URLs are fetched")
        host = parsed.host
        if not host:
            raise FetchError(where, "URL has no host", "check the address")
        if self.allow_private:
            return parsed
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            addresses = [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            resolver = self._resolver or resolve_host
            try:
                addresses = resolver(host, port)
            except (OSError, UnicodeError) as err:
                raise FetchError(where, f"cannot resolve host {host!r} ({err})", "check the address") from err
        if not addresses:
            raise FetchError(where, f"host {host!r} has no address", "check the address")
        for address in addresses:
            why = check_address(address)
            if why:
                raise FetchError(where, f"refused: {host} resolves to a {why} address ({address})", PRIVATE_HINT)
        return parsed

    def get(self, url: str) -> Fetched:
        """GET ``url``, following and checking redirects; raises FetchError on any failure."""
        where = url
        target = self.check_url(url, where=where)
        for _ in range(MAX_REDIRECTS + 1):
            try:
                with self._client.stream("GET", target) as response:
                    if response.has_redirect_location:
                        location = response.headers.get("location", "")
                        target = self.check_url(str(target.join(location)), where=where)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(
                            where,
                            f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                            "check the address, or try again later",
                        )
                    body = self._read_limited(response, where=where)
                    return Fetched(
                        url=str(response.url),
                        content_type=response.headers.get("content-type", "").split(";")[0].strip().lower(),
                        charset=response.charset_encoding,
                        body=body,
                    )
            except httpx.TimeoutException as err:
                raise FetchError(
                    where, f"timed out after {self.timeout:g} s", "try again, or raise fetch_timeout"
                ) from err
            except httpx.ConnectError as err:
                raise FetchError(
                    where, f"cannot connect ({err})", "check the address and your network connection"
                ) from err
            except httpx.HTTPError as err:
                raise FetchError(where, f"fetch failed ({type(err).__name__}: {err})", "try again later") from err
        raise FetchError(where, f"more than {MAX_REDIRECTS} redirects", "fetch the final address directly")

    def _read_limited(self, response: httpx.Response, *, where: str) -> bytes:
        too_large = FetchError(
            where,
            f"response larger than the limit of {self.max_bytes:,} bytes",
            "raise fetch_max_bytes (CROSSCHECK_FETCH_MAX_BYTES) if the page is genuine",
        )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise too_large
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > self.max_bytes:
                raise too_large
        return bytes(body)
