"""Cross-checking: how claims from different articles (and within one) bear on each other.

``relate(new, candidates, documents=...)`` compares each new claim with the candidates that share
a grouping key with it (see ``frames``) and with the other new claims, and returns relations:

- ``disputes``: a claim that explicitly rejects another ("It's just lies", "experts doubt it",
  "denied"): the claim just before it in its article by another claimant, and claims by another
  side about the same place and time. ``claims`` is (the rejecting claim, the rejected one).
- ``contradicts``: frames that cannot both be true about one place at one time (captured vs held,
  200 vs thousands, an attack the other side says it repelled, a claim and its negation).
- ``repeats``: the same claimant saying the same again, or a near-duplicate article.
- ``corroborates``: compatible frames from independent sources (other outlet, no near-duplicate,
  neither repeating the other through its ``via`` chain).

Pure functions over lists of claims: the orchestrator fetches candidates from storage by
``frame["probes"]`` (claims indexed under ``frame["blocks"]``) and stores what comes back.
``statuses`` then says, for each claim, whether it stands asserted, corroborated (by how many
independent sources), contested or disputed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from rapidfuzz import fuzz

from crosscheck.actors import normalise
from crosscheck.errors import InputError
from crosscheck.frames import (
    FRAME_VERSION,
    NOT,
    Rules,
    StatusRule,
    build_frame,
    build_frames,
    content_stems,
    km_between,
    load_rules,
    negated_trigger,
    relayed,
)
from crosscheck.records import Claim, Relation

if TYPE_CHECKING:
    from crosscheck.stance import StanceModel

RELATION_TYPES = ("disputes", "contradicts", "repeats", "corroborates")
CLAIM_STATUSES = ("asserted", "corroborated", "contested", "disputed")
_SAYING = ("asserts", "reports")


class DocLike(Protocol):
    """What cross-checking reads about the article a claim comes from (storage's DocInfo fits)."""

    @property
    def id(self) -> str: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def published(self) -> str | None: ...
    @property
    def duplicate_of(self) -> str | None: ...


@dataclass(frozen=True)
class DocInfo:
    """A ``DocLike`` to build by hand (tests, benchmarks, one-off runs)."""

    id: str
    outlet: str | None = None
    published: str | None = None
    duplicate_of: str | None = None  # an earlier near-duplicate article


class Standing(NamedTuple):
    """A claim's standing in the ledger."""

    status: str  # asserted | corroborated | contested | disputed
    sources: int  # independent sources saying it, the claim's own included


# ---------------------------------------------------------------- prepared claims


def _outlet_key(name: str | None) -> str | None:
    if not name:
        return None
    key = normalise(name)
    return key[4:] if key.startswith("the ") else key or None


def _root(doc_id: str, documents: Mapping[str, DocLike]) -> str:
    """The first article of a chain of near-duplicates."""
    seen = {doc_id}
    info = documents.get(doc_id)
    while info is not None and info.duplicate_of and info.duplicate_of not in seen:
        seen.add(info.duplicate_of)
        doc_id = info.duplicate_of
        info = documents.get(doc_id)
    return doc_id


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _date(value: str | None) -> date | None:
    """The day of an ISO date or timestamp; None when there is none or it does not parse."""
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


class _View:
    """A claim with its frame read once, for fast pairwise comparison."""

    __slots__ = (
        "agent",
        "agent_named",
        "answers",
        "background",
        "blocks",
        "ckey",
        "claim",
        "doc",
        "end",
        "family",
        "frame",
        "id",
        "inherited",
        "irrealis",
        "negative",
        "outlet",
        "partial",
        "probes",
        "quantities",
        "rejects",
        "relays",
        "root",
        "said",
        "side",
        "stance",
        "start",
        "stated",
        "status",
        "stems",
        "targets",
        "unplaced",
        "via",
    )

    def __init__(self, claim: Claim, frame: dict[str, Any], documents: Mapping[str, DocLike], rules: Rules) -> None:
        self.claim = claim
        self.frame = frame
        self.id = claim.id
        self.family: str = frame["family"]
        self.status: str | None = frame.get("status")
        self.stance: str = frame["stance"]
        self.rejects: bool = bool(frame.get("rejects"))
        self.relays: bool = bool(frame.get("relays"))
        # a denial of an event ("denied striking the hospital") says the event did not happen
        denial = self.stance == "denies" and self.family not in ("rejection", "other")
        self.negative = (frame.get("polarity") == "negative") != denial
        self.side = (frame.get("side") or "").lower() or None
        self.agent = (frame.get("agent") or "").lower() or None
        self.ckey: str | None = frame.get("claimant_key")
        self.targets: list[dict[str, Any]] = frame.get("targets") or []
        self.quantities: list[dict[str, Any]] = frame.get("quantities") or []
        t = frame.get("time") or {}
        self.start, self.end = _day(t.get("start")), _day(t.get("end"))
        self.blocks: list[str] = frame.get("blocks") or []
        self.probes: list[str] = frame.get("probes") or []
        self.doc = documents.get(claim.document_id)
        self.outlet = _outlet_key(self.doc.outlet if self.doc else None)
        self.root = _root(claim.document_id, documents)
        self.via = {
            k for v in frame.get("via") or [] if v.get("type") != "channel" and (k := _outlet_key(v.get("name")))
        }
        self.irrealis = bool(frame.get("irrealis"))
        self.background = bool(frame.get("background"))
        self.agent_named = frame.get("agent_from", "text") != "claimant"
        self.answers: dict[str, Any] | None = frame.get("answers")
        self.inherited = bool(frame.get("targets_from"))
        self.stated = _date(claim.stated_at) or _date(self.doc.published if self.doc else None)
        # a time the claim states but that could not be placed ("in the first days of the war")
        self.unplaced = t.get("from") == "unplaced"
        # "seized residential quarters of", "controls 70% of", "some units withdrew": part of a place or a force
        self.partial = rules.partial_re is not None and rules.partial_re.search(claim.text) is not None
        if self.status == "repelled" and rules.hit_re is not None and rules.hit_re.search(claim.text):
            self.partial = True  # "two missiles hit the port and two were shot down": partly repelled
        self.stems: set[str] | None = None  # content words, read when a corroboration needs them (words_of)
        self.said: set[str] | None = None  # what it says, less names and words of rejecting (said_of)


def words_of(v: _View, rules: Rules) -> set[str]:
    """The claim's content words less its places' names (read once, on demand: most pairs never need them)."""
    if v.stems is None:
        places = " ".join(f"{p.name} {p.mention or ''}" for p in v.claim.places)
        v.stems = content_stems(v.claim.text, rules) - content_stems(places, rules)
    return v.stems


def said_of(v: _View, rules: Rules) -> set[str]:
    """The claim's content words cut to four letters, less names and the words of rejecting and claiming: what a
    denial says it denies, or what a claim says (read once, on demand)."""
    if v.said is None:
        v.said = content_stems(v.claim.text, rules, names=False, width=4) - rules.rejecting_stems
    return v.said


def _framed(claims: Sequence[Claim], rules: Rules) -> list[dict[str, Any]]:
    """Each claim's frame: the one it carries when current, else built (in its article's context)."""
    missing = [c for c in claims if not (c.frame and c.frame.get("version") == FRAME_VERSION and "blocks" in c.frame)]
    built = dict(zip((c.id for c in missing), build_frames(missing, rules=rules), strict=True)) if missing else {}
    return [built[c.id] if c.id in built else dict(c.frame or {}) for c in claims]


# ---------------------------------------------------------------- pairwise tests


def _agents(a: _View, b: _View) -> str:
    """same | other | unknown: whether the two claims say the same side acts."""
    x, y = a.agent, b.agent
    if x is None or y is None:
        return "unknown"
    xn, yn = x.startswith(NOT), y.startswith(NOT)
    if xn and yn:
        return "same" if x == y else "other"
    if xn or yn:  # "the enemy of Ukraine" against "Russia": two-party reading
        neg, pos = (x, y) if xn else (y, x)
        return "other" if neg[len(NOT) :] == pos else "same"
    return "same" if x == y else "other"


def _subject(a: _View, b: _View, rules: Rules, *, first: bool = False) -> tuple[str, str] | None:
    """('same' | 'near', place name) when the two claims are about one place (with ``first``: when
    the place nearest each claim's trigger is one place)."""
    best: tuple[str, str] | None = None
    for ta in a.targets[:1] if first else a.targets:
        for tb in b.targets[:1] if first else b.targets:
            if ta["key"] == tb["key"]:
                how = "near" if ta["near"] or tb["near"] else "same"
                if how == "same":
                    return how, ta["name"]
                best = best or (how, ta["name"])
            elif None not in (ta["lat"], ta["lon"], tb["lat"], tb["lon"]):
                if km_between((ta["lat"], ta["lon"]), (tb["lat"], tb["lon"])) <= rules.near_km:
                    best = best or ("near", ta["name"])
    return best


def _time(a: _View, b: _View, rules: Rules) -> str | None:
    """'overlap', 'unknown' (one has no time) or None (the times are apart)."""
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return "unknown"
    slack = timedelta(days=max(rules.slack(a.family), rules.slack(b.family)))
    if a.start - slack <= b.end and b.start - slack <= a.end:
        return "overlap"
    return None


def _passed_on(v: _View, rules: Rules) -> bool:
    """Whether an outlet's own sentence passes on somebody else's account (a speech or allegation word in it,
    or a hedge: "..., wrote Andrii Yermak", "cited an alleged attack"): no second source for that account."""
    if v.claim.claimant is not None:
        return False
    if v.claim.hedged:
        return True
    return any(w.startswith(rules.narration_cues) for w in re.findall(r"[a-z]+", v.claim.sentence.lower()))


def _independent(a: _View, b: _View, rules: Rules) -> bool:
    """Different articles, not near-duplicates, other outlets, neither passing on the other, not one
    claimant (nor one person under two spellings), and not the same sentence printed twice (wire copy)."""
    if a.claim.document_id == b.claim.document_id or a.root == b.root:
        return False
    if a.outlet and b.outlet and a.outlet == b.outlet:
        return False
    if (a.outlet and a.outlet in b.via) or (b.outlet and b.outlet in a.via):
        return False
    if a.via & b.via or _one_person(a, b, rules):
        return False
    if a.ckey is not None and a.ckey == b.ckey:
        return False  # one governor's statement carried by two outlets is one source, reported twice
    copy = rules.scores.get("copy_similarity", 90)
    return fuzz.ratio(a.claim.sentence.lower(), b.claim.sentence.lower()) < copy


_NAME = re.compile(r"\b[A-Z][\w'’-]{3,}")


def _surname(v: _View) -> str | None:
    c = v.claim.claimant
    if c is None or c.type != "person":
        return None
    words = _NAME.findall(c.name)
    return words[-1].lower() if words else None


def _one_person(a: _View, b: _View, rules: Rules) -> bool:
    """Whether two claimants are one person: surnames spelt alike ("Razvozhayev", "Razvozhaev"), or
    one's surname named in the other's sentence ("the governor, Mikhail Razvozhaev, claimed")."""
    similar = rules.scores.get("name_similarity", 85)
    for x, y in ((a, b), (b, a)):
        name = _surname(x)
        if name is None:
            continue
        other = _surname(y)
        if other is not None and fuzz.ratio(name, other) >= similar:
            return True
        if other is None and y.claim.claimant is not None:
            words = {w.lower() for w in _NAME.findall(y.claim.sentence)}
            if any(fuzz.ratio(name, w) >= similar for w in words):
                return True
    return False


def _counts(a: _View, b: _View, rules: Rules) -> tuple[str, str] | None:
    """('agree' | 'conflict', 'x ~ y') for counts of the same unit; None when none compare."""
    agree: str | None = None
    conflict: str | None = None
    for qa in a.quantities:
        for qb in b.quantities:
            if qa["unit"] is None or qa["unit"] != qb["unit"] or qa["unit"] in rules.non_count_units:
                continue
            # a claim with two counts of one unit ("four killed and 19 injured", "19 killed, including five in
            # the capital") does not say which of them is about the other claim's subject: they may agree, but
            # they cannot conflict
            single = _one_count(a, qa["unit"]) and _one_count(b, qa["unit"])
            lo_a, hi_a = _widen(qa, rules)
            lo_b, hi_b = _widen(qb, rules)
            pair = f"{qa['text']} ~ {qb['text']}"
            if lo_a <= hi_b and lo_b <= hi_a:
                agree = agree or pair
            elif single and max(qa["low"], qb["low"]) >= rules.min_ratio * max(min(qa["high"], qb["high"]), 1e-9):
                if not _bound(qa, a.claim.text, rules) and not _bound(qb, b.claim.text, rules):
                    conflict = conflict or pair
    if agree:
        return "agree", agree
    if conflict:
        return "conflict", conflict
    return None


def _one_count(v: _View, unit: str) -> bool:
    return sum(q["unit"] in (unit, None) for q in v.quantities) == 1  # a bare number may count the same unit


def _bound(q: dict[str, Any], text: str, rules: Rules) -> bool:
    """Whether a count is a bound or a guess ("at least one", "up to six"), in its words or just before them."""
    if rules.bound_re is None:
        return False
    at = text.find(q["text"])
    around = q["text"] if at < 0 else text[max(0, at - 15) : at + len(q["text"])]
    return rules.bound_re.search(around) is not None


def _widen(q: dict[str, Any], rules: Rules) -> tuple[float, float]:
    slack = rules.approximate_slack if q["approximate"] else rules.exact_slack
    low, high = float(q["low"]), float(q["high"])
    if low == high:
        return low * (1 - slack), high * (1 + slack)
    return low, high


def _rule(table: Mapping[tuple[str, str], StatusRule], a: _View, b: _View) -> StatusRule | None:
    """The row for the two claims' statuses, if both claims are in the families it is for."""
    rule = table.get((a.status or "", b.status or ""))
    return rule if rule is not None and a.family in rule.families and b.family in rule.families else None


def _equivalent(a: _View, b: _View, agents: str, rules: Rules) -> bool:
    if a.status == b.status and a.family == b.family:
        return agents != "other" or a.status == "contested"
    rule = _rule(rules.equivalent, a, b)
    return rule is not None and rule.agents in ("any", agents)


def _sides_differ(a: _View, b: _View) -> bool:
    return a.side is not None and b.side is not None and a.side != b.side


# ---------------------------------------------------------------- explanations


def _who(v: _View) -> str:
    """'Russia (Russian army, 2025-11-04)'; 'Experts (2025-11-04)'; 'the outlet (AFP)'."""
    c = v.claim
    bits = [f"via {x['name']}" for x in v.frame.get("via") or [] if x.get("name")]
    if v.start:
        bits.append(v.start.isoformat() if v.start == v.end else f"{v.start.isoformat()}..{v.end}")
    if c.claimant is None:
        head, bits = "the outlet", [v.doc.outlet if v.doc and v.doc.outlet else c.document_id, *bits]
    elif v.frame.get("side"):
        head, bits = v.frame["side"], [c.claimant.name, *bits]
    else:
        head = c.claimant.name
    return f"{head} ({', '.join(bits)})" if bits else head


def _what(v: _View, rules: Rules, place: str | None = None) -> str:
    template = rules.status_words.get(f"{v.family}.{v.status}") or rules.status_words.get(v.status or "")
    if template is None or v.family in ("other", "rejection") or not (place or v.targets):
        # no template, or no place to put in it ("Ukraine attacked the place"): the claim's own words say more
        text = " ".join(v.claim.text.split())
        return f"“{text[:90]}{'…' if len(text) > 90 else ''}”"
    agent = v.frame.get("agent") or "an unnamed side"
    if agent.startswith(NOT):
        agent = f"the enemy of {agent[len(NOT) :]}"
    where = place or (v.targets[0]["name"] if v.targets else "the place")
    said = template.format(agent=agent, place=where)
    if v.quantities:
        said += f" ({', '.join(q['text'] for q in v.quantities)})"
    return f"not so that {said}" if v.negative else said


def _setting(subject: tuple[str, str] | None, when: str | None) -> str:
    where = {"same": "same place", "near": "nearby places"}.get(subject[0] if subject else "", "")
    time = {"overlap": "overlapping time", "unknown": "time unknown for one of them"}.get(when or "", "")
    return ", ".join(x for x in (where, time) if x)


# ---------------------------------------------------------------- the rules


_BESIDE = 120  # characters between the answered claim and another by its claimant that goes with it


def _beside(c: Claim, pick: Claim) -> bool:
    """Whether ``c`` is part of the same statement as ``pick``: its sentence, or right next to it when
    the sentences are not known."""
    if c.sentence_span is not None and pick.sentence_span is not None:
        return c.sentence_span == pick.sentence_span
    return max(pick.span[0] - c.span[1], c.span[0] - pick.span[1]) <= _BESIDE


def _referents(views: Sequence[_View], rules: Rules) -> dict[tuple[str, str], float]:
    """(rejecting, rejected) pairs inside one article: each rejection and the claim its frame says
    it answers (``frames._answers``: the accusation against the rejecter, else the nearest claim by
    the party it names or by another side), with that claimant's other claims in the same sentence."""
    out: dict[tuple[str, str], float] = {}
    by_id = {v.id: v for v in views}
    for d in views:
        answered = d.answers
        if d.stance not in ("denies", "doubts") or not answered or answered.get("own"):
            continue
        pick = by_id.get(str(answered.get("id")))
        if pick is None or pick.claim.document_id != d.claim.document_id:
            continue
        out[(d.id, pick.id)] = rules.dispute_scores[0]
        cue = (pick.claim.cue or "").lower()
        for c in views:
            # the rest of the same statement, cut into clauses under its cue ("said X and Y"), goes with it; a
            # claim under another cue is another statement ("accused Kyiv of shelling the plant, warning that
            # ..." : the warning is not what a denial of the shelling denies)
            if (
                c is not pick
                and c.claim.document_id == pick.claim.document_id
                and c.ckey is not None
                and c.ckey == pick.ckey
                and (c.claim.cue or "").lower() == cue
                and not c.rejects
                and c.claim.span[0] < d.claim.span[0]
                and _beside(c.claim, pick.claim)
            ):
                out[(d.id, c.id)] = round(rules.dispute_scores[0] * rules.companion_factor, 3)
    return out


def _same_event(family: str, status: str | None, c: _View, rules: Rules) -> bool:
    """Whether an event of ``family``/``status`` is the event ``c`` tells of (statuses equal,
    equivalent, or in one negation group)."""
    if family != c.family:
        return False
    if status == c.status:
        return True
    if rules.equivalent.get((status or "", c.status or "")) is not None:
        return True
    rank_a, rank_b = rules.negation_rank.get(status or ""), rules.negation_rank.get(c.status or "")
    return rank_a is not None and rank_b is not None and rank_a[0] == rank_b[0]


def _disputes_elsewhere(d: _View, c: _View, rules: Rules) -> bool:
    """A rejection by one side of what another side says about the same event, place and time.

    A rejection that names its event ("denied shelling the market") must name ``c``'s event; a pure
    rejection ("dismissed that idea") must answer, in its own article, a claim about ``c``'s event
    and place (or in nearly ``c``'s words). It cannot come before ``c`` was stated."""
    if not d.rejects or c.rejects or c.relays or c.background or c.stance not in _SAYING or not _sides_differ(d, c):
        return False
    if c.family not in rules.dispute_families:
        return False
    if d.stated is not None and c.stated is not None and d.stated < c.stated:
        return False
    own = d.family not in ("rejection", "other") and d.stance in ("denies", "doubts")
    if own:  # "denies targeting civilians" does not dispute a strike unless it says civilians were hit
        if _qualified(d, c, rules):
            return False
        return _same_event(d.family, d.status, c, rules) or _tells_of(c, d)
    answered = d.answers
    if not answered or answered.get("id") == c.id:
        return False
    stated = said_of(d, rules)
    if len(stated) >= 2 and not stated & said_of(c, rules):
        return False  # "Kiev's claims about the nature of the target" disputes no report of where the strike fell
    keys = {t["key"] for t in c.targets}
    if answered.get("own"):  # "we hold X. Their claims are lies": what the other side says about X's events
        return c.family == answered.get("family") and bool(keys & set(answered.get("targets") or ()))
    if c.partial and (rules.partial_re is None or not rules.partial_re.search(str(answered.get("text", "")))):
        return False  # a denial of "full control" of a city does not dispute "almost all" of it
    if _same_event(str(answered.get("family")), answered.get("status"), c, rules) and keys & set(
        answered.get("targets") or ()
    ):
        return True
    similarity = rules.scores.get("dispute_similarity", 60)
    return fuzz.token_sort_ratio(str(answered.get("text", "")).lower(), c.claim.text.lower()) >= similarity


def _tells_of(c: _View, denial: _View) -> bool:
    """Whether ``c`` tells, in its own words, of the act a denial names, though its event is another
    ("denied shelling the town" and "artillery shelled the town, killing two": the frame of the second is
    the deaths): the denial's trigger word, cut to five letters, is a word of ``c``."""
    trigger = str((denial.claim.frame or {}).get("trigger") or "").lower()
    if len(trigger) < 5 or " " in trigger:
        return False
    return re.search(rf"\b{re.escape(trigger[:5])}", c.claim.text.lower()) is not None


class _Found(NamedTuple):
    type: str
    first: _View
    second: _View
    score: float
    explanation: str


def _compare(
    a: _View, b: _View, refers: Mapping[tuple[str, str], float], rules: Rules, fallback: list[tuple[_View, _View]]
) -> _Found | None:
    """The one relation between two claims, strongest kind first; None when none holds."""
    for d, c in ((a, b), (b, a)):
        if (d.id, c.id) in refers:
            how = {
                "accusation": "the accusation against its side earlier in the same article",
            }.get(str((d.answers or {}).get("how")), "the claim it answers, earlier in the same article")
            verb = "doubts" if d.stance == "doubts" else "rejects"
            text = f"disputes: {_who(d)} {verb} what {_who(c)} says: {_what(c, rules)} ({how})"
            return _Found("disputes", d, c, refers[(d.id, c.id)], text)
    scores = rules.scores
    same_source = a.ckey is not None and a.ckey == b.ckey
    copied = a.root == b.root and a.claim.document_id != b.claim.document_id
    if (same_source or copied) and a.negative == b.negative and a.status == b.status:
        similarity = fuzz.token_sort_ratio(a.claim.text.lower(), b.claim.text.lower())
        if similarity >= scores.get("repeat_similarity", 85):
            where = "a near-duplicate article" if copied else "the same words"
            text = f"repeats: {_who(a)} and {_who(b)} say the same ({where}, {similarity:.0f}% alike): "
            score = scores.get("repeats", 0.9) * similarity / 100
            return _Found("repeats", a, b, round(score, 3), text + _what(a, rules))
    subject = _subject(a, b, rules)
    if subject is None:
        return None
    when = _time(a, b, rules)
    if when is None:
        return None
    factor = (scores.get("time_unknown", 0.8) if when == "unknown" else 1.0) * (
        scores.get("near_place", 0.85) if subject[0] == "near" else 1.0
    )
    setting = _setting(subject, when)
    place = subject[1]
    for d, c in ((a, b), (b, a)):
        if _disputes_elsewhere(d, c, rules):
            score = rules.dispute_scores[1] * factor
            verb = {"doubts": "doubts", "denies": "denies"}.get(d.stance, "calls false")
            text = f"disputes: {_who(d)} {verb} what {_who(c)} says: {_what(c, rules, place)} ({setting})"
            return _Found("disputes", d, c, round(score, 3), text)
    if a.stance not in (*_SAYING, "denies") or b.stance not in (*_SAYING, "denies"):
        return None
    if a.family in ("rejection", "other") or b.family in ("rejection", "other"):
        if a.family == b.family == "other" and a.ckey != b.ckey:
            fallback.append((a, b))
        return None
    if a.relays or b.relays:
        return None  # it passes on another claim of its article, which speaks for itself
    if a.irrealis or b.irrealis or a.background or b.background:
        return None  # what could, would or should happen, or a standing state, is no event to check
    agents = _agents(a, b)
    found = _contradiction(a, b, agents, rules, place) if when == "overlap" and _may_contradict(a, b, rules) else None
    if found:
        score, reason = found
        text = f"contradicts: {_who(a)} says {_what(a, rules, place)}; {_who(b)} says {_what(b, rules, place)}"
        return _Found("contradicts", a, b, round(score * factor, 3), f"{text}; {reason}, {setting}")
    if a.negative != b.negative:
        return None
    counted = a.family in rules.count_families and b.family in rules.count_families
    counts = _counts(a, b, rules) if counted else None
    if counts is not None and counts[0] != "agree":
        return None
    if not _equivalent(a, b, agents, rules) and not (counts and agents == "same" and not a.negative):
        return None  # the same side's numbers at one place may agree across event types
    if same_source and a.claim.document_id != b.claim.document_id:
        text = f"repeats: {_who(a)} and {_who(b)}: the same claimant says the same again: {_what(a, rules, place)}"
        return _Found("repeats", a, b, round(scores.get("repeats", 0.9) * 0.9 * factor, 3), f"{text}; {setting}")
    if same_source or not _independent(a, b, rules) or "asserts" not in (a.stance, b.stance):
        return None
    if _passed_on(a, rules) or _passed_on(b, rules):
        return None  # "Russia has accused Ukraine of attacking X": the outlet relays a claim, it is no source
    if a.inherited or b.inherited or not _one_event_time(a, b, rules):
        return None
    if a.family not in rules.corroborate_families:
        return None  # a visit or a plan is no fact for sources to back up
    if a.negative and b.negative:
        return None  # "no casualties" here and "no injuries" there are rarely one event
    if _subject(a, b, rules, first=True) is None:
        return None  # "a missile killed a man in X, and blasts were heard in Y" is about X
    if a.family == "ground_situation" and a.status != "contested" and agents != "same":
        return None  # who took, holds or left a place must be named on both sides
    if (
        a.family in rules.word_families
        and len(words_of(a, rules) & words_of(b, rules)) < rules.min_shared_words
        and not counts
    ):
        return None  # one place and day, but neither the words nor the numbers tell of one strike
    score = scores.get("corroborates", 0.6) + (scores.get("corroborates_quantity", 0.2) if counts else 0.0)
    text = f"corroborates: {_who(a)} says {_what(a, rules, place)}; {_who(b)}, an independent source, says "
    text += f"{_what(b, rules, place)}"
    if counts:
        text += f"; counts agree ({counts[1]})"
    return _Found("corroborates", a, b, round(score * factor, 3), f"{text}; {setting}")


def _may_contradict(a: _View, b: _View, rules: Rules) -> bool:
    """Two named claimants not on one side (or one claimant taking back what it said), about
    windows no longer than ``[time] max_contradict_days``: "since February" is no time to clash over."""
    longest = timedelta(days=rules.slack_days.get("max_contradict_days", 31))
    for v in (a, b):
        if v.start is None or v.end is None or v.end - v.start > longest:
            return False
    if a.ckey is None or b.ckey is None:
        return False  # an outlet's narrative against another's is not two parties' claims
    if a.ckey == b.ckey or _one_person(a, b, rules):
        return False  # one claimant twice is a correction or a misreading, not two parties' clash
    if a.side is None and b.side is None:
        return False  # two voices of no party (a local official, an agency): readers found no clash between such
    return not (a.side is not None and a.side == b.side)


def _one_event_time(a: _View, b: _View, rules: Rules) -> bool:
    """For corroboration: both windows are short (at most ``[time] max_event_days``) and they overlap
    within the family's slack: two attacks days apart are two attacks. A claim whose time could not be
    placed ("in the first days of the war") corroborates nothing. A claim from an undated article may back a
    dated one, but two undated claims have no time to share: readers found most such pairs to be two events
    (undated pieces about the same months of a war)."""
    if a.start is None or b.start is None or a.end is None or b.end is None:
        dated = (a.start is not None and a.end is not None) or (b.start is not None and b.end is not None)
        return dated and not (a.unplaced or b.unplaced)
    longest = timedelta(days=rules.slack_days.get("max_event_days", 7))
    return a.end - a.start <= longest and b.end - b.start <= longest and _time(a, b, rules) == "overlap"


def _contradiction(a: _View, b: _View, agents: str, rules: Rules, place: str | None = None) -> tuple[float, str] | None:
    scores = rules.scores
    if not a.negative and not b.negative and not (a.partial or b.partial) and _same_days(a, b, rules):
        rule = _rule(rules.contradicts, a, b)
        # "X captured it" against "Y captured it": both agents must be in the words, not guessed from the claimants
        named = rule is not None and (a.status != b.status or (a.agent_named and b.agent_named))
        if (
            rule
            and named
            and rule.agents in ("any", agents)
            and (rule.claimants != "other" or _sides_differ(a, b))
            and not _in_turn(a, b, rules)
        ):
            return rule.score, f"{a.status} and {b.status} cannot both hold"
    if a.family != b.family:
        return None
    if a.negative != b.negative and agents != "other":
        neg, pos = (a, b) if a.negative else (b, a)
        if neg.stance != "denies" and not negated_trigger(neg.claim, neg.status, rules):
            return None  # "no damage in the strike", "not on the list": the negation is not on the event itself
        shared = said_of(neg, rules) & said_of(pos, rules)
        if place and place.lower() in neg.claim.text.lower() and place.lower() in pos.claim.text.lower():
            shared.add(place.lower())
        if len(shared) < rules.min_denied_words:
            return None  # a denial names what it denies ("denies striking Kordal", "denied the marines surrendered")
        rank_n = rules.negation_rank.get(neg.status or "")
        rank_p = rules.negation_rank.get(pos.status or "")
        # denying the weakest step ("no advance", "no success") denies every stronger one; otherwise the same status
        implied = neg.status == pos.status or (
            rank_n is not None and rank_p is not None and rank_n[0] == rank_p[0] and rank_n[1] == 0 <= rank_p[1]
        )
        if implied and not _qualified(
            neg, pos, rules
        ):  # "denies targeting civilians" leaves the strike itself undenied
            return scores.get("negation", 0.8), "one says it happened, the other that it did not"
    if a.family in rules.count_families and a.negative == b.negative and agents != "other" and a.status == b.status:
        counts = _counts(a, b, rules)
        if counts and counts[0] == "conflict":
            return scores.get("quantity", 0.75), f"the counts cannot both be true ({counts[1]})"
    return None


def _in_turn(a: _View, b: _View, rules: Rules) -> bool:
    """Whether two statuses follow each other rather than clash: "still holding" on Saturday, "captured" on
    Sunday (``[time] successions``)."""
    for first, then in ((a, b), (b, a)):
        if (first.status, then.status) in rules.successions and first.end is not None and then.start is not None:
            if first.end < then.start:
                return True
    return False


def _same_days(a: _View, b: _View, rules: Rules) -> bool:
    """For a clash of statuses (captured against holding): both claims dated to windows of at most
    ``[time] max_status_clash_days`` that overlap with no slack. A week apart, a town can change hands."""
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return False
    longest = timedelta(days=rules.slack_days.get("max_status_clash_days", 2))
    if a.end - a.start > longest or b.end - b.start > longest:
        return False
    slack = timedelta(days=rules.slack_days.get("status_clash_slack_days", 2))
    return a.start - slack <= b.end and b.start - slack <= a.end


def _qualified(denial: _View, claim: _View, rules: Rules) -> bool:
    """Whether the denial qualifies the act with words the claim lacks ("denies targeting civilians")."""
    if rules.qualifier_re is None:
        return False
    said = {m.group(0).lower() for m in rules.qualifier_re.finditer(denial.claim.text)}
    return bool(said - {m.group(0).lower() for m in rules.qualifier_re.finditer(claim.claim.text)})


def _stance_relations(pairs: list[tuple[_View, _View]], model: StanceModel, rules: Rules) -> list[_Found]:
    """The trained stance model on pairs that frames cannot judge (event type other)."""
    if not pairs:
        return []
    threshold = rules.scores.get("stance_threshold", 0.8)
    out = []
    predicted = model.predict([(a.claim.text, b.claim.text) for a, b in pairs])
    for (a, b), (label, prob) in zip(pairs, predicted, strict=True):
        if prob < threshold:
            continue
        if label == "for" and _independent(a, b, rules):
            kind = "corroborates"
        elif label == "against":
            kind = "contradicts"
        else:
            continue
        text = f"{kind}: {_who(a)} says {_what(a, rules)}; {_who(b)} says {_what(b, rules)}; "
        text += f"the stance model reads them as {label} ({prob:.2f})"
        out.append(_Found(kind, a, b, round(prob * 0.8, 3), text))
    return out


def relate(
    new: Sequence[Claim],
    candidates: Sequence[Claim],
    *,
    documents: Mapping[str, DocLike],
    stance: StanceModel | None = None,
    rules: Rules | None = None,
) -> list[Relation]:
    """Relations between the new claims and the candidates, and among the new claims.

    Only pairs where one claim's ``frame["probes"]`` meets the other's ``frame["blocks"]`` are
    compared; frames missing or out of date are built here (without changing the claims).
    ``stance``: a trained model used, behind a threshold, on pairs whose event type is ``other``.
    """
    rules = rules or load_rules()
    new_ids = {c.id for c in new}
    old = [c for c in candidates if c.id not in new_ids]
    new_views = [_View(c, f, documents, rules) for c, f in zip(new, _framed(new, rules), strict=True)]
    for v in new_views:  # frames built one by one do not know their article
        v.relays = v.relays or bool(relayed(v.claim, new))
    old_views = [_View(c, f, documents, rules) for c, f in zip(old, _framed(old, rules), strict=True)]
    index: dict[str, list[_View]] = {}
    for v in (*old_views, *new_views):
        for key in v.blocks:
            index.setdefault(key, []).append(v)
    new_docs = {v.claim.document_id for v in new_views}
    refers = _referents([*new_views, *(v for v in old_views if v.claim.document_id in new_docs)], rules)
    position = {v.id: i for i, v in enumerate(new_views)}
    found: list[_Found] = []
    fallback: list[tuple[_View, _View]] = []
    for i, n in enumerate(new_views):
        seen: set[str] = {n.id}
        for key in n.probes:
            for o in index.get(key, ()):
                if o.id in seen or position.get(o.id, len(new_views)) < i:
                    continue  # each pair of new claims once
                seen.add(o.id)
                hit = _compare(n, o, refers, rules, fallback)
                if hit:
                    found.append(hit)
    if stance is not None:
        found += _stance_relations(fallback, stance, rules)
    out: dict[str, Relation] = {}
    for f in found:
        rel = Relation(type=f.type, claims=(f.first.id, f.second.id), explanation=f.explanation, score=f.score)
        out.setdefault(rel.id, rel)
    return list(out.values())


# ---------------------------------------------------------------- standing


def _source(claim: Claim | None, claim_id: str, documents: Mapping[str, DocLike]) -> str:
    """Who stands behind a claim: its claimant, else the outlet that printed it."""
    if claim is None:
        return f"claim:{claim_id}"
    if claim.claimant is not None:
        return claim.claimant.id or f"name:{normalise(claim.claimant.name)}"
    doc = documents.get(claim.document_id)
    outlet = _outlet_key(doc.outlet if doc else None)
    return f"outlet:{outlet}" if outlet else f"doc:{claim.document_id}"


def standings(
    claims: Sequence[Claim], relations: Sequence[Relation], *, documents: Mapping[str, DocLike] | None = None
) -> dict[str, Standing]:
    """Each claim's standing: disputed (explicitly rejected), else contested (contradicted), else
    corroborated (by more than one independent source), else asserted; with its source count."""
    documents = documents or {}
    by_id = {c.id: c for c in claims}
    disputed: set[str] = set()
    contested: set[str] = set()
    support: dict[str, set[str]] = {}
    for r in relations:
        a, b = r.claims
        if r.type == "disputes":
            disputed.add(b)
        elif r.type == "contradicts":
            contested.update((a, b))
        elif r.type == "corroborates":
            support.setdefault(a, set()).add(_source(by_id.get(b), b, documents))
            support.setdefault(b, set()).add(_source(by_id.get(a), a, documents))
    out: dict[str, Standing] = {}
    for c in claims:
        sources = 1 + len(support.get(c.id, set()) - {_source(c, c.id, documents)})
        if c.id in disputed:
            status = "disputed"
        elif c.id in contested:
            status = "contested"
        elif sources > 1:
            status = "corroborated"
        else:
            status = "asserted"
        out[c.id] = Standing(status, sources)
    return out


def statuses(
    claims: Sequence[Claim], relations: Sequence[Relation], *, documents: Mapping[str, DocLike] | None = None
) -> dict[str, str]:
    """Each claim's status (see ``standings`` for the number of sources too)."""
    return {cid: s.status for cid, s in standings(claims, relations, documents=documents).items()}


def claim_status(
    claim: Claim, relations: Sequence[Relation], *, documents: Mapping[str, DocLike] | None = None
) -> Standing:
    """One claim's standing, from the relations it is part of."""
    return standings([claim], relations, documents=documents)[claim.id]


class BlockIndex:
    """An in-memory index of framed claims by block key: what a storage layer does, for tests,
    benchmarks and one-off runs. ``candidates`` gives the claims a batch of new ones must meet."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[Claim]] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, claims: Sequence[Claim]) -> None:
        for c in claims:
            if not c.frame or "blocks" not in c.frame:
                raise InputError(f"claim {c.id}", "has no frame", "set claim.frame = build_frame(claim) first")
            for key in c.frame["blocks"]:
                self._by_key.setdefault(key, []).append(c)
            self._count += 1

    def candidates(self, claims: Sequence[Claim]) -> list[Claim]:
        ids = {c.id for c in claims}
        out: dict[str, Claim] = {}
        for c in claims:
            frame = c.frame if c.frame and "probes" in c.frame else build_frame(c)
            for key in frame["probes"]:
                for o in self._by_key.get(key, ()):
                    if o.id not in ids:
                        out.setdefault(o.id, o)
        return list(out.values())
