"""Plain-text renderings of ledger records for the terminal (used by the CLI)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from crosscheck.records import Claim

if TYPE_CHECKING:
    from crosscheck.conflicts import Conflict
    from crosscheck.timeline import TimelineEntry


def _cut(s: str | None, n: int) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def claims_table(claims: Sequence[Claim], *, width: int = 120) -> str:
    """One block per claim: claimant (side) via ..., mode, cue, date, places; then the claim text wrapped."""
    if not claims:
        return "no claims match"
    lines = []
    for c in claims:
        who = c.claimant.name if c.claimant else "(outlet's own assertion)"
        if c.claimant and c.claimant.side:
            who += f" [{c.claimant.side}]"
        via = " -> ".join(v.name for v in c.via)
        head = f"{c.id}  {who}"
        if via:
            head += f"  via {via}"
        meta = [c.mode]
        if c.cue:
            meta.append(f"cue '{c.cue}'")
        if c.event_type:
            meta.append(
                c.event_type + ("/" + str((c.frame or {}).get("status")) if (c.frame or {}).get("status") else "")
            )
        if c.stated_at:
            meta.append(f"stated {c.stated_at}")
        if c.event_time and (c.event_time.start or c.event_time.end):
            meta.append(f"event {c.event_time.start}..{c.event_time.end}")
        if c.places:
            meta.append("places " + ", ".join(p.name for p in c.places[:4]))
        if c.quantities:
            meta.append("numbers " + ", ".join(q.text for q in c.quantities[:3]))
        if c.status:
            meta.append(f"status {c.status}")
        lines.append(_cut(head, width))
        lines.append(textwrap.fill("; ".join(meta), width=width, initial_indent="  ", subsequent_indent="  "))
        lines.append(
            textwrap.fill(f'"{_cut(c.text, 600)}"', width=width, initial_indent="    ", subsequent_indent="    ")
        )
    return "\n".join(lines)


def _rows(val: Any) -> list[tuple[str, int]]:
    """(label, count) pairs from a mapping or from a list of records with a count field."""
    if isinstance(val, Mapping):
        return [(str(k) if k is not None else "(none)", int(v)) for k, v in val.items()]
    rows = []
    for item in val:
        if isinstance(item, Mapping):
            count = next((v for k, v in item.items() if k in {"claims", "count", "n", "documents"}), 0)
            label = item.get("name") or item.get("outlet") or item.get("id") or "?"
            rows.append((str(label), int(count)))
        else:
            label, count = item
            rows.append((str(label), int(count)))
    return rows


def summary_text(stats: Mapping[str, Any]) -> str:
    """The ledger summary that ``make demo`` prints."""
    out = [
        f"documents: {stats.get('documents', 0)}   claims: {stats.get('claims', 0)}   "
        f"relations: {stats.get('relations', 0)}"
    ]
    for key, title in (
        ("claims_by_side", "claims by side"),
        ("top_claimants", "top claimants"),
        ("top_places", "top places"),
        ("top_outlets", "top outlets"),
        ("relations_by_type", "relations by type"),
    ):
        val = stats.get(key)
        if not val:
            continue
        out.append(f"{title}:")
        for name, n in _rows(val)[:10]:
            out.append(f"  {n:6}  {name}")
    return "\n".join(out)


def _who(c: Claim) -> str:
    if c.claimant is None:
        return "(outlet)"
    via = "".join(f" via {v.name}" for v in c.via)
    return f"{c.claimant.name}{via}"


def conflicts_text(conflicts: Sequence[Conflict], *, width: int = 120) -> str:
    """Each contested subject with every side's claims in its own block, then why they collide."""
    if not conflicts:
        return "no contested subjects found"
    out = []
    for k in conflicts:
        out.append("=" * min(width, 100))
        period = f"{k.first} .. {k.last}" if k.first else "undated"
        out.append(f"{k.subject}   [{period}]   outlets: {', '.join(k.outlets) or '-'}   score {k.score:.2f}")
        if k.topic:
            out.append(textwrap.fill("on: " + k.topic, width=width, initial_indent="  ", subsequent_indent="      "))
        for side, claims in sorted(k.sides.items()):
            out.append(f"  -- {side} ({len(claims)})")
            for c in claims[:8]:
                date = c.stated_at or "?"
                out.append(
                    textwrap.fill(
                        f"{date}  {_who(c)}: {_cut(c.text, 240)}",
                        width=width,
                        initial_indent="     ",
                        subsequent_indent="        ",
                    )
                )
        out.append(textwrap.fill("why: " + k.explanation, width=width, initial_indent="  ", subsequent_indent="     "))
    return "\n".join(out)


def timeline_text(entries: Sequence[TimelineEntry], *, width: int = 120) -> str:
    if not entries:
        return "no claims about that subject"
    out = []
    for e in entries:
        when = e.event_start or "?"
        if e.event_end and e.event_end != e.event_start:
            when += f"..{e.event_end}"
        head = f"{when:23} stated {e.stated_at or '?':10}  {e.side or '-':10} {e.outlet or '-':18}"
        out.append(_cut(head + " " + _who(e.claim) + ": " + e.claim.text, width))
    return "\n".join(out)
