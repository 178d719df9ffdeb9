"""Toponyms: find place names in text, resolve them to gazetteer places, and follow nominal references.

Three steps, each a plain function over records:

- ``find_toponyms(text)`` returns ``PlaceMention`` spans. Without NER spans it matches capitalised token
  sequences against the gazetteer (one SQLite query per call, a few milliseconds per thousand words), with
  filters against the usual false positives (sentence openers, common words in ``toponym_stoplist.txt``,
  person names, acronyms, street names) and a population floor that small places pass only when the
  document names their region. With spaCy entities it also takes GPE/LOC/FAC spans, and PERSON spans veto.
- ``resolve_places(text, mentions)`` picks one gazetteer place per mention using what the document says:
  countries and regions it names ("Ukraine's Donetsk region"), "City, State" qualifiers, distance to other
  places, population, and primary-name matches over alternate names. Relative locations ("20 km from X",
  "south of X") keep X as the place with ``Place.relation`` set.
- ``resolve_nominal(text, places)`` maps "the city", "the logistics hub" and the like to the place in focus.

``geoparse`` runs all three. Word lists live in data files (``nominal_places.txt``, ``place_relations.txt``,
``toponym_stoplist.txt``, ``toponym_words.txt``, ``region_words.txt``; demonyms come from the gazetteer).
Thresholds and weights below were tuned on the even-numbered LGL articles (benchmarks/RESULTS-geocode.md).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise

from crosscheck.config import data_files
from crosscheck.gazetteer import (
    F_ABBREV,
    F_ACRONYM,
    F_ALIAS,
    F_CITY_ALT,
    F_CITY_NAME,
    F_COUNTRY,
    F_DEMONYM,
    F_REGION,
    Candidate,
    Gazetteer,
    KeyInfo,
    distance_km,
    load_gazetteer,
    normalise,
)
from crosscheck.records import Place

__all__ = [
    "PlaceMention",
    "document_focus",
    "find_relation",
    "find_toponyms",
    "geoparse",
    "resolve_nominal",
    "resolve_places",
]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
VETO_LABELS = frozenset({"PERSON", "WORK_OF_ART", "PRODUCT", "LAW"})  # not ORG: "Kharkiv Regional Council"
MAX_NAME_TOKENS = 6

# Recognition thresholds.
MIN_POP_SINGLE = 3_000  # a lone word that is a city's own name needs this many people ...
MIN_POP_ALTERNATE = 20_000  # ... or this many when it is only an alternate name; smaller places count only
SMALL_BY_COUNTRY = False  # ... where the document names their region (True: or their country)
MIN_POP_OPENER = 300_000  # "big": exempt from the person/common-word filters (opening a sentence, "X said")

# Resolution weights: a candidate's score is the sum of these terms; the highest score wins.
W_POP = 1.0  # per log10 of population
W_MATCH = {"name": 1.5, "alias": 1.5, "alternate": 0.0, "abbreviation": 1.5, "demonym": 1.5}
W_COUNTRY = 1.0  # times the share of the document's country evidence
W_ADMIN1 = 1.0  # times the share of the document's region evidence within that country
W_QUALIFIER = 12.0  # "Paris, Texas"
W_NEAR = 6.0  # times exp(-d/NEAR_KM) to the nearest other place picked in the document (1 if it contains it)
W_OUTLET = 2.0  # the outlet's own country (local news): not tuned, LGL gives no outlet
W_CAPITAL = 1.0
W_SUPPORT_ADMIN1 = 2.0  # other names in the document with a likely candidate in the same first-level region
W_SUPPORT_COUNTRY = 3.0  # ... in the same country
SUPPORT_SATURATION = 3  # that many such names give the full support bonus
SUPPORT_CANDIDATES = 20  # likely candidates per name, for support
MAX_CANDIDATES = 200
NEAR_KM = 300.0
W_FEATURE = {"country": 3.0, "region": 1.0, "county": 1.0, "continent": 1.0, "water": 1.0, "city": 0.0}


@dataclass(frozen=True)
class PlaceMention:
    """A span of text that names a place; ``key`` is its normalised gazetteer name."""

    text: str
    start: int
    end: int
    key: str
    kind: str = "name"  # name, demonym, abbreviation
    source: str = "gazetteer"  # gazetteer, ner


# ---------------------------------------------------------------------------------------------------- word lists


def _lines(name: str) -> list[str]:
    out: list[str] = []
    for path in data_files(name):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                out.append(line.rstrip("\n"))
    return out


@lru_cache(maxsize=1)
def _stoplist() -> frozenset[str]:
    return frozenset(normalise(w) for w in _lines("toponym_stoplist.txt"))


@dataclass(frozen=True)
class _Words:
    connectors: frozenset[str]
    prefixes: frozenset[str]
    modifiers: frozenset[str]
    streets: frozenset[str]
    titles: frozenset[str]
    first_names: frozenset[str]
    speech: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    sections: dict[str, set[str]] = defaultdict(set)
    current = ""
    for line in _lines("toponym_words.txt"):
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
        elif current:
            sections[current].add(line.lower())
    return _Words(*(frozenset(sections[n]) for n in _Words.__dataclass_fields__))


@lru_cache(maxsize=1)
def _nominal_nouns() -> dict[str, str]:
    nouns: dict[str, str] = {}
    for line in _lines("nominal_places.txt"):
        noun, _, refers = line.partition("\t")
        nouns[noun.strip().lower()] = refers.strip() or "city"
    return nouns


@dataclass(frozen=True)
class _Relations:
    units: dict[str, str]
    directions: dict[str, str]
    cues: dict[str, str]
    distance: re.Pattern[str]
    direction: re.Pattern[str]
    cue: re.Pattern[str]


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _relations() -> _Relations:
    units: dict[str, str] = {}
    directions: dict[str, str] = {}
    cues: dict[str, str] = {}
    approx: list[str] = []
    for line in _lines("place_relations.txt"):
        parts = line.split("\t")
        kind, words = parts[0].strip(), [w.strip() for w in parts[1].split("|")] if len(parts) > 1 else []
        label = parts[2].strip() if len(parts) > 2 else ""
        target = {"unit": units, "direction": directions, "cue": cues}.get(kind)
        if target is not None:
            for w in words:
                target[w.lower()] = label
        elif kind == "approx":
            approx.extend(w.lower() for w in words)
    between = r"(?:\s+the\s+(?:[a-z\-]+\s+){0,2}(?:city|town|village|settlement|port)\s+of)?\s+$"
    distance = re.compile(
        rf"(?:\b(?:{_alternation(approx)})\s+)?\b(\d+(?:[.,]\d+)?)\s*-?\s*({_alternation(list(units))})\b\.?"
        rf"(?:\s*\([^()]{{1,40}}\))?\s+(?:({_alternation(list(directions))})\s+of|(?:away\s+)?from|outside(?:\s+of)?)"
        + between,
        re.IGNORECASE,
    )
    direction = re.compile(
        rf"\b({_alternation(list(directions))})\s+(?:(outskirts|edge|suburbs)\s+of|of)" + between, re.IGNORECASE
    )
    cue = re.compile(rf"\b({_alternation(list(cues))})" + between, re.IGNORECASE)
    return _Relations(units, directions, cues, distance, direction, cue)


# ---------------------------------------------------------------------------------------------------- tokens

_REST = r"[^\W\d_]*(?:['’ʼ.][^\W\d_]+)*\.?"  # the rest of a word after its first letter


@lru_cache(maxsize=1)
def _token_pattern() -> re.Pattern[str]:
    """Words that do not start with an ASCII lower-case letter, and the connector words: the only tokens that
    can be part of a name (skipping the rest in the regex engine is what makes matching fast)."""
    words = _words()
    inside = _alternation(sorted(words.connectors | words.prefixes))
    return re.compile(rf"(?<![\w'’ʼ.])(?:[^\W\d_a-z]{_REST}|(?:{inside})\b)")


_LOWER_WORD = re.compile(r"\b[a-z]+\b")
_CLITIC = re.compile(r"['’](?:s|ve|ll|re|d|m|t)$", re.IGNORECASE)
_OPENERS = frozenset('.!?:;"“”«»(—–\n')
_HYPHENS = ("-", "‐", "‑")


@dataclass
class _Token:
    start: int
    end: int
    text: str
    key: str
    cap: bool  # can be part of a name: capitalised, or an article prefix before "-Name" ("al-Bab")
    connector: bool
    stop: bool  # ends a sentence: a full stop after a word that is not an abbreviation


def _tokens(text: str) -> list[_Token]:
    """Name words, connectors and article prefixes; other lower-case words are left out (they end runs)."""
    words = _words()
    inside = words.connectors | words.prefixes
    out: list[_Token] = []
    for m in _token_pattern().finditer(text):
        word = m.group()
        cap = word[0].isupper()
        if not cap and word not in inside:
            continue
        start, end = m.span()
        if "'" in word or "’" in word:
            clitic = _CLITIC.search(word)
            if clitic:
                end -= len(clitic.group())
                word = word[: clitic.start()]
        if not cap and word in words.prefixes:
            cap = text[end : end + 1] in _HYPHENS and text[end + 1 : end + 2].isupper()
            if not cap and word not in words.connectors:
                continue
        bare = word.rstrip(".")
        stop = word.endswith(".") and "." not in bare and len(bare) > 3
        out.append(_Token(start, end, word, normalise(word) if cap else word, cap, not cap, stop))
    return out


def _runs(text: str, tokens: list[_Token]) -> list[list[int]]:
    """Indices of maximal sequences of name tokens joined by a space or a hyphen (connectors inside)."""
    runs: list[list[int]] = []
    cur: list[int] = []

    def close() -> None:
        while cur and tokens[cur[-1]].connector:
            cur.pop()
        if cur:
            runs.append(list(cur))
        cur.clear()

    for i, tok in enumerate(tokens):
        if cur:
            prev = tokens[cur[-1]]
            gap = text[prev.end : tok.start]
            if (gap == " " or gap in _HYPHENS) and not prev.stop and (tok.cap or tok.connector):
                cur.append(i)
                continue
            close()
        if tok.cap:
            cur.append(i)
    close()
    return runs


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'“‘(":
        if text[i] in '"“‘(':
            return True
        i -= 1
    return i < 0 or text[i] in _OPENERS


# ---------------------------------------------------------------------------------------------------- recognition


@dataclass(frozen=True)
class _Span:
    a: int  # index of the first token in the run
    b: int  # index of the last token in the run
    start: int
    end: int
    key: str


def _spans_for_run(text: str, tokens: list[_Token], run: list[int]) -> list[_Span]:
    """Each sub-sequence of a run that starts and ends with a name word, with its normalised key."""
    out = []
    for a in range(len(run)):
        ta = tokens[run[a]]
        if ta.connector:
            continue
        for b in range(a, min(len(run), a + MAX_NAME_TOKENS + 2)):
            tb = tokens[run[b]]
            if not tb.connector:
                out.append(_Span(a, b, ta.start, tb.end, ta.key if a == b else normalise(text[ta.start : tb.end])))
    return out


@lru_cache(maxsize=1)
def _region_word_pattern() -> re.Pattern[str]:
    words = [w.strip().lower() for w in _lines("region_words.txt")]
    return re.compile(rf"[ \t]+({_alternation(words)})\b")


def _region_word_spans(text: str, spans: list[_Span]) -> list[_Span]:
    """ "Donetsk region", "Idlib province": a name followed by a lower-case region word names the region."""
    out = []
    pattern = _region_word_pattern()
    for sp in spans:
        m = pattern.match(text, sp.end)
        if m and m.group(1).islower():
            out.append(_Span(sp.a, sp.b, sp.start, m.end(), f"{sp.key} {m.group(1)}"))
    return out


def _is_caps(surface: str) -> bool:
    """An acronym-like word: two to four capital letters ("UN", "U.S.", "NATO"); "CHARLESTON" is a shout."""
    letters = [ch for ch in surface if ch.isalpha()]
    return 2 <= len(letters) <= 4 and all(ch.isupper() for ch in letters)


def _accept(info: KeyInfo, surface: str, *, single: bool, after_comma_place: bool, demonyms: bool) -> str | None:
    """The mention kind if this gazetteer match can be a place at all (context rules come later)."""
    flags = info.flags
    caps = _is_caps(surface)
    if flags & F_ACRONYM and not caps:
        return None
    if flags & F_ABBREV and after_comma_place and (surface.endswith(".") or caps):
        return "abbreviation"
    place = flags & (F_COUNTRY | F_REGION | F_CITY_NAME | F_CITY_ALT)
    strong = bool(flags & (F_COUNTRY | F_REGION))
    if not place or (flags & F_DEMONYM and not strong):
        # "Spanish" is a national adjective before it is a hamlet in Ontario
        return "demonym" if flags & F_DEMONYM and demonyms and not caps else None
    if info.key in _stoplist() and not (strong and caps):
        return None
    if strong:
        return "name"
    if caps:
        return None  # "UN", "AFP": an acronym is a place only if a country or region is called so
    if single and info.population_name < MIN_POP_SINGLE and info.population < MIN_POP_ALTERNATE:
        if not flags & F_ALIAS:  # a spelling the shipped data vouches for counts whatever the census says
            return "small"  # a village's name: only if the document names its region or country
    return "name"


def _person_words(text: str, tokens: list[_Token], runs: list[list[int]], known: dict[str, KeyInfo]) -> frozenset[str]:
    """Likely surnames in the document: the last word of "First Last", "Title Last" and other two- or
    three-word capitalised names that are not places as a whole and do not start with a place name."""
    words = _words()
    stop = _stoplist()
    found: set[str] = set()
    for run in runs:
        for i, j in pairwise(run):
            a, b = tokens[i], tokens[j]
            if (a.key in words.first_names or a.key in words.titles) and text[a.end : b.start] == " ":
                found.add(b.key)  # "... Secretary of State Mike Pompeo"
        if not 2 <= len(run) <= 4 or any(tokens[i].connector for i in run):
            continue
        first, last = tokens[run[0]], tokens[run[-1]]
        if text[first.start : last.end].count(" ") != len(run) - 1:
            continue  # hyphenated: "Paris-Henry County"
        if normalise(text[first.start : last.end]) in known:
            continue
        before = tokens[run[0] - 1] if run[0] > 0 else None
        titled = before is not None and before.key in words.titles and text[before.end : first.start] == " "
        if first.key in words.first_names or first.key in words.titles or titled:
            found.add(last.key)
            continue
        info = known.get(first.key)
        if (info is None or info.city_only) and first.key not in stop and last.key not in stop and len(run) <= 3:
            if all(tokens[i].key not in stop and tokens[i].key not in words.streets for i in run):
                found.add(last.key)
    return frozenset(found)


def find_toponyms(
    text: str,
    *,
    ner_spans: Sequence[tuple[int, int, str]] | None = None,
    demonyms: bool = False,
    gazetteer: Gazetteer | None = None,
) -> list[PlaceMention]:
    """Place-name mentions in ``text``, in order, not overlapping.

    ``ner_spans`` are (start, end, label) entities from a NER model: GPE/LOC/FAC spans become mentions
    (trimmed to the gazetteer name inside them), PERSON/ORG/... spans veto gazetteer matches inside them.
    ``demonyms`` also reports national adjectives ("Ukrainian") as mentions of their country.
    """
    gaz = gazetteer or load_gazetteer()
    words = _words()
    tokens = _tokens(text)
    runs = _runs(text, tokens)
    run_spans = [_spans_for_run(text, tokens, run) for run in runs]
    for spans in run_spans:
        spans.extend(_region_word_spans(text, spans))
    known = gaz.key_info(s.key for spans in run_spans for s in spans)
    lower_words = set(_LOWER_WORD.findall(text))
    persons = _person_words(text, tokens, runs, known)

    veto: list[tuple[int, int]] = []
    ner_places: list[tuple[int, int, str]] = []
    for start, end, label in ner_spans or ():
        if label in PLACE_LABELS:
            ner_places.append((start, end, label))
        elif label in VETO_LABELS or (label == "NORP" and not demonyms):
            veto.append((start, end))

    mentions: list[PlaceMention] = []
    small: list[PlaceMention] = []  # names of small places, kept if the document names their surroundings
    for run, spans in zip(runs, run_spans, strict=True):
        by_start: dict[int, list[_Span]] = defaultdict(list)
        for sp in spans:
            if sp.key in known:
                by_start[sp.a].append(sp)
        a = 0
        while a < len(run):
            taken = None
            for sp in sorted(by_start.get(a, ()), key=lambda sp: sp.end - sp.start, reverse=True):
                if any(vs < sp.end and sp.start < ve for vs, ve in veto):
                    continue
                info = known[sp.key]
                surface = text[sp.start : sp.end]
                kind = _accept(
                    info,
                    surface,
                    single=sp.a == sp.b,
                    after_comma_place=_after_comma_place(text, sp.start, mentions),
                    demonyms=demonyms,
                )
                if kind == "small":
                    if _in_context(text, tokens, run, sp, info, "name", lower_words, persons, words):
                        small.append(_mention(text, sp, "name"))
                    break
                if kind is not None and _in_context(text, tokens, run, sp, info, kind, lower_words, persons, words):
                    taken = _mention(text, sp, kind)
                    break
            if taken is None:
                a += 1
            else:
                mentions.append(taken)
                a = sp.b + 1
    if small:
        mentions.extend(_confirm_small(text, small, mentions, gaz))
    if ner_spans is not None:
        mentions = _merge_ner(text, mentions, ner_places, gaz)
    return sorted(mentions, key=lambda m: m.start)


def _title_case_line(text: str, pos: int) -> bool:
    """Whether ``pos`` lies in a headline-style line ("Russia Encircled Pokrovsk and Kupiansk"), where a
    capitalised word before a name is no sign of a person's name."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : end if end >= 0 else len(text)]
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) > 3]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _in_context(
    text: str,
    tokens: list[_Token],
    run: list[int],
    sp: _Span,
    info: KeyInfo,
    kind: str,
    lower_words: set[str],
    persons: frozenset[str],
    words: _Words,
) -> bool:
    """Context filters: street names, and, for names only a city bears, people and organisations."""
    nxt = tokens[run[sp.b + 1]] if sp.b + 1 < len(run) else None
    joined_next = nxt is not None and text[tokens[run[sp.b]].end : nxt.start] == " "
    if joined_next and nxt is not None and nxt.key in words.streets:
        return False  # "Wichita Drive"
    first = tokens[run[sp.a]]
    single = sp.a == sp.b
    if kind == "name" and single:
        prev = tokens[run[sp.a - 1]] if sp.a > 0 else None
        if (
            prev is not None
            and text[prev.end : first.start] == " "
            and (prev.key in words.first_names or prev.key in words.titles)
        ):
            return False  # "George Washington", "President Lincoln"
        if first.key in words.first_names and joined_next:
            return False  # "Georgia Stevens", "Jordan Peterson"
    if kind != "name" or not info.city_only:
        return True
    if first.key in words.titles:
        return False  # "Prince Charles", "General Santos" said
    big = info.population >= MIN_POP_OPENER
    before = tokens[run[sp.a] - 1] if run[sp.a] > 0 else None
    if before is not None and before.key in words.titles and text[before.end : first.start] in (" ", ""):
        return False  # "Gen. Jackson", "Mr. Lincoln"
    if sp.a > 0 and not _title_case_line(text, sp.start):
        prev = tokens[run[sp.a - 1]]
        if (
            text[prev.end : first.start] == " "
            and not prev.connector
            and prev.key not in words.modifiers
            and (prev.key not in _stoplist() or prev.key in words.titles)
            and (not big or prev.key in words.first_names or prev.key in words.titles)
        ):
            return False  # "George Washington", "Chiquita Raquel Henry" (but "Overall Edmonton received")
    if not single:
        return True
    if _sentence_initial(text, sp.start) and first.key in lower_words and not big:
        return False  # a common word opening a sentence
    if first.key in words.first_names and (joined_next or not big):
        return False  # "Henry Smith", or a lone given name
    if first.key in persons and not big:
        return False  # "Roberts", named in full earlier
    if not big:
        after = text[sp.end : sp.end + 12].lstrip(" ,").split(" ")[0].lower().rstrip(".,;:")
        before_word = text[max(0, sp.start - 12) : sp.start].rstrip(" ,").split(" ")[-1].lower()
        if after in words.speech or before_word in words.speech:
            return False  # "Johnson said", "said Johnson"
    return True


