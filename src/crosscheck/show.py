"""Plain-text renderings of ledger records for the terminal (used by the CLI)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from crosscheck.records import Claim


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
            meta.append(c.event_type + ("/" + str((c.frame or {}).get("status")) if (c.frame or {}).get("status") else ""))
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
        lines.append(textwrap.fill(f'"{_cut(c.text, 600)}"', width=width, initial_indent="    ",
                                   subsequent_indent="    "))
    return "\n".join(lines)


def summary_text(stats: Mapping[str, Any]) -> str:
    """The ledger summary that ``make demo`` prints."""
    out = [
        f"documents: {stats.get('documents', 0)}   claims: {stats.get('claims', 0)}   "
        f"relations: {stats.get('relations', 0)}"
    ]
    for key, title in (("claims_by_side", "claims by side"), ("top_claimants", "top claimants"),
                       ("top_places", "top places"), ("top_outlets", "top outlets"),
                       ("relations_by_type", "relations by type")):
        val = stats.get(key)
        if not val:
            continue
        out.append(f"{title}:")
        items = val.items() if isinstance(val, Mapping) else val
        for name, n in list(items)[:10]:
            out.append(f"  {n:6}  {name if name is not None else '(none)'}")
    return "\n".join(out)
