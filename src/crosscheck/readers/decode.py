"""Bytes to text: BOMs, UTF-8, legacy single-byte encodings, and refusing binary files.

Order of trust: a byte-order mark, then the encoding the container declares (HTTP header,
``<meta charset>``), then strict UTF-8, then statistical detection (charset_normalizer),
then cp1252 with replacement characters so that reading never fails on encoding alone.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from crosscheck.errors import InputError

__all__ = ["check_size", "decode_bytes", "looks_binary", "read_bytes"]

SNIFF_BYTES = 8192
# Signatures of common non-text formats (images, archives, office files, executables).
_MAGIC = (
    b"%PDF-",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"Rar!\x1a\x07",
    b"\x7fELF",
    b"\xd0\xcf\x11\xe0",
    b"SQLite format 3\x00",
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b\x08")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
BINARY_HINT = "crosscheck reads text, HTML, JSON Lines, CSV and RSS/Atom; convert the file to one of those"


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces, and the mark's length."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text with no BOM shows NULs in every other byte (for Latin-script text)."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """True for images, PDFs, archives and other files that are not text in any encoding we read."""
    sample = data[:SNIFF_BYTES]
    if bom_encoding(sample):
        return False
    if sample.startswith(_MAGIC):
        return True
    if b"\x00" in sample:
        return _utf16_without_bom(sample) is None
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 0x20 and b not in _TEXT_CONTROLS)
    return controls > 0.1 * len(sample)


def declared_html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag near its start."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace").lower() if m else None


def _known(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def decode_bytes(data: bytes, *, where: str, declared: str | None = None) -> str:
    """Decode a whole document; raises InputError for empty or binary input."""
    if not data:
        raise InputError(where, "empty file", "there is nothing to read; check that the file was saved")
    bom = bom_encoding(data)
    if bom is not None:
        encoding, skip = bom
        text = data[skip:].decode(encoding, errors="replace")
    elif looks_binary(data):
        raise InputError(where, "binary file, not text", BINARY_HINT)
    elif (utf16 := _utf16_without_bom(data[:SNIFF_BYTES])) is not None:
        text = data.decode(utf16, errors="replace")
    else:
        text = _decode_unmarked(data, declared=_known(declared))
    if not text.strip():
        raise InputError(where, "empty file (only whitespace)", "there is nothing to read")
    return text


def _decode_unmarked(data: bytes, *, declared: str | None) -> str:
    if declared and declared not in {"utf-8", "ascii"}:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    detected = detect_encoding(data)
    if detected:
        try:
            return data.decode(detected)
        except UnicodeDecodeError:
            pass
    return data.decode("cp1252", errors="replace")


def detect_encoding(data: bytes) -> str | None:
    """A legacy encoding guessed from byte statistics (cp1251, cp1252, ...), or None."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    return _known(best.encoding) if best is not None else None


def stream_encoding(head: bytes) -> tuple[str, int]:
    """Encoding (and BOM length) for reading a large file line by line, judged from its first bytes."""
    bom = bom_encoding(head)
    if bom is not None:
        return bom
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8", 0
    except UnicodeDecodeError:
        return detect_encoding(head) or "cp1252", 0


def check_size(path: Path, *, max_chars: int) -> int:
    """Refuse, from the size on disk alone, a file that must hold more than ``max_chars`` characters.

    No encoding we read spends more than 4 bytes on a character, so a file over ``4 * max_chars``
    bytes is too long whatever its encoding; shorter files are checked again after decoding.
    """
    size = path.stat().st_size
    if size == 0:
        raise InputError(str(path), "empty file", "there is nothing to read; check that the file was saved")
    if size > 4 * max_chars:
        raise InputError(str(path), too_long_reason(size, "bytes", max_chars), TOO_LONG_HINT)
    return size


TOO_LONG_HINT = "raise the max_document_chars setting (CROSSCHECK_MAX_DOCUMENT_CHARS) or split the file"


def too_long_reason(size: int, unit: str, max_chars: int) -> str:
    return f"document too long: {size:,} {unit}, over the limit of {max_chars:,} characters"


def read_bytes(path: Path, *, max_chars: int) -> bytes:
    """The bytes of a one-document file after the size check."""
    check_size(path, max_chars=max_chars)
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot read file ({err.strerror or err})", "check its permissions") from err
