"""A small trained stance model for pairs of texts that frames cannot judge.

Given (claim, other text), it says whether the other text is ``for`` the claim, ``against`` it,
or only ``observing`` (reporting it without taking a side), with a probability. Trained on the
Emergent data (claim vs article headline; Ferreira & Vlachos 2016), split by claim so the
held-out figures are for claims never seen in training.

Features: TF-IDF over hashed word 1-2-grams and character 2-5-grams of the other text, plus counts
of refuting and hedging words and the overlap between the two texts; multinomial logistic
regression. The featuriser is stateless (hashing), so the model file holds only arrays (``.npz``,
no pickle): the kept columns, their IDF weights, the coefficients, and the word lists.

Train: ``python -m crosscheck.stance train --out src/crosscheck/data/stance_model.npz``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from crosscheck.config import PACKAGE_DATA, data_files
from crosscheck.errors import ConfigError, InputError

LABELS = ("against", "for", "observing")
MODEL_PATH = PACKAGE_DATA / "stance_model.npz"
SHARED_STANCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "stance"
_N_FEATURES = 2**20
_TOKEN = re.compile(r"[\w']+|\?")
_DENSE_WEIGHT = 3.0


@dataclass(frozen=True)
class Example:
    claim: str
    text: str
    label: str
    group: str  # the claim's id: examples of one claim stay on one side of a split


def _vectorizers() -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import HashingVectorizer

    common: dict[str, Any] = {"n_features": _N_FEATURES, "alternate_sign": False, "norm": None}
    return (
        HashingVectorizer(analyzer="word", ngram_range=(1, 2), **common),
        HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common),
    )


def lexicon(*, data_dir: str | None = None) -> dict[str, list[str]]:
    """The refuting and hedging word lists from ``relate.toml`` [stance_model]."""
    out: dict[str, list[str]] = {"refute_words": [], "hedge_words": []}
    for path in data_files("relate.toml", data_dir=data_dir):
        try:
            section = tomllib.loads(path.read_text(encoding="utf-8")).get("stance_model", {})
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"{path}: not valid TOML: {err}") from err
        for key in out:
            out[key] += [w.lower() for w in section.get(key, [])]
    return out


def _dense(pairs: Sequence[tuple[str, str]], refute: frozenset[str], hedge: frozenset[str]) -> np.ndarray:
    rows = []
    for claim, text in pairs:
        ta, tb = _TOKEN.findall(claim.lower()), _TOKEN.findall(text.lower())
        sa, sb = set(ta), set(tb)
        n_ref = sum(w in refute for w in tb)
        n_hed = sum(w in hedge for w in tb)
        rows.append(
            [
                n_ref > 0,
                n_hed > 0,
                min(n_ref, 3) / 3,
                min(n_hed, 3) / 3,
                "?" in text,
                len(sa & sb) / max(1, len(sa | sb)),
                len(sa & sb) / max(1, len(sa)),
                n_ref > 0 and not any(w in refute for w in ta),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), 8)


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    x = counts.astype(np.float64).tocsr()
    np.log(x.data, out=x.data)
    x.data += 1.0  # sublinear tf
    x = x @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ x)


class StanceModel:
    """Stance of a text towards a claim: ``predict([(claim, text), ...]) -> [(label, prob), ...]``."""

    def __init__(
        self,
        *,
        word_cols: np.ndarray,
        word_idf: np.ndarray,
        char_cols: np.ndarray,
        char_idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        classes: Sequence[str],
        words: dict[str, list[str]],
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.word_cols, self.word_idf = word_cols, word_idf
        self.char_cols, self.char_idf = char_cols, char_idf
        self.coef, self.intercept = coef, intercept
        self.classes = tuple(classes)
        self.words = words
        self.meta = meta or {}
        self._refute = frozenset(words.get("refute_words", []))
        self._hedge = frozenset(words.get("hedge_words", []))
        self._word_vec, self._char_vec = _vectorizers()

    def features(self, pairs: Sequence[tuple[str, str]]) -> sparse.csr_matrix:
        texts = [t for _c, t in pairs]
        words = self._word_vec.transform(texts)[:, self.word_cols]
        chars = self._char_vec.transform(texts)[:, self.char_cols]
        dense = sparse.csr_matrix(_dense(pairs, self._refute, self._hedge) * _DENSE_WEIGHT)
        return sparse.hstack([_tfidf(words, self.word_idf), _tfidf(chars, self.char_idf), dense]).tocsr()

    def predict_proba(self, pairs: Sequence[tuple[str, str]], *, batch_size: int = 512) -> np.ndarray:
        """Probabilities, one row per pair, columns in ``self.classes`` order."""
        out = []
        for i in range(0, len(pairs), batch_size):
            z = self.features(pairs[i : i + batch_size]) @ self.coef.T + self.intercept
            z = np.asarray(z, dtype=np.float64)
            z -= z.max(axis=1, keepdims=True)
            e = np.exp(z)
            out.append(e / e.sum(axis=1, keepdims=True))
        return np.vstack(out) if out else np.zeros((0, len(self.classes)))

    def predict(self, pairs: Sequence[tuple[str, str]], *, batch_size: int = 512) -> list[tuple[str, float]]:
        """(label, probability) for each (claim, text) pair."""
        proba = self.predict_proba(pairs, batch_size=batch_size)
        best = proba.argmax(axis=1) if len(proba) else []
        return [(self.classes[j], float(proba[i, j])) for i, j in enumerate(best)]

    def save(self, path: str | Path) -> None:
        np.savez_compressed(
            path,
            word_cols=self.word_cols.astype(np.int32),
            word_idf=self.word_idf.astype(np.float32),
            char_cols=self.char_cols.astype(np.int32),
            char_idf=self.char_idf.astype(np.float32),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
            classes=np.array(self.classes),
            words=np.array(json.dumps(self.words)),
            meta=np.array(json.dumps(self.meta)),
        )

    @classmethod
    def load(cls, path: str | Path | None = None) -> StanceModel:
        """The shipped model, or the one at ``path``."""
        path = Path(path) if path else MODEL_PATH
        try:
            with np.load(path, allow_pickle=False) as z:
                return cls(
                    word_cols=z["word_cols"],
                    word_idf=z["word_idf"].astype(np.float64),
                    char_cols=z["char_cols"],
                    char_idf=z["char_idf"].astype(np.float64),
                    coef=z["coef"].astype(np.float64),
                    intercept=z["intercept"].astype(np.float64),
                    classes=[str(c) for c in z["classes"]],
                    words=json.loads(str(z["words"])),
                    meta=json.loads(str(z["meta"])),
                )
        except FileNotFoundError as err:
            raise InputError(
                str(path), "no stance model there", "train one: python -m crosscheck.stance train"
            ) from err
        except (KeyError, ValueError, OSError) as err:
            raise InputError(str(path), f"not a stance model file: {err}", "retrain it") from err


def train(
    examples: Sequence[Example], *, words: dict[str, list[str]] | None = None, c: float = 3.0, min_char_df: int = 2
) -> StanceModel:
    """Fit the model on labelled (claim, text) examples."""
    from sklearn.linear_model import LogisticRegression

    if not examples:
        raise InputError("stance training data", "no examples", "check the data path")
    words = words if words is not None else lexicon()
    word_vec, char_vec = _vectorizers()
    texts = [e.text for e in examples]
    n = len(texts)

    def keep(counts: sparse.csr_matrix, min_df: int) -> tuple[np.ndarray, np.ndarray]:
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        cols = np.flatnonzero(df >= min_df)
        return cols, np.log((1 + n) / (1 + df[cols])) + 1.0

    word_cols, word_idf = keep(word_vec.transform(texts).tocsr(), 1)
    char_cols, char_idf = keep(char_vec.transform(texts).tocsr(), min_char_df)
    model = StanceModel(
        word_cols=word_cols,
        word_idf=word_idf,
        char_cols=char_cols,
        char_idf=char_idf,
        coef=np.zeros((len(LABELS), 1)),
        intercept=np.zeros(len(LABELS)),
        classes=LABELS,
        words=words,
    )
    x = model.features([(e.claim, e.text) for e in examples])
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    clf.fit(x, [e.label for e in examples])
    model.classes = tuple(str(k) for k in clf.classes_)
    model.coef, model.intercept = clf.coef_, clf.intercept_
    return model


# ---------------------------------------------------------------- data and measures


def read_emergent(path: str | Path) -> list[Example]:
    """Emergent CSV: claimHeadline, articleHeadline, articleHeadlineStance, claimId."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError as err:
        raise InputError(str(path), "file not found", "pass --emergent PATH") from err
    out = []
    for i, r in enumerate(rows, 2):
        try:
            label = r["articleHeadlineStance"].strip().lower()
            out.append(Example(r["claimHeadline"], r["articleHeadline"], label, r["claimId"]))
        except KeyError as err:
            raise InputError(f"{path}:{i}", f"column {err.args[0]!r} missing", "expected the Emergent CSV") from err
        if label not in LABELS:
            raise InputError(f"{path}:{i}", f"unknown stance {label!r}", f"expected one of {', '.join(LABELS)}")
    return out


