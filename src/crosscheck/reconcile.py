"""Reconcile: relate newly stored claims to the claims that share a block with them.

The incremental path: only the blocks (place x week, actor x week) touched by the new
claims are read back from storage, so ingesting one article never recomputes everything.
Statuses of every claim touched by a new relation are recomputed from its relations.
"""

from __future__ import annotations

from collections.abc import Sequence

from crosscheck import relate as rel
from crosscheck.records import Claim
from crosscheck.storage import Store


def reconcile(store: Store, new_claims: Sequence[Claim]) -> int:
    """Find and store relations of ``new_claims``; update claim statuses. Returns the number of relations."""
    keys = {k for c in new_claims for k in (c.frame or {}).get("probes", (c.frame or {}).get("blocks", []))}
    new_ids = {c.id for c in new_claims}
    candidates = [c for c in store.claims_by_blocks(keys) if c.id not in new_ids] if keys else []
    doc_ids = {c.document_id for c in new_claims} | {c.document_id for c in candidates}
    documents = store.documents_info(doc_ids)
    relations = rel.relate(new_claims, candidates, documents=documents)
    if not relations:
        return 0
    store.save_relations(relations)
    touched = {cid for r in relations for cid in r.claims}
    all_rel = [r for cid in touched for r in store.relations(claim_id=cid)]
    claims = {c.id: c for c in [*new_claims, *candidates] if c.id in touched}
    store.set_claim_status(rel.statuses(list(claims.values()), all_rel, documents=documents))
    return len(relations)