def _confirm_small(
    text: str, small: list[PlaceMention], mentions: list[PlaceMention], gaz: Gazetteer
) -> list[PlaceMention]:
    """Small places' names that have a candidate in a region (or, with SMALL_BY_COUNTRY, a country) that the
    document's confident mentions or demonyms name: "Robotyne" in an article on Zaporizhzhia Oblast."""
    table = gaz.candidates([m.key for m in mentions] + [m.key for m in small])
    countries: set[str] = set(_demonym_evidence(text, gaz))
    admin1: set[tuple[str, str]] = set()
    for m in mentions:
        cands = [c for c in table.get(m.key, ()) if _usable(c, m)]
        if not cands:
            continue
        top = max(cands, key=_prior)
        if top.country:
            countries.add(top.country)
            if top.admin1 and top.feature != "country":
                admin1.add((top.country, top.admin1))
    out = []
    for m in small:
        for c in table.get(m.key, ()):
            if c.feature != "city" or not c.country or not _usable(c, m):
                continue
            if (c.country, c.admin1) in admin1 or (SMALL_BY_COUNTRY and c.country in countries):
                out.append(m)
                break
    return out


def _mention(text: str, sp: _Span, kind: str) -> PlaceMention:
    end = sp.end
    surface = text[sp.start : end]
    if surface.endswith(".") and kind != "abbreviation" and "." not in surface[:-1]:
        end -= 1  # a full stop, not part of the name
        surface = surface[:-1]
    return PlaceMention(surface, sp.start, end, sp.key, kind, "gazetteer")


