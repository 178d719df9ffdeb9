"""Paragraphs, sentences and quotations, found without a parse.

A rule-based splitter is enough for news prose and is what lets the pipeline parse only
the sentences that need a parse (those with an attribution cue). Quotations are found
on the whole text so that a quote spanning several sentences stays one quote.
Abbreviations that do not end a sentence live in ``data/abbreviations.txt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from crosscheck.config import data_files


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    line_start: bool  # the sentence starts a paragraph


@dataclass(frozen=True)
class Quote:
    """A double-quoted stretch of text: ``start``/``end`` include the marks, ``inner`` excludes them."""

    start: int
    end: int
    inner_start: int
    inner_end: int

    def contains(self, pos: int) -> bool:
        return self.start <= pos < self.end


OPENING = {"\u201c": "\u201d", "\u201e": "\u201d", "\u00ab": "\u00bb", '"': '"'}
_QUOTE_CHARS = re.compile('["\u201c\u201d\u201e\u00ab\u00bb]')


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    words: set[str] = set()
    for path in data_files("abbreviations.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                words.add(line.lower())
    return frozenset(words)


_PARA = re.compile(r"\n\s*\n")
_BOUNDARY = re.compile(
    r"([.!?…]+)([\"'\u201d\u2019\u00bb)\]]*)(\s+)(?=[\"'\u201c\u2018\u00ab(\[]?[A-Z0-9\u0400-\u042f])"
)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph, blank-line separated."""
    spans = []
    pos = 0
    for m in _PARA.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _is_abbreviation(text: str, dot_pos: int) -> bool:
    j = dot_pos
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    word = text[j : dot_pos + 1].lower().lstrip("(\"'\u201c")
    if word in abbreviations():
        return True
    # single initials ("J. Smith") and dotted acronyms ("U.S.")
    return bool(re.fullmatch(r"(?:[a-z]\.)+", word))


# Function words that start sentences but rarely follow an abbreviation inside one ("the U.S. The ...").
_OPENERS = frozenset(
    "the it he she they we i but this that these those there in on at after before however meanwhile a an".split()
)


def _opens_sentence(text: str, pos: int) -> bool:
    m = re.match(r"[\"'\u201c]?([A-Z][a-z]*)\b", text[pos:])
    if not m:
        return False
    word = m.group(1)
    dot = text.rfind(".", 0, pos)
    before = text[max(0, dot - 4) : dot + 1].lower()
    acronym = bool(re.search(r"(?:^|\s|\()(?:[a-z]\.){2,}$", before)) or before.endswith(
        ("u.s.", "u.k.", "u.n.", "e.u.")
    )
    return acronym and word.lower() in _OPENERS


_DATELINE = re.compile(
    r"^[A-Z][A-Z'\u2019.-]+(?: [A-Z][A-Z'\u2019.-]+)*"  # KYIV, NEW YORK
    r"(?:,\s*[A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)*\.?(?: \d{1,2})?)?"  # , Ukraine | , March 12
    r"(?:\.?\s*(?:\([A-Za-z .&-]+\)|/[A-Za-z .&-]+/\.?))?"  # (Reuters) | /TASS/.
    r"\s*[-\u2014\u2013]{0,2}\s+"
)


def dateline(paragraph: str) -> int:
    """Length of a leading wire dateline ("KYIV, March 12 (Reuters) - "), or 0."""
    m = _DATELINE.match(paragraph)
    if not m:
        return 0
    head = m.group(0)
    # a dateline ends in an agency mark or a dash; a capitalised first word alone is not one
    if not re.search(r"\)|/[A-Za-z .&-]+/|[-\u2014\u2013]\s", head):
        return 0
    return m.end()


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; never splits inside a paragraph's line break-free quote opening."""
    out: list[Sentence] = []
    for p_idx, (ps, pe) in enumerate(paragraphs(text)):
        d = dateline(text[ps:pe])
        ps += d
        start = ps
        para = text[ps:pe]
        for m in _BOUNDARY.finditer(para):
            if m.group(1) == "." and _is_abbreviation(para, m.start(1)) and not _opens_sentence(para, m.end(3)):
                continue
            end = ps + m.end(2)
            if end > start:
                out.append(Sentence(start, end, text[start:end], p_idx, start == ps or text[start - 1] == "\n"))
            start = ps + m.end(3)
        # single newlines inside a paragraph separate lines such as headings
        if pe > start:
            out.append(Sentence(start, pe, text[start:pe], p_idx, start == ps or text[start - 1] == "\n"))
    return _split_lines(text, out)


def _split_lines(text: str, sents: list[Sentence]) -> list[Sentence]:
    result: list[Sentence] = []
    for s in sents:
        if "\n" not in s.text:
            result.append(s)
            continue
        pos = s.start
        for i, line in enumerate(s.text.split("\n")):
            stripped = line.strip()
            if stripped:
                off = pos + line.index(stripped)
                result.append(Sentence(off, off + len(stripped), stripped, s.paragraph, s.line_start or i > 0))
            pos += len(line) + 1
    return result


def quotes(text: str) -> list[Quote]:
    """Double quotations in ``text``. Curly marks pair by direction; straight marks pair in order.

    A quote left open at a paragraph end and reopened at the next paragraph start (the news
    convention for multi-paragraph quotes) is closed at the paragraph end.
    """
    found: list[Quote] = []
    for ps, pe in paragraphs(text):
        i = ps
        while i < pe:
            ch = text[i]
            if ch in OPENING:
                close = OPENING[ch]
                j = text.find(close, i + 1, pe)
                if ch == '"' and j == -1:
                    i += 1
                    continue
                end = pe if j == -1 else j + 1
                inner_end = pe if j == -1 else j
                found.append(Quote(i, end, i + 1, inner_end))
                i = end
            else:
                i += 1
    return found


def strip_quote_marks(s: str) -> str:
    return _QUOTE_CHARS.sub("", s)
