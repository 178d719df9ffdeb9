"""Charts for the briefing, drawn with matplotlib's object API (Agg, no pyplot state), returned as PNG bytes.

- claims over time, by side and by standing;
- the numbers each side claims for one subject, as intervals on one axis (low..high, with the value);
- the outlets and claimants most cited.

Colours follow the sides in order of how many claims each has, so no side is named in code.
"""

from __future__ import annotations

import io
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

UNALIGNED = "unaligned"  # as crosscheck.conflicts names claims with no side

# Standings a claim can have in the ledger, from best supported to most challenged.
STATUS_MARKERS = {"corroborated": "^", "asserted": "o", "contested": "D", "disputed": "X"}
STATUS_COLOURS = {"corroborated": "#2e7d32", "asserted": "#90a4ae", "contested": "#ef6c00", "disputed": "#c62828"}
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
GREY = "#9e9e9e"


def status_label(status: str | None) -> str:
    """The standing shown for a claim; a claim no relation touches stands asserted."""
    return status if status in STATUS_MARKERS else "asserted"


class SideColours:
    """A stable colour per side: the busiest side first in the palette, claims with no side grey."""

    def __init__(self, counts: Counter[str]) -> None:
        named = sorted((s for s in counts if s != UNALIGNED), key=lambda s: (-counts[s], s))
        self._order = {s: i for i, s in enumerate(named)}
        self._order[UNALIGNED] = len(named)

    def colour(self, side: str | None) -> str:
        name = side or UNALIGNED
        if name == UNALIGNED:
            return GREY
        i = self._order.get(name)
        if i is None:  # a side the counts did not see: a stable pick from its name
            i = zlib.crc32(name.encode("utf-8"))
        return PALETTE[i % len(PALETTE)]

    def order(self, side: str | None) -> tuple[int, str]:
        return self._order.get(side or UNALIGNED, len(self._order)), side or UNALIGNED

    @property
    def sides(self) -> list[str]:
        return sorted(self._order, key=self.order)