def _after_comma_place(text: str, start: int, mentions: list[PlaceMention]) -> bool:
    if not mentions:
        return False
    last = mentions[-1]
    return text[last.end : start] in (", ", ",") and last.kind == "name"


_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def _merge_ner(
    text: str,
    mentions: list[PlaceMention],
    ner_places: list[tuple[int, int, str]],
    gaz: Gazetteer,
) -> list[PlaceMention]:
    """NER place spans win; gazetteer matches stay where no NER place overlaps them."""
    out: list[PlaceMention] = []
    covered: list[tuple[int, int]] = []
    for start, end, _label in ner_places:
        span = text[start:end]
        lead = _LEADING.match(span)
        if lead:
            start += lead.end()
        pm = _CLITIC.search(text[start:end])
        if pm:
            end -= len(pm.group())
        key = normalise(text[start:end])
        inside = [m for m in mentions if start <= m.start and m.end <= end]
        info = gaz.key_info([key]).get(key)
        if info is not None and not (info.flags & F_ACRONYM and not _is_caps(text[start:end])):
            kind = "name"
            if not info.flags & (F_COUNTRY | F_REGION | F_CITY_NAME | F_CITY_ALT):
                kind = "demonym" if info.flags & F_DEMONYM else "abbreviation"
            out.append(PlaceMention(text[start:end], start, end, key, kind, "ner"))
        elif inside:
            out.extend(replace(m, source="ner") for m in inside)
        else:
            continue
        covered.append((start, end))
    for m in mentions:
        if not any(s < m.end and m.start < e for s, e in covered):
            out.append(m)
    out.sort(key=lambda m: m.start)
    return out


