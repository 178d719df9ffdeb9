"""The JSON API over the sample ledger: every endpoint, paging, filters, errors, auth, escaping, headers."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from webdata import IMG, SCRIPT, TOKEN, MakeClient, auth

from crosscheck.errors import ConfigError
from crosscheck.pipeline import Pipeline
from crosscheck.records import Analysis
from crosscheck.storage import Store, open_store
from crosscheck.web import assets, create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

N_DOCUMENTS = 6  # five sample documents and the hostile one
N_CLAIMS = 8  # seven sample claims and the hostile one


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["items"]]


# -- reading ----------------------------------------------------------------------------------------


def test_meta_counts_and_side_colours(client: TestClient) -> None:
    meta = ok(client.get("/api/meta"))
    assert meta["documents"] == N_DOCUMENTS
    assert meta["claims"] == N_CLAIMS
    sides = {s["name"]: s for s in meta["sides"]}
    assert sides["SAF"]["claims"] == 2 and sides["RSF"]["claims"] == 1
    # sides not named in side_colours.toml get distinct palette colours; no side gets the grey
    assert sides["SAF"]["colour"] in meta["palette"] and sides["RSF"]["colour"] in meta["palette"]
    assert sides["SAF"]["colour"] != sides["RSF"]["colour"]
    assert sides[None]["colour"] == meta["unattributed_colour"]
    assert meta["writes_enabled"] is True and meta["public_read"] is True


def test_documents_are_paged_with_a_total(client: TestClient) -> None:
    first = ok(client.get("/api/documents", params={"limit": 4, "order": "published"}))
    rest = ok(client.get("/api/documents", params={"limit": 4, "offset": 4, "order": "published"}))
    assert first["total"] == rest["total"] == N_DOCUMENTS
    assert (len(first["items"]), len(rest["items"])) == (4, 2)
    assert not set(ids(first)) & set(ids(rest))
    assert "text" not in first["items"][0]  # listings leave the text out
    only = ok(client.get("/api/documents", params={"outlet": "nile courier"}))
    assert only["total"] == 2 and {d["outlet"] for d in only["items"]} == {"Nile Courier"}
    dated = ok(client.get("/api/documents", params={"since": "2023-07-01", "until": "2023-07-31"}))
    assert [d["title"] for d in dated["items"]] == ["Market struck in El Fasher"]
    assert ok(client.get("/api/documents", params={"limit": 0}))["items"] == []


def test_document_detail_has_text_and_claims(client: TestClient, sample: list[Analysis]) -> None:
    doc = sample[0].document
    body = ok(client.get(f"/api/documents/{doc.id}"))
    assert body["text"] == doc.text
    assert body["claims_total"] == 3 and len(body["claims"]) == 3
    assert body["claims"][0]["source"]["outlet"] == "Nile Courier"


def test_missing_records_are_404_with_a_message(local_client: TestClient) -> None:
    for path in ("/api/documents/doc_nope", "/api/claims/clm_nope", "/api/entities/ent_nope", "/api/ingest/job_nope"):
        r = local_client.get(path, headers=auth())
        assert r.status_code == 404, path
        assert "not" in r.json()["error"] and r.json()["status"] == 404
    r = local_client.get("/api/no-such-endpoint")
    assert r.status_code == 404 and "/docs" in r.json()["error"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"side": "SAF"}, 2),
        ({"place": "omdurman"}, 2),
        ({"place": "365137"}, 2),
        ({"bbox": "36,18,38,21"}, 1),  # Port Sudan
        ({"bbox": "170,-10,-170,10"}, 0),  # across the antimeridian: nothing there
        ({"claimant": "ent_suna"}, 1),
        ({"claimant": "rapid support"}, 1),
        ({"outlet": "NILE COURIER"}, 4),
        ({"event_type": "strike"}, 1),
        ({"status": "contested"}, 2),
        ({"mode": "according_to"}, 1),
        ({"since": "2023-07-01", "until": "2023-07-10"}, 2),  # El Fasher on the 4th; aid "until the 20th"
        ({"q": "drones"}, 1),
        ({"q": "bridge", "side": "RSF"}, 1),
    ],
)
def test_claim_filters(client: TestClient, params: dict[str, str], expected: int) -> None:
    page = ok(client.get("/api/claims", params=params))
    assert page["total"] == expected == len(page["items"])


def test_claims_are_paged_and_carry_their_source(client: TestClient) -> None:
    seen: list[str] = []
    for offset in range(0, N_CLAIMS, 3):
        page = ok(client.get("/api/claims", params={"limit": 3, "offset": offset, "order": "id"}))
        assert page["total"] == N_CLAIMS and page["offset"] == offset and page["limit"] == 3
        seen += ids(page)
    assert len(seen) == len(set(seen)) == N_CLAIMS
    assert seen == sorted(seen)
    drones = ok(client.get("/api/claims", params={"q": "drones"}))["items"][0]
    assert drones["side"] == "SAF"
    assert drones["source"] == {
        "document_id": drones["document_id"],
        "outlet": "Sahel Wire",
        "published": "2023-06-13",
        "url": "https://sahel-wire.example/drones",
    }


def test_claim_detail_is_the_evidence(client: TestClient, sample: list[Analysis]) -> None:
    claim = sample[1].claims[0]  # the army's drones claim, relayed by SUNA
    body = ok(client.get(f"/api/claims/{claim.id}"))
    segments = body["segments"]
    assert "".join(s["text"] for s in segments) == claim.sentence
    marked = {kind: "".join(s["text"] for s in segments if kind in s["marks"]) for kind in ("claim", "cue", "place")}
    assert marked == {"claim": claim.text, "cue": "claimed", "place": "Port Sudan"}
    assert [(link["role"], link["name"]) for link in body["chain"]] == [
        ("claimant", "Sudanese Armed Forces"),
        ("via", "SUNA"),
        ("outlet", "Sahel Wire"),
    ]
    assert body["chain"][-1]["url"] == "https://sahel-wire.example/drones"
    assert body["document"]["title"] == "Drones downed over Port Sudan"
    assert body["quantities"][0]["value"] == 12


def test_claim_detail_lists_related_claims_with_the_explanation(client: TestClient, sample: list[Analysis]) -> None:
    saf, rsf = sample[0].claims[0], sample[0].claims[1]
    body = ok(client.get(f"/api/claims/{saf.id}"))
    (rel,) = body["relations"]
    assert rel["type"] == "contradicts" and "holds the bridge" in rel["explanation"]
    other = next(c for c in rel["claim_records"] if c["id"] != saf.id)
    assert other["id"] == rsf.id and other["side"] == "RSF"


def test_entities_and_relations(client: TestClient, sample: list[Analysis]) -> None:
    page = ok(client.get("/api/entities", params={"limit": 2}))
    assert page["total"] == 4 and len(page["items"]) == 2
    found = ok(client.get("/api/entities", params={"q": "sudan news"}))  # an alias
    assert ids(found) == ["ent_suna"] and found["total"] == 1
    assert ok(client.get("/api/entities", params={"side": "RSF"}))["total"] == 1
    saf = ok(client.get("/api/entities/ent_saf"))
    assert saf["claims_total"] == 2 and {c["side"] for c in saf["claims"]} == {"SAF"}
    rels = ok(client.get("/api/relations", params={"type": "contradicts"}))
    assert rels["total"] == 1 and len(rels["items"][0]["claim_records"]) == 2
    touching = ok(client.get("/api/relations", params={"claim_id": sample[0].claims[1].id}))
    assert touching["total"] == 1
    assert ok(client.get("/api/relations", params={"type": "repeats"}))["total"] == 0


def test_places_aggregate_claims_by_side(client: TestClient) -> None:
    page = ok(client.get("/api/places"))
    assert [p["name"] for p in page["items"]] == ["El Fasher", "Nyala", "Omdurman", "Mosul", "Port Sudan"]
    assert page["total"] == 5
    places = {p["name"]: p for p in page["items"]}
    omdurman = places["Omdurman"]
    assert omdurman["key"] == "365137" and omdurman["claims"] == 2
    assert omdurman["sides"] == {"RSF": 1, "SAF": 1} and omdurman["unattributed"] == 0
    assert omdurman["contested"] is True and omdurman["challenged"] == 2
    fasher = places["El Fasher"]
    assert (fasher["claims"], fasher["sides"], fasher["unattributed"], fasher["contested"]) == (2, {}, 2, False)
    assert (fasher["lat"], fasher["lon"]) == (13.6279, 25.3494)
    assert places["Nyala"]["first"] == "2023-07-18"
    boxed = ok(client.get("/api/places", params={"bbox": "20,10,30,15"}))  # Darfur only
    assert {p["name"] for p in boxed["items"]} == {"El Fasher", "Nyala"}
    saf = ok(client.get("/api/places", params={"side": "SAF"}))
    assert {p["name"] for p in saf["items"]} == {"Omdurman", "Port Sudan"}
    paged = ok(client.get("/api/places", params={"limit": 2, "offset": 4}))
    assert paged["total"] == 5 and [p["name"] for p in paged["items"]] == ["Port Sudan"]


def test_places_follow_new_claims(client: TestClient, ledger: Store, sample: list[Analysis]) -> None:
    before = {p["name"]: p["claims"] for p in ok(client.get("/api/places"))["items"]}
    doc = replace(sample[2].document, title="Market struck in El Fasher (second report)", id="")
    ledger.save_analysis(
        Analysis(document=doc, claims=[replace(c, document_id=doc.id, id="") for c in sample[2].claims])
    )
    after = {p["name"]: p["claims"] for p in ok(client.get("/api/places"))["items"]}
    assert after["El Fasher"] == before["El Fasher"] + 1


def test_conflicts_put_each_side_in_its_own_column(client: TestClient, sample: list[Analysis]) -> None:
    page = ok(client.get("/api/conflicts"))
    assert page["total"] == 1
    (conflict,) = page["items"]
    assert conflict["subject"] == "Omdurman" and conflict["place"]["geonames_id"] == 365137
    assert {side: [c["id"] for c in claims] for side, claims in conflict["sides"].items()} == {
        "SAF": [sample[0].claims[0].id],
        "RSF": [sample[0].claims[1].id],
    }
    assert conflict["outlets"] == ["Nile Courier"] and conflict["relations"][0]["type"] == "contradicts"
    assert ok(client.get("/api/conflicts", params={"place": "Nyala"}))["total"] == 0


def test_timeline_of_a_place(client: TestClient) -> None:
    page = ok(client.get("/api/timeline", params={"subject": "El Fasher"}))
    assert page["subject"] == "El Fasher" and page["total"] == 2
    starts = [e["event_start"] for e in page["items"]]
    assert starts == ["2023-07-04", None]  # dated first
    assert page["items"][0]["outlet"] == "Nile Courier"
    assert page["items"][0]["claim"]["text"] == "at least 15 civilians were killed"


# -- bad parameters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "param", "words"),
    [
        ("/api/claims", {"bbox": "30,40"}, "bbox", "4 numbers"),
        ("/api/claims", {"bbox": "a,b,c,d"}, "bbox", "4 numbers"),
        ("/api/claims", {"bbox": "30,95,40,96"}, "bbox", "latitudes"),
        ("/api/claims", {"bbox": "nan,1,2,3"}, "bbox", "finite"),
        ("/api/claims", {"since": "last tuesday"}, "since", "not a date"),
        ("/api/claims", {"place": "9" * 20}, "place", "not a GeoNames id"),
        ("/api/claims", {"limit": "1001"}, "limit", "1000"),
        ("/api/claims", {"limit": "-1"}, "limit", "greater than or equal to 0"),
        ("/api/claims", {"limit": "ten"}, "limit", "integer"),
        ("/api/claims", {"offset": "-3"}, "offset", "greater than or equal to 0"),
        ("/api/claims", {"order": "loudness"}, "order", "stated_at"),
        ("/api/places", {"until": "2024-13-01"}, "until", "not a date"),
        ("/api/documents", {"since": "soon"}, "since", "not a date"),
        ("/api/timeline", {}, "subject", "required"),
        ("/api/timeline", {"subject": "   "}, "subject", "empty"),
        ("/api/export", {"format": "xml"}, "format", "jsonl"),
        ("/api/conflicts", {"since": "2024-99-99"}, "since", "not a date"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(
    local_client: TestClient, path: str, params: dict[str, str], param: str, words: str
) -> None:
    r = local_client.get(path, params=params)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["param"] == param and body["status"] == 422
    assert param in body["error"] and words in body["error"]


# -- export -----------------------------------------------------------------------------------------


def test_export_jsonl_streams_every_record(client: TestClient) -> None:
    r = client.get("/api/export", params={"format": "jsonl"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    assert 'filename="crosscheck.jsonl"' in r.headers["content-disposition"]
    kinds = [json.loads(line)["kind"] for line in r.text.splitlines()]
    assert kinds.count("document") == N_DOCUMENTS and kinds.count("claim") == N_CLAIMS
    assert kinds.count("relation") == 1 and kinds.count("entity") == 4


def test_export_csv_and_geojson_apply_the_filters(client: TestClient) -> None:
    r = client.get("/api/export", params={"format": "csv", "side": "SAF"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 2 and {row["claimant_side"] for row in rows} == {"SAF"}
    geo = client.get("/api/export", params={"format": "geojson", "place": "Nyala"}).json()
    assert geo["type"] == "FeatureCollection"
    # the two Nyala claims: one also names El Fasher, so three points
    assert sorted(f["properties"]["place"] for f in geo["features"]) == ["El Fasher", "Nyala", "Nyala"]


# -- auth -------------------------------------------------------------------------------------------


def test_writes_are_refused_when_no_token_is_set(make_local_client: MakeClient) -> None:
    client = make_local_client(api_token="")
    r = client.post("/api/ingest", data={"text": "Anything."}, headers=auth())
    assert r.status_code == 403
    assert "CROSSCHECK_API_TOKEN" in r.json()["error"]
    assert ok(client.get("/api/meta"))["writes_enabled"] is False


def test_writes_need_the_right_token(local_client: TestClient) -> None:
    missing = local_client.post("/api/ingest", data={"text": "Anything."})
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in missing.json()["error"]
    wrong = local_client.post("/api/ingest", data={"text": "Anything."}, headers=auth("guess"))
    assert wrong.status_code == 401 and "not this server's API token" in wrong.json()["error"]
    empty = local_client.post("/api/ingest", data={}, headers=auth())
    assert empty.status_code == 422 and "nothing to ingest" in empty.json()["error"]
    bad_url = local_client.post("/api/ingest", data={"url": "file:///etc/passwd"}, headers=auth())
    assert bad_url.status_code == 422 and bad_url.json()["param"] == "url"


def test_reads_need_the_token_when_public_read_is_off(make_local_client: MakeClient) -> None:
    client = make_local_client(public_read=False)
    for path in ("/api/claims", "/api/meta", "/api/places", "/api/export"):
        assert client.get(path).status_code == 401, path
        assert client.get(path, headers=auth("nope")).status_code == 401, path
        assert client.get(path, headers=auth()).status_code == 200, path
    assert client.get("/").status_code == 200  # the page itself holds no data
    closed = make_local_client(public_read=False, api_token="")
    r = closed.get("/api/claims")
    assert r.status_code == 403 and "CROSSCHECK_API_TOKEN" in r.json()["error"]


# -- ingest through the API (runs the real pipeline) -------------------------------------------------

HOSTILE_ARTICLE = (
    f"Harbour officials said on Monday that two cargo ships had been struck near the port of Odesa {SCRIPT}. "
    f"The navy said it had shot down 14 drones overnight {IMG}, according to a statement."
)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture
def writer(sqlite_url: str, pipeline: Pipeline) -> Iterator[TestClient]:
    """A client over an empty SQLite ledger, for tests that run the real pipeline (one model load per module)."""
    with open_store(sqlite_url) as store:
        app = create_app(store=store, settings={"api_token": TOKEN})
        app.state.web.jobs.pipeline = pipeline
        with TestClient(app) as client:
            yield client


@pytest.fixture
def ingested(writer: TestClient) -> dict[str, Any]:
    r = writer.post(
        "/api/ingest",
        data={"text": HOSTILE_ARTICLE, "title": f"Port struck {SCRIPT}", "outlet": "Quay Post", "wait": "true"},
        headers=auth(),
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_ingest_pasted_text_and_follow_the_job(writer: TestClient, ingested: dict[str, Any]) -> None:
    assert ingested["status"] == "done", ingested
    assert ingested["sources"] == ["pasted text"]
    assert ingested["report"]["inserted"] == 1 and ingested["report"]["claims"] >= 1
    assert ok(writer.get(f"/api/ingest/{ingested['id']}", headers=auth()))["status"] == "done"
    assert writer.get(f"/api/ingest/{ingested['id']}").status_code == 401  # job status is for writers
    docs = ok(writer.get("/api/documents", params={"q": "cargo ships"}))
    assert docs["total"] == 1 and docs["items"][0]["outlet"] == "Quay Post"


def test_ingest_answers_at_once_with_a_job_to_poll(writer: TestClient, tmp_path: Path) -> None:
    article = "Rescue teams said on Tuesday that the dam near Kherson had been breached, flooding 30 villages.\n"
    r = writer.post("/api/ingest", files={"file": ("dam report.txt", article.encode(), "text/plain")}, headers=auth())
    assert r.status_code == 202 and r.headers["location"] == f"/api/ingest/{r.json()['id']}"
    job = writer.app.state.web.jobs.get(r.json()["id"])  # type: ignore[attr-defined]
    assert job.done.wait(60)
    body = ok(writer.get(f"/api/ingest/{job.id}", headers=auth()))
    assert body["status"] == "done" and body["sources"] == ["dam report.txt"] and body["stored"] == 1


def test_hostile_text_comes_back_as_data_never_as_markup(writer: TestClient, ingested: dict[str, Any]) -> None:
    doc = ok(writer.get("/api/documents", params={"q": "cargo ships"}))["items"][0]
    detail = writer.get(f"/api/documents/{doc['id']}")
    assert detail.headers["content-type"] == "application/json"
    assert detail.headers["x-content-type-options"] == "nosniff"
    body = detail.json()
    assert SCRIPT in body["text"] and IMG in body["text"] and body["title"] == f"Port struck {SCRIPT}"
    claims = ok(writer.get("/api/claims", params={"q": "cargo ships"}))["items"]
    assert claims and any(SCRIPT in c["sentence"] for c in claims)
    for path in ("/", "/docs", "/?q=" + SCRIPT):
        page = writer.get(path)
        assert page.headers["content-type"].startswith("text/html")
        assert SCRIPT not in page.text and "onerror" not in page.text


def test_hand_built_hostile_record_is_returned_verbatim(client: TestClient) -> None:
    (claim,) = ok(client.get("/api/claims", params={"place": "Mosul"}))["items"]
    assert SCRIPT in claim["text"] and IMG in claim["claimant"]["name"]
    detail = ok(client.get(f"/api/claims/{claim['id']}"))
    assert detail["document"]["url"] == "javascript:alert(1)"  # data; the UI refuses to make it a link
    assert "".join(s["text"] for s in detail["segments"]) == detail["sentence"]


# -- pages, headers, assets -------------------------------------------------------------------------


def test_every_response_has_a_strict_content_security_policy(local_client: TestClient) -> None:
    for path in ("/", "/docs", "/api/claims", "/static/js/main.js", "/api/nothing", "/openapi.json"):
        csp = local_client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    headers = local_client.get("/").headers
    assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer"


def test_pages_have_no_inline_script(local_client: TestClient) -> None:
    for path in ("/", "/docs"):
        html = local_client.get(path).text
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S)
        assert scripts and all(body.strip() == "" for body in scripts)
        assert all(" src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))
        assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def test_static_files_and_openapi(local_client: TestClient) -> None:
    js = local_client.get("/static/js/main.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    spec = ok(local_client.get("/openapi.json"))
    paths = set(spec["paths"])
    for path in (
        "/api/documents",
        "/api/documents/{document_id}",
        "/api/claims",
        "/api/claims/{claim_id}",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/relations",
        "/api/places",
        "/api/conflicts",
        "/api/timeline",
        "/api/export",
        "/api/ingest",
        "/api/ingest/{job_id}",
        "/api/meta",
    ):
        assert path in paths, path
    assert "bearer" in json.dumps(spec["components"]["securitySchemes"]).lower()
    assert "crosscheck API" in local_client.get("/docs").text


def test_missing_map_files_are_explained(local_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crosscheck.web.app.missing_assets", lambda: ["leaflet/leaflet.js"])
    monkeypatch.setattr("crosscheck.web.api.missing_assets", lambda: ["leaflet/leaflet.js"])
    page = local_client.get("/").text
    assert "make assets" in page and "leaflet/leaflet.js" in page
    assert "/static/vendor/leaflet/leaflet.js" not in page  # no script tag that would 404
    meta = ok(local_client.get("/api/meta"))
    assert meta["assets"] == {"ok": False, "missing": ["leaflet/leaflet.js"], "hint": assets.HINT}


def test_copy_assets_from_node_modules(tmp_path: Path) -> None:
    node_modules, vendor = tmp_path / "node_modules", tmp_path / "vendor"
    assert assets.missing(vendor) == list(assets.REQUIRED)
    for src, _ in assets.FILES[:-1]:
        (node_modules / src).parent.mkdir(parents=True, exist_ok=True)
        (node_modules / src).write_text(src)
    with pytest.raises(ConfigError, match="world-atlas/LICENSE"):
        assets.copy_assets(node_modules, vendor)
    assert not vendor.exists()  # nothing copied when npm left something out
    (node_modules / assets.FILES[-1][0]).write_text("licence")
    written = assets.copy_assets(node_modules, vendor)
    assert len(written) == len(assets.FILES) and assets.missing(vendor) == []
    assert (vendor / "leaflet/leaflet.js").read_text() == "leaflet/dist/leaflet.js"


def test_create_app_opens_and_closes_its_own_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'own.db'}"
    with TestClient(create_app(db=url, settings={"api_token": TOKEN})) as client:
        assert ok(client.get("/api/claims"))["total"] == 0
        assert ok(client.get("/api/places"))["items"] == []


def test_serve_runs_uvicorn_on_the_given_address(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    from crosscheck.web import serve

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    serve(db=f"sqlite:///{tmp_path / 's.db'}", host="127.0.0.1", port=8765)
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8765
    assert calls[0]["app"].title == "crosscheck"
