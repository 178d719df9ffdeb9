"""Find time expressions in a sentence and resolve them to date intervals.

``find_times(text, base=published)`` returns one :class:`~crosscheck.records.Interval` per
expression, with ISO ``start``/``end`` dates (inclusive) and its character span. Relative
expressions are resolved against ``base``, the publication date; with ``base=None`` only absolute
ones resolve and the others keep their text with ``start``/``end`` None. A regex grammar built
once from ``data/time_words.toml`` (no parse, no dateparser), fast enough for every sentence.

Conventions (news reports the past, so a time is read backwards from ``base`` unless a future cue
such as "will", "scheduled", "next" stands before it in its clause):

* weekday ("on Tuesday"): the latest such day on or before ``base`` (``base`` itself when it is
  one); forwards: the first after ``base``. "last Tuesday": the latest before ``base``.
* "at/over the weekend": the latest Saturday..Sunday starting on or before ``base``.
* "this week" Monday..Sunday of ``base``'s week; "earlier this week" Monday..``base``;
  "later this week" ``base``..Sunday; "last/next week" the calendar week before/after.
  The same for month and year ("earlier this month" = 1st..``base``).
* "the past week/month/year", "the past three days", "in recent days": a window ending at ``base``.
* "yesterday", "last night": ``base`` - 1; "today", "this morning", "overnight", "now": ``base``.
* "two days ago" that day; "three weeks ago" that ISO week; "two months ago" that month;
  "a year ago" that calendar year; "a few days ago" base-5..base-2.
* "in March", "on March 3", "4 November": the latest such month or day not after ``base``
  (forwards: the first not before it). "early/mid/late March" days 1-10, 11-20, 21-end.
* "in 2022" the year; "early/mid/late 2024" months 1-4, 5-8, 9-12; "the 1990s" the decade;
  "summer 2024" Jun..Aug; "the third quarter" Jul..Sep.
* "since April 2025": start of April 2025 .. ``base`` (end None without ``base``).
  "from March to May", "between 2014 and 2022", "2014-2022": one interval over both.
* durations "for months" / "over a year" / "for two weeks": the span they surely cover,
  ``base`` - the least length .. ``base`` ("for months" = at least two months); forwards when
  a future cue precedes them.
* "recently", "so far": open start .. ``base``; "soon", "in the coming days": ``base`` .. open end.
* times that hang on another event ("the next day", "a year earlier"): found, left unresolved.

``event_interval`` picks the claim's event time among several expressions in a sentence.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from crosscheck.config import data_files, load_data_toml
from crosscheck.errors import ConfigError
from crosscheck.phrases import phrase_key, phrase_pattern
from crosscheck.records import Interval

__all__ = ["DATA_FILE", "TimeLexicon", "event_interval", "find_times", "load_time_lexicon"]

DATA_FILE = "time_words.toml"

Span = tuple[date | None, date | None]
_UNRESOLVED: Span = (None, None)
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_WORD = re.compile(r"[\w'’]+")
_APPROX = r"(?:(?:about|around|almost|nearly|some|just|roughly|more\s+than|over|less\s+than|at\s+least)\s+)?"


# -- calendar helpers ------------------------------------------------------------------------------------------
def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _add_years(d: date, n: int) -> date:
    return _add_months(d, 12 * n)


def _week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _shift(d: date, unit: str, n: float) -> date:
    """``d`` moved by ``n`` calendar units (negative: back)."""
    if unit == "day":
        return d + timedelta(days=round(n))
    if unit == "hour":
        return d + timedelta(hours=n)
    if unit == "week":
        return d + timedelta(days=round(7 * n))
    if unit == "fortnight":
        return d + timedelta(days=round(14 * n))
    if unit == "month":
        return _add_months(d, round(n))
    if unit == "year":
        return _add_years(d, round(n))
    return _add_years(d, round(10 * n))  # decade


def _granule(d: date, unit: str) -> Span:
    """The calendar unit containing ``d``: the day, ISO week, month, year (or decade's year)."""
    if unit in ("day", "hour"):
        return d, d
    if unit in ("week", "fortnight"):
        s = _week_start(d)
        return s, s + timedelta(days=6)
    if unit == "month":
        return d.replace(day=1), _month_end(d.year, d.month)
    return date(d.year, 1, 1), date(d.year, 12, 31)


# -- data ------------------------------------------------------------------------------------------------------


class TimeLexicon:
    """The compiled contents of ``time_words.toml``: tables and the regex grammar, built once."""

    def __init__(self, table: dict[str, Any], *, source: str = DATA_FILE) -> None:
        try:
            self.months = {k.lower(): int(v) for k, v in table["months"].items()}
            self.ambiguous_months = frozenset(m.lower() for m in table.get("ambiguous", {}).get("months", []))
            self.weekdays = {k.lower(): int(v) for k, v in table["weekdays"].items()}
            self.numbers = {k.lower(): float(v) for k, v in table["numbers"].items()}
            self.vague = {phrase_key(k): (float(v[0]), float(v[1])) for k, v in table.get("vague_numbers", {}).items()}
            self.units = {k.lower(): str(v) for k, v in table["units"].items()}
            self.recent = {k.lower(): int(v) for k, v in table.get("recent", {}).items()}
            self.parts_month = {phrase_key(k): (int(v[0]), int(v[1])) for k, v in table["parts_of_month"].items()}
            self.parts_year = {phrase_key(k): (int(v[0]), int(v[1])) for k, v in table["parts_of_year"].items()}
            self.parts_week = {phrase_key(k): (int(v[0]), int(v[1])) for k, v in table["parts_of_week"].items()}
            self.seasons = {k.lower(): (int(v[0]), int(v[1])) for k, v in table["seasons"].items()}
            self.holidays = {
                phrase_key(k): tuple(int(x) for x in str(v).split("-")) for k, v in table["holidays"].items()
            }
            phrases = table["phrases"]
            self.phrase_kind: dict[str, str] = {}
            for kind in ("present", "yesterday", "tomorrow", "past", "future", "anaphoric"):
                for p in phrases.get(kind, []):
                    self.phrase_kind[phrase_key(p)] = kind
            cues = table["cues"]
            words = [c for c in cues["future"] if not c.startswith(("'", "’"))]
            clitics = [c for c in cues["future"] if c.startswith(("'", "’"))]
            fut = r"(?<![\w'’])(?:" + phrase_pattern(words) + ")"
            if clitics:
                fut += "|(?:" + phrase_pattern(clitics) + ")"
            self.future_cue = re.compile("(?:" + fut + r")(?!\w)", re.I)
            settings = table.get("settings", {})
            self.future_window = int(settings.get("future_window", 6))
            self.near_future_days = int(settings.get("near_future_days", 31))
            self.reporting_cue = re.compile(r"\b(?:" + phrase_pattern(cues["reporting"]) + r")\b", re.I)
            self.reporting_before = re.compile(
                r"\b(?:"
                + phrase_pattern(cues["reporting"])
                + r")\b(?:\s+\w+){0,2}\s*,?\s*(?:on|in|at|during|over)?\s*$",
                re.I,
            )
            self.season_preposition = re.compile(
                r"\b(?:in|during|since|by|until|through|throughout|this|last|next|early|late|of)\s+(?:the\s+)?$", re.I
            )
            self.preposition_before = re.compile(
                r"(?:^|\b)(?:" + phrase_pattern(cues["prepositions"]) + r")[\s-]+(?:the\s+)?$", re.I
            )
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as err:
            raise ConfigError(
                f"{source}: bad time lexicon ({err!r}); see the comments in the shipped {DATA_FILE}"
            ) from err
        self._build()

    def _build(self) -> None:
        full_months = [m for m, n in self.months.items() if len(m) > 3 or m == "may"]
        mon = "(?:" + phrase_pattern(self.months) + r")(?:\.(?!\d))?"
        mon_full = phrase_pattern(full_months)
        wd_full = phrase_pattern(w for w in self.weekdays if len(w) > 4)
        wd_any = "(?:" + phrase_pattern(self.weekdays) + r")\.?"
        num = r"(?:\d{1,3}|" + phrase_pattern([*self.numbers, *self.vague]) + r")"
        units_all = phrase_pattern(self.units)
        pm = phrase_pattern(self.parts_month)
        py = phrase_pattern(self.parts_year)
        pw = phrase_pattern(self.parts_week)
        day = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
        pod = r"(?:\s+(?:morning|afternoon|evening|night))?"
        rules: list[tuple[str, str, Callable[[re.Match[str], _Ctx], Span | None]]] = [
            ("iso", r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d-])", _iso),
            (
                "mdy",
                rf"\b(?:(?:{wd_any}),?\s+)?(?P<mon>{mon})\s+(?P<d>{day})(?!\d|:\d|\s*(?:a\.?m|p\.?m)\b)"
                rf"(?:\s*[-–]\s*(?P<d2>{day}))?(?:,?\s+(?P<y>{_YEAR})\b)?",
                _month_day,
            ),
            (
                "dmy",
                rf"\b(?:(?:{wd_any}),?\s+)?(?:the\s+)?(?P<d>{day})(?:\s*[-–]\s*(?P<d2>{day}))?\s+(?:of\s+)?"
                rf"(?P<mon>{mon})\b(?:,?\s+(?P<y>{_YEAR})\b)?",
                _month_day,
            ),
            ("my", rf"\b(?:(?P<part>{pm})[\s-]+)?(?P<mon>{mon})\.?,?\s+(?:of\s+)?(?P<y>{_YEAR})\b", _month_year),
            (
                "mon",
                rf"\b(?:(?P<rel>last|this|next|{pm})[\s-]+)?(?P<mon>{mon_full})\b(?!\s*\d)",
                _month,
            ),
            (
                "year",
                rf"(?<![\d,.$£€])\b(?:(?P<part>{py})[\s-]+(?:of\s+)?)?(?:the\s+year\s+)?(?P<y>{_YEAR})"
                rf"(?:\s*[-–]\s*(?P<y2>\d\d(?:\d\d)?))?\b(?![,.]\d|\s*(?:%|per\s*cent))",
                _year,
            ),
            ("decade", r"\b(?:(?P<part>early|mid|late)[\s-]+)?(?:the\s+)?(?P<dec>(?:1[5-9]|20)\d0)['’]?s\b", _decade),
            (
                "season",
                rf"\b(?:(?P<rel>last|this|next|early|late|{py})[\s-]+)?(?:the\s+)?(?P<s>{phrase_pattern(self.seasons)})\b"
                rf"(?:\s+(?:of\s+)?(?P<y>{_YEAR})\b)?",
                _season,
            ),
            (
                "quarter",
                rf"\b(?:the\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter\b"
                rf"(?:\s+of\s+(?P<y>{_YEAR})\b|,?\s+(?P<y2>{_YEAR})\b|\s+of\s+(?P<rel>last|this|next)\s+year\b)?"
                rf"|\bQ(?P<q3>[1-4])\s+(?P<y3>{_YEAR})\b",
                _quarter,
            ),
            ("phrase", rf"\b(?:{phrase_pattern(self.phrase_kind)})\b(?!-)", _phrase),  # not "the now-cancelled deal"
            (
                "weekday",
                rf"\b(?:(?P<rel>last|this|next|past|earlier|later|early|late)\s+(?:on\s+)?)?(?P<wd>{wd_full})"
                rf"(?:['’]s)?{pod}\b",
                _weekday,
            ),
            (
                "weekend",
                r"\b(?:(?P<rel>this|last|next|past|previous|coming)\s+)?(?:the\s+)?"
                r"(?:(?P<rel2>past|last|previous|coming)\s+)?weekend\b",
                _weekend,
            ),
            (
                "period",
                rf"\b(?:(?P<mod>earlier|later|{pw}|{pm})[\s-]+)?(?P<rel>this|last|next|the\s+past|the\s+previous|"
                rf"the\s+last|the\s+coming|this\s+past|past|previous|coming)\s+(?P<u>week|month|year|decade|"
                rf"fortnight)\b(?!\s+of\b)",
                _period,
            ),
            (
                "part_of",
                r"\b(?P<part>the\s+(?:beginning|start|middle|end|first\s+half|second\s+half)\s+of)\s+"
                r"(?P<rel>the|this|last|next)\s+(?P<u>week|month|year)\b",
                _part_of,
            ),
            ("ago", rf"\b{_APPROX}(?P<n>{num})\s+(?P<u>{units_all})\s+ago\b", _ago),
            (
                "rolling",
                rf"\b(?:(?:in|over|during|for|within|throughout)\s+)?(?:the|these)\s+"
                rf"(?P<rel>past|last|previous|coming|next|first)\s+{_APPROX}(?:(?P<n>{num})\s+)?(?P<u>{units_all})\b",
                _rolling,
            ),
            (
                "duration",
                rf"\b(?P<prep>for|over|throughout|within)\s+{_APPROX}(?:(?P<n>{num})\s+)?(?P<u>{units_all})\b"
                rf"(?!\s+(?:ago|of|later|earlier|before|after)\b)",
                _duration,
            ),
            ("recent", r"\b(?:in\s+)?recent\s+(?P<u>days|weeks|months|years)\b", _recent),
            ("holiday", rf"\b(?P<h>{phrase_pattern(self.holidays)})\b(?:\s+(?P<y>{_YEAR})\b)?", _holiday),
        ]
        self.rules = [(name, re.compile(pat, re.I), fn) for name, pat, fn in rules]
        # A cheap first pass: the anchor words each rule needs (all groups, any word of a group).
        # A sentence with none of a rule's anchors never runs that rule's regex.
        anchors: dict[str, set[str]] = {}

        def add(kind: str, words: Any) -> None:
            for w in words:
                anchors.setdefault(phrase_key(str(w)), set()).add(kind)

        add("month", self.months)
        add("weekday", (w for w in self.weekdays if len(w) > 4))
        add("season", self.seasons)
        add("quarter", ["quarter", "q1", "q2", "q3", "q4"])
        add("unit", self.units)
        add("unit", ["recent"])
        add("weekend", ["weekend"])
        add("holiday", (h.split()[0] for h in self.holidays))
        add("phrase", (p.split()[-1] for p in self.phrase_kind))
        self._anchor_kinds = {k: frozenset(v) for k, v in anchors.items()}
        self.anchor = re.compile(r"\d|\b(?:" + phrase_pattern(anchors) + r")\b", re.I)
        needs: dict[str, tuple[str, ...]] = {
            "iso": ("digit",),
            "mdy": ("month", "digit"),
            "dmy": ("month", "digit"),
            "my": ("month", "digit"),
            "mon": ("month",),
            "year": ("digit",),
            "decade": ("digit",),
            "season": ("season",),
            "quarter": ("quarter",),
            "phrase": ("phrase",),
            "weekday": ("weekday",),
            "weekend": ("weekend",),
            "holiday": ("holiday",),
        }
        self.needs = [needs.get(name, ("unit",)) for name, _, _ in rules]
        self.since = re.compile(r"\b(?:ever\s+)?since\s+$", re.I)
        self.range_open = re.compile(r"\b(?P<w>from|between)\s+$", re.I)
        self.range_join = re.compile(r"^\s*(?:[-–]|to|until|till|through|and)\s*$", re.I)

    def anchors_in(self, text: str) -> set[str]:
        """The anchor kinds present in ``text`` ("digit", "month", "unit", ...)."""
        found: set[str] = set()
        for m in self.anchor.finditer(text):
            w = m.group(0)
            if w.isdigit():
                found.add("digit")
            else:
                found |= self._anchor_kinds.get(phrase_key(w), frozenset())
        return found


