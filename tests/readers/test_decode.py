"""Bytes to text: encodings, binary files, empty files, size limits."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest

from crosscheck.errors import InputError
from crosscheck.readers import read_inputs
from crosscheck.readers.decode import decode_bytes, looks_binary
from crosscheck.records import Document
from crosscheck.sources import SourceRegistry

CYRILLIC = (
    "## Ночью сбиты четыре беспилотника\n\n"
    "14 января 2024\n\n"
    "Глава областной администрации заявил, что ночью силы противовоздушной обороны сбили четыре беспилотника "
    "над окрестностями города.\n\n"
    "По его словам, пострадавших нет, а обломки повредили крышу склада."
)
FRENCH = (
    "Le maire a déclaré jeudi que la défense aérienne avait abattu deux drones près du dépôt de carburant.\n\n"
    "Selon lui, aucun blessé n'a été signalé, mais les écoles resteront fermées vendredi."
)


def read_path(path: Path, registry: SourceRegistry, **options: object) -> list[Document | InputError]:
    return list(read_inputs([str(path)], registry=registry, **options))  # type: ignore[arg-type]


def only_error(items: list[Document | InputError]) -> InputError:
    assert len(items) == 1
    assert isinstance(items[0], InputError), items[0]
    return items[0]


def only_document(items: list[Document | InputError]) -> Document:
    assert len(items) == 1
    assert isinstance(items[0], Document), items[0]
    return items[0]


def test_binary_file_is_refused(tmp_path: Path, registry: SourceRegistry) -> None:
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    err = only_error(read_path(png, registry))
    assert err.reason == "binary file, not text"
    assert err.where == str(png)
    assert err.hint


@pytest.mark.parametrize(
    "blob",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        bytes([0, 1, 2, 3, 250, 7, 8]) * 100,
    ],
)
def test_binary_signatures_and_control_bytes(blob: bytes) -> None:
    assert looks_binary(blob)


def test_empty_file_is_refused(tmp_path: Path, registry: SourceRegistry) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert only_error(read_path(empty, registry)).reason == "empty file"
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b" \n\n\t\n")
    assert "empty file" in only_error(read_path(blank, registry)).reason


def test_cp1251_file(tmp_path: Path, registry: SourceRegistry) -> None:
    path = tmp_path / "drones_ru.txt"
    path.write_bytes(CYRILLIC.encode("cp1251"))
    doc = only_document(read_path(path, registry))
    assert doc.title == "Ночью сбиты четыре беспилотника"
    assert doc.text.startswith("Глава областной администрации заявил")
    assert doc.text.endswith("повредили крышу склада.")


def test_cp1252_file(tmp_path: Path, registry: SourceRegistry) -> None:
    path = tmp_path / "drones_fr.txt"
    path.write_bytes(FRENCH.encode("cp1252"))
    doc = only_document(read_path(path, registry))
    assert "déclaré jeudi que la défense aérienne" in doc.text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_files_with_a_byte_order_mark(tmp_path: Path, registry: SourceRegistry, encoding: str) -> None:
    path = tmp_path / f"bom_{encoding}.txt"
    path.write_bytes(
        CYRILLIC.encode(encoding) if encoding != "utf-16-be" else codecs.BOM_UTF16_BE + CYRILLIC.encode(encoding)
    )
    doc = only_document(read_path(path, registry))
    assert doc.title == "Ночью сбиты четыре беспилотника"
    assert "\ufeff" not in doc.text and "\ufeff" not in (doc.title or "")
    assert doc.text.endswith("повредили крышу склада.")


def test_utf16_without_bom_is_text_not_binary() -> None:
    assert decode_bytes(FRENCH.encode("utf-16-le"), where="x") == FRENCH


def test_declared_encoding_is_tried_before_guessing() -> None:
    assert decode_bytes(CYRILLIC.encode("koi8-r"), where="x", declared="koi8-r") == CYRILLIC


def test_fifty_megabyte_file_is_refused_by_its_size(
    tmp_path: Path, registry: SourceRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "huge.txt"
    line = b"The column moved north along the river road at dawn, witnesses said.\n"
    with big.open("wb") as fh:
        for _ in range(50_000_000 // (len(line) * 1000) + 1):
            fh.write(line * 1000)
    assert big.stat().st_size >= 50_000_000

    def no_reading(self: Path) -> bytes:
        raise AssertionError("the file must be refused before it is read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    err = only_error(read_path(big, registry))
    assert "too long" in err.reason
    assert f"{big.stat().st_size:,} bytes" in err.reason
    assert "2,000,000 characters" in err.reason
    assert "max_document_chars" in err.hint


def test_document_over_max_chars_after_decoding(tmp_path: Path, registry: SourceRegistry) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Ф" * 300, encoding="utf-8")  # 600 bytes: under 4 * 200, over 200 characters
    err = only_error(read_path(path, registry, max_chars=200))
    assert "300 characters" in err.reason
    start = time.perf_counter()
    assert only_document(read_path(path, registry, max_chars=300)).text == "Ф" * 300
    assert time.perf_counter() - start >= 0  # keeps the second read in the test; the limit is inclusive