@dataclass(frozen=True)
class NumberPoint:
    """One claimed number for a subject: its interval (``high`` None: open above) and who said it."""

    label: str
    side: str
    low: float
    high: float | None
    value: float | None
    status: str


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _bucket(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def time_unit(days: Iterable[date]) -> str:
    """day, week or month: whichever keeps the chart to a readable number of bars."""
    ds = list(days)
    if not ds:
        return "day"
    span = (max(ds) - min(ds)).days
    return "day" if span <= 45 else "week" if span <= 400 else "month"


def claims_over_time(rows: Iterable[tuple[date, str, str]], *, colours: SideColours, dpi: int = 110) -> bytes:
    """Stacked bars of claims per period, by side (top) and by standing (bottom).

    ``rows`` are (date, side, standing), one per dated claim.
    """
    items = list(rows)
    fig = Figure(figsize=(8.0, 5.0), dpi=dpi)
    top, bottom = fig.subplots(2, 1, sharex=True)
    if not items:
        top.text(0.5, 0.5, "no dated claims", ha="center", va="center", transform=top.transAxes)
        return _png(fig)
    unit = time_unit(d for d, _, _ in items)
    width = {"day": 0.8, "week": 5.6, "month": 24.0}[unit]
    for ax, key, keys, colour_of, title in (
        (top, 1, colours.sides, colours.colour, f"Claims per {unit}, by side"),
        (bottom, 2, list(STATUS_MARKERS), lambda s: STATUS_COLOURS.get(s, GREY), f"Claims per {unit}, by standing"),
    ):
        counts: Counter[tuple[date, str]] = Counter((_bucket(r[0], unit), str(r[key])) for r in items)
        periods = sorted({p for p, _ in counts})
        base = [0] * len(periods)
        for k in keys:
            heights = [counts.get((p, k), 0) for p in periods]
            if not any(heights):
                continue
            ax.bar(periods, heights, width=width, bottom=base, color=colour_of(k), label=k, align="edge")
            base = [b + h for b, h in zip(base, heights, strict=True)]
        ax.set_title(title, fontsize=10, loc="left")
        ax.legend(fontsize=7, loc="upper left", ncols=3, framealpha=0.8)
        ax.tick_params(labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_ylim(0, max(base) * 1.35 + 1)
    fig.autofmt_xdate()
    return _png(fig)


def number_intervals(
    subject: str, points: Sequence[NumberPoint], *, colours: SideColours, unit: str | None = None, dpi: int = 110
) -> bytes:
    """The numbers each claim gives for one subject, as intervals on one axis (log scale when they span
    more than a factor of 20); a dot marks a stated value, an arrow an interval open above."""
    fig = Figure(figsize=(8.0, 0.9 + 0.45 * max(1, len(points))), dpi=dpi)
    ax = fig.add_subplot()
    lows = [p.low for p in points]
    highs = [p.high if p.high is not None else p.low * 2 for p in points]
    lo, hi = min(lows, default=1.0), max(highs, default=10.0)
    log = lo > 0 and hi / lo > 20
    if log:
        ax.set_xscale("log")
    right = hi * 1.6 if log else hi + 0.15 * (hi - lo or hi or 1)
    for y, p in enumerate(reversed(points)):
        colour = colours.colour(p.side)
        end = p.high if p.high is not None else right
        ax.plot([p.low, end], [y, y], color=colour, lw=6, solid_capstyle="butt", alpha=0.75)
        if p.high is None:
            ax.annotate("", xy=(right, y), xytext=(p.low, y), arrowprops={"arrowstyle": "->", "color": colour})
        ax.plot([p.low], [y], marker="|", color="#222222", ms=12)
        if p.high is not None:
            ax.plot([p.high], [y], marker="|", color="#222222", ms=12)
        if p.value is not None:
            ax.plot([p.value], [y], marker="o", color="#222222", ms=5)
    ax.set_yticks(range(len(points)), [p.label for p in reversed(points)], fontsize=8)
    ax.set_ylim(-0.7, len(points) - 0.3)
    if log:
        ax.set_xlim(lo / 1.6, right)
    else:
        ax.set_xlim(max(0.0, lo - 0.1 * (hi - lo or hi or 1)), right)
    ax.set_xlabel(unit or "", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(subject, fontsize=10, loc="left")
    sides = sorted({p.side for p in points}, key=colours.order)
    handles = [Line2D([], [], color=colours.colour(s), lw=6, label=s) for s in sides]
    ax.legend(handles=handles, fontsize=7, loc="lower right", framealpha=0.85)
    return _png(fig)


def most_cited(outlets: Counter[str], claimants: Counter[str], *, top: int = 10, dpi: int = 110) -> bytes:
    """Horizontal bars: claims per outlet and per claimant, the ``top`` of each."""
    fig = Figure(figsize=(8.0, 0.8 + 0.28 * top), dpi=dpi)
    axes = fig.subplots(1, 2)
    for ax, counts, title, colour in (
        (axes[0], outlets, "Outlets most cited (claims)", "#455a64"),
        (axes[1], claimants, "Claimants most cited (claims)", "#6d4c41"),
    ):
        rows = counts.most_common(top)
        names = [_short(n) for n, _ in reversed(rows)]
        ax.barh(names, [n for _, n in reversed(rows)], color=colour)
        ax.set_title(title, fontsize=9, loc="left")
        ax.tick_params(labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
        if not rows:
            ax.text(0.5, 0.5, "none", ha="center", va="center", transform=ax.transAxes)
        else:
            ax.set_xlim(0, max(n for _, n in rows) * 1.1)
            ax.set_ylim(-0.6, max(len(rows), 5) - 0.4)
            ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    return _png(fig)


def _short(name: str, n: int = 28) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"