@cache
def load_time_lexicon(*, data_dir: str | None = None) -> TimeLexicon:
    """The shipped ``time_words.toml`` extended by the user's file of the same name (cached)."""
    table = load_data_toml(DATA_FILE, data_dir=data_dir, what="time lexicon")
    source = str(data_files(DATA_FILE, data_dir=data_dir)[-1])
    return TimeLexicon(table, source=source)


# -- resolution ------------------------------------------------------------------------------------------------
@dataclass
class _Ctx:
    lex: TimeLexicon
    text: str
    base: date | None
    start: int = 0
    end: int = 0

    def future(self) -> bool:
        """Whether the current match reads forwards from ``base``.

        Forwards when a future cue ("will", "scheduled", "next") stands among the six words before
        it in its clause, or, for a time that opens its clause, among the words after it; never when
        a reporting verb stands right before it ("said Friday that it would ...").
        """
        lex = self.lex
        left = self.text[max(0, self.start - 90) : self.start]
        cut = max(left.rfind(c) for c in ".;!?\n")
        left = left[cut + 1 :]
        if lex.reporting_before.search(left):
            return False
        reps = [m.end() for m in lex.reporting_cue.finditer(left)]
        if reps:
            left = left[reps[-1] :]
        words = _WORD.findall(left)
        if words:
            return bool(lex.future_cue.search(" ".join(words[-lex.future_window :])))
        right = self.text[self.end : self.end + 60]
        cut = min((i for i in (right.find(c) for c in ".;!?\n") if i >= 0), default=len(right))
        right = right[:cut]
        rep = lex.reporting_cue.search(right)
        if rep is not None:
            right = right[: rep.start()]
        return bool(lex.future_cue.search(right))

    def pick_year(self, mon: int, day: int) -> int:
        """The year of a day-of-year given without one: backwards from ``base``, unless a future cue
        says forwards or the next such day is only ``near_future_days`` away (a "Jan. 14" deadline)."""
        b = self.base
        assert b is not None
        this = _safe(b.year, mon, day) or date(b.year, mon, 28)
        past = this if this <= b else _safe(b.year - 1, mon, day) or date(b.year - 1, mon, 28)
        nxt = this if this > b else _safe(b.year + 1, mon, day) or date(b.year + 1, mon, 28)
        if this == b:
            return b.year
        if self.future() or (nxt - b).days <= self.lex.near_future_days:
            return nxt.year
        return past.year

    def before(self, n: int = 40) -> str:
        return self.text[max(0, self.start - n) : self.start]

    def has_preposition(self) -> bool:
        return bool(self.lex.preposition_before.search(self.before()))

    def number(self, raw: str | None) -> tuple[float, float]:
        if raw is None:
            return 1.0, 1.0
        k = phrase_key(raw)
        if k.isdigit():
            return float(k), float(k)
        if k in self.lex.vague:
            return self.lex.vague[k]
        v = self.lex.numbers.get(k, 1.0)
        return v, v