# ---------------------------------------------------------------------------------------------------- resolution


@dataclass
class _Implied:
    countries: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    admin1: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))


@dataclass
class _Context:
    """What the document says about where it is, for scoring candidates."""

    by_key: dict[str, _Implied]  # per name: the countries and regions it implies, weighted
    key_admin1: dict[str, set[tuple[str, str]]]  # per distinct name, the regions its likely candidates lie in
    key_country: dict[str, set[str]]
    countries: dict[str, float] = field(default_factory=dict)  # totals over all names
    admin1: dict[tuple[str, str], float] = field(default_factory=dict)


def _usable(c: Candidate, m: PlaceMention) -> bool:
    if m.kind == "demonym":
        return c.match == "demonym"
    if m.kind == "abbreviation":
        return c.match == "abbreviation"
    return c.match not in ("demonym", "abbreviation")


def _prior(c: Candidate) -> float:
    return (
        W_POP * math.log10(c.population + 10)
        + W_MATCH.get(c.match, 0.0)
        + W_FEATURE.get(c.feature, 0.0)
        + (W_CAPITAL if c.capital else 0.0)
    )


def _contains(outer: Candidate, inner: Candidate) -> bool:
    if outer.feature == "country":
        return outer.country == inner.country and inner.feature != "country"
    if outer.feature in ("region", "county") and outer.admin1:
        return outer.country == inner.country and outer.admin1 == inner.admin1 and inner.id != outer.id
    return False


