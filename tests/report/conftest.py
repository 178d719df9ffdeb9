"""Ledgers for the report tests: a hand-built one (four short articles written for these tests about
a made-up week of fighting for a hill town), the seed articles, and one week of the shared corpus.
The last two are ingested at test time and skipped when ``../shared`` is absent."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from crosscheck.records import Actor, Analysis, Claim, Document, Interval, Place, Quantity, Relation
from crosscheck.storage import Store, open_store

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "data" / "news" / "ukraine_2022.jsonl"
WEEK = ("2022-06-13", "2022-06-19")
WEEK_ARTICLES = 40

SHUSHA = {"name": "Shusha", "lat": 39.7583, "lon": 46.7497, "geonames_id": 585170, "country": "AZ", "feature": "city"}
LACHIN = {"name": "Lachin", "lat": 39.6383, "lon": 46.5461, "geonames_id": 147622, "country": "AZ", "feature": "city"}

NORTH = Actor(name="Northern defence ministry", id="n-mod", type="military", side="North")
NORTH_LEADER = Actor(name="President Arvo Lenn", id="n-president", type="person", side="North")
SOUTH = Actor(name="Southern officials", id="s-officials", type="state", side="South")
SOUTH_MOD = Actor(name="Southern defence ministry", id="s-mod", type="military", side="South")
ANALYST = Actor(name="Hill Watch", id="org-hill-watch", type="organisation")
AGENCY = Actor(name="Ridge Press Agency", id="ridge-press", type="outlet")

TEXT_A = (
    "The Northern defence ministry said on Friday that hundreds of soldiers had entered Shusha. "
    "Southern officials denied it, saying around 50 soldiers were in the town at most. "
    "The ministry added that <script>alert('x')</script> & [links](javascript:void) were *fake* news."
)
TEXT_B = (
    "President Arvo Lenn said that Northern forces captured Shusha on Saturday, according to the Ridge Press Agency. "
    "The Southern defence ministry said fighting for Shusha continues near Lachin."
)
TEXT_C = "Hill Watch said hundreds of soldiers were in Shusha over the weekend."
TEXT_D = "Southern officials said the claim about Shusha is false."


def _claim(doc: Document, text: str, *, places: tuple[dict[str, object], ...] = (), **kw: object) -> Claim:
    start = doc.text.index(text)
    s0 = doc.text.rfind(". ", 0, start)
    s0 = s0 + 2 if s0 >= 0 else 0
    s1 = doc.text.find(". ", start + len(text))
    s1 = s1 + 1 if s1 >= 0 else len(doc.text)
    found = []
    for where in places:
        fields = dict(where)
        mention = str(fields.pop("mention", fields["name"]))
        at = doc.text.index(mention, s0)
        found.append(Place(mention=mention, span=(at, at + len(mention)), **fields))  # type: ignore[arg-type]
    return Claim(
        document_id=doc.id,
        text=text,
        sentence=doc.text[s0:s1],
        span=(start, start + len(text)),
        sentence_span=(s0, s1),
        places=found,
        **kw,  # type: ignore[arg-type]
    )


def hand_ledger() -> tuple[list[Analysis], list[Relation], dict[str, str]]:
    """Four articles, seven claims, five relations and the statuses reconciliation would give."""
    a = Document(
        text=TEXT_A,
        title="Hill town <b>changes hands</b>?",
        outlet="Valley Wire",
        url="https://valley-wire.example/2031/05/02/hill-town",
        published="2031-05-02",
    )
    b = Document(
        text=TEXT_B,
        title="Leader claims the hill town",
        outlet="Lowland Courier",
        url="https://lowland-courier.example/hill",
        published="2031-05-03",
    )
    c = Document(
        text=TEXT_C,
        title="Analysts count troops",
        outlet="Valley Wire",
        url="https://valley-wire.example/2031/05/04/count",
        published="2031-05-04",
    )
    d = Document(text=TEXT_D, title=None, outlet=None, path="notes/denial.txt", published=None)
    a1 = _claim(
        a,
        "hundreds of soldiers had entered Shusha",
        places=(SHUSHA,),
        mode="indirect",
        cue="said",
        claimant=NORTH,
        event_type="territorial_control",
        stated_at="2031-05-02",
        quantities=[Quantity(text="hundreds of soldiers", low=200, high=999, unit="soldiers")],
        event_time=Interval("2031-05-02", "2031-05-02", text="on Friday"),
    )
    a2 = _claim(
        a,
        "around 50 soldiers were in the town at most",
        places=({**SHUSHA, "mention": "the town"},),
        mode="indirect",
        cue="saying",
        claimant=SOUTH,
        event_type="force_presence",
        stated_at="2031-05-02",
        quantities=[Quantity(text="around 50 soldiers", value=50, low=45, high=55, unit="soldiers", approximate=True)],
    )
    a3 = _claim(
        a,
        "<script>alert('x')</script> & [links](javascript:void) were *fake* news",
        mode="indirect",
        cue="added",
        claimant=NORTH,
        event_type="other",
        stated_at="2031-05-02",
        quantities=[Quantity(text="3 years", value=3, low=3, high=3, unit="years")],
    )
    b1 = _claim(
        b,
        "Northern forces captured Shusha on Saturday",
        places=(SHUSHA,),
        mode="according_to",
        cue="said",
        claimant=NORTH_LEADER,
        via=[AGENCY],
        event_type="territorial_control",
        stated_at="2031-05-03",
        event_time=Interval("2031-05-03", "2031-05-03", text="on Saturday"),
    )
    b2 = _claim(
        b,
        "fighting for Shusha continues near Lachin",
        places=(SHUSHA, LACHIN),
        mode="indirect",
        cue="said",
        claimant=SOUTH_MOD,
        event_type="attack",
        stated_at="2031-05-03",
    )
    c1 = _claim(
        c,
        "hundreds of soldiers were in Shusha over the weekend",
        places=(SHUSHA,),
        mode="indirect",
        cue="said",
        claimant=ANALYST,
        event_type="force_presence",
        stated_at="2031-05-04",
        quantities=[Quantity(text="hundreds of soldiers", low=200, high=999, unit="soldiers")],
    )
    d1 = _claim(
        d,
        "the claim about Shusha is false",
        places=(SHUSHA,),
        mode="indirect",
        cue="said",
        claimant=SOUTH,
        event_type="statement_of_falsehood",
    )
    relations = [
        Relation("corroborates", (a1.id, b1.id), "corroborates: the North says it twice, in two outlets", 0.7),
        Relation("corroborates", (a1.id, c1.id), "corroborates: the same outlet again", 0.6),
        Relation("contradicts", (a1.id, a2.id), "contradicts: hundreds against around 50", 0.8),
        Relation("contradicts", (b1.id, b2.id), "contradicts: captured against <i>fighting continues</i>", 0.6),
        Relation("disputes", (d1.id, b1.id), "disputes: the South calls the capture false", 0.9),
    ]
    statuses = {
        a1.id: "contested",
        a2.id: "contested",
        b1.id: "disputed",
        b2.id: "contested",
        c1.id: "corroborated",
        d1.id: "asserted",
    }
    analyses = [Analysis(a, [a1, a2, a3]), Analysis(b, [b1, b2]), Analysis(c, [c1]), Analysis(d, [d1])]
    return analyses, relations, statuses


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Store]:
    """The hand-built ledger in a fresh SQLite file."""
    analyses, relations, statuses = hand_ledger()
    with open_store(f"sqlite:///{tmp_path / 'hand.db'}") as store:
        store.bulk_save(analyses)
        store.save_relations(relations)
        store.set_claim_status(statuses)
        yield store


def _ingest(paths: list[str], db: Path) -> str:
    from crosscheck.ingest import ingest

    url = f"sqlite:///{db}"
    report = ingest(paths, db=url)
    assert report.inserted, report.as_dict()
    return url


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seed articles ingested into a SQLite ledger (once per session)."""
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip(f"{SEEDS} is absent")
    return _ingest([str(SEEDS)], tmp_path_factory.mktemp("seeds") / "seeds.db")