def _iso(m: re.Match[str], ctx: _Ctx) -> Span | None:
    d = _safe(int(m["y"]), int(m["m"]), int(m["d"]))
    return None if d is None else (d, d)


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _day_num(raw: str) -> int:
    return int(re.match(r"\d+", raw).group(0))  # type: ignore[union-attr]


def _month_day(m: re.Match[str], ctx: _Ctx) -> Span | None:
    mon_raw = m["mon"].rstrip(".")
    if not _capitalised(mon_raw):
        return None
    mon = ctx.lex.months[mon_raw.lower()]
    d1 = _day_num(m["d"])
    d2 = _day_num(m["d2"]) if m["d2"] else d1
    if not (1 <= d1 <= 31 and d1 <= d2 <= 31):
        return None
    if m["y"]:
        y = int(m["y"])
    elif ctx.base is None:
        return _UNRESOLVED if _safe(2000, mon, d1) else None
    else:
        y = ctx.pick_year(mon, d1)
    lo, hi = _safe(y, mon, d1), _safe(y, mon, d2)
    if lo is None or hi is None:
        return None
    return lo, hi


def _part_month(y: int, mon: int, part: str | None, ctx: _Ctx) -> Span:
    if part:
        a, b = ctx.lex.parts_month[phrase_key(part)]
        end = _month_end(y, mon)
        return date(y, mon, a), date(y, mon, min(b, end.day))
    return date(y, mon, 1), _month_end(y, mon)


