"""The stance model: training, saving and loading, predictions, and its held-out quality floor."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from crosscheck.errors import InputError
from crosscheck.stance import (
    LABELS,
    MODEL_PATH,
    SHARED_STANCE,
    Example,
    StanceModel,
    evaluate,
    read_emergent,
    split_by_claim,
    train,
)

EMERGENT = SHARED_STANCE / "emergent" / "emergent_train.csv"

# Hand-written pairs about made-up events.
TOY = [
    ("The dam at Lake Orvin burst", "Orvin dam burst floods valley", "for"),
    ("The dam at Lake Orvin burst", "Engineers confirm Orvin dam failure", "for"),
    ("The dam at Lake Orvin burst", "Orvin dam burst is a hoax, officials say", "against"),
    ("The dam at Lake Orvin burst", "No, the Orvin dam did not burst", "against"),
    ("The dam at Lake Orvin burst", "Reports claim Orvin dam may have burst", "observing"),
    ("The dam at Lake Orvin burst", "Did the Orvin dam burst? Rumours spread", "observing"),
    ("A general defected to the rebels", "General defects to rebel side", "for"),
    ("A general defected to the rebels", "Army confirms general joined rebels", "for"),
    ("A general defected to the rebels", "Defection story is fake, says ministry", "against"),
    ("A general defected to the rebels", "Ministry denies general defected", "against"),
    ("A general defected to the rebels", "General reportedly defected, sources claim", "observing"),
    ("A general defected to the rebels", "Unconfirmed reports say general may have defected", "observing"),
]


def toy_examples() -> list[Example]:
    return [Example(c, t, label, group=c) for c, t, label in TOY]


def test_train_predict_save_load_roundtrip(tmp_path: Path) -> None:
    model = train(toy_examples(), c=10.0)
    pairs = [(c, t) for c, t, _ in TOY]
    out = model.predict(pairs)
    assert len(out) == len(pairs)
    assert all(label in LABELS and 0.0 < p <= 1.0 for label, p in out)
    proba = model.predict_proba(pairs)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert sum(label == gold for (label, _p), (_c, _t, gold) in zip(out, TOY, strict=True)) >= 10  # fits its data
    path = tmp_path / "m.npz"
    model.meta = {"note": "toy"}
    model.save(path)
    again = StanceModel.load(path)
    assert again.meta == {"note": "toy"}
    assert np.allclose(again.predict_proba(pairs), proba, atol=1e-5)


def test_predict_on_nothing() -> None:
    assert train(toy_examples()).predict([]) == []


def test_batches_give_the_same_answers() -> None:
    model = train(toy_examples())
    pairs = [(c, t) for c, t, _ in TOY]
    assert np.allclose(model.predict_proba(pairs, batch_size=3), model.predict_proba(pairs, batch_size=100))


def test_shipped_model_is_small_and_reads_refutations() -> None:
    assert MODEL_PATH.stat().st_size < 5_000_000
    model = StanceModel.load()
    assert set(model.classes) == set(LABELS)
    got = model.predict(
        [
            ("The governor of Tarsk province was killed", "Tarsk governor death report is a hoax, aides say"),
            ("The governor of Tarsk province was killed", "Tarsk governor killed in ambush"),
        ]
    )
    assert got[0][0] == "against"
    assert got[1][0] != "against"


def test_loading_errors_say_where(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no stance model"):
        StanceModel.load(tmp_path / "missing.npz")
    bad = tmp_path / "bad.npz"
    np.savez(bad, something=np.zeros(2))
    with pytest.raises(InputError, match="not a stance model"):
        StanceModel.load(bad)


def test_reading_emergent_checks_labels(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("claimHeadline,articleHeadline,articleHeadlineStance,claimId\nc,h,maybe,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"e\.csv:2"):
        read_emergent(path)
    with pytest.raises(InputError, match="not found"):
        read_emergent(tmp_path / "none.csv")


def test_split_keeps_each_claim_on_one_side() -> None:
    examples = [Example(f"claim {i % 10}", f"text {i}", LABELS[i % 3], group=str(i % 10)) for i in range(100)]
    train_set, held = split_by_claim(examples, seed=3)
    assert {e.group for e in train_set}.isdisjoint({e.group for e in held})
    assert len(held) == 20


@pytest.mark.skipif(not EMERGENT.is_file(), reason="../shared stance data not present")
def test_shipped_model_on_held_out_claims() -> None:
    """Quality floor on Emergent claims the shipped model never saw (measured 0.755 / 0.765)."""
    model = StanceModel.load()
    assert "random_state=13" in model.meta["split"]
    _train, held = split_by_claim(read_emergent(EMERGENT), seed=13)
    m = evaluate(model, held)
    assert m["claims"] == 45
    assert m["accuracy"] >= 0.72
    assert m["macro_f1"] >= 0.72
