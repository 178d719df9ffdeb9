"""Regular expressions built from the phrase lists in the data files (cue words, triggers, time words).

Shared by the stages that match lexicons on raw text without a parse (``events``, ``times``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def phrase_key(s: str) -> str:
    """Lower case, curly apostrophes straightened, white space collapsed: how phrases are looked up."""
    return " ".join(s.lower().replace("’", "'").split())


def _char(c: str) -> str:
    if c == " ":
        return r"\s+"
    if c in "'’":
        return "['’]"
    return re.escape(c)


def phrase_pattern(words: Iterable[Any], *, lower: bool = True) -> str:
    """A regex alternation of phrases as a prefix tree (fast in ``re``); a space matches any white space,
    either apostrophe matches both, and longer phrases win over their prefixes ("christmas day" first)."""
    root: dict[str, Any] = {}
    for w in {phrase_key(str(w)) if lower else " ".join(str(w).split()) for w in words}:
        if not w:
            continue
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [_char(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(root)
