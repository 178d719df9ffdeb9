"""Precision of the relations behind ``crosscheck conflicts``, judged by a reader.

usage:
  .venv/bin/python benchmarks/relation_precision.py --db sqlite:///ledger.db --out sample.jsonl [--n 60] [--seed 7]
      [--exclude judged_before.jsonl ...] [--packet packet.jsonl]
  .venv/bin/python benchmarks/relation_precision.py --score judged.jsonl
  .venv/bin/python benchmarks/relation_precision.py --agree judge_A.jsonl judge_B.jsonl [--only subjects.jsonl]
  .venv/bin/python benchmarks/relation_precision.py --db sqlite:///ledger.db --census judged_*.jsonl
  .venv/bin/python benchmarks/relation_precision.py --db sqlite:///ledger.db --subjects --out sample.jsonl
      [--packet packet.jsonl]

``--exclude`` leaves out relations judged before (any JSON Lines file with a "relation" field), so that a
new sample after a rule change holds only relations no judge has seen. ``--packet`` also writes what a
blind judge reads: each relation's type and explanation, both claims (claimant, via, cue, text, sentence,
outlet, date) and about 1,000 characters of each article around the claim; no frame, no score.

Agree mode: two judges' files for one packet (verdict per "relation"): each judge's precision per type with
a Wilson 95% interval, Cohen's kappa between them, and the precision of the pooled verdicts (a relation
counts as correct when both say correct, wrong when both say wrong, and unclear when they differ).

Draw mode: a reproducible random sample (fixed seed) of ``contradicts`` and ``disputes`` relations
(``--n`` in all, split evenly between the two types, the rest going to the other type when one has
too few), and a separate sample of ``--n-corroborates`` corroborations. Each relation is written as
one JSON line with both claims in full (claimant, side, via, mode, cue, text, sentence, outlet,
dates, places, frame summary) and an empty ``verdict`` / ``why`` to fill in.

Subject mode (``--subjects``): what a reader of ``crosscheck conflicts`` sees first. Every contested subject
that ``find_conflicts`` lists (no limit) gives its strongest relation, the one its explanation names, in the
order of the listing; each record also carries the subject's name and rank.

Score mode: reads the judged file (``verdict`` is correct | wrong | unclear) and prints precision
= correct / (correct + wrong) per type with a Wilson 95% interval, unclear counted apart, and for the
conflict types together an estimate weighted by each type's share of the ledger.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from crosscheck.conflicts import find_conflicts
from crosscheck.records import Claim, Relation
from crosscheck.storage import ClaimFilter, DocInfo, Store, open_store

CONFLICT_TYPES = ("contradicts", "disputes")
VERDICTS = ("correct", "wrong", "unclear")
Z95 = 1.959963984540054


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{platform.platform()}, {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def wilson(successes: int, n: int, *, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion; (0, 1) when n is 0."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def allocate(n: int, populations: dict[str, int]) -> dict[str, int]:
    """Split ``n`` evenly over the types, handing what a small type cannot take to the others."""
    take = dict.fromkeys(populations, 0)
    left = n
    open_types = [t for t, size in populations.items() if size > 0]
    while left > 0 and open_types:
        share = max(1, left // len(open_types))
        for t in list(open_types):
            add = min(share, populations[t] - take[t], left)
            take[t] += add
            left -= add
            if take[t] >= populations[t]:
                open_types.remove(t)
            if left == 0:
                break
    return take


def draw(relations: Sequence[Relation], k: int, *, seed: int) -> list[Relation]:
    """``k`` relations chosen at random, reproducibly (the pool is ordered by id first)."""
    pool = sorted(relations, key=lambda r: r.id)
    return random.Random(seed).sample(pool, min(k, len(pool)))


def _frame_summary(c: Claim) -> dict[str, Any]:
    f = c.frame or {}
    keys = ("event_type", "family", "status", "polarity", "stance", "side", "agent", "rejects", "relays", "time")
    return {k: f.get(k) for k in keys}


def claim_view(c: Claim, doc: DocInfo | None) -> dict[str, Any]:
    """What a judge needs to read about one claim."""
    return {
        "id": c.id,
        "document_id": c.document_id,
        "claimant": {"name": c.claimant.name, "side": c.claimant.side, "type": c.claimant.type} if c.claimant else None,
        "via": [{"name": v.name, "side": v.side, "type": v.type} for v in c.via],
        "mode": c.mode,
        "cue": c.cue,
        "text": c.text,
        "sentence": c.sentence,
        "outlet": doc.outlet if doc else None,
        "published": doc.published if doc else None,
        "stated_at": c.stated_at,
        "event_time": c.event_time.to_dict() if c.event_time else None,
        "places": [p.name for p in c.places],
        "negated": c.negated,
        "hedged": c.hedged,
        "frame": _frame_summary(c),
    }


def _load_claims(store: Store, ids: Iterable[str]) -> dict[str, Claim]:
    wanted = sorted(set(ids))
    out: dict[str, Claim] = {}
    for i in range(0, len(wanted), 500):
        for c in store.iter_claims(ClaimFilter(ids=wanted[i : i + 500])):
            out[c.id] = c
    return out


def sample_ledger(
    store: Store, *, n: int, n_corroborates: int, seed: int, exclude: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """The sampled relations as judging records, conflict types first, then corroborations; relations in
    ``exclude`` (judged before) are not drawn."""
    by_type = {
        t: [r for r in store.relations(type=t) if r.id not in exclude] for t in (*CONFLICT_TYPES, "corroborates")
    }
    populations = {t: len(rs) for t, rs in by_type.items()}
    take = allocate(n, {t: populations[t] for t in CONFLICT_TYPES})
    take["corroborates"] = min(n_corroborates, populations["corroborates"])
    picked: list[tuple[str, Relation]] = []
    for i, t in enumerate((*CONFLICT_TYPES, "corroborates")):
        picked += [(t, r) for r in draw(by_type[t], take[t], seed=seed + i)]
    claims = _load_claims(store, (cid for _t, r in picked for cid in r.claims))
    docs = store.documents_info({c.document_id for c in claims.values()})
    return [_record(r, claims, docs, type=t, population=populations[t], sampled=take[t]) for t, r in picked]


def _record(r: Relation, claims: dict[str, Claim], docs: dict[str, DocInfo], **extra: Any) -> dict[str, Any]:
    """A relation as a judging record: both claims in full and an empty verdict."""
    a, b = (claims.get(cid) for cid in r.claims)
    return {
        "relation": r.id,
        "type": r.type,
        **extra,
        "score": r.score,
        "explanation": r.explanation,
        "a": claim_view(a, docs.get(a.document_id)) if a else None,
        "b": claim_view(b, docs.get(b.document_id)) if b else None,
        "verdict": None,
        "why": None,
    }


def sample_subjects(store: Store) -> list[dict[str, Any]]:
    """The strongest relation of every contested subject, in the order ``crosscheck conflicts`` lists them."""
    subjects = find_conflicts(store, limit=sys.maxsize)
    claims = _load_claims(store, (cid for s in subjects for cid in s.relations[0].claims))
    docs = store.documents_info({c.document_id for c in claims.values()})
    n = len(subjects)
    return [
        _record(s.relations[0], claims, docs, subject=s.subject, rank=rank, population=n, sampled=n)
        for rank, s in enumerate(subjects, 1)
    ]


def _context(text: str, c: Claim, *, before: int = 700, after: int = 300) -> str:
    """The article around the claim's sentence."""
    lo, hi = c.sentence_span or c.span
    start, end = max(0, lo - before), min(len(text), hi + after)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def packet(store: Store, records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a blind judge reads for each sampled relation (see the module's docstring)."""
    claims = _load_claims(store, (r[k]["id"] for r in records for k in "ab" if r.get(k)))
    texts: dict[str, str] = {}
    out = []
    for i, rec in enumerate(records):
        item: dict[str, Any] = {
            "item": i,
            "relation": rec["relation"],
            "type": rec["type"],
            "system_explanation": rec["explanation"],
        }
        for key in "ab":
            view, c = rec[key], claims.get(rec[key]["id"]) if rec.get(key) else None
            if view is None or c is None:
                item[key] = None
                continue
            if c.document_id not in texts:
                doc = store.get_document(c.document_id)
                texts[c.document_id] = doc.text if doc else ""
            item[key] = {
                "claimant": view["claimant"]["name"] if view["claimant"] else "(the outlet itself, no claimant)",
                "via": [v["name"] for v in view["via"]],
                "cue": view["cue"],
                "claim_text": view["text"],
                "sentence": view["sentence"],
                "outlet": view["outlet"],
                "published": view["published"],
                "context": _context(texts[c.document_id], c),
            }
        out.append(item)
    return out


def kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two judges' verdicts; None when it is undefined (no pairs, or chance agreement 1)."""
    n = len(pairs)
    if n == 0:
        return None
    seen = sorted({v for pair in pairs for v in pair})
    observed = sum(a == b for a, b in pairs) / n
    chance = sum((sum(a == v for a, _ in pairs) / n) * (sum(b == v for _, b in pairs) / n) for v in seen)
    return None if chance >= 1 else (observed - chance) / (1 - chance)


def agree(first: Sequence[dict[str, Any]], second: Sequence[dict[str, Any]]) -> list[str]:
    """Lines of figures for two judges of one packet (see the module's docstring)."""
    by_rel = {r["relation"]: r for r in second}
    missing = [r["relation"] for r in first if r["relation"] not in by_rel]
    if missing:
        raise SystemExit(f"{len(missing)} relations judged by the first judge only, e.g. {missing[0]}")
    lines: list[str] = []
    types = sorted({r["type"] for r in first}, key=lambda t: (t not in CONFLICT_TYPES, t))
    for t in (*types, "all"):
        rows = [(r, by_rel[r["relation"]]) for r in first if t in ("all", r["type"])]
        for name, idx in (("judge 1", 0), ("judge 2", 1)):
            verdicts = [pair[idx]["verdict"] for pair in rows]
            c, w, u = (verdicts.count(v) for v in VERDICTS)
            lines.append(_line(f"{t} / {name}", c, w, u, None))
        pooled = [a["verdict"] if a["verdict"] == b["verdict"] else "unclear" for a, b in rows]
        c, w, u = (pooled.count(v) for v in VERDICTS)
        lines.append(_line(f"{t} / both agree", c, w, u, None))
        k = kappa([(a["verdict"], b["verdict"]) for a, b in rows])
        same = sum(a["verdict"] == b["verdict"] for a, b in rows)
        lines.append(
            f"{t} / agreement: {same}/{len(rows)} verdicts equal, Cohen's kappa {k:.2f}"
            if k is not None
            else f"{t} / agreement: {same}/{len(rows)} verdicts equal"
        )
    return lines


def census(store: Store, judged: Sequence[dict[str, Any]]) -> list[str]:
    """Lines of figures for every relation of the ledger that judges have seen: verdicts pooled over all the
    judges of a relation (all agree: that verdict; otherwise unclear), and how much of each type is covered.
    Verdicts carry over between ledgers because a relation id stands for its two claims and its type."""
    verdicts: dict[str, list[str]] = {}
    for rec in judged:
        verdicts.setdefault(rec["relation"], []).append(rec["verdict"])
    lines = []
    for t in (*CONFLICT_TYPES, "corroborates"):
        rels = store.relations(type=t)
        seen = [verdicts[r.id] for r in rels if r.id in verdicts]
        pooled = [v[0] if len(set(v)) == 1 else "unclear" for v in seen]
        c, w, u = (pooled.count(v) for v in VERDICTS)
        lines.append(_line(f"{t} (judged {len(seen)} of {len(rels)})", c, w, u, len(rels)))
    return lines


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line))
    return out


