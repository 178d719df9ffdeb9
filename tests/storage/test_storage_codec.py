"""Records to dicts and back: stored claims come back equal; export lines can be read back."""

from __future__ import annotations

import json

from crosscheck.records import Actor, Analysis, Claim, Entity, Interval, Relation
from crosscheck.storage import (
    claim_from_dict,
    claim_record,
    document_from_dict,
    entity_from_dict,
    relation_from_dict,
)


def test_claim_record_round_trips_exactly(sample: list[Analysis]) -> None:
    for analysis in sample:
        for claim in analysis.claims:
            again = claim_from_dict(json.loads(json.dumps(claim_record(claim))))
            assert again == claim


def test_offsets_left_out_of_the_export_are_kept_in_storage() -> None:
    claim = Claim(
        document_id="doc_x",
        text="troops withdrew",
        sentence="Officials said troops withdrew.",
        span=(15, 30),
        mode="indirect",
        claimant=Actor(name="Officials", span=(0, 9)),
        via=[Actor(name="Channel", id="ent_ch", span=(40, 47))],
        cue="said",
        cue_span=(10, 14),
        sentence_span=(0, 31),
        event_time=Interval("2024-02-01", None, text="in February", span=(50, 61)),
    )
    exported = claim.to_dict()
    assert "cue_span" not in exported
    assert claim_from_dict(claim_record(claim)) == claim
    lossy = claim_from_dict(exported)
    assert lossy.to_dict() == exported
    assert lossy.cue_span is None and lossy.claimant is not None and lossy.claimant.span is None


def test_export_dicts_read_back(sample: list[Analysis]) -> None:
    doc = sample[0].document
    back = document_from_dict(doc.to_dict())
    assert back.to_dict() == doc.to_dict()
    assert back.id == doc.id and back.text == ""
    entity = Entity(id="ent_a", name="A", type="group", aliases=["a"], side="X", lat=1.5, lon=2.5)
    assert entity_from_dict(entity.to_dict()) == entity
    rel = Relation(type="disputes", claims=("clm_b", "clm_a"), explanation="why", score=0.5)
    assert relation_from_dict(rel.to_dict()) == rel
