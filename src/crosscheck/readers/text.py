"""Plain-text and Markdown-ish articles, including the "seed format".

Seed format: an optional ``## Title`` heading (or a bare headline line standing alone),
a ``By AGENCY`` line, a date line (``November 04, 2025``), an optional social-media handle
heading (``## @handle``), the body, and ``## Original url:`` followed by the URL. Metadata
lines are taken out of the body; ``Document.text`` is the body alone, paragraphs separated
by a blank line.

When a file has no title line at all, the first sentence of the first paragraph is used
as the title (when it is headline length) and stays in the body, so no words are lost.
"""

from __future__ import annotations

import re

from crosscheck.errors import InputError
from crosscheck.readers.dates import date_line
from crosscheck.records import Document

__all__ = ["normalise_paragraphs", "parse_text", "unescape_markdown"]

_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
_HANDLE = re.compile(r"^@[\w.\\]{1,64}$")
_URL_LABEL = re.compile(
    r"^(?:#{1,6}\s*)?(?:original\s+url|original\s+link|source\s+url|url)\s*:\s*(?P<url>\S*)\s*$", re.IGNORECASE
)
_URL = re.compile(r"^https?://\S+")
_BYLINE = re.compile(r"^(?:By|BY|by)\s+(?P<who>[A-Z\u0400-\u042f].{0,100})$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9\u00e0-\u024f\u0430-\u045f]{2}[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z\u0400-\u042f])")
_TERMINAL = tuple(".,;:—–-…")
MAX_TITLE_WORDS = 20
MIN_TITLE_WORDS = 3


def unescape_markdown(text: str) -> str:
    r"""``V\_Zelenskiy`` -> ``V_Zelenskiy``: drop Markdown's backslash escapes."""
    return _MD_ESCAPE.sub(r"\1", text)


def normalise_paragraphs(text: str) -> str:
    """Paragraphs separated by exactly one blank line, trailing spaces removed.

    Text with no blank lines but several lines is read as one paragraph per line.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n\n".join(_paragraphs(lines))


def _paragraphs(lines: list[str]) -> list[str]:
    if not any(not line.strip() for line in lines):
        return [line.strip() for line in lines if line.strip()]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs


def _headline_like(line: str) -> bool:
    words = line.split()
    if not MIN_TITLE_WORDS - 1 <= len(words) <= MAX_TITLE_WORDS:
        return False
    if line.endswith(_TERMINAL) or line.startswith(("- ", "* ", "> ")):
        return False
    return not _SENTENCE_END.search(line)


def first_sentence_title(paragraph: str) -> str | None:
    """The first sentence of a paragraph when it is headline length, else None."""
    line = paragraph.split("\n", 1)[0]
    m = _SENTENCE_END.search(line)
    sentence = line[: m.start()].strip() if m else line.strip()
    sentence = sentence.rstrip(".")
    return sentence if MIN_TITLE_WORDS <= len(sentence.split()) <= MAX_TITLE_WORDS else None


def _byline(line: str) -> str | None:
    m = _BYLINE.match(line)
    if not m or line.endswith((".", "?", "!")) or len(line.split()) > 12:
        return None
    return m.group("who").strip()


def parse_text(raw: str, *, where: str, path: str | None = None) -> Document:
    """One article from plain text; raises InputError when no body text is left."""
    text = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    markdown = any(_HEADING.match(line) for line in lines)
    clean = unescape_markdown if markdown else (lambda s: s)

    url, lines = _take_url(lines)
    title = byline = published = handle = None
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        heading = _HEADING.match(line)
        if heading:
            value = clean(heading.group("text"))
            if _HANDLE.match(value) and handle is None:
                handle = value
            elif title is None and byline is None and published is None and handle is None:
                title = value
            else:
                break
        elif byline is None and (who := _byline(line)):
            byline = clean(who)
        elif published is None and (iso := date_line(line)):
            published = iso
        elif title is None and i == _first_nonblank(lines) and _alone(lines, i) and _headline_like(line):
            title = clean(line)
        else:
            break
        i += 1

    body_lines: list[str] = []
    for line in lines[i:]:
        heading = _HEADING.match(line.strip())
        if heading:
            value = clean(heading.group("text"))
            if _HANDLE.match(value) and handle is None:
                handle = value
                continue
            line = heading.group("text")
        body_lines.append(line)
    body = clean(normalise_paragraphs("\n".join(body_lines)))
    if not body:
        raise InputError(where, "no article text after the title, byline and date lines", "add the article's body")
    if title is None:
        title = first_sentence_title(body.split("\n\n", 1)[0])
    return Document(
        text=body,
        title=title,
        byline=byline,
        url=url,
        published=published,
        handle=handle,
        path=path,
        source_ref=where,
    )


def _first_nonblank(lines: list[str]) -> int:
    return next((n for n, line in enumerate(lines) if line.strip()), -1)


def _alone(lines: list[str], i: int) -> bool:
    """A line is a paragraph of its own with more text after it."""
    before_blank = i == 0 or not lines[i - 1].strip()
    after_blank = i + 1 < len(lines) and not lines[i + 1].strip()
    more = any(line.strip() for line in lines[i + 1 :])
    return before_blank and after_blank and more


def _take_url(lines: list[str]) -> tuple[str | None, list[str]]:
    """Find an ``Original url:`` label and its URL (same or next non-blank line); remove both."""
    for n, line in enumerate(lines):
        m = _URL_LABEL.match(line.strip())
        if not m:
            continue
        if m.group("url"):
            if _URL.match(m.group("url")):
                return m.group("url"), lines[:n] + lines[n + 1 :]
            continue
        for k in range(n + 1, len(lines)):
            nxt = lines[k].strip()
            if not nxt:
                continue
            found = _URL.match(nxt)
            if not found:
                break
            rest = nxt[found.end() :].strip()
            return found.group(0), lines[:n] + ([rest] if rest else []) + lines[k + 1 :]
        return None, lines[:n] + lines[n + 1 :]
    return None, lines