def score(records: Sequence[dict[str, Any]]) -> list[str]:
    """Lines of figures: precision per type with a Wilson 95% interval, and the conflict types pooled."""
    lines = []
    tallies: dict[str, dict[str, int]] = {}
    populations: dict[str, int] = {}
    for rec in records:
        verdict = rec.get("verdict")
        if verdict not in VERDICTS:
            raise SystemExit(f"relation {rec.get('relation')}: verdict {verdict!r} is not one of {VERDICTS}")
        t = rec["type"]
        tallies.setdefault(t, dict.fromkeys(VERDICTS, 0))[verdict] += 1
        if rec.get("population") is not None:
            populations[t] = int(rec["population"])
    for t in sorted(tallies, key=lambda t: (t not in CONFLICT_TYPES, t)):
        c, w, u = (tallies[t][v] for v in VERDICTS)
        lines.append(_line(t, c, w, u, populations.get(t)))
    conflict = [t for t in CONFLICT_TYPES if t in tallies]
    if conflict:
        c = sum(tallies[t]["correct"] for t in conflict)
        w = sum(tallies[t]["wrong"] for t in conflict)
        u = sum(tallies[t]["unclear"] for t in conflict)
        lines.append(_line("conflicts (sample pooled)", c, w, u, None))
        total = sum(populations.get(t, 0) for t in conflict)
        judged = [t for t in conflict if tallies[t]["correct"] + tallies[t]["wrong"] > 0]
        if total and len(judged) == len(conflict):
            est = sum(
                populations[t] / total * tallies[t]["correct"] / (tallies[t]["correct"] + tallies[t]["wrong"])
                for t in conflict
            )
            lines.append(f"conflicts (weighted by ledger share, {total} relations): precision {est:.2f}")
    return lines


