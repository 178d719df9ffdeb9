"""Saving analyses: round trip, idempotency, atomicity, entities, signatures, relations, status."""

from __future__ import annotations

import pytest

from crosscheck.errors import InputError, NotFound, StorageError
from crosscheck.records import Analysis, Claim, Document, Entity, Relation
from crosscheck.storage import ClaimFilter, DocInfo, SaveResult, Store
from crosscheck.storage.store import Store as StoreBase


def _counts(store: Store) -> tuple[int, int, int, int]:
    s = store.stats()
    return s["documents"], s["claims"], s["entities"], s["relations"]


def test_round_trip_gives_back_equal_records(store: Store, sample: list[Analysis]) -> None:
    for analysis in sample:
        result = store.save_analysis(analysis)
        assert result == SaveResult(analysis.document.id, True, len(analysis.claims))
    for analysis in sample:
        assert store.get_document(analysis.document.id) == analysis.document
        for claim in analysis.claims:
            assert store.get_claim(claim.id) == claim
    stored = store.query_claims(limit=1000, order="added")
    assert stored == [c for a in sample for c in a.claims]


def test_saving_again_changes_nothing(store: Store, sample: list[Analysis]) -> None:
    for analysis in sample:
        store.save_analysis(analysis)
    before = _counts(store)
    again = [store.save_analysis(a) for a in build_changed(sample)]
    assert all(r.inserted is False and r.claims == 0 for r in again)
    assert _counts(store) == before == (5, 7, 4, 0)
    assert store.get_claim(sample[0].claims[0].id).text == sample[0].claims[0].text


def build_changed(sample: list[Analysis]) -> list[Analysis]:
    """The same documents with altered claims and entities: a second save must not apply them."""
    out = []
    for a in sample:
        claims = [Claim(**{**c.__dict__, "text": c.text.upper()}) for c in a.claims]
        extra = Entity(id="ent_new", name="Someone new", type="person")
        out.append(Analysis(document=a.document, claims=claims, entities=[extra], duplicate_of=a.duplicate_of))
    return out


@pytest.mark.parametrize("fail_at", ["merge_entities", "_insert_places", "_insert_blocks"])
def test_a_failure_mid_document_leaves_nothing(
    store: Store, sample: list[Analysis], monkeypatch: pytest.MonkeyPatch, fail_at: str
) -> None:
    store.save_analysis(sample[2])
    before = _counts(store)

    def boom(*args: object) -> None:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(StoreBase, fail_at, boom)
    with pytest.raises(RuntimeError, match="injected"):
        store.save_analysis(sample[0])
    monkeypatch.undo()
    assert _counts(store) == before
    assert sample[0].document.id not in store.document_ids()
    assert store.count_claims(ClaimFilter(place="Omdurman")) == 0
    assert store.claims_by_blocks(["365137|2023-06-11"]) == []
    assert store.query_claims(ClaimFilter(text="repelled")) == []
    # and the document can be saved once the failure is gone
    assert store.save_analysis(sample[0]).inserted


def test_a_database_error_mid_document_is_a_storage_error_and_leaves_nothing(
    store: Store, sample: list[Analysis]
) -> None:
    analysis = sample[0]
    analysis.claims.append(analysis.claims[0])  # the same claim id twice: the second insert fails
    with pytest.raises(StorageError, match=analysis.document.id):
        store.save_analysis(analysis)
    assert _counts(store) == (0, 0, 0, 0)


def test_claims_of_another_document_are_refused(store: Store, sample: list[Analysis]) -> None:
    analysis = Analysis(document=sample[1].document, claims=sample[0].claims)
    with pytest.raises(StorageError, match="belongs to document"):
        store.save_analysis(analysis)
    assert store.document_ids() == set()


def test_entities_are_upserted_with_aliases_merged(filled_store: Store) -> None:
    saf = filled_store.get_entity("ent_saf")
    assert saf.aliases == ["SAF", "the army", "Army officials"]
    assert saf.side == "SAF"
    doc = Document(text="Another short report.", outlet="Sahel Wire")
    update = Entity(id="ent_saf", name="Sudanese Armed Forces", type="military", side=None, aliases=["SAF", "Army"])
    filled_store.save_analysis(Analysis(document=doc, entities=[update, update]))
    saf = filled_store.get_entity("ent_saf")
    assert saf.aliases == ["SAF", "the army", "Army officials", "Army"]
    assert saf.side == "SAF"  # a missing value does not erase a stored one
    assert filled_store.get_entity("ent_ortiz").name == "Ramón Ortíz"
    with pytest.raises(NotFound):
        filled_store.get_entity("ent_nobody")


