"""Classify what a claim says happened: event type, status, negation and hedging.

``classify_event(text)`` reads one sentence (or claim clause) and returns an :class:`EventInfo`.
It is a lexicon classifier (one prefix-tree regex over trigger forms plus a few patterns; no
parse), fast enough for every sentence. The ontology, triggers and cues are data:
``data/events.toml`` (a user file of the same name extends it).

The ontology (``event_type`` / ``status``):

* ``territorial_control``: who holds ground. Statuses ``captured`` (captured, seized, took
  control, liberated), ``retaken`` (recaptured, retook, regained control), ``withdrew`` (withdrew,
  retreated, pulled out), ``encircled`` (encircle/encirclement, surrounded, pincer, besieged),
  ``infiltrated`` (infiltrated, entered, sabotage groups), ``advancing`` (advancing, closing in,
  pushing toward, made gains, success), ``holding`` (holding, defending, in control of),
  ``contested`` (fighting for, battle for, grey zone), and the background state ``occupied``
  ("Russian-occupied", "occupied Kherson", "annexed"), which is no event.
* ``force_presence``: troops are in a place ("around 200 soldiers are currently in the town").
* ``attack``: shelling, strikes, drone/missile attacks, assaults. Statuses ``attacked``, ``repelled``.
* ``casualties``: statuses ``killed``, ``wounded``, ``captured`` (prisoners); None for "casualties".
* ``deployment``: forces sent or moved ("deployed special forces", "sent troops").
* ``visit``: an official visited troops or a place.
* ``intent``: a plan, aim or attempt ("plans to", "aims to", "wants to", "trying to capture").
* ``denial``: a speaker denies a claim ("denied", "rejected the claims").
* ``statement_of_falsehood``: a speaker calls a claim false ("it's just lies", "no truth in", "fake").
* ``other``: no recognised event.

``negated`` is set by a negation cue before the trigger in its clause ("did not capture",
"failed to", "never", "achieved no success"), a failure cue after it ("attempts to advance
failed"), or, for a content event, a denial or falsehood trigger earlier in the sentence ("denied
that its troops had withdrawn"). ``hedged`` is set by a hedging cue anywhere in the sentence
("allegedly", "reportedly", "claimed", "may", "could", "it is unclear", "doubt").
``irrealis`` is set by a modal, conditional, wish or fear cue in the trigger's clause ("could strike",
"fears of an attack", "hope there will be no more attacks"; ``[modality]`` in events.toml): the event
is not said to have happened. Attribution hedges ("claimed", "alleged") do not make a claim irrealis.
``state`` marks a background state rather than an event ("Russian-occupied", "the annexed peninsula"):
a status with ``state = true`` in events.toml, chosen only when no event trigger is in the sentence.
How ties between triggers are broken is described in ``events.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from crosscheck.config import data_files, load_data_toml
from crosscheck.errors import ConfigError
from crosscheck.phrases import phrase_key, phrase_pattern

__all__ = ["DATA_FILE", "EventInfo", "EventLexicon", "classify_event", "load_event_lexicon", "modal_cue"]

DATA_FILE = "events.toml"

_BRACES = re.compile(r"\{([^{}]*)\}")
_WORD = re.compile(r"[\w'’-]+")
_CLAUSE_END = re.compile(r"[,;:.!?()\[\]\"“”]|\s(?:but|while|whereas|although|though)\s", re.I)
# for modal scope quotes do not end a clause: 'there is no need for more "massive" strikes'
_MODAL_CLAUSE_END = re.compile(r"[,;:.!?()\[\]]|\s(?:but|while|whereas|although|though)\s", re.I)


@dataclass(frozen=True)
class EventInfo:
    """The event a sentence reports. ``trigger_span`` is shifted by the ``offset`` given."""

    event_type: str | None
    status: str | None = None
    negated: bool = False
    hedged: bool = False
    trigger: str | None = None
    trigger_span: tuple[int, int] | None = None
    negation_cue: str | None = None
    hedge_cue: str | None = None
    state: bool = False
    irrealis: bool = False
    irrealis_cue: str | None = None


@dataclass(frozen=True)
class _Entry:
    type: str
    status: str | None
    kind: str  # content, meta, none
    priority: int
    order: int  # the status's place in its type: earlier wins
    state: bool = False  # a background state ("Russian-occupied"), not an event


@dataclass
class _Trigger:
    start: int
    end: int
    entry: _Entry
    intended: bool = False
    negation: str | None = None


def _expand(form: str) -> list[str]:
    """Brace expansion: "captur{e,ed}" -> ["capture", "captured"]."""
    m = _BRACES.search(form)
    if m is None:
        return [form]
    out: list[str] = []
    for alt in m.group(1).split(","):
        out.extend(_expand(form[: m.start()] + alt + form[m.end() :]))
    return out


def _lower(text: str) -> str:
    """``text`` lower-cased with its length kept (so offsets still hold), for case-blind matching.

    The regexes below are compiled without ``re.I`` and run on this: ``re`` can then skip ahead
    to a pattern's literal prefix, which makes it many times faster.
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _cue_regex(words: Any, *, case_sensitive: bool = False) -> re.Pattern[str] | None:
    """Word-bounded cues; a cue starting with an apostrophe ("n't") may end a word ("didn't").

    Unless ``case_sensitive``, the cues are lower-cased and meant for ``_lower(text)``.
    """
    words = [w if case_sensitive else w.lower() for w in words if w]
    if not words:
        return None
    plain = [w for w in words if not w.startswith(("'", "n't", "’"))]
    clitic = [w for w in words if w.startswith(("'", "n't", "’"))]
    parts = []
    if plain:
        parts.append(r"(?<![\w'’])(?:" + phrase_pattern(plain, lower=not case_sensitive) + ")")
    if clitic:
        parts.append("(?:" + phrase_pattern(clitic, lower=not case_sensitive) + ")")
    return re.compile("(?:" + "|".join(parts) + r")(?![\w'’])")