def _month_year(m: re.Match[str], ctx: _Ctx) -> Span | None:
    mon_raw = m["mon"].rstrip(".")
    if not _capitalised(mon_raw):
        return None
    return _part_month(int(m["y"]), ctx.lex.months[mon_raw.lower()], m["part"], ctx)


def _month(m: re.Match[str], ctx: _Ctx) -> Span | None:
    mon_raw = m["mon"]
    if not _capitalised(mon_raw):
        return None
    rel = phrase_key(m["rel"]) if m["rel"] else None
    if mon_raw.lower() in ctx.lex.ambiguous_months and rel is None and not ctx.has_preposition():
        return None
    if ctx.base is None:
        return _UNRESOLVED
    mon, b = ctx.lex.months[mon_raw.lower()], ctx.base
    if rel == "last":
        y = b.year if mon < b.month else b.year - 1
    elif rel == "this":
        y = b.year
    elif rel == "next":
        y = b.year if mon > b.month else b.year + 1
    elif ctx.future():
        y = b.year if mon >= b.month else b.year + 1
    else:
        y = b.year if mon <= b.month else b.year - 1
    part = rel if rel in ctx.lex.parts_month else None
    return _part_month(y, mon, part, ctx)


def _year(m: re.Match[str], ctx: _Ctx) -> Span | None:
    y = int(m["y"])
    after = ctx.text[m.end() : m.end() + 20]
    if not m["part"] and not ctx.has_preposition() and re.match(r"\s+[a-z]+s\b", after):
        return None  # "2000 soldiers" is an amount
    if m["y2"]:
        raw = m["y2"]
        y2 = int(raw) if len(raw) == 4 else (y // 100) * 100 + int(raw)
        if y2 < y:
            return None
        return date(y, 1, 1), date(y2, 12, 31)
    if m["part"]:
        a, b = ctx.lex.parts_year[phrase_key(m["part"])]
        return date(y, a, 1), _month_end(y, b)
    return date(y, 1, 1), date(y, 12, 31)


def _decade(m: re.Match[str], ctx: _Ctx) -> Span | None:
    y = int(m["dec"])
    part = m["part"]
    if part:
        a, b = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}[part.lower()]
        return date(y + a, 1, 1), date(y + b, 12, 31)
    return date(y, 1, 1), date(y + 9, 12, 31)


