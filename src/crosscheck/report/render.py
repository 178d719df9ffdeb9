"""Write the briefing: one self-contained HTML file (images as data: URIs, CSS inline, no external asset),
Markdown with its images beside it, or PDF rendered from the HTML with WeasyPrint.

Every statement links to the claims it rests on; every claim shows its sentence, its attribution chain
(claimant -> via -> outlet) and links to its source URL when one is known. All article text goes through
Jinja2's autoescaping (HTML) or ``md_escape`` (Markdown).
"""

from __future__ import annotations

import base64
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from crosscheck.conflicts import Conflict
from crosscheck.errors import CrosscheckError, InputError
from crosscheck.records import Claim, Relation
from crosscheck.report import charts, mapimage
from crosscheck.report.charts import UNALIGNED, NumberPoint, SideColours, status_label
from crosscheck.report.gather import ReportData, Scope, detail, gather
from crosscheck.report.summary import (
    Link,
    Ref,
    Statement,
    anchor,
    conflict_counts,
    interval,
    plural,
    quote,
    summarise,
    who,
)
from crosscheck.storage import Store
from crosscheck.timeline import TimelineEntry

FORMATS = ("html", "md", "pdf")
TEMPLATES = Path(__file__).parent / "templates"
SIDE_CLAIMS = 3  # claims shown per side of a contested subject
CONFLICT_RELATIONS = 4
TIMELINE_ROWS = 8

METHOD = (
    "Every sentence above is a template filled in from the ledger's records and counts; no text is generated "
    "by a language model. A claim is corroborated when a claim from another outlet, not passing it on, agrees "
    "with it (sources are counted once per outlet, the claim's own included); contested when another claim "
    "contradicts it; disputed when another claimant rejects it; asserted otherwise. Numbers are the intervals "
    "that the words allow (“hundreds” is 200–999, “around 200” is 180–220). Claims are dated by when they were "
    "stated, else by their article's date. Map outlines: Natural Earth (public domain)."
)


@dataclass(frozen=True)
class ReportResult:
    """What ``build_report`` wrote: the report file first in ``files``, then any images beside it."""

    path: Path
    format: str
    files: tuple[Path, ...]
    claims: int  # claims in scope
    listed: int  # claims detailed in the report
    conflicts: int
    statements: int
    pages: int | None = None  # PDF only


@dataclass
class Image:
    name: str
    png: bytes
    alt: str
    caption: str = ""
    src: str = ""


@dataclass
class Plan:
    """Which claims each contested subject shows: a few per side, the strongest relations, a chronology."""

    conflict: Conflict
    sides: list[tuple[str, int, list[Claim]]]
    relations: list[Relation]
    timeline: list[TimelineEntry] = field(default_factory=list)
    timeline_subject: str = ""

    @property
    def claim_ids(self) -> list[str]:
        ids = [c.id for _, _, cs in self.sides for c in cs]
        ids += [cid for r in self.relations for cid in r.claims]
        ids += [e.claim.id for e in self.timeline]
        return ids


def plan_conflict(conflict: Conflict, timeline: Sequence[TimelineEntry] | None) -> Plan:
    degree = Counter(cid for r in conflict.relations for cid in r.claims)
    sides = sorted(conflict.sides.items(), key=lambda kv: (kv[0] == UNALIGNED, -len(kv[1]), kv[0]))
    shown = [(side, len(cs), sorted(cs, key=lambda c: (-degree[c.id], c.span[0]))[:SIDE_CLAIMS]) for side, cs in sides]
    plan = Plan(conflict, shown, conflict.relations[:CONFLICT_RELATIONS])
    if timeline:
        members = {c.id for cs in conflict.sides.values() for c in cs}
        first = [e for e in timeline if e.claim.id in members]
        rest = [e for e in timeline if e.claim.id not in members and e.side != UNALIGNED]
        chosen = {id(e) for e in (first + rest)[:TIMELINE_ROWS]}
        plan.timeline = [e for e in timeline if id(e) in chosen]
        plan.timeline_subject = conflict.place.name if conflict.place else conflict.subject
    return plan