def _gap_pattern(form: str) -> str:
    """ "sent ... troops" -> sent, up to three words, troops (the start is checked by the caller)."""
    pieces = [p.strip() for p in form.split("...")]
    body = r"(?:\s+[\w'’-]+){0,3}?\s+".join(phrase_pattern([p]) for p in pieces if p)
    return body + r"(?![\w'’])"


_LEADING_BOUNDARY = re.compile(r"^(?:\\b|\(\?<!\[[^\]]*\]\))")


@dataclass(frozen=True)
class EventType:
    """One type of the ontology, as declared in ``events.toml``."""

    name: str
    kind: str
    priority: int
    description: str
    statuses: tuple[str, ...]


class EventLexicon:
    """The compiled contents of ``events.toml``: the ontology, one trigger regex and the cue regexes."""

    def __init__(self, table: dict[str, Any], *, source: str = DATA_FILE) -> None:
        try:
            settings = table.get("settings", {})
            self.negation_window = int(settings.get("negation_window", 6))
            self.post_negation_window = int(settings.get("post_negation_window", 4))
            self.intent_window = int(settings.get("intent_window", 4))
            self.types: dict[str, EventType] = {}
            self.state_statuses: set[tuple[str, str]] = set()
            forms: dict[str, list[_Entry]] = {}
            patterns: list[tuple[re.Pattern[str], _Entry]] = []
            for name, spec in table["types"].items():
                kind = str(spec.get("kind", "content"))
                if kind not in ("content", "meta", "none"):
                    raise ValueError(f"type {name!r} has kind {kind!r}; use content, meta or none")
                priority = int(spec.get("priority", 0))
                statuses = spec.get("statuses", {})
                self.types[name] = EventType(name, kind, priority, str(spec.get("description", "")), tuple(statuses))
                groups: list[tuple[str | None, dict[str, Any], int]] = [
                    (status, sspec, i) for i, (status, sspec) in enumerate(statuses.items())
                ]
                groups.append((None, spec, len(statuses)))
                for status, sspec, order in groups:
                    entry = _Entry(
                        name, status, kind, priority, order, bool(sspec.get("state", False)) and bool(status)
                    )
                    if entry.state:
                        self.state_statuses.add((name, str(status)))
                    for raw in sspec.get("forms", []):
                        for form in _expand(str(raw)):
                            if "..." in form:
                                patterns.append((re.compile(_gap_pattern(form)), entry))
                            else:
                                forms.setdefault(phrase_key(form), []).append(entry)
                    for pat in sspec.get("patterns", []):
                        try:
                            patterns.append((re.compile(_LEADING_BOUNDARY.sub("", str(pat))), entry))
                        except re.error as err:
                            raise ValueError(f"type {name!r} status {status!r}: bad pattern {pat!r}: {err}") from err
            self.forms = forms
            self.literal = re.compile(r"(?<![\w'’])(?:" + phrase_pattern(forms) + r")(?![\w'’])")
            self.patterns = patterns
            neg = table.get("negation", {})
            self.neg_local = _cue_regex(neg.get("local", []))
            self.neg_post = _cue_regex(neg.get("post", []))
            self.neg_except = _cue_regex(neg.get("exceptions", []))
            modal = table.get("modality", {})
            self.modal_before = _cue_regex(modal.get("before", []))
            self.modal_before_cs = _cue_regex(modal.get("case_sensitive", []), case_sensitive=True)
            self.modal_after = _cue_regex(modal.get("after", []))
            self.modal_except = _cue_regex(modal.get("exceptions", []))
            self.modal_window_before = int(modal.get("window_before", 8))
            self.modal_window_after = int(modal.get("window_after", 4))
            self.modal_adjacent = _cue_regex(modal.get("adjacent", []))
            hedge = table.get("hedging", {})
            self.hedge = _cue_regex(hedge.get("cues", []))
            self.hedge_cs = _cue_regex(hedge.get("case_sensitive", []), case_sensitive=True)
            self.hedge_except = _cue_regex(hedge.get("exceptions", []))
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise ConfigError(
                f"{source}: bad event lexicon ({err}); see the comments in the shipped {DATA_FILE}"
            ) from err