def _season_span(y: int, first: int, last: int) -> Span:
    """The season starting in year ``y`` (winter runs into ``y`` + 1)."""
    end_year = y + 1 if last < first else y
    return date(y, first, 1), _month_end(end_year, last)


def _season(m: re.Match[str], ctx: _Ctx) -> Span | None:
    first, last = ctx.lex.seasons[m["s"].lower()]
    rel = phrase_key(m["rel"]) if m["rel"] else None
    if m["y"]:
        span = _season_span(int(m["y"]), first, last)
    else:
        if rel is None and not ctx.lex.season_preposition.search(ctx.before()):
            return None  # "fall" the verb ("about to fall"), "the spring offensive"
        if ctx.base is None:
            return _UNRESOLVED
        b = ctx.base
        candidates = [_season_span(y, first, last) for y in (b.year - 2, b.year - 1, b.year, b.year + 1)]
        started = [c for c in candidates if c[0] is not None and c[0] <= b]
        if rel == "last":
            done = [c for c in candidates if c[1] is not None and c[1] < b]
            span = done[-1]
        elif rel == "next":
            span = next(c for c in candidates if c[0] is not None and c[0] > b)
        elif rel == "this" or not ctx.future():
            span = started[-1]
        else:
            span = next(c for c in candidates if c[1] is not None and c[1] >= b)
    if rel in ("early", "late") and span[0] is not None:
        mid = span[0] + timedelta(days=45)
        return (span[0], mid) if rel == "early" else (mid, span[1])
    return span


