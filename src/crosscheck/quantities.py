"""Find amounts in a sentence: numbers with their vagueness and the thing they count.

``find_quantities(text)`` returns one :class:`~crosscheck.records.Quantity` per amount, with its
character span, so a claim's numbers can be compared across sources ("around 200 soldiers" against
"hundreds of soldiers"). It is a hand-written scanner over a regex tokenisation (no parse), fast
enough to run on every sentence. Words, vague amounts, modifiers and units are data:
``data/quantity_words.toml`` (a user file of the same name extends it).

Interval conventions (``low``/``high`` are inclusive; ``None`` is an open end):

* exact number ("60,000 people", "two", "1.5 million"): ``value = low = high``, not approximate.
* approximated ("around/about/some 200"): ``value`` 200, ``low``/``high`` 200 -/+ ``approx_tolerance``
  (10%: 180..220), approximate.
* "nearly/almost 200": ``value`` 200, ``low`` 200 - ``near_tolerance`` (180), ``high`` 200, approximate.
* "more than N" / "over N": ``low`` N + 1 for counted things (whole numbers), N for measures (lengths,
  shares, durations, money: "over a year" -> ``low`` 1 year); ``high`` and ``value`` None.
* "at least N": ``low`` N; "up to / as many as N": ``high`` N; "fewer than N": ``high`` N - 1 (counts).
* vague words ("dozens" 24..99, "hundreds" 200..999, "thousands" 2,000..9,999, "a few" 2..5,
  "several" 3..9, "a few dozen" 24..60, "tens of thousands" 20,000..99,000): ``value`` None,
  ``low``/``high`` from the data file, approximate.
* ranges ("200-300", "between 5 and 10", "two or three"): ``value`` None, ``low``/``high`` the ends,
  approximate.
* approximated counts are widened to whole numbers (``low`` rounded down, ``high`` up).

``unit`` is the canonical name of the counted noun or measure from the data file ("soldiers",
"people", "km", "percent", "years", "USD"); an unknown plural noun right after the number is kept
as printed, lower case ("60,000 refugees" -> "refugees"); otherwise None. A conversion in
parentheses ("20 kilometres (12 miles)") stays inside the first quantity's text and span.

Not quantities: years ("in 2022", a bare 4-digit year without a unit), dates ("November 4",
"4 Nov"), ordinals ("1st Corps", "93rd Brigade"), clock times ("10:30", "6 am", "0600 GMT"),
decades ("1990s"), model and unit names ("Su-34", "T-72", "Leopard 2", "Article 5", "2S19"),
calibres ("155mm shells"), ages ("a 52-year-old man"), ISO dates.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from crosscheck.config import data_files, load_data_toml
from crosscheck.errors import ConfigError
from crosscheck.records import Quantity

__all__ = ["DATA_FILE", "QuantityLexicon", "find_quantities", "load_quantity_lexicon"]

DATA_FILE = "quantity_words.toml"

# Digits with separators, a run of letters, or any other single character.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|\S")
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_DASHES = frozenset({"-", "–", "—"})
_MODIFIER_KINDS = frozenset({"approx", "near", "gt", "ge", "lt", "le"})

Phrase = tuple[str, ...]


def _phrase(words: str) -> Phrase:
    return tuple(m.group(0) for m in _TOKEN.finditer(words.lower()))


class _PhraseIndex:
    """Multi-word keys looked up by token position, forwards (starting at i) or backwards (ending at i)."""

    def __init__(self, table: dict[str, Any]) -> None:
        self._fwd: dict[str, list[tuple[Phrase, Any]]] = {}
        self._bwd: dict[str, list[tuple[Phrase, Any]]] = {}
        for key, val in table.items():
            p = _phrase(key)
            if not p:
                continue
            self._fwd.setdefault(p[0], []).append((p, val))
            self._bwd.setdefault(p[-1], []).append((p, val))
        for lists in (self._fwd, self._bwd):
            for entries in lists.values():
                entries.sort(key=lambda e: -len(e[0]))

    def at(self, lowers: list[str], i: int) -> tuple[int, Any] | None:
        if i >= len(lowers):
            return None
        for p, val in self._fwd.get(lowers[i], ()):
            if tuple(lowers[i : i + len(p)]) == p:
                return len(p), val
        return None

    def ending(self, lowers: list[str], i: int) -> tuple[int, Any] | None:
        if i < 0:
            return None
        for p, val in self._bwd.get(lowers[i], ()):
            s = i - len(p) + 1
            if s >= 0 and tuple(lowers[s : i + 1]) == p:
                return len(p), val
        return None


@dataclass(frozen=True)
class _Unit:
    name: str
    kind: str  # count or measure


class QuantityLexicon:
    """The compiled contents of ``quantity_words.toml``: look-up tables built once."""

    def __init__(self, table: dict[str, Any], *, source: str = DATA_FILE) -> None:
        try:
            settings = table.get("settings", {})
            self.approx_tolerance = float(settings.get("approx_tolerance", 0.1))
            self.near_tolerance = float(settings.get("near_tolerance", 0.1))
            self.max_unit_gap = int(settings.get("max_unit_gap", 3))
            self.year_min = int(settings.get("year_min", 1000))
            self.year_max = int(settings.get("year_max", 2100))
            self.numbers = {k.lower(): float(v) for k, v in table["numbers"].items()}
            self.scales = {k.lower(): float(v) for k, v in table["scales"].items()}
            self.abbreviations = {k.lower(): float(v) for k, v in table.get("abbreviations", {}).items()}
            self.currency_abbreviations = {
                k.lower(): float(v) for k, v in table.get("currency_abbreviations", {}).items()
            }
            self.vague = _PhraseIndex({k: (float(v[0]), float(v[1])) for k, v in table["vague_counts"].items()})
            self.scale_only = {_phrase(w) for w in table.get("vague_scale_only", {}).get("words", [])}
            self.plurals = {k.lower(): (float(v[0]), float(v[1])) for k, v in table["vague_plurals"].items()}
            mods = {k: str(v) for k, v in table["modifiers"].items()}
            posts = {k: str(v) for k, v in table.get("postmodifiers", {}).items()}
            for name, kind in (*mods.items(), *posts.items()):
                if kind not in _MODIFIER_KINDS:
                    raise ValueError(f"modifier {name!r} has kind {kind!r}; use one of {sorted(_MODIFIER_KINDS)}")
            self.modifiers = _PhraseIndex(mods)
            self.postmodifiers = _PhraseIndex(posts)
            ranges = table.get("ranges", {})
            self.joiners = frozenset(w.lower() for w in ranges.get("joiners", ["-", "to"]))
            self.and_openers = frozenset(w.lower() for w in ranges.get("and_openers", ["between"]))
            skip = table.get("skip", {})
            self.designators = frozenset(w.lower() for w in skip.get("designators", []))
            self.ordinal_suffixes = frozenset(w.lower() for w in skip.get("ordinal_suffixes", []))
            self.months = frozenset(w.lower() for w in skip.get("months", []))
            self.calibre_units = frozenset(w for w in skip.get("calibre_units", []))
            self.year_words = frozenset(w.lower() for w in skip.get("year_words", []))
            self.stopwords = frozenset(w.lower() for w in skip.get("gap_stopwords", []))
            suffixes = sorted((re.escape(s.lower()) for s in skip.get("time_suffixes", [])), key=len, reverse=True)
            self.time_after = re.compile(r"\s*(?:" + "|".join(suffixes) + r")(?![^\W_])", re.I) if suffixes else None
            self.currency = _PhraseIndex({k: str(v) for k, v in table.get("currency_signs", {}).items()})
            units: dict[str, _Unit] = {}
            for name, spec in table["units"].items():
                kind = str(spec.get("kind", "count"))
                if kind not in ("count", "measure"):
                    raise ValueError(f"unit {name!r} has kind {kind!r}; use 'count' or 'measure'")
                unit = _Unit(name, kind)
                units[name.lower()] = unit
                for form in spec["forms"]:
                    units[form.lower()] = unit
            self.units = _PhraseIndex(units)
            self.unit_names = {u.name: u for u in units.values()}
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as err:
            raise ConfigError(
                f"{source}: bad quantity lexicon ({err!r}); see the comments in the shipped {DATA_FILE}"
            ) from err


@cache
def load_quantity_lexicon(*, data_dir: str | None = None) -> QuantityLexicon:
    """The shipped ``quantity_words.toml`` extended by the user's file of the same name (cached)."""
    table = load_data_toml(DATA_FILE, data_dir=data_dir, what="quantity lexicon")
    source = str(data_files(DATA_FILE, data_dir=data_dir)[-1])
    return QuantityLexicon(table, source=source)