# -- escaping -----------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|{}!~])")


def md_escape(text: object) -> str:
    """Article text made inert in Markdown: one line, its markup characters backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(text if text is not None else "")))


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    return env


# -- the view -----------------------------------------------------------------------------------


class _View:
    """Plain dicts for the templates, with claim numbers and anchors resolved."""

    def __init__(self, data: ReportData, statements: Sequence[Statement], listed: Sequence[str]) -> None:
        self.data = data
        self.statements = statements
        self.number = {cid: i + 1 for i, cid in enumerate(listed)}
        self.cited_in: dict[str, list[Statement]] = {}
        for s in statements:
            for cid in s.claims:
                self.cited_in.setdefault(cid, []).append(s)
        self.relations: dict[str, list[Relation]] = {}
        for r in data.relations:
            for cid in dict.fromkeys(r.claims):
                if cid in self.number:
                    self.relations.setdefault(cid, []).append(r)

    def ref(self, claim_id: str) -> dict[str, Any]:
        n = self.number.get(claim_id)
        claim = self.data.claims.get(claim_id)
        return {
            "kind": "ref",
            "anchor": f"claim-{anchor(claim_id)}" if n else None,
            "label": f"C{n}" if n else claim_id,
            "title": quote(claim.text, 90) if claim else "",
        }

    def parts(self, s: Statement) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for p in s.parts:
            if isinstance(p, Ref):
                out.append(self.ref(p.claim_id))
            elif isinstance(p, Link):
                out.append({"kind": "link", "anchor": p.anchor, "text": p.text})
            else:
                out.append({"kind": "text", "text": p})
        return out

    def chain(self, c: Claim) -> list[dict[str, str]]:
        doc = self.data.sources.get(c.document_id)
        links = []
        if c.claimant:
            side = f" ({c.claimant.side})" if c.claimant.side else ""
            links.append({"name": f"{c.claimant.name}{side}", "role": "claimant"})
        else:
            links.append({"name": "unattributed: the article's own words", "role": "claimant"})
        links += [{"name": v.name, "role": "via"} for v in c.via]
        outlet = (doc.outlet or doc.handle) if doc else None
        if outlet and all(v.name != outlet for v in c.via):
            links.append({"name": outlet, "role": "outlet"})
        elif not outlet:
            links.append({"name": "outlet unknown", "role": "outlet"})
        return links

    def claim(self, cid: str) -> dict[str, Any]:
        c = self.data.claims[cid]
        doc = self.data.sources.get(c.document_id)
        standing = self.data.standing.get(cid)
        at = c.sentence.find(c.text) if c.text else -1
        before, mark, after = (
            (c.sentence[:at], c.text, c.sentence[at + len(c.text) :]) if at >= 0 else ("", c.sentence, "")
        )
        rels = self.relations.get(cid, [])
        t = c.event_time
        when = ""
        if t and (t.start or t.end):
            span = (t.start or "") if t.start == t.end else f"{t.start or '…'} to {t.end or '…'}"
            when = f"{span} (“{t.text}”)" if t.text else span
        return {
            "id": cid,
            "anchor": f"claim-{anchor(cid)}",
            "label": f"C{self.number[cid]}",
            "text": " ".join(c.text.split()),
            "before": before,
            "mark": mark,
            "after": after,
            "status": self.status(c),
            "sources": standing.sources if standing else 1,
            "chain": self.chain(c),
            "url": _safe_url(doc.url if doc else None),
            "source_title": (doc.title if doc and doc.title else None)
            or (doc.path if doc and doc.path else c.document_id),
            "outlet": doc.outlet if doc else None,
            "published": doc.published if doc else None,
            "path": doc.path if doc else None,
            "mode": c.mode,
            "cue": c.cue,
            "hedged": c.hedged,
            "negated": c.negated,
            "event_type": c.event_type,
            "places": [p.name for p in c.places],
            "numbers": [f"{q.text} ({interval(q)}{' ' + q.unit if q.unit else ''})" for q in c.quantities],
            "event_time": when,
            "stated_at": c.stated_at,
            "relations": [
                {"type": _relation_word(r, cid), "other": self.ref(r.claims[1] if r.claims[0] == cid else r.claims[0])}
                for r in rels
            ],
            "cited_in": [{"anchor": s.id, "number": self.statements.index(s) + 1} for s in self.cited_in.get(cid, [])],
        }

    def status(self, claim: Claim) -> str:
        row = self.data.row(claim.id)
        return row.status if row else status_label(claim.status)

    def who(self, claim: Claim) -> str:
        return who(self.data, claim.id, claim)

    def conflict(self, plan: Plan) -> dict[str, Any]:
        c = plan.conflict
        docs = self.data.documents
        period = f"{c.first} to {c.last}" if c.first and c.last and c.first != c.last else c.first or ""
        timeline = []
        for e in plan.timeline:
            event = e.event_start if e.event_start == e.event_end else f"{e.event_start or '…'}–{e.event_end or '…'}"
            timeline.append(
                {
                    "event": event if (e.event_start or e.event_end) else "",
                    "stated": e.stated_at
                    or (docs[e.claim.document_id].published if e.claim.document_id in docs else "")
                    or "",
                    "side": e.side or UNALIGNED,
                    "who": e.claim.claimant.name if e.claim.claimant else "(the article)",
                    "outlet": e.outlet or "",
                    "text": quote(e.claim.text, 120),
                    "ref": self.ref(e.claim.id),
                }
            )
        return {
            "anchor": f"conflict-{anchor(c.id)}",
            "subject": c.subject,
            "counts": conflict_counts(c),
            "period": period,
            "outlets": c.outlets,
            "sides": [
                {
                    "name": side,
                    "total": total,
                    "claims": [
                        {
                            "who": self.who(cl),
                            "text": quote(cl.text, 140),
                            "ref": self.ref(cl.id),
                            "status": self.status(cl),
                        }
                        for cl in claims
                    ],
                }
                for side, total, claims in plan.sides
            ],
            "relations": [
                {"type": r.type, "a": self.ref(r.claims[0]), "b": self.ref(r.claims[1]), "explanation": r.explanation}
                for r in plan.relations
            ],
            "timeline": timeline,
            "timeline_subject": plan.timeline_subject,
        }


def _relation_word(r: Relation, cid: str) -> str:
    if r.type == "disputes":
        return "disputes" if r.claims[0] == cid else "disputed by"
    return {"corroborates": "corroborated by", "contradicts": "contradicted by", "repeats": "repeated in"}.get(
        r.type, r.type
    )


def _safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links (never javascript: or data:)."""
    if url and re.match(r"(?i)^https?://[^\s\"'<>]+$", url.strip()):
        return url.strip()
    return None