def _line(label: str, correct: int, wrong: int, unclear: int, population: int | None) -> str:
    n = correct + wrong
    low, high = wilson(correct, n)
    p = f"{correct / n:.2f}" if n else "n/a"
    pop = f", of {population} in the ledger" if population is not None else ""
    return (
        f"{label}: precision {p} (95% CI {low:.2f}-{high:.2f}); "
        f"correct {correct}, wrong {wrong}, unclear {unclear}{pop}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="ledger URL (draw mode)")
    parser.add_argument("--out", default="relation_sample.jsonl", help="where the sample goes (draw mode)")
    parser.add_argument("--n", type=int, default=60, help="contradicts + disputes relations to draw")
    parser.add_argument("--n-corroborates", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--score", metavar="FILE", help="score a judged file instead of drawing")
    parser.add_argument("--agree", nargs=2, metavar="FILE", help="two judges' files for one packet")
    parser.add_argument("--exclude", nargs="*", default=[], metavar="FILE", help="relations judged before")
    parser.add_argument("--packet", metavar="FILE", help="also write the blind judges' packet here")
    parser.add_argument(
        "--only", metavar="FILE", help="agree mode: only the relations listed in FILE (e.g. a --subjects sample)"
    )
    parser.add_argument(
        "--subjects", action="store_true", help="the strongest relation of every subject of `crosscheck conflicts`"
    )
    parser.add_argument(
        "--census", nargs="+", metavar="FILE", help="judged files: figures for every judged relation of --db"
    )
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    if args.score:
        for line in score(read_jsonl(Path(args.score))):
            print(line)
        return 0
    if args.agree:
        first, second = read_jsonl(Path(args.agree[0])), read_jsonl(Path(args.agree[1]))
        if args.only:
            keep = {r["relation"] for r in read_jsonl(Path(args.only))}
            first, second = [r for r in first if r["relation"] in keep], [r for r in second if r["relation"] in keep]
        for line in agree(first, second):
            print(line)
        return 0
    if not args.db:
        parser.error("--db is needed to draw a sample")
    if args.census:
        with open_store(args.db, upgrade=False) as store:
            for line in census(store, [r for f in args.census for r in read_jsonl(Path(f))]):
                print(line)
        return 0
    with open_store(args.db, upgrade=False) as store:
        counts = {t: store.count_relations(type=t) for t in ("contradicts", "disputes", "corroborates", "repeats")}
        exclude = frozenset(r["relation"] for f in args.exclude for r in read_jsonl(Path(f)) if r.get("relation"))
        if args.subjects:
            records = sample_subjects(store)
        else:
            records = sample_ledger(
                store, n=args.n, n_corroborates=args.n_corroborates, seed=args.seed, exclude=exclude
            )
        if args.packet:
            with Path(args.packet).open("w", encoding="utf-8") as fh:
                for item in packet(store, records):
                    fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    print("ledger relations: " + ", ".join(f"{t} {k}" for t, k in counts.items()))
    out = Path(args.out)
    with out.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    drawn = {t: sum(r["type"] == t for r in records) for t in (*CONFLICT_TYPES, "corroborates")}
    how = "strongest of each subject" if args.subjects else f"seed {args.seed}"
    print(f"drawn ({how}): " + ", ".join(f"{t} {k}" for t, k in drawn.items()) + f" -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
