"""Timeline: what each side and outlet claimed about a place or actor, in order of event and statement time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crosscheck.conflicts import side_of
from crosscheck.records import Claim
from crosscheck.storage import ClaimFilter, Store


@dataclass
class TimelineEntry:
    claim: Claim
    side: str | None
    outlet: str | None
    event_start: str | None
    event_end: str | None
    stated_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim": self.claim.to_dict(),
            "side": self.side,
            "outlet": self.outlet,
            "event_start": self.event_start,
            "event_end": self.event_end,
            "stated_at": self.stated_at,
        }


def build_timeline(
    store: Store, subject: str, *, since: str | None = None, until: str | None = None, limit: int = 500
) -> list[TimelineEntry]:
    """Claims about ``subject`` (a place name or an actor name/id), by event time, then statement time."""
    seen: dict[str, Claim] = {}
    for f in (
        ClaimFilter(place=subject, since=since, until=until),
        ClaimFilter(claimant=subject, since=since, until=until),
    ):
        for c in store.iter_claims(f):
            seen.setdefault(c.id, c)
    docs = store.documents_info({c.document_id for c in seen.values()})
    entries = []
    for c in seen.values():
        start = c.event_time.start if c.event_time else None
        end = c.event_time.end if c.event_time else None
        info = docs.get(c.document_id)
        entries.append(
            TimelineEntry(
                claim=c,
                side=side_of(c),
                outlet=info.outlet if info else None,
                event_start=start,
                event_end=end,
                stated_at=c.stated_at,
            )
        )
    entries.sort(key=lambda e: (e.event_start or e.stated_at or "9999", e.stated_at or "9999", e.claim.span[0]))
    return entries[:limit]
