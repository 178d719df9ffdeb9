"""Project-wide fixtures: ledgers on both back ends, and a small hand-built sample of analyses.

``store`` runs a test once on SQLite (a temporary file) and once on PostgreSQL, in a schema created
for the test and dropped after it. PostgreSQL tests carry the ``postgres`` mark and are skipped only
when the server cannot be reached; ``CROSSCHECK_TEST_PG_URL`` names another server.
The sample articles are written for these tests (a made-up week of fighting in Sudan).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from crosscheck.records import Actor, Analysis, Claim, Document, Entity, Interval, Place, Quantity
from crosscheck.storage import Store, open_store

PG_URL = os.environ.get("CROSSCHECK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[sa.Engine]:
    """An engine on the test PostgreSQL server; skips the test when the server cannot be reached."""
    engine = sa.create_engine(PG_URL, poolclass=NullPool, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as err:
        engine.dispose()
        pytest.skip(f"PostgreSQL not reachable at {engine.url.render_as_string(hide_password=True)}: {err.orig}")
    yield engine
    engine.dispose()


@pytest.fixture
def pg_url(pg_admin: sa.Engine) -> Iterator[str]:
    """The URL of a fresh, empty schema on the test server (first on search_path), dropped afterwards."""
    schema = f"cc_test_{uuid.uuid4().hex[:12]}"
    with pg_admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = pg_admin.url.update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with pg_admin.begin() as conn:
        conn.execute(sa.text("SET LOCAL lock_timeout = '20s'"))
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger' / 'crosscheck.db'}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each back end in turn."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An empty, migrated ledger on each back end in turn."""
    with open_store(db_url) as opened:
        yield opened


# -- sample analyses -----------------------------------------------------------------------------

ENTITIES = {
    "saf": Entity(id="ent_saf", name="Sudanese Armed Forces", type="military", side="SAF", aliases=["SAF", "the army"]),
    "rsf": Entity(id="ent_rsf", name="Rapid Support Forces", type="military", side="RSF", aliases=["RSF"]),
    "suna": Entity(id="ent_suna", name="SUNA", type="outlet", aliases=["Sudan News Agency"]),
    "ortiz": Entity(id="ent_ortiz", name="Ramón Ortíz", type="person"),
}
OMDURMAN = {"name": "Omdurman", "lat": 15.6445, "lon": 32.4777, "geonames_id": 365137, "country": "SD"}
PORT_SUDAN = {"name": "Port Sudan", "lat": 19.6158, "lon": 37.2164, "geonames_id": 377039, "country": "SD"}
EL_FASHER = {"name": "El Fasher", "lat": 13.6279, "lon": 25.3494, "geonames_id": 379303, "country": "SD"}
NYALA = {"name": "Nyala", "lat": 12.0489, "lon": 24.8807, "geonames_id": 366847, "country": "SD"}


def _actor(key: str | None, *, name: str | None = None, mention: str | None = None, type: str | None = None) -> Actor:
    if key is None:
        assert name is not None
        return Actor(name=name, mention=mention, type=type)
    e = ENTITIES[key]
    return Actor(name=e.name, id=e.id, mention=mention or e.name, type=e.type, side=e.side)


def _place(doc: Document, where: dict[str, object], mention: str) -> Place:
    start = doc.text.index(mention)
    return Place(mention=mention, span=(start, start + len(mention)), resolved_by="name", **where)  # type: ignore[arg-type]


def _claim(doc: Document, text: str, **kw: object) -> Claim:
    start = doc.text.index(text)
    sentence_start = doc.text.rfind(". ", 0, start) + 2 if ". " in doc.text[:start] else 0
    sentence_end = doc.text.find(".", start + len(text)) + 1 or len(doc.text)
    cue = kw.get("cue")
    cue_span = None
    if isinstance(cue, str) and cue in doc.text:
        at = doc.text.index(cue, sentence_start)
        cue_span = (at, at + len(cue))
    return Claim(
        document_id=doc.id,
        text=text,
        sentence=doc.text[sentence_start:sentence_end],
        span=(start, start + len(text)),
        sentence_span=(sentence_start, sentence_end),
        cue_span=cue_span,
        **kw,  # type: ignore[arg-type]
    )


