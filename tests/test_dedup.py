"""Near-duplicate detection with MinHash signatures that the ledger can store."""

from __future__ import annotations

import pytest

from crosscheck.dedup import NearDuplicateIndex, shingles, signature

WIRE = """Rebel fighters shelled the outskirts of the provincial capital on Wednesday, killing at least six civilians \
and wounding 20 more, the regional health office said.

Shells landed near the central bus station and a covered market in the morning, when both were crowded, a health \
official told reporters. Two of the wounded were children, he said.

The rebels, who have besieged the city from the surrounding hills since the spring, did not comment. A spokesman \
for the army said troops had returned fire and destroyed two mortar positions north of the city.

The provincial governor called the attack a deliberate strike on civilians and asked the national government to \
send more ambulances. Aid groups say food and fuel are running short in the city because the main road to the \
coast has been closed for weeks.

The United Nations envoy for the region said in a statement that she was alarmed by the rising number of civilian \
deaths and urged both sides to return to talks that broke down last month."""

# The same wire story as a second outlet ran it: new first words, a changed figure style, one sentence trimmed.
EDITED = (
    WIRE.replace("Rebel fighters shelled", "Rebels shelled")
    .replace("at least six civilians", "at least 6 civilians")
    .replace(" Two of the wounded were children, he said.", "")
)

OTHER = """Flood waters receded from the southern districts on Friday, allowing the first families to return to \
their homes after a week in shelters, the district council said.

Engineers were checking two road bridges for damage before reopening them to lorries, a council spokeswoman said. \
Schools will stay closed until Monday so that classrooms can be cleaned and dried.

The regional weather service said more heavy rain was expected in the hills next week and asked farmers to move \
livestock away from the river banks. Insurance companies have set up mobile offices in three villages."""


def test_lightly_edited_wire_copy_is_a_near_duplicate() -> None:
    index = NearDuplicateIndex(threshold=0.8, num_perm=128)
    assert index.add("doc_wire", WIRE) is None
    assert index.add("doc_other", OTHER) is None
    assert index.add("doc_edited", EDITED) == "doc_wire"
    assert index.similarity("doc_wire", "doc_edited") >= 0.8
    assert index.similarity("doc_wire", "doc_other") < 0.2


def test_different_stories_are_not_duplicates() -> None:
    index = NearDuplicateIndex()
    assert index.add("a", WIRE) is None
    assert index.add("b", OTHER) is None
    assert index.query(OTHER[: len(OTHER) // 3]) is None  # a third of a story is not a near duplicate


def test_signatures_round_trip_and_rebuild_the_index() -> None:
    first = NearDuplicateIndex()
    sig = first.signature(WIRE)
    assert isinstance(sig, bytes) and sig == signature(WIRE) == NearDuplicateIndex().signature(WIRE)
    assert first.add_signature("doc_wire", sig) is None

    rebuilt = NearDuplicateIndex()
    rebuilt.add_signatures([("doc_wire", sig), ("doc_other", signature(OTHER))])
    assert len(rebuilt) == 2 and "doc_wire" in rebuilt
    assert rebuilt.add("doc_edited", EDITED) == "doc_wire"
    assert rebuilt.add_signature("doc_edited_again", signature(EDITED)) in {"doc_wire", "doc_edited"}


def test_adding_a_document_again_does_not_match_itself() -> None:
    index = NearDuplicateIndex()
    assert index.add("a", WIRE) is None
    assert index.add("a", WIRE) is None
    assert len(index) == 1


def test_exact_copy_matches_the_earliest() -> None:
    index = NearDuplicateIndex()
    index.add("first", WIRE)
    index.add("second", WIRE)
    assert index.add("third", WIRE) == "first"


def test_empty_text_matches_nothing() -> None:
    index = NearDuplicateIndex()
    assert index.add("blank", "  ...  ") is None
    assert index.add("blank2", "") is None
    assert shingles("") == []


def test_bad_signature_is_refused() -> None:
    index = NearDuplicateIndex(num_perm=64)
    with pytest.raises(ValueError, match="not a signature"):
        index.add_signature("x", signature(WIRE, num_perm=128))
    with pytest.raises(ValueError, match="not a signature"):
        index.add_signature("x", b"garbage")