# -- images ---------------------------------------------------------------------------------------


def _images(data: ReportData, colours: SideColours) -> tuple[dict[str, Image], list[Image]]:
    points: Counter[tuple[str, float, float, str]] = Counter()
    worst: dict[tuple[str, float, float, str], str] = {}
    rank = list(charts.STATUS_MARKERS)
    for r in data.rows.values():
        for name, lat, lon, feature in r.places:
            if lat is None or lon is None or feature == "country":
                continue
            key = (name, lat, lon, r.side)
            points[key] += 1
            if rank.index(r.status) >= rank.index(worst.get(key, "corroborated")):
                worst[key] = r.status
    map_points = [
        mapimage.MapPoint(name=k[0], lat=k[1], lon=k[2], side=k[3], status=worst[k], claims=n)
        for k, n in points.items()
    ]
    extent = mapimage.frame(map_points) if map_points else None
    off = mapimage.outside(map_points, extent) if extent else 0
    dated = list(data.dated())
    undated = len(data.rows) - len(dated)
    images = {
        "map": Image(
            "map",
            mapimage.render_map(map_points, colours=colours, extent=extent),
            "Map of the places the claims name, coloured by side, shaped by standing",
            f"{len(map_points):,} place-and-side markers from {sum(points.values()):,} place mentions "
            "(countries left out"
            + (f"; {off:,} markers far from the others lie outside the frame" if off else "")
            + "); colour: side, shape: standing (▲ corroborated, ● asserted, ◆ contested, ✖ disputed), "
            "size: number of claims.",
        ),
        "timeline": Image(
            "timeline",
            charts.claims_over_time(dated, colours=colours),
            "Claims over time by side and by standing",
            f"{len(dated):,} dated claims" + (f"; {undated:,} without a date are left out." if undated else "."),
        ),
        "sources": Image(
            "sources",
            charts.most_cited(data.outlets(), data.claimants()),
            "Outlets and claimants most cited",
            "Claims in scope per outlet that published them, and per named claimant.",
        ),
    }
    numbers = []
    for i, g in enumerate(data.numbers, 1):
        pts = []
        for cid, q in g.entries:
            row = data.row(cid)
            low = q.low if q.low is not None else q.value
            high = q.high if q.high is not None else (q.value if q.low is None else None)
            if low is None:
                continue
            speaker = row.claimant if row and row.claimant else data.outlet(cid) or "article"
            pts.append(
                NumberPoint(
                    label=f"{speaker}: {quote(q.text, 40)}",
                    side=row.side if row else UNALIGNED,
                    low=low,
                    high=high,
                    value=q.value,
                    status=row.status if row else "asserted",
                )
            )
        numbers.append(
            Image(
                f"numbers-{i}",
                charts.number_intervals(g.subject, pts, colours=colours, unit=g.unit),
                f"Numbers claimed for {g.subject}, as intervals",
            )
        )
    return images, numbers


