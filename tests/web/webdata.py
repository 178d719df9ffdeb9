"""Data the web tests share: the API token, hostile markup, and an article written to carry it."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from crosscheck.records import Actor, Analysis, Claim, Document, Interval, Place, Quantity, Relation

TOKEN = "s3cret-test-token"
MakeClient = Callable[..., TestClient]  # make_client(**settings) -> a client with those settings
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MOSUL = {"name": "Mosul", "lat": 36.335, "lon": 43.119, "geonames_id": 99072, "country": "IQ"}


def hostile_analysis() -> Analysis:
    """A made-up article whose title, outlet, text, claimant and claim all carry markup that must stay text."""
    text = (
        f"A militia commander {IMG} said that fighters had seized the grain depot in Mosul {SCRIPT} on Friday. "
        "Officials did not respond."
    )
    doc = Document(
        title=f"Depot seized {SCRIPT}",
        text=text,
        outlet="Harbour <b>Gazette</b>",
        url="javascript:alert(1)",
        published="2023-08-05",
    )
    claim_text = f"fighters had seized the grain depot in Mosul {SCRIPT} on Friday"
    start = text.index(claim_text)
    sentence = text[: text.index(". ") + 1]
    cue = text.index("said")
    mosul = text.index("Mosul")
    claim = Claim(
        document_id=doc.id,
        text=claim_text,
        sentence=sentence,
        span=(start, start + len(claim_text)),
        sentence_span=(0, len(sentence)),
        mode="indirect",
        cue="said",
        cue_span=(cue, cue + 4),
        claimant=Actor(name=f"militia commander {IMG}", mention=f"A militia commander {IMG}", type="person"),
        event_type="capture",
        places=[Place(mention="Mosul", span=(mosul, mosul + 5), **MOSUL)],  # type: ignore[arg-type]
        event_time=Interval("2023-08-04", "2023-08-04", text="on Friday"),
        stated_at="2023-08-05",
    )
    return Analysis(document=doc, claims=[claim])


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def contested_analysis() -> Analysis:
    """A made-up report in which two sides contradict each other about one village, with a relation."""
    text = (
        "The Northern Command said on Sunday that its troops had taken the village of Tal Afar after a two-day "
        "battle, killing 35 defenders. The Southern Guard denied the report, saying its units still held Tal Afar "
        "and had lost 3 soldiers."
    )
    doc = Document(
        title="Both sides claim Tal Afar",
        text=text,
        outlet="Valley Ledger",
        url="https://valley-ledger.example/tal-afar",
        published="2023-09-11",
    )
    town = {"name": "Tal Afar", "lat": 36.376, "lon": 42.449, "geonames_id": 99434, "country": "IQ"}

    def claim(claim_text: str, *, side: str, who: str, cue: str, number: str, value: float) -> Claim:
        start = text.index(claim_text)
        sentence_start = text.rfind(". ", 0, start) + 2 if ". " in text[:start] else 0
        sentence_end = text.index(".", start + len(claim_text)) + 1
        at = text.index(cue, sentence_start)
        place_at = text.index("Tal Afar", start)
        number_at = text.index(number, start)
        return Claim(
            document_id=doc.id,
            text=claim_text,
            sentence=text[sentence_start:sentence_end],
            span=(start, start + len(claim_text)),
            sentence_span=(sentence_start, sentence_end),
            mode="indirect",
            cue=cue,
            cue_span=(at, at + len(cue)),
            claimant=Actor(name=who, id=f"ent_{side.lower()}", mention=who, type="military", side=side),
            event_type="territorial_control",
            places=[Place(mention="Tal Afar", span=(place_at, place_at + 8), **town)],  # type: ignore[arg-type]
            quantities=[
                Quantity(text=number, value=value, unit=number.split()[-1], span=(number_at, number_at + len(number)))
            ],
            event_time=Interval("2023-09-09", "2023-09-10", text="a two-day battle"),
            stated_at="2023-09-10",
            status="contested",
        )

    north = claim(
        "its troops had taken the village of Tal Afar after a two-day battle, killing 35 defenders",
        side="North",
        who="Northern Command",
        cue="said",
        number="35 defenders",
        value=35,
    )
    south = claim(
        "its units still held Tal Afar and had lost 3 soldiers",
        side="South",
        who="Southern Guard",
        cue="saying",
        number="3 soldiers",
        value=3,
    )
    return Analysis(document=doc, claims=[north, south])


def contested_relation(analysis: Analysis) -> Relation:
    north, south = analysis.claims
    return Relation(
        type="contradicts",
        claims=(north.id, south.id),
        explanation="contradicts: the North says it took Tal Afar; the South says it still holds it",
        score=0.9,
    )