@dataclass
class _Core:
    start: int  # first token
    end: int  # token after the last
    low: float
    high: float
    value: float | None  # None for vague amounts
    raw: float = 0.0  # the number before a scale word ("2" in "2 million")
    scale: float = 1.0
    digits: bool = False
    yearlike: bool = False
    weak: bool = False  # "one", "several" alone: an amount only when a unit follows
    article: bool = False  # "a"/"an" alone: also needs a modifier ("over a year")


class _Scanner:
    """One pass over one text's tokens."""

    def __init__(self, lex: QuantityLexicon, text: str) -> None:
        self.lex = lex
        self.text = text
        toks = list(_TOKEN.finditer(text))
        self.texts = [m.group(0) for m in toks]
        self.lowers = [t.lower() for t in self.texts]
        self.starts = [m.start() for m in toks]
        self.ends = [m.end() for m in toks]
        self.n = len(toks)

    # -- helpers -----------------------------------------------------------------------------------------------
    def glued(self, i: int, j: int) -> bool:
        return 0 <= i < self.n and 0 <= j < self.n and self.ends[i] == self.starts[j]

    def is_digits(self, i: int) -> bool:
        return 0 <= i < self.n and self.texts[i][0].isdigit()

    def is_alpha(self, i: int) -> bool:
        return 0 <= i < self.n and self.texts[i][0].isalpha()

    # -- numbers -----------------------------------------------------------------------------------------------
    def core(self, i: int) -> _Core | None:
        if i >= self.n:
            return None
        if self.is_digits(i):
            return self.digits_core(i)
        w = self.lowers[i]
        if w in self.lex.plurals:
            return self.plural_core(i)
        vague = self.lex.vague.at(self.lowers, i)
        if vague is not None:
            got = self.vague_core(i, vague)
            if got is not None:
                return got
        if w in self.lex.numbers or w in ("a", "an", "half"):
            return self.word_core(i)
        return None

    def digits_core(self, i: int) -> _Core | None:
        lex, s = self.lex, self.texts[i]
        if _DIGITS.fullmatch(s) is None:
            return None  # "1,2,3", "1.2.3"
        if len(s) > 1 and s[0] == "0" and s[1] != ".":
            return None  # "0600": a clock time or a code
        if self.glued(i - 1, i):
            p = self.texts[i - 1]
            if p[0].isalpha():
                return None  # "M777", "TB2", "A320"
            if self.glued(i - 2, i - 1):
                before = self.texts[i - 2][0]
                if (p in _DASHES and before.isalpha()) or (p in "/:." and before.isalnum()):
                    return None  # "T-72", "Su-34", "24/7", "10:30", "No.5"
        j = i + 1
        if self.glued(i, j):
            nx = self.lowers[j]
            if nx in (":", "/") and self.glued(j, j + 1) and self.is_digits(j + 1):
                return None
            if nx == "-" and self.glued(j, j + 1) and self.is_digits(j + 1) and self.lowers[j + 2 : j + 3] == ["-"]:
                return None  # 2022-03-01
            if nx[0].isalpha():
                if nx in lex.ordinal_suffixes:
                    return None
                known = (
                    nx in lex.abbreviations
                    or nx in lex.currency_abbreviations
                    or lex.units.at(self.lowers, j) is not None
                    or (lex.time_after is not None and lex.time_after.match(self.text, self.ends[i]) is not None)
                )
                if not known:
                    return None  # "2S19", "9M723": a model code
        value = float(s.replace(",", ""))
        integral = "." not in s
        yearlike = integral and "," not in s and len(s) == 4 and lex.year_min <= value <= lex.year_max
        scale = 1.0
        if j < self.n:
            nx = self.lowers[j]
            if nx in lex.scales and not self.glued(i, j):
                scale = lex.scales[nx]
                j += 1
            elif self.glued(i, j) and nx in lex.abbreviations:
                scale = lex.abbreviations[nx]
                j += 1
            elif (
                self.glued(i, j)
                and nx in lex.currency_abbreviations
                and lex.currency.ending(self.lowers, i - 1) is not None
            ):
                scale = lex.currency_abbreviations[nx]
                j += 1
        v = value * scale
        return _Core(i, j, v, v, v, raw=value, scale=scale, digits=True, yearlike=yearlike and scale == 1.0)

    def word_core(self, i: int) -> _Core | None:
        lex, lw = self.lex, self.lowers
        w = lw[i]
        if w == "half":
            if lw[i + 1 : i + 2] in (["a"], ["an"]) and i + 2 < self.n and lw[i + 2] in lex.scales:
                v = 0.5 * lex.scales[lw[i + 2]]
                return _Core(i, i + 3, v, v, v, raw=0.5, scale=lex.scales[lw[i + 2]])
            return None
        total, current, j, used_scale, last_scale = 0.0, 0.0, i, 1.0, 0.0
        seen = False
        if w in ("a", "an"):
            if i + 1 < self.n and lw[i + 1] in lex.scales:
                current, seen, j = 1.0, True, i + 1
            else:
                return _Core(i, i + 1, 1.0, 1.0, 1.0, raw=1.0, weak=True, article=True)
        while j < self.n:
            t = lw[j]
            if t in lex.numbers:
                nv = lex.numbers[t]
                if seen and not (current % 100 == 0 or (current % 100 >= 20 and current % 10 == 0 and nv < 10)):
                    break
                current += nv
                last_scale = 0.0
            elif t in lex.scales and seen:
                sc = lex.scales[t]
                if sc <= 100:  # dozen, score, hundred multiply what came before
                    current = (current or 1.0) * sc
                else:  # thousand, million: close a group ("two hundred thousand")
                    total += (current or 1.0) * sc
                    current = 0.0
                used_scale = max(used_scale, sc)
                last_scale = sc
            else:
                break
            seen = True
            k = j + 1
            if (
                k < self.n
                and lw[k] == "-"
                and self.glued(j, k)
                and self.glued(k, k + 1)
                and k + 1 < self.n
                and lw[k + 1] in lex.numbers
            ):
                j = k + 1
                continue
            if k + 1 < self.n and lw[k] == "and" and lw[k + 1] in lex.numbers and last_scale >= 100:
                j = k + 1
                continue
            j = k
        if not seen:
            return None
        v = total + current
        raw = v / used_scale if used_scale > 1 else v
        weak = v == 1.0 and used_scale == 1.0  # "one": too often not an amount ("one of", "no one")
        # "two and a half years"
        if lw[j : j + 3] == ["and", "a", "half"]:
            v += 0.5
            j += 3
        return _Core(i, j, v, v, v, raw=raw, scale=used_scale, weak=weak)

    def vague_core(self, i: int, hit: tuple[int, Any]) -> _Core | None:
        length, (lo, hi) = hit
        k = i + length
        if k < self.n and self.lowers[k] in self.lex.scales:
            sc = self.lex.scales[self.lowers[k]]
            return _Core(i, k + 1, lo * sc, hi * sc, None, raw=lo, scale=sc)
        if tuple(self.lowers[i:k]) in self.lex.scale_only:
            return None
        return _Core(i, k, lo, hi, None, weak=True)

    def plural_core(self, i: int) -> _Core | None:
        lex, lw = self.lex, self.lowers
        lo, hi = lex.plurals[lw[i]]
        end = i + 1
        if lw[i + 1 : i + 2] == ["of"] and i + 2 < self.n and lw[i + 2] in lex.plurals:
            base = lex.scales.get(lw[i + 2][:-1])  # "thousands" -> "thousand"
            if base is not None and base > 12:
                return _Core(i, i + 3, lo * base, hi * base, None, scale=base)
        if lw[i] == "tens":
            return None  # "tens" only as in "tens of thousands"
        return _Core(i, end, lo, hi, None)

    # -- one quantity ------------------------------------------------------------------------------------------
    def unit_at(self, j: int) -> tuple[_Unit | str, int, int] | None:
        """The unit after token ``j``: (unit, its first token, the token after it)."""
        lex, lw = self.lex, self.lowers
        if j >= self.n:
            return None
        if self.glued(j - 1, j):
            hit = lex.units.at(lw, j)
            if hit is not None:
                return hit[1], j, j + hit[0]
            if lw[j] in _DASHES and self.glued(j, j + 1):
                hit = lex.units.at(lw, j + 1)  # "20-kilometre", "24-hour"
                if hit is not None:
                    return hit[1], j, j + 1 + hit[0]
                return None
        k = j
        if lw[k] == "of":
            k += 1
        first = k
        gap = 0
        while k < self.n and gap <= lex.max_unit_gap:
            hit = lex.units.at(lw, k)
            if hit is not None:
                return hit[1], k, k + hit[0]
            w = lw[k]
            if not w[0].isalpha():
                if w == "-" and self.glued(k - 1, k) and self.glued(k, k + 1):
                    k += 1
                    continue
                break
            if w in lex.stopwords or w in lex.numbers or w in lex.months:
                break
            gap += 1
            k += 1
        if first < self.n and self.is_alpha(first):
            w = lw[first]
            if (
                self.texts[first].islower()
                and len(w) > 3
                and w.endswith("s")
                and not w.endswith(("ss", "us", "is"))
                and w not in lex.stopwords
                and w not in lex.plurals
            ):
                return w, first, first + 1
        return None

    def parse(self, i: int) -> tuple[Quantity | None, int]:
        """The quantity starting at token ``i`` (or None) and the token to go on from."""
        lex, lw = self.lex, self.lowers
        core = self.core(i)
        if core is None:
            return None, i + 1
        # Left context: currency sign, modifier, range opener.
        s = core.start
        currency: str | None = None
        cur = lex.currency.ending(lw, s - 1)
        if cur is not None:
            currency = cur[1]
            s -= cur[0]
        mod_kind: str | None = None
        mod = lex.modifiers.ending(lw, s - 1)
        if mod is not None:
            mod_kind = mod[1]
            s -= mod[0]
        opener = s > 0 and lw[s - 1] in lex.and_openers  # "between 5 and 10"
        if core.article and mod_kind is None:
            return None, core.end  # "a" is an amount only in "over a year", "about a week"
        if core.start > 0 and mod is None and cur is None:
            prev = lw[core.start - 1]
            if prev in lex.designators or (
                prev == "." and core.start > 1 and lw[core.start - 2] in lex.designators | lex.months
            ):
                return None, core.end
            if core.digits and prev in lex.months:
                return None, core.end
        if core.digits:
            nx = lw[core.end : core.end + 2]
            if (nx and nx[0] in lex.months) or (nx[:1] == ["of"] and nx[1:] and nx[1] in lex.months):
                return None, core.end  # "4 November", "4 of November"
            if lex.time_after is not None and lex.time_after.match(self.text, self.ends[core.end - 1]):
                return None, core.end
            if core.yearlike and core.start > 0 and lw[core.start - 1] in lex.year_words:
                return None, core.end
        low: float | None = core.low
        high: float | None = core.high
        value: float | None = core.value
        approximate = value is None
        end = core.end
        post = lex.postmodifiers.at(lw, end)
        if post is None and end < self.n:
            joiner = lw[end]
            if joiner in lex.joiners or (joiner == "and" and opener):
                second = self.core(end + 1)
                if second is not None and not second.article and not second.weak:
                    if core.yearlike and (second.yearlike or joiner in _DASHES or joiner == "to"):
                        return None, second.end  # "2022-2023", "2022-23", "from 2014 to 2022"
                    a_lo, a_hi = core.low, core.high
                    if core.scale == 1.0 and second.scale > 1.0 and core.value is not None and core.value < second.raw:
                        a_lo, a_hi = a_lo * second.scale, a_hi * second.scale  # "1-2 million"
                    low, high = min(a_lo, second.low), max(a_hi, second.high)
                    value, approximate, end = None, True, second.end
                    core.yearlike = False
                    if joiner == "and":
                        s -= 1
                    post = lex.postmodifiers.at(lw, end)
        post_kind: str | None = None
        if post is None and end + 1 < self.n and lw[end] in _DASHES and self.glued(end - 1, end):
            post = lex.postmodifiers.at(lw, end + 1)  # "200-odd", "1,000-plus"
            if post is not None:
                end += 1
        if post is not None:
            post_kind = post[1]
            end += post[0]
        unit: _Unit | str | None = None
        found = self.unit_at(end)
        if found is not None:
            unit, unit_start, end = found
            if core.yearlike and not (isinstance(unit, _Unit) and unit_start == core.end):
                return None, core.end  # "in 2022 Russian soldiers ...": a year, not 2022 soldiers
        elif core.yearlike:
            return None, core.end
        if (core.weak and unit is None) or (core.article and not (isinstance(unit, _Unit) and mod_kind)):
            return None, core.end
        if unit is None and currency is not None:
            unit = lex.unit_names.get(currency, currency)
        if lw[end : end + 2] == ["-", "old"] and self.glued(end - 1, end):
            return None, end + 2  # "a 52-year-old man": an age, not an amount
        if isinstance(unit, _Unit) and unit.name in lex.calibre_units and self.is_alpha(end):
            if lw[end] not in lex.stopwords:
                return None, end + 1  # "155mm shells": a calibre
        # "20 kilometres (12 miles)": keep the conversion in this quantity's text
        if isinstance(unit, _Unit) and unit.kind == "measure" and lw[end : end + 1] == ["("]:
            inner, nxt = self.parse(end + 1)
            if inner is not None and lw[nxt : nxt + 1] == [")"] and inner.unit in lex.unit_names:
                if lex.unit_names[inner.unit].kind == "measure":
                    end = nxt + 1
        count = not isinstance(unit, _Unit) or unit.kind == "count"
        kind = mod_kind or post_kind
        low, high, value = self.apply(kind, low, high, value, count=count)
        if kind is not None:
            approximate = True
        if approximate and count:
            low = None if low is None else math.floor(low + 1e-9)
            high = None if high is None else math.ceil(high - 1e-9)
        unit_name = unit.name if isinstance(unit, _Unit) else unit
        a, b = self.starts[s], self.ends[end - 1]
        q = Quantity(
            text=self.text[a:b],
            value=_tidy(value),
            low=_tidy(low),
            high=_tidy(high),
            unit=unit_name,
            approximate=approximate,
            span=(a, b),
        )
        return q, end

    def apply(
        self, kind: str | None, low: float | None, high: float | None, value: float | None, *, count: bool
    ) -> tuple[float | None, float | None, float | None]:
        lex = self.lex
        if kind is None:
            return low, high, value
        if kind == "approx":
            if value is not None:
                return value * (1 - lex.approx_tolerance), value * (1 + lex.approx_tolerance), value
            return low, high, value
        if kind == "near":
            if value is not None:
                return value * (1 - lex.near_tolerance), value, value
            return low, high, value
        if kind in ("gt", "ge"):
            base = low if low is not None else value
            if base is not None and kind == "gt" and count and float(base).is_integer():
                base += 1
            return base, None, None
        base = high if high is not None else value
        if base is not None and kind == "lt" and count and float(base).is_integer():
            base -= 1
        return None, base, None


def _tidy(x: float | None) -> float | None:
    """Whole numbers as int, others rounded to 6 places (so 200 * 1.1 reads 220)."""
    if x is None:
        return None
    r = round(float(x), 6)
    return int(r) if r.is_integer() else r


def find_quantities(text: str, *, offset: int = 0, lexicon: QuantityLexicon | None = None) -> list[Quantity]:
    """Every amount in ``text``, in order, with spans shifted by ``offset`` (the text's start in its document)."""
    lex = lexicon or load_quantity_lexicon()
    scan = _Scanner(lex, text)
    out: list[Quantity] = []
    i = 0
    while i < scan.n:
        if not scan.texts[i][0].isalnum():
            i += 1  # punctuation opens no amount (a currency sign is read from the number after it)
            continue
        q, nxt = scan.parse(i)
        if q is not None:
            if offset and q.span is not None:
                q.span = (q.span[0] + offset, q.span[1] + offset)
            out.append(q)
        i = max(nxt, i + 1)
    return out
