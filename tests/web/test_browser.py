"""The web UI in headless Chromium over a ledger with the seed articles and our own: the map, a place's
claims side by side, a claim's evidence, filters in the URL, keyboard use, a phone-width layout, and a
hostile article whose markup never runs. Screenshots go to tests/artifacts/ (not versioned)."""

from __future__ import annotations

import csv
import io
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from webdata import SCRIPT, TOKEN, contested_analysis, contested_relation, hostile_analysis

from crosscheck.storage import open_store
from crosscheck.web import assets, create_app

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

CHROMIUM = Path("/usr/bin/chromium")
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
OWN_ARTICLE = """## Drones over Kharkiv as both sides claim hits

By Ridge Wire

March 3, 2025

The Ukrainian air force said on Monday that it had shot down 21 of the 25 drones launched at Kharkiv overnight.

Russia's defence ministry said its forces had destroyed a fuel depot near Kharkiv with a missile strike.

A regional official said two people were injured.
"""

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
if not CHROMIUM.is_file():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)
if not SEEDS.is_dir():
    pytest.skip(f"{SEEDS} is absent", allow_module_level=True)
if assets.missing():
    pytest.skip(f"the map files are missing: {assets.HINT}", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free loopback port, over the seeds, our article, and two hand-built ones."""
    import uvicorn

    from crosscheck.ingest import ingest

    folder = tmp_path_factory.mktemp("browser")
    article = folder / "own" / "kharkiv-drones.txt"
    article.parent.mkdir()
    article.write_text(OWN_ARTICLE, encoding="utf-8")
    from crosscheck.pipeline import Pipeline

    pipeline = Pipeline()
    with open_store(f"sqlite:///{folder / 'ledger.db'}") as store:
        report = ingest([str(SEEDS), str(article.parent)], store=store, pipeline=pipeline)
        assert not report.errors and report.inserted >= 2
        contested = contested_analysis()
        store.save_analysis(contested)
        store.save_relations([contested_relation(contested)])
        store.save_analysis(hostile_analysis())
        app = create_app(store=store, settings={"api_token": TOKEN, "public_read": True})
        app.state.web.jobs.pipeline = pipeline  # the ingest page's jobs reuse the loaded model
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{server.config.port}"
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh page; fails the test if a dialog opens or a script error happens."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=base_url)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not dialogs, f"a dialog opened: {dialogs}"
    assert not errors, f"script errors: {errors}"


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(400)  # let the map finish moving before the picture
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def api(base_url: str, path: str, **params: Any) -> Any:
    response = httpx.get(base_url + path, params=params, timeout=30)
    response.raise_for_status()
    return response.json()


def place_key(base_url: str, name: str) -> str:
    found = [p for p in api(base_url, "/api/places", place=name)["items"] if p["name"] == name]
    assert found, f"{name} is not on the map"
    return str(found[0]["key"])


def test_click_pokrovsk_on_the_map_shows_each_side_side_by_side(page: Any, base_url: str) -> None:
    key = place_key(base_url, "Pokrovsk")
    page.goto("/#/map")
    marker = page.locator(f"path.place-{key}")
    marker.wait_for(state="attached")
    assert page.locator("path.place-marker").count() > 5
    assert page.locator("path.leaflet-interactive").count() > 5
    assert page.locator(".leaflet-overlay-pane svg path").count() > 100  # the basemap's countries
    marker.dispatch_event("click")
    panel = page.locator(".place-panel")
    panel.locator("#place-title", has_text="Pokrovsk").wait_for()
    assert re.search(rf"at={key}\b", page.url)
    russia = panel.locator('.side-column[data-side="Russia"]')
    ukraine = panel.locator('.side-column[data-side="Ukraine"]')
    russia.wait_for()
    assert russia.locator(".claim-card").count() >= 1 and ukraine.locator(".claim-card").count() >= 1
    r, u = russia.bounding_box(), ukraine.bounding_box()
    assert abs(r["y"] - u["y"]) < 5 and abs(r["x"] - u["x"]) > 100  # one row, two columns
    assert "contested" in panel.locator(".place-head").inner_text()
    shot(page, "map-pokrovsk")


def test_follow_a_claim_to_its_evidence(page: Any, base_url: str) -> None:
    key = place_key(base_url, "Pokrovsk")
    page.goto(f"/#/map?at={key}&name=Pokrovsk")
    card = page.locator('.side-column[data-side="Russia"] .claim-card').first
    claim_text = card.locator(".claim-text").inner_text()
    card.locator(".evidence-link").click()
    detail = page.locator(".claim-detail")
    detail.wait_for()
    assert "/#/claim/clm_" in page.url
    marked = " ".join(detail.locator(".sentence mark.m-claim").all_inner_texts())
    assert claim_text.split()[0] in marked
    assert detail.locator(".sentence mark.m-cue").count() >= 1
    roles = detail.locator(".chain .role").all_inner_texts()
    assert roles[0].lower() == "claimant" and roles[-1].lower() == "outlet"
    source = detail.locator(".source a.external")
    assert source.get_attribute("href").startswith("https://")
    assert source.get_attribute("rel") == "noopener noreferrer nofollow"
    shot(page, "claim-evidence")


def test_filter_by_side_is_kept_in_a_shareable_url(page: Any) -> None:
    page.goto("/#/claims")
    page.locator(".claim-card").first.wait_for()
    page.select_option("#f-side", "Russia")
    page.locator(".filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"side=Russia"))
    page.locator(".pager").first.wait_for()
    page.wait_for_function("document.querySelectorAll('.claim-card').length > 0")
    sides = page.locator(".claim-card .side-badge").all_inner_texts()
    assert sides and all(s.strip() == "Russia" for s in sides)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export the matching claims as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows and {r["claimant_side"] for r in rows} == {"Russia"}
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)  # the link alone brings the same view back
    page.locator(".claim-card").first.wait_for()
    assert page.locator("#f-side").input_value() == "Russia"
    assert all(s.strip() == "Russia" for s in page.locator(".claim-card .side-badge").all_inner_texts())
    shot(page, "claims-russia")


def test_hostile_markup_is_shown_as_text_and_never_runs(page: Any, base_url: str) -> None:
    (hostile,) = api(base_url, "/api/claims", q="grain depot")["items"]
    page.goto(f"/#/claim/{hostile['id']}")
    detail = page.locator(".claim-detail")
    detail.wait_for()
    assert SCRIPT in detail.locator(".sentence").inner_text()
    assert detail.locator("script, img").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0  # the document's javascript: URL is no link
    for path in ("/#/claims?q=grain+depot", f"/#/map?at={place_key(base_url, 'Mosul')}&name=Mosul"):
        page.goto(path)
        page.locator(".claim-card").first.wait_for()
        assert SCRIPT in page.locator(".claim-card").first.inner_text()
    page.goto("/#/timeline?subject=Mosul")
    page.locator(".timeline-table").wait_for()
    page.goto(f"/#/claims?q={SCRIPT}")  # markup in the URL is a search, not HTML
    page.locator(".pager").first.wait_for()
    assert page.locator("#f-q").input_value() == SCRIPT
    page.wait_for_timeout(300)  # time for anything that was going to run; the fixture checks no dialog opened
    shot(page, "hostile")


def test_contested_subjects_and_timeline(page: Any) -> None:
    page.goto("/#/contested?place=Tal%20Afar")
    conflict = page.locator(".conflict").first
    conflict.wait_for()
    assert conflict.locator("h2").inner_text() == "Tal Afar"
    assert {c.get_attribute("data-side") for c in conflict.locator(".side-column").all()} == {"North", "South"}
    shot(page, "contested")
    page.goto("/#/timeline?subject=Pokrovsk")
    page.locator(".timeline-svg").wait_for()
    assert page.locator(".timeline-svg a.tl-entry").count() >= 5
    lanes = page.locator(".timeline-svg .lane-label").all_text_contents()
    assert {"Russia", "Ukraine"} <= set(lanes)
    shot(page, "timeline-pokrovsk")


def test_keyboard_reaches_a_place_and_its_claims(page: Any, base_url: str) -> None:
    page.goto("/#/map")
    page.locator(".place-link").first.wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    key = place_key(base_url, "Pokrovsk")
    link = page.locator(f'.place-link[data-place="{key}"]')
    link.focus()
    page.keyboard.press("Enter")
    page.locator(".place-panel #place-title", has_text="Pokrovsk").wait_for()
    assert page.evaluate("document.activeElement.id") == "place-title"  # focus follows the selection
    outline = page.evaluate(
        "(() => { const a = document.querySelector('.place-link'); a.focus();"
        " return getComputedStyle(a).outlineStyle; })()"
    )
    assert outline != "none"


def test_phone_width_layout(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base_url, is_mobile=True)
    page = context.new_page()
    try:
        page.goto("/#/map")
        page.locator(".place-link").first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        map_box, list_box = page.locator("#map").bounding_box(), page.locator(".places-box").bounding_box()
        assert list_box["y"] >= map_box["y"] + map_box["height"] - 1  # stacked, not side by side
        shot(page, "phone-map")
    finally:
        context.close()


def test_ingest_page_needs_a_token_and_reports_the_job(page: Any) -> None:
    page.goto("/#/ingest")
    page.fill("#text", "Witnesses said on Sunday that a convoy had been hit near the river crossing.")
    page.fill("#token", "wrong-token")
    page.click(".ingest-form button[type=submit]")
    page.locator(".ingest-out .error").wait_for()
    assert "not this server's API token" in page.locator(".ingest-out").inner_text()
    shot(page, "ingest-refused")


def test_ingest_page_runs_a_job_and_shows_its_report(page: Any, base_url: str) -> None:
    page.goto("/#/ingest")
    page.fill("#token", TOKEN)
    page.fill("#title", "Ferry halted at the strait")
    page.fill("#outlet", "Strait Courier")
    page.fill(
        "#text",
        "Port officials said on Thursday that the ferry to Kerch had been halted after a drone attack on the pier.",
    )
    page.click(".ingest-form button[type=submit]")
    page.locator(".job-done").wait_for(timeout=60_000)
    report = page.locator(".ingest-out").inner_text()
    assert "pasted text" in report and "1 documents read (1 new" in report
    assert api(base_url, "/api/documents", q="ferry halted")["items"][0]["outlet"] == "Strait Courier"
    shot(page, "ingest-done")