def _demonym_evidence(text: str, gaz: Gazetteer) -> Counter[str]:
    keys = gaz.demonym_keys()
    found: Counter[str] = Counter()
    for m in re.finditer(r"\b[A-Z][^\W\d_]+(?:\s[A-Z][^\W\d_]+)?", text):
        for word in (m.group(), m.group().split(" ")[0]):
            k = normalise(word)
            if k in keys:
                iso = gaz.demonym(k)
                if iso:
                    found[iso] += 1
                break
    return found


def resolve_places(
    text: str,
    mentions: Sequence[PlaceMention],
    *,
    outlet_country: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[Place]:
    """One ``Place`` per resolvable mention, chosen with the document's context.

    Evidence: countries and regions the document names (and its demonyms), "City, State" qualifiers, other
    names in the document that have a candidate in the same region or country, closeness to the other places
    picked, population, own-name over alternate-name matches, and the outlet's country. ``Place.resolved_by``
    is "name" when the pick is the name's default (most likely on its own), "context" when the document
    changed it; ``Place.relation`` holds a relative location ("20 km from").
    """
    gaz = gazetteer or load_gazetteer()
    if not mentions:
        return []
    table = gaz.candidates(m.key for m in mentions)
    cands = [sorted((c for c in table.get(m.key, ()) if _usable(c, m)), key=_prior, reverse=True) for m in mentions]

    qualifier: dict[int, int] = {}
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        if text[a.end : b.start] in (", ", ",") and any(c.feature in ("region", "country") for c in cands[i + 1]):
            qualifier[i] = i + 1

    key_admin1: dict[str, set[tuple[str, str]]] = {}
    key_country: dict[str, set[str]] = {}
    for m, cs in zip(mentions, cands, strict=True):
        if m.key in key_admin1 or m.kind == "demonym":
            continue
        top = cs[:SUPPORT_CANDIDATES]
        key_admin1[m.key] = {(c.country, c.admin1) for c in top if c.country and c.admin1}
        key_country[m.key] = {c.country for c in top if c.country}

    demonym_countries = _demonym_evidence(text, gaz)
    defaults: list[Candidate | None] = [cs[0] if cs else None for cs in cands]
    ctx = _Context(_evidence(mentions, defaults, demonym_countries, cands), key_admin1, key_country)
    _totals(ctx)
    picks: list[Candidate | None] = list(defaults)
    for rnd in range(2):
        new: list[Candidate | None] = []
        done: dict[tuple[str, str, int], Candidate | None] = {}  # mentions of one name score alike
        others = _distinct_picks(mentions, picks) if rnd else None
        for i, m in enumerate(mentions):
            group = (m.key, m.kind, qualifier.get(i, -1))
            if group[2] == -1 and group in done:
                new.append(done[group])
                continue
            best: Candidate | None = None
            best_score = -math.inf
            for c in cands[i][:MAX_CANDIDATES]:
                s = _score(c, i, m, ctx, others, qualifier, cands, outlet_country)
                if s > best_score:
                    best, best_score = c, s
            new.append(best)
            done[group] = best
        picks = new
        ctx.by_key = _evidence(mentions, picks, demonym_countries, None)
        _totals(ctx)

    picks = _place_counties(picks)
    places: list[Place] = []
    for i, m in enumerate(mentions):
        pick = picks[i]
        if pick is None:
            continue
        default = defaults[i]
        by = "name" if default is not None and pick.id == default.id else "context"
        places.append(_place(pick, mention=m.text, span=(m.start, m.end), resolved_by=by))
        places[-1].relation = find_relation(text, m.start)
    return places


_FEATURE_OUT = {"county": "region"}


def _place_counties(picks: list[Candidate | None]) -> list[Candidate | None]:
    """A county has no point of its own: put it at the mean of the article's cities in its state."""
    out = list(picks)
    for i, c in enumerate(picks):
        if c is None or c.feature != "county":
            continue
        near = [
            p for p in picks if p is not None and p.feature == "city" and (p.country, p.admin1) == (c.country, c.admin1)
        ]
        if near:
            out[i] = replace(c, lat=sum(p.lat for p in near) / len(near), lon=sum(p.lon for p in near) / len(near))
    return out


def _evidence(
    mentions: Sequence[PlaceMention],
    picks: Sequence[Candidate | None],
    demonym_countries: Counter[str],
    cands: list[list[Candidate]] | None,
) -> dict[str, _Implied]:
    """Countries and regions the document names, per name (so a name is not evidence for itself), weighted;
    on the first round, before context has been used, ambiguous names count less. Demonyms are under ""."""
    out: dict[str, _Implied] = defaultdict(_Implied)
    for iso, n in demonym_countries.items():
        out[""].countries[iso] += 0.5 * n
    for i, (m, p) in enumerate(zip(mentions, picks, strict=True)):
        if p is None or m.kind == "demonym" or not p.country:
            continue
        weight = 1.0
        if cands is not None:
            rivals = sum(1 for c in cands[i][:5] if _prior(c) > _prior(p) - 1.5)
            weight = 1.0 if rivals <= 1 else 0.5
        implied = out[m.key]
        implied.countries[p.country] += weight
        if p.admin1 and p.feature in ("region", "county"):
            implied.admin1[(p.country, p.admin1)] += 2.0 * weight
        elif p.admin1 and p.feature == "city":
            implied.admin1[(p.country, p.admin1)] += 0.5 * weight
    return dict(out)


def _totals(ctx: _Context) -> None:
    countries: dict[str, float] = defaultdict(float)
    admin1: dict[tuple[str, str], float] = defaultdict(float)
    for implied in ctx.by_key.values():
        for iso, w in implied.countries.items():
            countries[iso] += w
        for region, w in implied.admin1.items():
            admin1[region] += w
    ctx.countries, ctx.admin1 = dict(countries), dict(admin1)


def _distinct_picks(mentions: Sequence[PlaceMention], picks: Sequence[Candidate | None]) -> dict[str, Candidate]:
    """One pick per name (its first), without countries, continents and seas: the places to be near to."""
    out: dict[str, Candidate] = {}
    for m, p in zip(mentions, picks, strict=True):
        if p is not None and m.key not in out and p.feature not in ("country", "continent", "water"):
            out[m.key] = p
    return out


def _score(
    c: Candidate,
    i: int,
    m: PlaceMention,
    ctx: _Context,
    others: dict[str, Candidate] | None,
    qualifier: dict[int, int],
    cands: list[list[Candidate]],
    outlet_country: str | None,
) -> float:
    s = _prior(c)
    own = ctx.by_key.get(m.key)
    countries = ctx.countries
    if own is not None and own.countries:
        countries = {k: v - own.countries.get(k, 0.0) for k, v in countries.items()}
    total_c = sum(countries.values())
    if total_c > 1e-9:
        if c.country:
            s += W_COUNTRY * countries.get(c.country, 0.0) / total_c
        else:
            s += W_COUNTRY * max(countries.values()) / total_c  # seas, continents: above any one country
    if c.country and c.admin1 and c.feature == "city":
        admin1 = ctx.admin1
        if own is not None and own.admin1:
            admin1 = {k: v - own.admin1.get(k, 0.0) for k, v in admin1.items()}
        in_country = sum(v for (cc, _), v in admin1.items() if cc == c.country)
        if in_country > 1e-9:
            s += W_ADMIN1 * admin1.get((c.country, c.admin1), 0.0) / in_country
    if outlet_country and c.country == outlet_country:
        s += W_OUTLET
    q = qualifier.get(i)
    if q is not None and any(_contains(o, c) for o in cands[q]):
        s += W_QUALIFIER
    other_names = [k for k in ctx.key_admin1 if k != m.key]
    if other_names and c.country:
        if c.admin1 and c.feature != "country":
            n = sum(1 for k in other_names if (c.country, c.admin1) in ctx.key_admin1[k])
            s += W_SUPPORT_ADMIN1 * min(1.0, n / SUPPORT_SATURATION)
        n = sum(1 for k in other_names if c.country in ctx.key_country[k])
        s += W_SUPPORT_COUNTRY * min(1.0, n / SUPPORT_SATURATION)
    if others is not None:
        best = 0.0
        for key, p in others.items():
            if key == m.key:
                continue
            if _contains(c, p):
                best = 1.0
                break
            best = max(best, math.exp(-distance_km(c.lat, c.lon, p.lat, p.lon) / NEAR_KM))
        s += W_NEAR * best
    return s


# ---------------------------------------------------------------------------------------------------- relations


def find_relation(text: str, start: int) -> str | None:
    """The relative location that ends right before ``start`` ("20 km from", "south of", "near"), if any."""
    rel = _relations()
    before = text[max(0, start - 120) : start]
    m = rel.distance.search(before)
    if m:
        number, unit, direction = m.group(1), m.group(2), m.group(3)
        label = f"{number} {rel.units.get(unit.lower(), unit)}"
        if direction:
            return f"{label} {rel.directions.get(_space(direction), _space(direction))} of"
        return f"{label} from"
    m = rel.direction.search(before)
    if m:
        direction = rel.directions.get(_space(m.group(1)), _space(m.group(1)))
        return f"{direction} {m.group(2).lower()} of" if m.group(2) else f"{direction} of"
    m = rel.cue.search(before)
    if m:
        return rel.cues.get(_space(m.group(1)), _space(m.group(1)))
    return None


def _space(s: str) -> str:
    return " ".join(s.lower().split())


# ---------------------------------------------------------------------------------------------------- focus, nominals


def _place_key(p: Place) -> object:
    return p.geonames_id if p.geonames_id is not None else (p.name, p.country, p.feature)


def document_focus(places: Sequence[Place]) -> Place | None:
    """The place an article is about: its most often named city-level place (first named on a tie),
    else its most often named region, else country."""
    for features in (("city",), ("region",), ("country",)):
        counts: Counter[object] = Counter()
        first: dict[object, Place] = {}
        for p in sorted(places, key=lambda p: p.span or (0, 0)):
            if p.feature in features and p.resolved_by != "nominal":
                k = _place_key(p)
                counts[k] += 1
                first.setdefault(k, p)
        if counts:
            order = list(first)
            k = max(counts, key=lambda k: (counts[k], -order.index(k)))
            return first[k]
    return None


@lru_cache(maxsize=1)
def _nominal_pattern() -> re.Pattern[str]:
    nouns = _nominal_nouns()
    return re.compile(
        rf"\b(?:the|this|that)\s+(?:[a-z][a-z\-]*\s+){{0,2}}?({_alternation(list(nouns))})(?:['’]s)?\b"
        r"(?!(?:\s+[a-z]+)?\s+of\s+(?:the\s+)?[A-Z])(?!-)",
        re.IGNORECASE,
    )


def resolve_nominal(
    text: str,
    places: Sequence[Place],
    *,
    focus: Place | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[Place]:
    """Places for nominal references ("the city", "the logistics hub", "the region", "the capital").

    A city noun refers to the most recent city named earlier in the same sentence (unless a national capital,
    usually the government speaking), else to ``focus`` (by default ``document_focus(places)``); a region
    noun to the region in focus; "the capital" to the capital of the focus country. Returned places copy
    their referent with the phrase's span and ``resolved_by="nominal"``.
    """
    nouns = _nominal_nouns()
    focus = focus or document_focus(places)
    named = sorted((p for p in places if p.span and p.resolved_by != "nominal"), key=lambda p: p.span or (0, 0))
    region_focus = document_focus([p for p in named if p.feature == "region"])
    out: list[Place] = []
    for m in _nominal_pattern().finditer(text):
        if m.group(1)[0].isupper() and m.start(1) != m.start():
            continue  # "the Northern District": a name, not a noun
        if any(p.span and p.span[0] < m.end() and m.start() < p.span[1] for p in named):
            continue
        refers = nouns.get(_space(m.group(1)), "city")
        target: Place | None = None
        if refers == "city":
            sentence_start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
            recent = [
                p
                for p in named
                if p.feature == "city"
                and sentence_start <= p.span[0] < m.start()  # type: ignore[index]
                and not _is_capital(p, gazetteer)  # "officials in Kyiv said the town ...": Kyiv speaks
            ]
            target = recent[-1] if recent else (focus if focus is not None and focus.feature == "city" else None)
        elif refers == "region":
            target = region_focus
            if target is None and focus is not None and focus.feature == "city" and focus.admin1:
                target = _region_of(focus, gazetteer)
        elif refers == "capital":
            target = _capital_of(focus, named, gazetteer)
        if target is None:
            continue
        out.append(
            replace(
                target,
                mention=m.group(),
                span=(m.start(), m.end()),
                relation=find_relation(text, m.start()),
                resolved_by="nominal",
            )
        )
    return out


def _is_capital(p: Place, gazetteer: Gazetteer | None) -> bool:
    if p.geonames_id is None:
        return False
    c = (gazetteer or load_gazetteer()).get(p.geonames_id)
    return c is not None and c.capital


def _region_of(p: Place, gazetteer: Gazetteer | None) -> Place | None:
    gaz = gazetteer or load_gazetteer()
    if not p.country or p.geonames_id is None:
        return None
    city = gaz.get(p.geonames_id)
    if city is None or not city.admin1:
        return None
    region = gaz.region(p.country, city.admin1)
    if region is None:
        return None
    return _place(region, mention=None, span=None, resolved_by="nominal")


def _capital_of(focus: Place | None, named: Sequence[Place], gazetteer: Gazetteer | None) -> Place | None:
    countries = Counter(p.country for p in named if p.country)
    iso = (
        focus.country
        if focus is not None and focus.country
        else (countries.most_common(1)[0][0] if countries else None)
    )
    if not iso:
        return None
    gaz = gazetteer or load_gazetteer()
    capital = gaz.capital(iso)
    return _place(capital, mention=None, span=None, resolved_by="nominal") if capital else None


def _place(c: Candidate, *, mention: str | None, span: tuple[int, int] | None, resolved_by: str) -> Place:
    return Place(
        name=c.name,
        mention=mention,
        lat=round(c.lat, 5),
        lon=round(c.lon, 5),
        country=c.country,
        admin1=c.admin1_label if c.feature in ("city", "region", "county") else None,
        geonames_id=c.geonames_id,
        span=span,
        feature=_FEATURE_OUT.get(c.feature, c.feature),
        resolved_by=resolved_by,
    )


def geoparse(
    text: str,
    *,
    ner_spans: Sequence[tuple[int, int, str]] | None = None,
    outlet_country: str | None = None,
    nominal: bool = True,
    gazetteer: Gazetteer | None = None,
) -> list[Place]:
    """Find, resolve and (optionally) follow nominal references: every place in ``text``, in text order."""
    gaz = gazetteer or load_gazetteer()
    mentions = find_toponyms(text, ner_spans=ner_spans, gazetteer=gaz)
    places = resolve_places(text, mentions, outlet_country=outlet_country, gazetteer=gaz)
    if nominal:
        places += resolve_nominal(text, places, gazetteer=gaz)
    return sorted(places, key=lambda p: p.span or (0, 0))