@pytest.fixture(scope="session")
def week_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Forty articles of one week of the shared corpus (several outlets, shortest first), cut into a
    temporary JSONL at test time and ingested (once per session)."""
    if not CORPUS.is_file():
        pytest.skip(f"{CORPUS} is absent")
    rows = []
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if WEEK[0] <= str(row.get("date", ""))[:10] <= WEEK[1] and re.search(r"Ukrain", row.get("text", "")):
                rows.append(row)
    by_outlet: dict[str, list[dict[str, str]]] = {}
    for row in sorted(rows, key=lambda r: (len(r["text"]), r["id"])):
        by_outlet.setdefault(row["outlet"], []).append(row)
    chosen: list[dict[str, str]] = []
    while len(chosen) < WEEK_ARTICLES and any(by_outlet.values()):
        for outlet in sorted(by_outlet):
            if by_outlet[outlet] and len(chosen) < WEEK_ARTICLES:
                chosen.append(by_outlet[outlet].pop(0))
    folder = tmp_path_factory.mktemp("week")
    cut = folder / "week.jsonl"
    cut.write_text("".join(json.dumps(r) + "\n" for r in chosen), encoding="utf-8")
    return _ingest([str(cut)], folder / "week.db")


def anchors(html: str) -> tuple[set[str], list[str]]:
    """(ids defined, '#...' link targets) of an HTML page."""
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    targets = re.findall(r'href="#([^"]*)"', html)
    return ids, targets


def check_self_contained(html: str) -> None:
    """One file: images inline, no external script, style sheet, image or frame, and every in-page link lands."""
    assert "data:image/png;base64," in html
    assert not re.search(r"""\ssrc=(?!["']?data:)""", html), "an asset is not inline"
    assert not re.search(r"<(script|link|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"url\(\s*['\"]?https?:", html, re.I)
    ids, targets = anchors(html)
    assert targets, "no in-page links"
    missing = sorted({t for t in targets if t not in ids})
    assert not missing, f"links to missing anchors: {missing[:5]}"


def claim_blocks(html: str) -> dict[str, str]:
    """Each detailed claim's HTML, by claim id."""
    return dict(re.findall(r'<article class="claim" id="claim-([^"]+)">(.*?)</article>', html, re.S))


class HtmlChecks:
    """The HTML checks, handed to the tests of this folder by the ``html_checks`` fixture."""

    self_contained = staticmethod(check_self_contained)
    blocks = staticmethod(claim_blocks)
    links = staticmethod(anchors)


@pytest.fixture
def html_checks() -> type[HtmlChecks]:
    return HtmlChecks
