"""Near-duplicate documents: MinHash over word shingles, with an LSH index.

The same wire story runs in many outlets with light edits (a new headline, a cut
paragraph, a changed word). Its copies are linked to the first one seen so their claims
are not counted as independent corroboration. Signatures are plain bytes so the ledger
can store them and rebuild the index on the next run (``signature`` / ``add_signature``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = ["NearDuplicateIndex", "shingles", "signature"]

SHINGLE_WORDS = 3
SEED = 1
SCHEME = "affine32"
_MAGIC = b"MH3\x01"  # format tag: affine32 scheme, seed 1, 3-word shingles, little-endian uint64 values
_WORD = re.compile(r"\w+")


def shingles(text: str, *, size: int = SHINGLE_WORDS) -> list[bytes]:
    """Overlapping ``size``-word sequences of the lower-cased words (all words when fewer)."""
    words = _WORD.findall(text.casefold())
    if not words:
        return []
    if len(words) <= size:
        return [" ".join(words).encode("utf-8")]
    return [" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)]


def _minhash(text: str, num_perm: int) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME)
    grams = shingles(text)
    if grams:
        m.update_batch(grams)
    return m


def signature(text: str, *, num_perm: int = 128) -> bytes:
    """The MinHash signature of ``text`` as bytes (``num_perm * 8`` bytes after a 4-byte tag)."""
    return _encode(_minhash(text, num_perm))


def _encode(m: MinHash) -> bytes:
    return _MAGIC + np.asarray(m.hashvalues, dtype="<u8").tobytes()


class NearDuplicateIndex:
    """Documents seen so far; ``add`` says which earlier one a new document nearly repeats.

    ``threshold`` is the estimated Jaccard similarity of word-shingle sets above which two
    documents are near duplicates.
    """

    def __init__(self, *, threshold: float = 0.8, num_perm: int = 128) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._minhashes: dict[str, MinHash] = {}
        self._order: dict[str, int] = {}
        self._template = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME)

    def __len__(self) -> int:
        return len(self._minhashes)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._minhashes

    def signature(self, text: str) -> bytes:
        """The signature of ``text`` for this index's ``num_perm`` (to store with the document)."""
        return signature(text, num_perm=self.num_perm)

    def add(self, doc_id: str, text: str) -> str | None:
        """Index ``text`` under ``doc_id``; returns the id of an earlier near duplicate, or None."""
        return self._add(doc_id, _minhash(text, self.num_perm))

    def add_signature(self, doc_id: str, sig: bytes) -> str | None:
        """Like ``add``, from a stored signature (rebuilding the index from the ledger)."""
        return self._add(doc_id, self._decode(sig))

    def add_signatures(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Index many stored signatures, ignoring which of them repeat each other."""
        for doc_id, sig in items:
            self.add_signature(doc_id, sig)

    def query(self, text: str) -> str | None:
        """The earliest-added best match for ``text`` at or above the threshold, without indexing it."""
        return self._best(_minhash(text, self.num_perm), exclude=None)

    def similarity(self, a: str, b: str) -> float:
        """Estimated Jaccard similarity of two indexed documents."""
        return float(self._minhashes[a].jaccard(self._minhashes[b]))

    def _decode(self, sig: bytes) -> MinHash:
        expected = len(_MAGIC) + 8 * self.num_perm
        if not sig.startswith(_MAGIC) or len(sig) != expected:
            raise ValueError(
                f"not a signature of this index (need {expected} bytes tagged {_MAGIC!r}, got {len(sig)} bytes); "
                "recompute it from the document text"
            )
        values = np.frombuffer(sig, dtype="<u8", offset=len(_MAGIC)).astype(np.uint64)
        return MinHash(seed=SEED, scheme=SCHEME, hashvalues=values, permutations=self._template.permutations)

    def _best(self, m: MinHash, *, exclude: str | None) -> str | None:
        if m.is_empty():
            return None
        best: tuple[float, int, str] | None = None
        for key in self._lsh.query(m):
            if key == exclude:
                continue
            score = float(m.jaccard(self._minhashes[key]))
            if score < self.threshold:
                continue
            rank = (score, -self._order[key], key)
            if best is None or rank > best:
                best = rank
        return best[2] if best else None

    def _add(self, doc_id: str, m: MinHash) -> str | None:
        found = self._best(m, exclude=doc_id)
        if doc_id not in self._minhashes and not m.is_empty():
            self._lsh.insert(doc_id, m, check_duplication=False)
            self._minhashes[doc_id] = m
            self._order[doc_id] = len(self._order)
        return found