# -- building ---------------------------------------------------------------------------------------


def _counts(data: ReportData, listed: int) -> str:
    by_status = data.by_status()
    status = ", ".join(f"{by_status[s]:,} {s}" for s in charts.STATUS_MARKERS if by_status.get(s))
    return (
        f"{len(data.rows):,} claims in scope ({status}), {len(data.relations):,} relations, "
        f"{len(data.conflicts):,} contested subjects shown, {listed:,} claims detailed"
    )


def render(
    data: ReportData,
    statements: Sequence[Statement],
    listed: Sequence[str],
    plans: Sequence[Plan],
    *,
    fmt: str,
    image_src: Callable[[Image], str],
    ledger: str = "",
    title: str | None = None,
) -> tuple[str, list[Image]]:
    """The report text in ``fmt`` ('html' or 'md') and the images it refers to."""
    colours = SideColours(Counter({**{s: 0 for c in data.conflicts for s in c.sides}, **data.by_side()}))
    images, number_images = _images(data, colours)
    for img in [*images.values(), *number_images]:
        img.src = image_src(img)
    view = _View(data, statements, listed)
    number_views = []
    for i, (g, img) in enumerate(zip(data.numbers, number_images, strict=True), 1):
        entries = []
        for cid, q in g.entries:
            row = data.row(cid)
            entries.append(
                {
                    "who": who(data, cid),
                    "side": row.side if row else UNALIGNED,
                    "text": q.text,
                    "interval": interval(q),
                    "ref": view.ref(cid),
                }
            )
        number_views.append({"anchor": f"numbers-{i}", "subject": g.subject, "image": img, "entries": entries})
    total = len(data.rows)
    inside = sum(1 for cid in listed if cid in data.rows)
    outside = len(listed) - inside
    note = (
        f"All {total:,} claims in scope"
        if inside >= total
        else f"{inside:,} of the {total:,} claims in scope: every claim cited above, then attributed and related ones"
    )
    if outside:
        note += f", and {plural(outside, 'claim')} outside it that a relation joins to one inside"
    note += "."
    template = _environment().get_template("report.html.j2" if fmt == "html" else "report.md.j2")
    text = template.render(
        title=title
        or (f"Briefing: claims {data.scope.describe()}" if data.scope != Scope() else "Briefing: the ledger"),
        lede=_lede(data),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        ledger=ledger,
        counts=_counts(data, len(listed)),
        statements=[{"anchor": s.id, "parts": view.parts(s)} for s in statements],
        conflicts=[view.conflict(p) for p in plans],
        numbers=number_views,
        images=images,
        colour=colours.colour,
        claims=[view.claim(cid) for cid in listed],
        claims_note=note,
        method=METHOD,
    )
    return text, [*images.values(), *number_images]


