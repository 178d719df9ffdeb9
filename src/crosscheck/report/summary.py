"""Headline sentences built from the ledger by templates (no text generation): the contested subjects of
the period, what each side claims, the numbers each side gives for the same subject, which claims are
corroborated by how many independent sources and which are disputed, with counts.

A ``Statement`` is a list of parts: plain text, and references to the claims (or report sections) it
rests on, so every sentence of the briefing can link to its evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from crosscheck.conflicts import Conflict
from crosscheck.records import Claim, Quantity
from crosscheck.report.charts import UNALIGNED
from crosscheck.report.gather import ClaimRow, NumberGroup, ReportData, Scope, side_of

QUOTE_CHARS = 160
SIDE_CLAIMS = 2  # claims quoted per side of a contested subject
HEADLINE_CONFLICTS = 3

# The sentence templates. Counts are filled in with ``plural``.
T_OVERVIEW = "The ledger holds {claims}{scope}, from {documents} in {outlets}{period}."
T_SIDES = "{attributed} of them are attributed to a named claimant; by side: {sides}."
T_NO_CLAIMS = "The ledger holds no claim{scope}."
T_CONTESTED = "{count} contested {scope}; the most contested: "
T_NOT_CONTESTED = "No subject is contested {scope}: no two claims contradict or dispute each other."
T_CONFLICT = "On {subject}, "
T_SIDE_SAYS = "{who} says “{text}”"
T_NUMBERS = "On {subject}, "
T_NUMBER = "{who} says “{text}” ({interval})"
T_OVERLAP = "these ranges overlap ({common} is common to all)."
T_APART = "these ranges do not all overlap: they cannot all be right."
T_CORROBORATED = (
    "{n} backed by at least one independent source ({standing}). Best supported: “{text}”, said by {who}, from {k}: "
)
T_NOT_CORROBORATED = "No claim{scope} is corroborated by an independent source."
T_DISPUTED = "{disputed} disputed (rejected by another claimant) and {contested} contested (contradicted)."
T_CHALLENGED = "Most challenged: “{text}”, said by {who}: {against}."
T_NOT_DISPUTED = "No claim{scope} is disputed or contradicted."
T_VOICES = "Most cited claimants: {claimants}. Outlets carrying most claims: {outlets}."


@dataclass(frozen=True)
class Ref:
    """A link to the claim a statement rests on."""

    claim_id: str


@dataclass(frozen=True)
class Link:
    """A link to a section of the report (``anchor``) with its text."""

    anchor: str
    text: str


Part = str | Ref | Link


@dataclass
class Statement:
    id: str
    section: str  # overview, contested, conflict, numbers, corroborated, disputed, voices
    parts: list[Part] = field(default_factory=list)

    @property
    def claims(self) -> list[str]:
        return list(dict.fromkeys(p.claim_id for p in self.parts if isinstance(p, Ref)))

    @property
    def text(self) -> str:
        """The sentence as plain text, references left out."""
        return "".join(p if isinstance(p, str) else p.text if isinstance(p, Link) else "" for p in self.parts).strip()


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else words or word + 's'}"


def quote(text: str, n: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split()).strip(" \"“”'‘’")
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def number(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else f"{x:,.2g}"


def interval(q: Quantity) -> str:
    low = q.low if q.low is not None else q.value
    high = q.high if q.high is not None else (q.value if q.low is None else None)
    if low is not None and high is not None:
        return number(low) if low == high else f"{number(low)}–{number(high)}"
    return f"at least {number(low)}" if low is not None else f"at most {number(high)}"


def bounds(q: Quantity) -> tuple[float, float]:
    low = q.low if q.low is not None else q.value
    high = q.high if q.high is not None else (q.value if q.low is None else None)
    return (low if low is not None else float("-inf"), high if high is not None else float("inf"))


def who(data: ReportData, claim_id: str, claim: Claim | None = None) -> str:
    """'Claimant (side)', the claimant alone when unaligned, or the outlet itself for an unattributed claim."""
    row: ClaimRow | None = data.row(claim_id)
    if row is not None:
        name, side = row.claimant, row.side
    elif claim is not None:
        name, side = (claim.claimant.name if claim.claimant else None), side_of(claim)
    else:
        return "an unknown source"
    if name:
        return name if side == UNALIGNED else f"{name} ({side})"
    outlet = data.outlet(claim_id)
    return f"{outlet} itself" if outlet else "the article itself"


class _Builder:
    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.out: list[Statement] = []
        scoped = data.scope != Scope()
        self.scope = f"among the claims {data.scope.describe()}" if scoped else "in the ledger"
        self.scope_part = f" {data.scope.describe()}" if scoped else ""
        self.known: dict[str, Claim] = {}
        for conflict in data.conflicts:
            for cs in conflict.sides.values():
                self.known.update({c.id: c for c in cs})
        for entries in data.timelines.values():
            self.known.update({e.claim.id: e.claim for e in entries})
        self.degree: Counter[str] = Counter(cid for r in data.relations for cid in r.claims)

    def add(self, section: str, parts: Sequence[Part]) -> Statement:
        """A new statement; one that cites no claim links to the list of claims instead."""
        items = list(parts)
        if not any(isinstance(p, Ref | Link) for p in items):
            items += [" ", Link("claims", "See the claims.")]
        st = Statement(id=f"s{len(self.out) + 1}", section=section, parts=items)
        self.out.append(st)
        return st

    def text_of(self, claim_id: str) -> str:
        claim = self.data.claims.get(claim_id) or self.known.get(claim_id)
        return quote(claim.text) if claim else claim_id

    # -- sections -----------------------------------------------------------------------------

    def overview(self) -> None:
        d = self.data
        if not d.rows:
            self.add("overview", [T_NO_CLAIMS.format(scope=self.scope_part)])
            return
        first, last = d.period()
        period = (
            f", dated {first} to {last}" if first and last and first != last else f", dated {first}" if first else ""
        )
        docs = {r.document_id for r in d.rows.values()}
        self.add(
            "overview",
            [
                T_OVERVIEW.format(
                    claims=plural(len(d.rows), "claim"),
                    scope=self.scope_part,
                    documents=plural(len(docs), "article"),
                    outlets=plural(len(d.outlets()), "outlet"),
                    period=period,
                ),
                " ",
                Link("claims", "All listed claims"),
                ".",
            ],
        )
        sides = d.by_side()
        attributed = sum(1 for r in d.rows.values() if r.claimant)
        named = ", ".join(f"{s} {n:,}" for s, n in sides.most_common() if s != UNALIGNED)
        if sides.get(UNALIGNED):
            named = f"{named}, no side {sides[UNALIGNED]:,}" if named else f"no side {sides[UNALIGNED]:,}"
        parts: list[Part] = [T_SIDES.format(attributed=f"{attributed:,}", sides=named), " "]
        for side, _n in sides.most_common():
            if side != UNALIGNED:
                example = self.example(side=side)
                if example:
                    parts.append(Ref(example))
        self.add("overview", parts)

    def example(self, *, side: str | None = None, claimant: str | None = None) -> str | None:
        """The best-linked claim in scope of ``side`` or by ``claimant`` (most relations, then earliest)."""
        best = [
            r
            for r in self.data.rows.values()
            if (side is None or r.side == side) and (claimant is None or r.claimant == claimant)
        ]
        best.sort(key=lambda r: (-self.degree[r.id], self.data.date_of(r) or "9999", r.id))
        return best[0].id if best else None

    def contested(self) -> None:
        conflicts = self.data.conflicts
        if not conflicts:
            self.add("contested", [T_NOT_CONTESTED.format(scope=self.scope)])
            return
        count = plural(len(conflicts), "subject is", "subjects are")
        parts: list[Part] = [T_CONTESTED.format(count=count, scope=self.scope)]
        for i, c in enumerate(conflicts[:5]):
            if i:
                parts.append("; ")
            parts.append(Link(f"conflict-{anchor(c.id)}", c.subject))
            parts.append(f" ({conflict_counts(c)})")
        parts.append(".")
        self.add("contested", parts)
        for c in conflicts[:HEADLINE_CONFLICTS]:
            self.conflict(c)

    def conflict(self, c: Conflict) -> None:
        """What each side claims about one contested subject."""
        parts: list[Part] = [T_CONFLICT.format(subject=c.subject)]
        sides = sorted(c.sides.items(), key=lambda kv: (kv[0] == UNALIGNED, -len(kv[1]), kv[0]))
        if sum(side != UNALIGNED for side, _ in sides) >= 2:
            sides = [(side, cs) for side, cs in sides if side != UNALIGNED]
        degree = Counter(cid for r in c.relations for cid in r.claims)
        for i, (side, claims) in enumerate(sides):
            if i:
                parts.append("; " if i < len(sides) - 1 else "; while ")
            label = "claims with no side" if side == UNALIGNED else side
            parts.append(f"{label} ({plural(len(claims), 'claim')}): ")
            top = sorted(claims, key=lambda cl: (-degree[cl.id], cl.span[0]))[:SIDE_CLAIMS]
            for j, cl in enumerate(top):
                if j:
                    parts.append(", and ")
                parts.append(T_SIDE_SAYS.format(who=who(self.data, cl.id, cl), text=quote(cl.text)))
                parts.append(" ")
                parts.append(Ref(cl.id))
        parts.append(".")
        self.add("conflict", parts)

    def numbers(self) -> None:
        for g in self.data.numbers:
            self.number_group(g)

    def number_group(self, g: NumberGroup) -> None:
        parts: list[Part] = [T_NUMBERS.format(subject=g.subject)]
        for i, (cid, q) in enumerate(g.entries):
            if i:
                parts.append("; ")
            parts.append(T_NUMBER.format(who=who(self.data, cid), text=quote(q.text, 60), interval=interval(q)))
            parts.append(" ")
            parts.append(Ref(cid))
        lows, highs = zip(*(bounds(q) for _, q in g.entries), strict=True)
        low, high = max(lows), min(highs)
        parts.append(" — ")
        if low <= high:
            lo = number(low) if low > float("-inf") else "0"
            hi = number(high) if high < float("inf") else "more"
            parts.append(T_OVERLAP.format(common=lo if lo == hi else f"{lo}–{hi}"))
        else:
            parts.append(T_APART)
        self.add("numbers", parts)

    def corroborated(self) -> None:
        d = self.data
        supported = [(s.sources, cid) for cid, s in d.standing.items() if s.sources > 1]
        if not supported:
            self.add("corroborated", [T_NOT_CORROBORATED.format(scope=self.scope_part)])
            return
        supported.sort(
            key=lambda x: (-x[0], d.rows[x[1]].status != "corroborated", d.date_of(d.rows[x[1]]) or "9999", x[1])
        )
        k, best = supported[0]
        standing = sum(d.rows[cid].status == "corroborated" for _, cid in supported)
        if standing == len(supported):
            standing_text = "all stand corroborated"
        else:
            standing_text = f"{standing:,} of them stand corroborated; the others are also contradicted or disputed"
        parts: list[Part] = [
            T_CORROBORATED.format(
                n=plural(len(supported), "claim is", "claims are"),
                standing=standing_text,
                text=self.text_of(best),
                who=who(d, best),
                k=plural(k, "independent source"),
            ),
            Ref(best),
        ]
        for other in d.standing[best].corroborated_by[:6]:
            parts += [" ", Ref(other)]
        parts.append(".")
        self.add("corroborated", parts)
        for k2, cid in supported[1:3]:
            parts = [
                f"Also corroborated ({plural(k2, 'source')}): “{self.text_of(cid)}”, said by {who(d, cid)} ",
                Ref(cid),
            ]
            for other in d.standing[cid].corroborated_by[:3]:
                parts += [" ", Ref(other)]
            parts.append(".")
            self.add("corroborated", parts)

    def disputed(self) -> None:
        d = self.data
        disputed = [cid for cid, s in d.standing.items() if s.disputed_by]
        contested = [cid for cid, s in d.standing.items() if s.contradicted_by and not s.disputed_by]
        if not disputed and not contested:
            self.add("disputed", [T_NOT_DISPUTED.format(scope=self.scope_part)])
            return
        parts: list[Part] = [
            T_DISPUTED.format(
                disputed=plural(len(disputed), "claim is", "claims are"), contested=f"{len(contested):,} more"
            )
        ]
        for cid in [*disputed[:4], *contested[:4]]:
            parts += [" ", Ref(cid)]
        self.add("disputed", parts)
        ranked = sorted(
            disputed + contested,
            key=lambda cid: (-(len(d.standing[cid].disputed_by) * 2 + len(d.standing[cid].contradicted_by)), cid),
        )
        for cid in ranked[:3]:
            s = d.standing[cid]
            against = []
            if s.disputed_by:
                against.append(f"disputed by {plural(len(set(s.disputed_by)), 'claim')}")
            if s.contradicted_by:
                against.append(f"contradicted by {plural(len(set(s.contradicted_by)), 'claim')}")
            parts = [
                T_CHALLENGED.format(
                    text=self.text_of(cid), who=who(d, cid), against=" and ".join(against)
                ).removesuffix("."),
                " ",
                Ref(cid),
                " ←",
            ]
            for other in list(dict.fromkeys([*s.disputed_by, *s.contradicted_by]))[:5]:
                parts += [" ", Ref(other)]
            parts.append(".")
            self.add("disputed", parts)

    def voices(self) -> None:
        d = self.data
        claimants = d.claimants().most_common(5)
        outlets = d.outlets().most_common(5)
        if not claimants and not outlets:
            return
        text = T_VOICES.format(
            claimants=", ".join(f"{n} ({c:,})" for n, c in claimants) or "none",
            outlets=", ".join(f"{n} ({c:,})" for n, c in outlets) or "none named",
        )
        parts: list[Part] = [text, " "]
        for name, _c in claimants[:3]:
            example = self.example(claimant=name)
            if example:
                parts += [Ref(example), " "]
        parts.append(Link("sources", "Chart of sources"))
        parts.append(".")
        self.add("voices", parts)


def anchor(key: str) -> str:
    """An HTML id made of safe characters from a record key."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in key)


def conflict_counts(c: Conflict) -> str:
    """'9 contradictions, 6 disputes; sides: A, B and claims with no side'."""
    n_c = sum(r.type == "contradicts" for r in c.relations)
    n_d = sum(r.type == "disputes" for r in c.relations)
    counts = [plural(n, word) for n, word in ((n_c, "contradiction"), (n_d, "dispute")) if n]
    named = sorted((s for s in c.sides if s != UNALIGNED), key=lambda s: (-len(c.sides[s]), s))
    sides = ", ".join(named) or "none named"
    if UNALIGNED in c.sides:
        sides += " and claims with no side" if named else " (claims with no side)"
    return f"{', '.join(counts) or 'no relation'}; sides: {sides}"


def summarise(data: ReportData) -> list[Statement]:
    """The briefing's statements, in reading order: overview, contested subjects and what each side
    claims, numbers compared, corroborated claims, disputed claims, the most cited voices."""
    b = _Builder(data)
    b.overview()
    if data.rows:
        b.contested()
        b.numbers()
        b.corroborated()
        b.disputed()
        b.voices()
    return b.out
