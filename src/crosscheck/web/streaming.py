"""Streaming an export: the exporter writes to a pipe in a thread, the response reads chunks from it.

``crosscheck.export`` writes to a text file; here that file is a bounded queue, so a ledger of any size
goes out in constant memory, and a client that hangs up stops the exporter at its next write.
"""

from __future__ import annotations

import io
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from typing import TextIO, cast

from crosscheck.storage import ClaimFilter, Store

log = logging.getLogger(__name__)

Exporter = Callable[[Store, TextIO, ClaimFilter | None], int]
CHUNK_CHARS = 64 * 1024
_DONE = object()


class _Cancelled(Exception):
    """The reader went away."""


class _Pipe(io.TextIOBase):
    def __init__(self, out: queue.Queue[object], cancelled: threading.Event) -> None:
        self._out = out
        self._cancelled = cancelled
        self._parts: list[str] = []
        self._size = 0

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self._parts.append(s)
        self._size += len(s)
        if self._size >= CHUNK_CHARS:
            self.flush()
        return len(s)

    def flush(self) -> None:
        if not self._parts:
            return
        data = "".join(self._parts).encode("utf-8")
        self._parts, self._size = [], 0
        put(self._out, data, self._cancelled)


def put(out: queue.Queue[object], item: object, cancelled: threading.Event) -> None:
    while True:
        if cancelled.is_set():
            raise _Cancelled
        try:
            out.put(item, timeout=0.1)
            return
        except queue.Full:
            continue


def stream_export(exporter: Exporter, store: Store, f: ClaimFilter | None) -> Iterator[bytes]:
    """The bytes ``exporter`` writes, in chunks of about 64 KB, produced while they are read.

    An error before the first chunk is raised to the caller; later, the stream just ends (the status
    line has gone out) and the error is logged.
    """
    out: queue.Queue[object] = queue.Queue(maxsize=8)
    cancelled = threading.Event()

    def work() -> None:
        pipe = _Pipe(out, cancelled)
        try:
            exporter(store, cast(TextIO, pipe), f)
            pipe.flush()
            put(out, _DONE, cancelled)
        except _Cancelled:
            return
        except BaseException as err:
            try:
                put(out, err, cancelled)
            except _Cancelled:
                return

    thread = threading.Thread(target=work, name="crosscheck-export", daemon=True)
    thread.start()
    started = False
    try:
        while True:
            item = out.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                if not started:
                    raise item
                log.error("export stopped part way: %s", item)
                return
            started = True
            assert isinstance(item, bytes)
            yield item
    finally:
        cancelled.set()
        thread.join(timeout=5)