def split_by_claim(
    examples: Sequence[Example], *, test_size: float = 0.2, seed: int = 13
) -> tuple[list[Example], list[Example]]:
    """Claim-disjoint train/held-out split (GroupShuffleSplit by claim id)."""
    from sklearn.model_selection import GroupShuffleSplit

    split = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
    tr, te = next(split.split(np.zeros(len(examples)), groups=[e.group for e in examples]))
    return [examples[i] for i in tr], [examples[i] for i in te]


def evaluate(model: StanceModel, examples: Sequence[Example]) -> dict[str, Any]:
    """Accuracy, macro-F1 and per-label F1 on labelled examples."""
    from sklearn.metrics import accuracy_score, f1_score

    gold = [e.label for e in examples]
    pred = [label for label, _p in model.predict([(e.claim, e.text) for e in examples])]
    per = f1_score(gold, pred, labels=list(LABELS), average=None)
    return {
        "n": len(gold),
        "claims": len({e.group for e in examples}),
        "accuracy": float(accuracy_score(gold, pred)),
        "macro_f1": float(f1_score(gold, pred, labels=list(LABELS), average="macro")),
        "f1": {label: float(v) for label, v in zip(LABELS, per, strict=True)},
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m crosscheck.stance train --out PATH``: train on the claim-disjoint training split
    (or, with ``--all``, on every claim) and save; prints the held-out figures."""
    parser = argparse.ArgumentParser(prog="python -m crosscheck.stance")
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train the stance model and save it")
    t.add_argument("--out", default=str(MODEL_PATH))
    t.add_argument("--emergent", default=str(SHARED_STANCE / "emergent" / "emergent_train.csv"))
    t.add_argument("--all", action="store_true", help="train on every claim (no held-out figures)")
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("-C", type=float, default=3.0)
    args = parser.parse_args(argv)
    try:
        examples = read_emergent(args.emergent)
        train_set, held_out = (examples, []) if args.all else split_by_claim(examples, seed=args.seed)
        model = train(train_set, c=args.C)
        model.meta = {
            "data": "emergent",
            "split": "all" if args.all else f"GroupShuffleSplit(test_size=0.2, random_state={args.seed}) by claimId",
            "train_examples": len(train_set),
            "train_claims": len({e.group for e in train_set}),
            "C": args.C,
        }
        if held_out:
            model.meta["held_out"] = evaluate(model, held_out)
        model.save(args.out)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(model.meta, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
