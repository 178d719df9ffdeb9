"""Streaming exports: chunks come while the exporter writes, and a reader that leaves stops it."""

from __future__ import annotations

import threading
from typing import TextIO

import pytest

from crosscheck.storage import ClaimFilter, Store
from crosscheck.web.streaming import CHUNK_CHARS, stream_export

LINE = "ligne, Zeile, рядок — " * 4 + "\n"


def test_a_large_export_arrives_in_chunks_and_whole() -> None:
    lines = 3 * CHUNK_CHARS // len(LINE)

    def exporter(store: Store, out: TextIO, f: ClaimFilter | None) -> int:
        for _ in range(lines):
            out.write(LINE)
        return lines

    chunks = list(stream_export(exporter, None, None))  # type: ignore[arg-type]
    assert len(chunks) >= 3
    assert b"".join(chunks).decode("utf-8") == LINE * lines


def test_an_error_before_the_first_byte_is_raised() -> None:
    def exporter(store: Store, out: TextIO, f: ClaimFilter | None) -> int:
        raise ValueError("the ledger is gone")

    with pytest.raises(ValueError, match="the ledger is gone"):
        list(stream_export(exporter, None, None))  # type: ignore[arg-type]


def test_a_reader_that_hangs_up_stops_the_exporter() -> None:
    stopped = threading.Event()

    def exporter(store: Store, out: TextIO, f: ClaimFilter | None) -> int:
        try:
            while True:  # endless: only the reader going away ends it
                out.write(LINE)
        finally:
            stopped.set()

    chunks = stream_export(exporter, None, None)  # type: ignore[arg-type]
    assert next(chunks)
    chunks.close()
    assert stopped.wait(5)