def test_entity_listing_filters(filled_store: Store) -> None:
    assert [e.id for e in filled_store.entities()] == ["ent_ortiz", "ent_rsf", "ent_saf", "ent_suna"]
    assert [e.id for e in filled_store.entities(type="military")] == ["ent_rsf", "ent_saf"]
    assert [e.id for e in filled_store.entities(side="RSF")] == ["ent_rsf"]
    assert [e.id for e in filled_store.entities(name="news agency")] == ["ent_suna"]  # an alias
    assert [e.id for e in filled_store.entities(name="ORTÍZ")] == ["ent_ortiz"]  # non-ASCII, any case
    assert [e.id for e in filled_store.entities(limit=2, offset=1)] == ["ent_rsf", "ent_saf"]
    assert [e.id for e in filled_store.iter_entities(batch=1)] == ["ent_ortiz", "ent_rsf", "ent_saf", "ent_suna"]


def test_documents_are_found_and_listed(filled_store: Store, sample: list[Analysis]) -> None:
    a, b, c, d, e = (x.document for x in sample)
    assert filled_store.count_documents() == 5
    assert filled_store.document_ids() == {x.id for x in (a, b, c, d, e)}
    assert [x.id for x in filled_store.query_documents()] == [a.id, e.id, b.id, c.id, d.id]
    assert [x.id for x in filled_store.query_documents(order="-published")] == [c.id, b.id, e.id, a.id, d.id]
    assert [x.id for x in filled_store.query_documents(outlet="nile courier")] == [a.id, c.id]
    assert [x.id for x in filled_store.query_documents(since="2023-06-13", until="2023-06-30")] == [b.id]
    assert {x.id for x in filled_store.query_documents(text="bridge")} == {a.id, e.id}
    assert [x.id for x in filled_store.query_documents(text="confirmation market")] == [c.id]
    assert filled_store.count_documents(text="drones") == 1
    assert [x.id for x in filled_store.query_documents(limit=2, offset=3)] == [c.id, d.id]
    assert [x.id for x in filled_store.iter_documents(batch=2)] == [a.id, b.id, c.id, d.id, e.id]
    assert [x.text for x in filled_store.iter_documents(ids=[b.id], with_text=False)] == [""]
    with pytest.raises(NotFound, match="doc_missing"):
        filled_store.get_document("doc_missing")


def test_documents_info_and_near_duplicate_link(filled_store: Store, sample: list[Analysis]) -> None:
    a, e = sample[0].document, sample[4].document
    info = filled_store.documents_info([a.id, e.id, "doc_missing", a.id])
    assert info == {
        a.id: DocInfo(a.id, "Nile Courier", "2023-06-12", a.url, None),
        e.id: DocInfo(e.id, "Sahel Wire", "2023-06-12", None, a.id),
    }
    assert filled_store.stats()["near_duplicates"] == 1


def test_signatures_are_kept_for_the_duplicate_index(store: Store, sample: list[Analysis]) -> None:
    store.save_analysis(sample[0], signature=b"\x00\x01\xff")
    store.save_analysis(sample[1])
    store.save_signature(sample[1].document.id, bytes(range(256)))
    assert list(store.iter_signatures(batch=1)) == [
        (sample[0].document.id, b"\x00\x01\xff"),
        (sample[1].document.id, bytes(range(256))),
    ]
    with pytest.raises(NotFound):
        store.save_signature("doc_missing", b"x")


def _relations(sample: list[Analysis]) -> list[Relation]:
    a1, a2, _ = sample[0].claims
    b1 = sample[1].claims[0]
    return [
        Relation(type="contradicts", claims=(a1.id, a2.id), explanation="control of the bridge", score=0.8),
        Relation(type="corroborates", claims=(a1.id, b1.id), explanation="same side, same week"),
    ]


