"""HTML pages: main text and metadata through trafilatura; small fragments through lxml.

The page's own metadata (title, author, canonical URL, publication date, site name) is
used; dates are not guessed from free text (htmldate's extensive search is off).
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from crosscheck.errors import InputError
from crosscheck.readers.dates import iso_date
from crosscheck.readers.text import normalise_paragraphs
from crosscheck.records import Document, normalise_for_hash

__all__ = ["fragment_text", "looks_like_html", "parse_html"]

_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAGS = re.compile(rb"<(?:p|div|article|br|h[1-6]|span|a\s)[\s>/]", re.I)
_BLOCK_TAGS = frozenset(
    "p div article section header footer aside blockquote li ul ol dl dt dd h1 h2 h3 h4 h5 h6 pre table tr figure "
    "figcaption".split()
)
# trafilatura and htmldate log parse troubles; we report them as InputError instead. A NullHandler keeps
# them off stderr when the application configures no logging, and still lets them reach its handlers.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
NO_TEXT_HINT = "the page may be truncated, need JavaScript, or hold no article; save the article text as .txt instead"


def looks_like_html(head: bytes) -> bool:
    """True when the first bytes of a file are an HTML page (or an HTML fragment)."""
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(head[:4096])) >= 3


def _extract(html: str, url: str | None) -> dict[str, Any] | None:
    import trafilatura

    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": date.today().isoformat(),
        },
    )
    if result is None:
        return None
    return result.as_dict() if hasattr(result, "as_dict") else dict(result)


def _baseline_text(html: str) -> str:
    import trafilatura

    try:
        _, text, _ = trafilatura.baseline(html)
    except Exception:  # third-party parser on malformed input: nothing usable
        return ""
    return text or ""


def parse_html(html: str, *, where: str, url: str | None = None, path: str | None = None) -> Document:
    """The article in an HTML page; raises InputError when no text can be extracted."""
    try:
        meta = _extract(html, url) or {}
    except Exception as err:  # trafilatura/lxml raise many kinds of errors on broken markup
        meta = {}
        extraction_error: Exception | None = err
    else:
        extraction_error = None
    text = normalise_paragraphs(meta.get("text") or "")
    if not text:
        text = normalise_paragraphs(_baseline_text(html))
    if not text:
        reason = "no article text found in the HTML"
        if extraction_error is not None:
            reason += f" ({type(extraction_error).__name__}: {extraction_error})"
        raise InputError(where, reason, NO_TEXT_HINT)
    title = (meta.get("title") or "").strip() or None
    text = _drop_leading_title(text, title)
    return Document(
        text=text,
        title=title,
        byline=(meta.get("author") or "").strip() or None,
        url=meta.get("url") or url,
        published=iso_date(meta.get("date")),
        path=path,
        outlet=(meta.get("sitename") or "").strip() or None,
        source_ref=where,
    )


def _drop_leading_title(text: str, title: str | None) -> str:
    """Pages repeat their headline as the first block; the title is metadata, not body."""
    if not title:
        return text
    first, _, rest = text.partition("\n\n")
    if rest and normalise_for_hash(first) == normalise_for_hash(title):
        return rest
    return text


def fragment_text(fragment: str) -> str:
    """Text of a small HTML fragment (a feed item's content), one paragraph per block element."""
    if "<" not in fragment:
        return normalise_paragraphs(fragment)
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return normalise_paragraphs(re.sub(r"<[^>]+>", " ", fragment))
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in _BLOCK_TAGS:
            el.text = "\n\n" + (el.text or "")
            el.tail = "\n\n" + (el.tail or "")
    raw = root.text_content()
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", raw)]
    return "\n\n".join(p for p in paragraphs if p)