def _quarter(m: re.Match[str], ctx: _Ctx) -> Span | None:
    raw = m["q"] or m["q3"]
    q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}.get(raw.lower())
    if q is None:
        q = int(raw)
    y_raw = m["y"] or m["y2"] or m["y3"]
    if y_raw:
        y = int(y_raw)
    elif ctx.base is None:
        return _UNRESOLVED
    elif m["rel"]:
        y = ctx.base.year + {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    else:
        y = ctx.base.year
        if date(y, 3 * q - 2, 1) > ctx.base and not ctx.future():
            y -= 1
    return date(y, 3 * q - 2, 1), _month_end(y, 3 * q)


def _phrase(m: re.Match[str], ctx: _Ctx) -> Span | None:
    kind = ctx.lex.phrase_kind[phrase_key(m.group(0))]
    b = ctx.base
    if kind == "anaphoric":
        return _UNRESOLVED
    if b is None:
        return _UNRESOLVED
    if kind == "present":
        return b, b
    if kind == "yesterday":
        d = b - timedelta(days=1)
        return d, d
    if kind == "tomorrow":
        d = b + timedelta(days=1)
        return d, d
    if kind == "past":
        return None, b
    return b, None


def _weekday(m: re.Match[str], ctx: _Ctx) -> Span | None:
    if ctx.base is None:
        return _UNRESOLVED
    wd = ctx.lex.weekdays[m["wd"].lower()]
    b = ctx.base
    rel = m["rel"].lower() if m["rel"] else None
    back = (b.weekday() - wd) % 7  # days back to the latest such day on or before base
    if rel == "last":
        d = b - timedelta(days=back or 7)
    elif rel == "this":
        d = _week_start(b) + timedelta(days=wd)
    elif rel == "next":
        d = b + timedelta(days=(wd - b.weekday()) % 7 or 7)
    elif rel in ("past", "earlier", "early", "late", "later") or not ctx.future():
        d = b - timedelta(days=back)
    else:
        d = b + timedelta(days=(wd - b.weekday()) % 7 or 7)
    return d, d


def _weekend(m: re.Match[str], ctx: _Ctx) -> Span | None:
    if ctx.base is None:
        return _UNRESOLVED
    b = ctx.base
    rel = (m["rel"] or m["rel2"] or "").lower()
    latest_sat = b - timedelta(days=(b.weekday() - 5) % 7)  # latest Saturday on or before base
    if rel in ("last", "past", "previous"):
        sat = latest_sat if b.weekday() < 5 else latest_sat - timedelta(days=7)
    elif rel == "this":
        sat = _week_start(b) + timedelta(days=5)
    elif rel in ("next", "coming"):
        sat = latest_sat + timedelta(days=7)
    elif ctx.future() and b.weekday() < 5:
        sat = latest_sat + timedelta(days=7)
    else:
        sat = latest_sat
    return sat, sat + timedelta(days=1)


def _calendar_unit(b: date, unit: str, shift: int) -> Span:
    """The calendar week/month/year containing ``b``, moved by ``shift`` units."""
    if unit in ("week", "fortnight"):
        s = _week_start(b) + timedelta(days=7 * shift)
        return s, s + timedelta(days=6)
    if unit == "month":
        s = _add_months(b.replace(day=1), shift)
        return s, _month_end(s.year, s.month)
    if unit == "decade":
        y = (b.year // 10) * 10 + 10 * shift
        return date(y, 1, 1), date(y + 9, 12, 31)
    y = b.year + shift
    return date(y, 1, 1), date(y, 12, 31)


def _apply_part(span: Span, unit: str, part: str, ctx: _Ctx) -> Span:
    lo, hi = span
    if lo is None or hi is None:
        return span
    k = phrase_key(part)
    if unit in ("week", "fortnight") and k in ctx.lex.parts_week:
        a, c = ctx.lex.parts_week[k]
        return lo + timedelta(days=a), lo + timedelta(days=c)
    if unit == "month" and k in ctx.lex.parts_month:
        a, c = ctx.lex.parts_month[k]
        return lo.replace(day=a), lo.replace(day=min(c, hi.day))
    if unit == "year" and k in ctx.lex.parts_year:
        a, c = ctx.lex.parts_year[k]
        return date(lo.year, a, 1), _month_end(lo.year, c)
    return span


def _period(m: re.Match[str], ctx: _Ctx) -> Span | None:
    if ctx.base is None:
        return _UNRESOLVED
    b = ctx.base
    unit = m["u"].lower()
    rel = phrase_key(m["rel"])
    mod = phrase_key(m["mod"]) if m["mod"] else None
    if rel in ("the past", "the previous", "the last", "this past", "past", "previous"):
        if rel in ("previous", "past") and mod is None and unit != "decade":
            span = _calendar_unit(b, unit, -1)  # "past week" without "the" reads as "last week"
        else:
            return _shift(b, unit, -1) + timedelta(days=1), b
    elif rel == "the coming" or rel == "coming":
        return b, _shift(b, unit, 1) - timedelta(days=1)
    else:
        shift = {"this": 0, "last": -1, "next": 1}[rel]
        span = _calendar_unit(b, unit, shift)
    if mod == "earlier" and rel == "this":
        return span[0], b
    if mod == "later" and rel == "this":
        return b, span[1]
    if mod and mod not in ("earlier", "later"):
        return _apply_part(span, unit, mod, ctx)
    return span


def _part_of(m: re.Match[str], ctx: _Ctx) -> Span | None:
    if ctx.base is None:
        return _UNRESOLVED
    unit = m["u"].lower()
    shift = {"the": 0, "this": 0, "last": -1, "next": 1}[m["rel"].lower()]
    return _apply_part(_calendar_unit(ctx.base, unit, shift), unit, m["part"], ctx)


def _unit(m: re.Match[str], ctx: _Ctx) -> str:
    return ctx.lex.units[m["u"].lower()]


def _ago(m: re.Match[str], ctx: _Ctx) -> Span | None:
    if ctx.base is None:
        return _UNRESOLVED
    unit = _unit(m, ctx)
    lo_n, hi_n = ctx.number(m["n"])
    if unit == "decade":
        d1, d2 = _shift(ctx.base, unit, -hi_n), _shift(ctx.base, unit, -lo_n)
        return date(d1.year, 1, 1), date(d2.year, 12, 31)
    far = _granule(_shift(ctx.base, unit, -hi_n), unit)
    near = _granule(_shift(ctx.base, unit, -lo_n), unit)
    return far[0], near[1]


def _rolling(m: re.Match[str], ctx: _Ctx) -> Span | None:
    plural = m["u"].lower().endswith("s")
    if not m["n"] and not plural:
        return None  # "the last week" is the period rule's
    if m["rel"].lower() == "first":
        return _UNRESOLVED  # "the first three days" of something else
    if ctx.base is None:
        return _UNRESOLVED
    unit = _unit(m, ctx)
    _, hi_n = ctx.number(m["n"]) if m["n"] else (2.0, 2.0)
    b = ctx.base
    if m["rel"].lower() in ("coming", "next"):
        return b, _shift(b, unit, hi_n)
    return _shift(b, unit, -hi_n), b


def _duration(m: re.Match[str], ctx: _Ctx) -> Span | None:
    plural = m["u"].lower().endswith("s")
    if not m["n"] and not plural:
        return None  # "for a year" needs its article: "for year" is not a time
    if ctx.base is None:
        return _UNRESOLVED
    unit = _unit(m, ctx)
    lo_n, _ = ctx.number(m["n"]) if m["n"] else (2.0, 2.0)
    b = ctx.base
    if m["prep"].lower() == "within" or ctx.future():
        return b, _shift(b, unit, lo_n)
    return _shift(b, unit, -lo_n), b


def _recent(m: re.Match[str], ctx: _Ctx) -> Span | None:
    if ctx.base is None:
        return _UNRESOLVED
    days = ctx.lex.recent.get(m["u"].lower(), 7)
    return ctx.base - timedelta(days=days), ctx.base


def _holiday(m: re.Match[str], ctx: _Ctx) -> Span | None:
    mon, day = ctx.lex.holidays[phrase_key(m["h"])]
    if not _capitalised(m["h"]):
        return None
    if m["y"]:
        y = int(m["y"])
    elif ctx.base is None:
        return _UNRESOLVED
    else:
        y = ctx.pick_year(mon, day)
    d = date(y, mon, day)
    return d, d


# -- the stage -------------------------------------------------------------------------------------------------
@dataclass
class _Hit:
    start: int
    end: int
    lo: date | None
    hi: date | None
    rule: int


def _as_date(base: date | datetime | None) -> date | None:
    if isinstance(base, datetime):
        return base.date()
    return base


def _iso_or_none(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def find_times(text: str, *, base: date | None, offset: int = 0, lexicon: TimeLexicon | None = None) -> list[Interval]:
    """Every time expression in ``text``, resolved against ``base`` (the publication date), in order.

    Spans are shifted by ``offset`` (the text's start in its document).
    """
    lex = lexicon or load_time_lexicon()
    base = _as_date(base)
    ctx = _Ctx(lex, text, base)
    cands: list[tuple[int, int, int, re.Match[str]]] = []
    present = lex.anchors_in(text)
    if not present:
        return []
    for k, (_, rx, _fn) in enumerate(lex.rules):
        if not all(need in present for need in lex.needs[k]):
            continue
        for m in rx.finditer(text):
            if m.end() > m.start():
                cands.append((m.start(), -(m.end() - m.start()), k, m))
    cands.sort(key=lambda c: (c[0], c[1], c[2]))
    hits: list[_Hit] = []
    taken_until = -1
    for start, neg_len, k, m in cands:
        end = start - neg_len
        if start < taken_until:
            continue
        ctx.start, ctx.end = start, end
        span = lex.rules[k][2](m, ctx)
        if span is None:
            continue
        hits.append(_Hit(start, end, span[0], span[1], k))
        taken_until = end
    hits = _join(hits, ctx)
    return [
        Interval(
            start=_iso_or_none(h.lo),
            end=_iso_or_none(h.hi),
            text=text[h.start : h.end],
            span=(h.start + offset, h.end + offset),
        )
        for h in hits
    ]


def _join(hits: list[_Hit], ctx: _Ctx) -> list[_Hit]:
    """Merge "from X to Y" / "between X and Y" / "X-Y" into one interval, and read "since X" as X .. base."""
    lex, text = ctx.lex, ctx.text
    out: list[_Hit] = []
    i = 0
    while i < len(hits):
        h = hits[i]
        if i + 1 < len(hits):
            nxt = hits[i + 1]
            between = text[h.end : nxt.start]
            opener = lex.range_open.search(text[max(0, h.start - 12) : h.start])
            joiner = lex.range_join.match(between)
            ordered = h.lo is None or nxt.hi is None or h.lo <= nxt.hi
            if joiner and ordered and (opener or between.strip() in ("-", "–")):
                if opener is None or (opener["w"].lower() == "between") == (between.strip().lower() == "and"):
                    start = h.start - (len(opener.group(0)) if opener else 0)
                    out.append(_Hit(start, nxt.end, h.lo, nxt.hi, h.rule))
                    i += 2
                    continue
        since = lex.since.search(text[max(0, h.start - 12) : h.start])
        if since and h.lo is not None:
            h = _Hit(h.start - len(since.group(0)), h.end, h.lo, ctx.base, h.rule)
        out.append(h)
        i += 1
    return out


def _days(iv: Interval) -> int:
    if iv.start is None or iv.end is None:
        return 1_000_000
    return (date.fromisoformat(iv.end) - date.fromisoformat(iv.start)).days + 1


def event_interval(
    times: list[Interval],
    *,
    base: date | None,
    text: str | None = None,
    offset: int = 0,
    lexicon: TimeLexicon | None = None,
) -> Interval | None:
    """The claim's event time among the expressions ``find_times`` found in one sentence.

    Prefers a resolved, closed interval over an open or unresolved one; a time that is not "now"
    over "now"/"today"-style words; with the sentence ``text`` (and the ``offset`` passed to
    ``find_times``), a time not hanging on a reporting verb ("said on Tuesday") over one that does;
    then the narrowest; then the first. With nothing resolved it returns the first expression
    (text kept, dates None), and None for an empty list. With ``base`` and no other resolved time,
    a present-tense word ("now") gives ``base``.
    """
    if not times:
        return None
    lex = lexicon or load_time_lexicon()
    base = _as_date(base)

    def rank(pair: tuple[int, Interval]) -> tuple[bool, bool, bool, bool, bool, int, int]:
        idx, iv = pair
        resolved = iv.start is not None or iv.end is not None
        closed = iv.start is not None and iv.end is not None
        kind = lex.phrase_kind.get(phrase_key(iv.text or ""))
        present = kind in ("present", "past", "future")
        reporting = False
        if text is not None and iv.span is not None:
            before = text[max(0, iv.span[0] - offset - 40) : max(0, iv.span[0] - offset)]
            reporting = bool(lex.reporting_before.search(before))
        future = base is not None and iv.start is not None and iv.start > base.isoformat()
        return (not resolved, present, reporting, future, not closed, _days(iv), idx)

    best = min(enumerate(times), key=rank)[1]
    return best