def test_relations_are_upserted_by_id(filled_store: Store, sample: list[Analysis]) -> None:
    rels = _relations(sample)
    assert filled_store.save_relations(rels) == 2
    changed = Relation(type="contradicts", claims=rels[0].claims, explanation="revised", score=0.9)
    assert changed.id == rels[0].id
    filled_store.save_relations([changed, changed])
    got = {r.id: r for r in filled_store.relations()}
    assert got == {changed.id: changed, rels[1].id: rels[1]}
    a1, a2 = rels[0].claims
    assert filled_store.relations(claim_id=a2) == [changed]
    assert len(filled_store.relations(claim_id=a1)) == 2
    assert filled_store.relations(type="corroborates") == [rels[1]]
    assert len(filled_store.relations(limit=1)) == 1
    assert filled_store.relations(limit=1, offset=1) == filled_store.relations()[1:]
    assert sorted(r.id for r in filled_store.iter_relations(batch=1)) == sorted(got)
    assert filled_store.count_relations() == 2
    assert filled_store.stats()["relations_by_type"] == {"contradicts": 1, "corroborates": 1}


def test_relations_to_unknown_claims_are_refused_whole(filled_store: Store, sample: list[Analysis]) -> None:
    bad = Relation(type="repeats", claims=(sample[0].claims[0].id, "clm_missing"), explanation="x")
    with pytest.raises(StorageError):
        filled_store.save_relations([*_relations(sample), bad])
    assert filled_store.relations() == []


def test_claim_status_is_set_in_bulk(filled_store: Store, sample: list[Analysis]) -> None:
    a1, a2, a3 = sample[0].claims
    filled_store.set_claim_status({a1.id: "contested", a2.id: "contested", "clm_missing": "x"})
    assert filled_store.get_claim(a1.id).status == "contested"
    assert {c.id for c in filled_store.query_claims(ClaimFilter(status="contested"))} == {a1.id, a2.id}
    filled_store.set_claim_status({a1.id: None})
    assert filled_store.get_claim(a1.id).status is None
    assert filled_store.get_claim(a3.id).status is None


def test_claims_by_blocking_key(filled_store: Store, sample: list[Analysis]) -> None:
    a1, a2, _ = sample[0].claims
    assert filled_store.claims_by_blocks(["365137|2023-06-11"]) == [a1, a2]
    assert filled_store.claims_by_blocks(["attack|365137", "365137|2023-06-11", "nothing"]) == [a1, a2]
    assert filled_store.claims_by_blocks([]) == []
    assert filled_store.claims_by_blocks(["366847|2023-07-18"]) == [sample[3].claims[1]]


def test_stats_summarise_the_ledger(filled_store: Store) -> None:
    s = filled_store.stats(top=2)
    assert (s["documents"], s["claims"], s["entities"], s["relations"]) == (5, 7, 4, 0)
    assert s["claims_by_side"] == {"SAF": 2, "none": 4, "RSF": 1}
    assert s["top_claimants"] == [
        {"id": "ent_saf", "name": "Sudanese Armed Forces", "claims": 2},
        {"id": None, "name": "Local monitoring group", "claims": 1},
    ]
    assert s["top_places"] == [{"name": "El Fasher", "claims": 2}, {"name": "Nyala", "claims": 2}]
    assert s["top_outlets"] == [{"outlet": "Nile Courier", "documents": 2}, {"outlet": "Sahel Wire", "documents": 2}]


def test_bulk_save_matches_one_by_one(store: Store, sample: list[Analysis]) -> None:
    sigs = {sample[1].document.id: b"sig"}
    results = store.bulk_save([*sample, sample[0]], signatures=sigs, batch=2)
    assert [r.inserted for r in results] == [True] * 5 + [False]
    assert store.count_claims() == 7
    assert list(store.iter_signatures()) == [(sample[1].document.id, b"sig")]


def test_nul_characters_do_not_break_a_save(store: Store) -> None:
    doc = Document(text="Scraped\x00 text: a stray NUL said it.", title="Odd\x00page", outlet="Feed\x00")
    claim = Claim(document_id=doc.id, text="a stray NUL", sentence=doc.text, span=(15, 26), mode="unattributed")
    entity = Entity(id="ent_odd", name="Odd\x00one", type="group")
    assert store.save_analysis(Analysis(document=doc, claims=[claim], entities=[entity])).inserted
    assert len(store.get_document(doc.id).text) == len(doc.text)  # offsets stay valid
    assert store.get_claim(claim.id).span == (15, 26)
    assert store.count_claims(ClaimFilter(text="stray")) == 1


def test_bad_paging_and_order_are_input_errors(store: Store) -> None:
    with pytest.raises(InputError, match="order"):
        store.query_claims(order="loudness")
    with pytest.raises(InputError, match="limit"):
        store.query_claims(limit=-1)
    with pytest.raises(InputError, match="offset"):
        store.query_documents(offset=-5)
