"""Corpora: JSON Lines and CSV files with one article per line or row, read as a stream.

Default fields are ``id, outlet, date|published, url, title, text`` (plus ``byline|author``);
``corpus_fields`` maps our names to a corpus's own (``{"text": "body", "published": "pubdate"}``).
A bad line or row becomes an InputError naming ``file:line``; the other lines still go in.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from crosscheck.errors import ConfigError, InputError
from crosscheck.readers.dates import iso_date
from crosscheck.readers.decode import stream_encoding, too_long_reason
from crosscheck.readers.text import normalise_paragraphs
from crosscheck.records import Document

__all__ = ["DEFAULT_FIELDS", "corpus_field_names", "read_csv", "read_json_array", "read_jsonl", "record_document"]

# our name -> the corpus field names tried, in order
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "outlet": ("outlet",),
    "published": ("published", "date"),
    "url": ("url",),
    "title": ("title",),
    "text": ("text",),
    "byline": ("byline", "author"),
}
_ALIASES = {"date": "published", "author": "byline", "body": "text"}
FIELDS_HINT = "name the corpus's own columns with corpus_fields, e.g. text=body published=pubdate"


def corpus_field_names(corpus_fields: Mapping[str, str] | None) -> dict[str, tuple[str, ...]]:
    """The field names to try for each of ours, after the user's mapping; unknown names raise ConfigError."""
    fields = dict(DEFAULT_FIELDS)
    for ours, theirs in (corpus_fields or {}).items():
        key = _ALIASES.get(ours, ours)
        if key not in fields:
            raise ConfigError(f"corpus field {ours!r} is not one of ours; use: {', '.join(sorted(DEFAULT_FIELDS))}")
        if not theirs:
            raise ConfigError(f"corpus field {ours!r} is mapped to an empty name")
        fields[key] = (theirs,)
    return fields


def _get(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value is not None and value != "":
            return value
    return None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def record_document(
    record: Mapping[str, Any],
    *,
    where: str,
    fields: dict[str, tuple[str, ...]],
    max_chars: int,
    path: str | None = None,
) -> Document | InputError:
    """One corpus record as a Document (outlet as the corpus names it), or the reason it cannot be."""
    raw_text = _get(record, fields["text"])
    if raw_text is None and any(name in record for name in fields["text"]):
        return InputError(where, f"field {fields['text'][0]!r} is empty", "drop the record or fill in its text")
    if raw_text is None:
        names = "/".join(fields["text"])
        present = ", ".join(list(record)[:12])
        return InputError(where, f"no {names!r} field (fields here: {present})", FIELDS_HINT)
    if not isinstance(raw_text, str):
        return InputError(where, f"field {fields['text'][0]!r} is not text", "the article text must be a string")
    if len(raw_text) > max_chars:
        return InputError(where, too_long_reason(len(raw_text), "characters", max_chars), "raise max_document_chars")
    text = normalise_paragraphs(raw_text)
    if not text:
        return InputError(where, f"field {fields['text'][0]!r} is empty", "drop the record or fill in its text")
    corpus_id = _str(_get(record, fields["id"]))
    return Document(
        text=text,
        title=_str(_get(record, fields["title"])),
        outlet=_str(_get(record, fields["outlet"])),
        byline=_str(_get(record, fields["byline"])),
        url=_str(_get(record, fields["url"])),
        published=iso_date(_get(record, fields["published"])),
        path=path,
        source_ref=f"{where}#{corpus_id}" if corpus_id else where,
    )


def read_jsonl(path: Path, *, fields: dict[str, tuple[str, ...]], max_chars: int) -> Iterator[Document | InputError]:
    """Documents from a JSON Lines file, streamed line by line."""
    name = str(path)
    with path.open("rb") as fh:
        for lineno, line in enumerate(fh, 1):
            if lineno == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
            if not line.strip():
                continue
            where = f"{name}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                yield InputError(where, f"not valid JSON ({err.msg}, column {err.colno})", "fix or remove the line")
                continue
            except UnicodeDecodeError as err:
                yield InputError(where, f"not valid UTF-8 ({err.reason})", "save the file as UTF-8")
                continue
            if not isinstance(record, dict):
                yield InputError(
                    where, f"expected a JSON object, found {type(record).__name__}", "one article object per line"
                )
                continue
            yield record_document(record, where=where, fields=fields, max_chars=max_chars, path=name)


def read_json_array(
    path: Path, *, fields: dict[str, tuple[str, ...]], max_chars: int
) -> Iterator[Document | InputError]:
    """Documents from a ``.json`` file holding an array of article objects (or one object)."""
    name = str(path)
    try:
        data = json.loads(path.read_bytes())
    except json.JSONDecodeError as err:
        yield InputError(f"{name}:{err.lineno}", f"not valid JSON ({err.msg})", "fix the file, or use JSON Lines")
        return
    except UnicodeDecodeError as err:
        yield InputError(name, f"not valid UTF-8 ({err.reason})", "save the file as UTF-8")
        return
    records = data if isinstance(data, list) else [data]
    for n, record in enumerate(records):
        where = f"{name}#{n}"
        if not isinstance(record, dict):
            yield InputError(where, f"expected a JSON object, found {type(record).__name__}", "one object per article")
            continue
        yield record_document(record, where=where, fields=fields, max_chars=max_chars, path=name)


def read_csv(path: Path, *, fields: dict[str, tuple[str, ...]], max_chars: int) -> Iterator[Document | InputError]:
    """Documents from a CSV file with a header row, streamed row by row."""
    name = str(path)
    with path.open("rb") as raw:
        encoding, bom = stream_encoding(raw.read(65536))
        raw.seek(bom)
        fh = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        # article text is longer than csv's default 128 KiB field limit
        csv.field_size_limit(max(csv.field_size_limit(), min(max_chars + 1, sys.maxsize)))
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            yield InputError(name, "empty file", "there is nothing to read")
            return
        except csv.Error as err:
            yield InputError(f"{name}:1", f"cannot read the CSV header ({err})", "check the file is CSV")
            return
        header = [h.strip() for h in header]
        if not any(h in header for h in fields["text"]):
            yield InputError(
                f"{name}:1",
                f"no {'/'.join(fields['text'])!r} column (columns: {', '.join(header)})",
                FIELDS_HINT,
            )
            return
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                yield InputError(f"{name}:{start}", f"malformed CSV row ({err})", "fix the quoting of this row")
                start = reader.line_num + 1
                continue
            where = f"{name}:{start}"
            start = reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield InputError(
                    where, f"row has {len(row)} cells, the header has {len(header)}", "fix the quoting of this row"
                )
                continue
            record = dict(zip(header, row, strict=True))
            yield record_document(record, where=where, fields=fields, max_chars=max_chars, path=name)