@cache
def load_event_lexicon(*, data_dir: str | None = None) -> EventLexicon:
    """The shipped ``events.toml`` extended by the user's file of the same name (cached)."""
    table = load_data_toml(DATA_FILE, data_dir=data_dir, what="event lexicon")
    source = str(data_files(DATA_FILE, data_dir=data_dir)[-1])
    return EventLexicon(table, source=source)


def _blank(rx: re.Pattern[str] | None, s: str) -> str:
    """``s`` with every match of ``rx`` replaced by spaces (offsets kept)."""
    if rx is None:
        return s
    return rx.sub(lambda m: " " * len(m.group(0)), s)


def _clause_before(text: str, start: int, *, ends: re.Pattern[str] = _CLAUSE_END) -> str:
    left = text[max(0, start - 160) : start]
    found = [m.end() for m in ends.finditer(left)]
    return left[found[-1] :] if found else left


def _clause_after(text: str, end: int, *, ends: re.Pattern[str] = _CLAUSE_END) -> str:
    right = text[end : end + 120]
    m = ends.search(right)
    return right[: m.start()] if m is not None else right


def _last_words(s: str, n: int) -> str:
    words = _WORD.findall(s)
    return " ".join(words[-n:]) if n > 0 else ""


def _first_words(s: str, n: int) -> str:
    words = _WORD.findall(s)
    return " ".join(words[:n]) if n > 0 else ""


def _word_start(low: str, i: int) -> bool:
    return i == 0 or not (low[i - 1].isalnum() or low[i - 1] in "_'’")


def _find_triggers(lex: EventLexicon, low: str) -> list[_Trigger]:
    cands: list[_Trigger] = []
    for m in lex.literal.finditer(low):
        for entry in lex.forms.get(phrase_key(m.group(0)), ()):
            cands.append(_Trigger(m.start(), m.end(), entry))
    for rx, entry in lex.patterns:
        for m in rx.finditer(low):
            if m.end() > m.start() and _word_start(low, m.start()):
                cands.append(_Trigger(m.start(), m.end(), entry))
    cands.sort(key=lambda t: (t.start, t.start - t.end))
    out: list[_Trigger] = []
    taken_until = -1
    span: tuple[int, int] | None = None
    for t in cands:
        if (t.start, t.end) == span and out:
            out.append(t)  # the same words in two entries: keep both
            continue
        if t.start < taken_until:
            continue
        out.append(t)
        span = (t.start, t.end)
        taken_until = t.end
    return out


def _local_negation(lex: EventLexicon, text: str, t: _Trigger, *, since: int = 0) -> str | None:
    """The negation cue scoping over trigger ``t``: in its clause, after ``since`` (the previous
    trigger's end, so "failed to capture the hill and retreated" does not negate "retreated")."""
    before = _blank(lex.neg_except, _clause_before(text[since:], t.start - since))
    window = _last_words(before, lex.negation_window)
    if lex.neg_local is not None and (m := lex.neg_local.search(window)):
        return m.group(0)
    after = _first_words(_clause_after(text, t.end), lex.post_negation_window)
    if lex.neg_post is not None and (m := lex.neg_post.search(after)):
        return m.group(0)
    return None


def _hedge(lex: EventLexicon, text: str, low: str) -> str | None:
    hits: list[int] = []
    for rx, s in ((lex.hedge, low), (lex.hedge_cs, text)):
        if rx is not None and (m := rx.search(_blank(lex.hedge_except, s))) is not None:
            hits.append(m.start())
            hits.append(m.end())
    if not hits:
        return None
    starts = hits[0::2]
    k = starts.index(min(starts))
    return text[hits[2 * k] : hits[2 * k + 1]]