def build_sample() -> list[Analysis]:
    """Five short articles: four with claims, one a near duplicate of the first."""
    a = Document(
        title="Fighting reported at Omdurman bridge",
        text=(
            "The Sudanese Armed Forces said on Sunday that they had repelled an assault on the Shambat bridge in "
            "Omdurman, killing about 40 fighters. A spokesman for the Rapid Support Forces denied the account, "
            "saying its units still held both ends of the bridge. Residents told the Courier that shelling "
            "continued into the night."
        ),
        outlet="Nile Courier",
        url="https://nile-courier.example/2023/06/12/bridge",
        published="2023-06-12",
        byline="Staff reporter",
    )
    a_claims = [
        _claim(
            a,
            "they had repelled an assault on the Shambat bridge in Omdurman, killing about 40 fighters",
            mode="indirect",
            cue="said",
            claimant=_actor("saf"),
            event_type="attack",
            places=[_place(a, OMDURMAN, "Omdurman")],
            quantities=[Quantity(text="about 40 fighters", value=40.0, unit="fighters", approximate=True)],
            event_time=Interval("2023-06-11", "2023-06-11", text="on Sunday"),
            stated_at="2023-06-11",
            confidence=0.9,
            frame={"blocks": ["365137|2023-06-11", "attack|365137"]},
        ),
        _claim(
            a,
            "its units still held both ends of the bridge",
            mode="indirect",
            cue="saying",
            claimant=_actor("rsf", mention="A spokesman for the Rapid Support Forces"),
            event_type="control",
            places=[_place(a, OMDURMAN, "Omdurman")],
            stated_at="2023-06-11",
            frame={"blocks": ["365137|2023-06-11"]},
        ),
        _claim(
            a,
            "shelling continued into the night",
            mode="indirect",
            cue="told",
            claimant=_actor(None, name="Residents", mention="Residents", type="group"),
            event_type="shelling",
            stated_at="2023-06-12",
        ),
    ]
    b = Document(
        title="Drones downed over Port Sudan",
        text=(
            "Army officials claimed that 12 drones were shot down over Port Sudan overnight, according to the "
            "state news agency SUNA. The paramilitary group made no comment."
        ),
        outlet="Sahel Wire",
        url="https://sahel-wire.example/drones",
        published="2023-06-13",
    )
    b_claims = [
        _claim(
            b,
            "12 drones were shot down over Port Sudan overnight",
            mode="according_to",
            cue="claimed",
            claimant=_actor("saf", mention="Army officials"),
            via=[_actor("suna", mention="the state news agency SUNA")],
            event_type="air_defence",
            places=[_place(b, PORT_SUDAN, "Port Sudan")],
            quantities=[Quantity(text="12 drones", value=12.0, unit="drones")],
            event_time=Interval("2023-06-12", "2023-06-13", text="overnight"),
            stated_at="2023-06-13",
            hedged=True,
            frame={"blocks": ["377039|2023-06-12"]},
        )
    ]
    c = Document(
        title="Market struck in El Fasher",
        text=(
            "A local monitoring group said “at least 15 civilians were killed” when the Tuesday market in El Fasher "
            "was struck. No independent confirmation was available."
        ),
        outlet="Nile Courier",
        url="https://nile-courier.example/2023/07/05/market",
        published="2023-07-05",
    )
    c_claims = [
        _claim(
            c,
            "at least 15 civilians were killed",
            mode="mixed",
            cue="said",
            claimant=_actor(None, name="Local monitoring group", mention="A local monitoring group", type="group"),
            event_type="strike",
            places=[_place(c, EL_FASHER, "El Fasher")],
            quantities=[Quantity(text="at least 15 civilians", low=15.0, unit="civilians")],
            event_time=Interval("2023-07-04", "2023-07-04", text="Tuesday"),
            stated_at="2023-07-05",
        )
    ]
    d = Document(
        title=None,
        text=(
            "UN envoy Ramón Ortíz said aid convoys had reached Nyala and El Fasher. "
            "SUNA reported that 3 trucks were looted outside Nyala."
        ),
        outlet="Horn Monitor",
        handle="@hornmonitor",
        published=None,
    )
    d_claims = [
        _claim(
            d,
            "aid convoys had reached Nyala and El Fasher",
            mode="indirect",
            cue="said",
            claimant=_actor("ortiz", mention="UN envoy Ramón Ortíz"),
            event_type="aid",
            places=[_place(d, NYALA, "Nyala"), _place(d, EL_FASHER, "El Fasher")],
            event_time=Interval(None, "2023-07-20"),
        ),
        _claim(
            d,
            "3 trucks were looted outside Nyala",
            mode="indirect",
            cue="reported",
            claimant=_actor("suna"),
            event_type="looting",
            places=[_place(d, NYALA, "Nyala")],
            quantities=[Quantity(text="3 trucks", value=3.0, unit="trucks")],
            event_time=Interval("2023-07-18", None),
            frame={"blocks": ["366847|2023-07-18"], "note": {"nested": [1, 2]}},
        ),
    ]
    e = Document(
        title="Fighting reported at Omdurman bridge (update)",
        text=a.text + " Updated at 18:00.",
        outlet="Sahel Wire",
        published="2023-06-12",
    )
    saf_b = Entity(id="ent_saf", name="Sudanese Armed Forces", type="military", side="SAF", aliases=["Army officials"])
    ent = {key: replace(e, aliases=list(e.aliases)) for key, e in ENTITIES.items()}
    return [
        Analysis(document=a, claims=a_claims, entities=[ent["saf"], ent["rsf"]]),
        Analysis(document=b, claims=b_claims, entities=[saf_b, ent["suna"]]),
        Analysis(document=c, claims=c_claims),
        Analysis(document=d, claims=d_claims, entities=[ent["ortiz"], ent["suna"]]),
        Analysis(document=e, duplicate_of=a.id),
    ]


@pytest.fixture
def sample() -> list[Analysis]:
    """Freshly built sample analyses (safe to change in a test)."""
    return build_sample()


@pytest.fixture
def filled_store(store: Store, sample: list[Analysis]) -> Store:
    """The ``store`` with every sample analysis saved."""
    for analysis in sample:
        store.save_analysis(analysis)
    return store