def _lede(data: ReportData) -> str:
    first, last = data.period()
    sides = [s for s, _ in data.by_side().most_common() if s != UNALIGNED]
    period = f"{first} to {last}" if first and last and first != last else first or "undated"
    who_ = f"Sides: {', '.join(sides)}." if sides else "No claimant with a known side."
    about = f"What the ledger says {data.scope.describe()}" if data.scope != Scope() else "What the ledger says"
    return f"{about} ({period}): who claims what, and where they disagree. {who_}"


def _data_uri(img: Image) -> str:
    return "data:image/png;base64," + base64.b64encode(img.png).decode("ascii")


def _write_pdf(html: str, out: Path) -> int:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as err:
        raise CrosscheckError(
            f"cannot write {out}: PDF output needs WeasyPrint and Pango ({err}); install them "
            "(apt-get install libpango-1.0-0 libpangoft2-1.0-0) or choose --format html"
        ) from err
    document = HTML(string=html).render()
    document.write_pdf(str(out))
    return len(document.pages)


def build_report(
    store: Store,
    *,
    place: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    fmt: str | None = "html",
    out: str | Path,
    title: str | None = None,
    max_claims: int = 120,
    max_conflicts: int = 6,
) -> ReportResult:
    """Write a briefing on the claims about ``place`` or by ``actor`` in ``since``..``until`` to ``out``,
    as ``fmt`` (html, md or pdf; None: from the file's suffix). Markdown images go beside ``out``."""
    path = Path(out)
    kind = (fmt or path.suffix.lstrip(".") or "html").lower()
    kind = "md" if kind == "markdown" else kind
    if kind not in FORMATS:
        raise InputError("format", f"{fmt!r} is not a report format", f"choose one of {', '.join(FORMATS)}")
    if path.is_dir():
        raise InputError(str(path), "is a folder", "give the report's file name, e.g. briefing.html")
    scope = Scope.of(place=place, actor=actor, since=since, until=until)
    data = gather(store, scope, max_conflicts=max_conflicts)
    statements = summarise(data)
    plans = [plan_conflict(c, data.timelines.get(c.id)) for c in data.conflicts]
    cited = [cid for s in statements for cid in s.claims]
    cited += [cid for p in plans for cid in p.claim_ids]
    cited += [cid for g in data.numbers for cid, _ in g.entries]
    listed = detail(store, data, cited, max_claims=max_claims)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(str(path), f"cannot create its folder: {err.strerror or err}") from err
    files = [path]
    pages = None
    if kind == "md":
        text, images = render(
            data,
            statements,
            listed,
            plans,
            fmt="md",
            image_src=lambda img: f"{path.stem}-{img.name}.png",
            ledger=store.url,
            title=title,
        )
        for img in images:
            target = path.with_name(img.src)
            _write(target, img.png)
            files.append(target)
        _write(path, text.encode("utf-8"))
    else:
        text, _ = render(
            data, statements, listed, plans, fmt="html", image_src=_data_uri, ledger=store.url, title=title
        )
        if kind == "html":
            _write(path, text.encode("utf-8"))
        else:
            try:
                pages = _write_pdf(text, path)
            except OSError as err:
                raise InputError(str(path), f"cannot write: {err.strerror or err}") from err
    return ReportResult(
        path=path,
        format=kind,
        files=tuple(files),
        claims=len(data.rows),
        listed=len(listed),
        conflicts=len(data.conflicts),
        statements=len(statements),
        pages=pages,
    )


def _write(path: Path, payload: bytes) -> None:
    try:
        path.write_bytes(payload)
    except OSError as err:
        raise InputError(str(path), f"cannot write: {err.strerror or err}") from err