def modal_cue(text: str, start: int, end: int, *, lexicon: EventLexicon | None = None) -> str | None:
    """The irrealis cue scoping over the trigger at ``text[start:end]``, if any: a modal, conditional,
    wish or fear in the words before it in its clause ("could strike", "fears of an attack", "no need
    for strikes"), a modal right after it ("retaking it would be a prize"), or a question."""
    lex = lexicon or load_event_lexicon()
    low = _lower(text)
    before = _blank(lex.modal_except, _clause_before(low, start, ends=_MODAL_CLAUSE_END))
    window = _last_words(before, lex.modal_window_before)
    if lex.modal_before is not None and (m := lex.modal_before.search(window)):
        return m.group(0)
    last = _last_words(before, 2)
    if lex.modal_adjacent is not None and (m := lex.modal_adjacent.search(last)) and m.end() == len(last):
        return m.group(0)  # "an assault to retake the city": what the action is for, not done yet
    raw_before = _last_words(
        _blank(lex.modal_except, _clause_before(text, start, ends=_MODAL_CLAUSE_END)), lex.modal_window_before
    )
    if lex.modal_before_cs is not None and (m := lex.modal_before_cs.search(raw_before)):
        return m.group(0)
    after = _first_words(
        _blank(lex.modal_except, _clause_after(low, end, ends=_MODAL_CLAUSE_END)), lex.modal_window_after
    )
    if lex.modal_after is not None and (m := lex.modal_after.search(after)):
        return m.group(0)
    if text.rstrip().rstrip("\"'”’)").endswith("?"):
        return "?"
    return None


_REPORTED = re.compile(r"\b(?:report|claim|statement|assertion|allegation|story|account)s?\b")


def classify_event(text: str, *, offset: int = 0, lexicon: EventLexicon | None = None) -> EventInfo:
    """The event type, status, negation and hedging of one sentence or claim clause."""
    if not text.strip():
        return EventInfo(None)
    lex = lexicon or load_event_lexicon()
    low = _lower(text)
    triggers = _find_triggers(lex, low)
    hedge_cue = _hedge(lex, text, low)
    intents = [t for t in triggers if t.entry.type == "intent"]
    content = [t for t in triggers if t.entry.kind == "content"]
    refutes = [t for t in triggers if t.entry.kind == "meta" and t.entry.type != "intent"]
    for t in content:
        for i in intents:
            if i.end <= t.start:
                gap = text[i.end : t.start]
                if _CLAUSE_END.search(gap) is None and len(_WORD.findall(gap)) <= lex.intent_window:
                    t.intended = True
        prev = [u.end for u in triggers if u.end <= t.start]
        t.negation = _local_negation(lex, low, t, since=max(prev, default=0))
    chosen: _Trigger | None = None
    event_type: str | None = "other"
    status: str | None = None
    negation: str | None = None
    if content:
        best = min(
            content,
            key=lambda t: (
                t.intended,
                t.entry.state,
                -t.entry.priority,
                t.negation is not None,
                t.entry.order,
                t.start,
            ),
        )
        if best.intended:
            chosen = next(i for i in reversed(intents) if i.end <= best.start)
            event_type = "intent"
            negation = _local_negation(lex, low, chosen)
        else:
            chosen, event_type, status = best, best.entry.type, best.entry.status
            negation = best.negation
        # "denied that ... captured" negates; a falsehood word after the event ("... proves they are lying",
        # "the capture ... would be a propaganda boost") is about something else
        # unless the event is the content of a report or claim called false ("the report of the capture is fake")
        before = [r for r in refutes if r.end <= best.start]
        if not before and _REPORTED.search(low[: best.start]):
            before = refutes
        if negation is None and before:
            negation = text[before[0].start : before[0].end]
    elif intents or refutes:
        chosen = min(intents + refutes, key=lambda t: (-t.entry.priority, t.start))
        event_type = chosen.entry.type
        negation = _local_negation(lex, low, chosen)
    irrealis = None
    if chosen is not None:
        irrealis = "plan" if event_type == "intent" else modal_cue(text, chosen.start, chosen.end, lexicon=lex)
    return EventInfo(
        event_type=event_type,
        status=status,
        negated=negation is not None,
        hedged=hedge_cue is not None,
        trigger=text[chosen.start : chosen.end] if chosen else None,
        trigger_span=(chosen.start + offset, chosen.end + offset) if chosen else None,
        negation_cue=negation,
        hedge_cue=hedge_cue,
        state=chosen is not None and chosen is not None and event_type == chosen.entry.type and chosen.entry.state,
        irrealis=irrealis is not None,
        irrealis_cue=irrealis,
    )
