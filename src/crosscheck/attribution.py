"""Attribution: who says what, with which cue, through whom.

Input: a document's text, its sentences and quotations (``segment``), and spaCy parses of
the sentences that carry an attribution cue (only those are parsed). Output: ``Attribution``
records with character spans into the document text: the source mention, the cue, the
content, the mode (direct, indirect, mixed, according_to, headline) and intermediaries
(``via``: "per X", "told X", "on social media", "X reported"). Sentences that carry no
attribution become unattributed claims, so nothing the article asserts is lost.

Cue words and channels are data (``data/cues.toml``); this module holds only the rules.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from crosscheck.config import data_files
from crosscheck.segment import Quote, Sentence

MODES = ("direct", "indirect", "mixed", "according_to", "headline", "unattributed")


@dataclass
class Mention:
    text: str
    start: int
    end: int
    label: str | None = None  # NER label of the head, if any
    kind: str = "actor"  # actor, outlet, channel, medium


@dataclass
class Attribution:
    content: tuple[int, int]
    mode: str
    sentence: int  # index into the document's sentence list
    source: Mention | None = None
    cue: Mention | None = None
    via: list[Mention] = field(default_factory=list)
    medium: Mention | None = None  # "battlefield maps" in "according to maps published by X"
    disputes: bool = False  # the cue rejects what follows ("denied", "doubt")
    outer: Attribution | None = None  # the quote's speaker, for claims nested inside a quotation
    clause: str = ""  # dependency of the cue in its sentence ("relcl": a claim inside a relative clause)
    continued: bool = False  # a quote attributed to the speaker of the quote before it ("..." he said. "...")


@dataclass(frozen=True)
class Cues:
    verbs: frozenset[str]
    needs_complement: frozenset[str]
    dispute_verbs: frozenset[str]
    nouns: frozenset[str]
    media: frozenset[str]
    channels: tuple[tuple[str, str], ...]
    forms: frozenset[str]  # lower-case word forms of cues: the pre-filter
    lemmas: dict[str, str]  # lower-case word form -> cue lemma ("denies" -> "deny")
    evidential: frozenset[str]  # "show", "indicate": cues only when a speaker or a document is the subject
    not_sources: frozenset[str]  # "according to plan": objects that are not sources
    accuse_verbs: frozenset[str] = frozenset()  # "accused Kyiv of shelling ...": the accused and the charge


def _forms(lemma: str) -> set[str]:
    out = {lemma, lemma + "s", lemma + "ed", lemma + "d", lemma + "ing", lemma + "es"}
    if lemma.endswith("e"):
        out.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        out |= {lemma[:-1] + "ied", lemma[:-1] + "ies"}
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", lemma):
        out |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return out


IRREGULAR = {
    "say": ["said"],
    "tell": ["told"],
    "think": ["thought"],
    "write": ["wrote", "written"],
    "show": ["shown"],
    "swear": ["swore", "sworn"],
    "broadcast": ["broadcast"],
    "hold": ["held"],
    "speak": ["spoke", "spoken"],
}


@lru_cache(maxsize=2)
def load_cues(data_dir: str | None = None) -> Cues:
    verbs: set[str] = set()
    needs: set[str] = set()
    disputes: set[str] = set()
    nouns: set[str] = set()
    media: set[str] = set()
    extra: set[str] = set()
    skip: set[str] = set()
    not_sources: set[str] = set()
    evidential: set[str] = set()
    accuse: set[str] = set()
    channels: dict[str, str] = {}
    for path in data_files("cues.toml", data_dir=data_dir):
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        verbs |= set(raw.get("speech_verbs", []))
        needs |= set(raw.get("needs_complement", []))
        disputes |= set(raw.get("dispute_verbs", []))
        nouns |= set(raw.get("speech_nouns", []))
        media |= set(raw.get("medium_nouns", []))
        extra |= set(raw.get("extra_forms", []))
        skip |= set(raw.get("not_prefilter", []))
        not_sources |= set(raw.get("not_sources", []))
        evidential |= set(raw.get("evidential_verbs", []))
        accuse |= set(raw.get("accuse_verbs", []))
        channels.update(raw.get("channels", {}))
    forms = set(extra)
    lemmas: dict[str, str] = {}
    for v in verbs:
        vf = _forms(v) | set(IRREGULAR.get(v, []))
        forms |= vf
        for f in vf:
            lemmas.setdefault(f, v)
    for n in nouns:
        forms |= {n, n + "s"}
    return Cues(
        verbs=frozenset(verbs),
        needs_complement=frozenset(needs),
        dispute_verbs=frozenset(disputes),
        nouns=frozenset(nouns),
        media=frozenset(media),
        channels=tuple(sorted(channels.items(), key=lambda t: len(t[0]), reverse=True)),
        forms=frozenset(f.lower() for f in forms - skip),
        lemmas=lemmas,
        not_sources=frozenset(not_sources),
        evidential=frozenset(evidential),
        accuse_verbs=frozenset(accuse),
    )


_WORD = re.compile(r"[a-z]+")
_PER_SOURCE = re.compile(r"\bper (?:the )?[A-Z]")
_COLON_QUOTE = re.compile('[:]\\s*["\u201c\u00ab]')


def needs_parse(sentence: Sentence, *, cues: Cues) -> bool:
    """Whether a sentence may carry an attribution (a cheap test on the words)."""
    if not cues.forms.isdisjoint(_WORD.findall(sentence.text.lower())):
        return True
    return _PER_SOURCE.search(sentence.text) is not None or _COLON_QUOTE.search(sentence.text) is not None


# ---------------------------------------------------------------- headlines

_HEADLINE_PREFIX = re.compile(r"^\s*(?:related(?: article| story)?|read more|see also|also read|watch)\s*:\s*", re.I)


def _is_title_case(words: list[str]) -> bool:
    content = [
        w
        for w in words
        if w[:1].isalpha()
        and w.lower() not in {"a", "an", "the", "of", "in", "on", "and", "to", "for", "at", "by", "or", "as", "is"}
    ]
    return len(content) >= 2 and sum(w[:1].isupper() for w in content) >= 0.8 * len(content)


_HEADLINE_SOURCE_WORDS = 5  # "Ukraine's Defence Ministry Says ...": a headline's speaker is a short name


def headline(sentence: Sentence, *, cues: Cues, after_headline: bool = False) -> Attribution | None:
    """'Gerasimov Says Russia Encircled X' and 'Related article: Y Claims Z' style lines."""
    text = sentence.text
    m = _HEADLINE_PREFIX.match(text)
    prefix_len = m.end() if m else 0
    rest = text[prefix_len:]
    words = rest.split()
    if not m and not sentence.line_start and not after_headline:
        return None
    if not _is_title_case(words):
        return None
    for i, w in enumerate(words[1:], start=1):
        bare = re.sub(r"\W", "", w).lower()
        lemma = cues.lemmas.get(bare, bare)
        if lemma in cues.verbs and w[:1].isupper() and lemma not in cues.needs_complement:
            if i > _HEADLINE_SOURCE_WORDS or any(x.endswith(":") for x in words[:i]):
                return None  # "Other Topics of Interest Estonia's PM: NATO Training Won't Trigger ...": no speaker
            src_text = " ".join(words[:i])
            src_start = sentence.start + prefix_len + rest.index(words[0])
            cue_start = sentence.start + prefix_len + _word_offset(rest, i)
            cue_end = cue_start + len(w)
            content_start = cue_end + 1
            content_end = sentence.end
            while content_end > content_start and not text[content_end - 1 - sentence.start].isalnum():
                content_end -= 1
            if content_end <= content_start:
                return None
            return Attribution(
                content=(content_start, content_end),
                mode="headline",
                sentence=-1,
                source=Mention(src_text, src_start, src_start + len(src_text)),
                cue=Mention(w, cue_start, cue_end),
                disputes=lemma in cues.dispute_verbs,
            )
    return None


def _word_offset(text: str, index: int) -> int:
    pos = 0
    for i, m in enumerate(re.finditer(r"\S+", text)):
        if i == index:
            return m.start()
        pos = m.end()
    return pos


# ---------------------------------------------------------------- parsed sentences

SUBJ = {"nsubj", "nsubjpass"}
COMPLEMENT = {"ccomp", "xcomp"}


_QUOTERS = frozenset({"quote", "cite"})
_NOT_YET = frozenset({"will", "'ll", "’ll", "shall", "could", "might", "may", "can", "should", "must"})


def _quoter(v: Token) -> Token | None:
    """The verb of quoting that hands the cue ``v`` to its object: "quoted X as saying" (``v`` under "as"),
    "quoted X saying" / "cited X denying" (``v`` a participle on the verb or on its object)."""
    head = v.head
    if v.dep_ in {"pcomp", "advcl"} and head.lower_ == "as" and head.head.lemma_ in _QUOTERS:
        return head.head
    if v.tag_ != "VBG":
        return None
    if v.dep_ in {"xcomp", "advcl"} and head.lemma_ in _QUOTERS:
        return head
    if v.dep_ == "acl" and head.dep_ in {"dobj", "obj"} and head.head.lemma_ in _QUOTERS:
        return head.head
    return None


def _charge(v: Token) -> Token | None:
    """The "of"/"for" phrase of a verb of accusing that says what the accused did ("of shelling the plant"),
    also where the parser hung it on the accused ("accused the forces of atrocities")."""
    objs = [c for c in v.children if c.dep_ in {"dobj", "obj"}]
    heads = [v, *objs[:1]]
    return next(
        (c for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in {"of", "for"} and c.i > v.i), None
    )


def _rejections_in(tok: Token, cue_ids: set[int], cues: Cues) -> list[Token]:
    """The claim nouns in ``tok``'s subtree that a cue rejects ("..., a claim India rejected as false"): the
    rejection after a claim is not part of it."""
    return [c.head for c in tok.subtree if c.i in cue_ids and c.dep_ in {"relcl", "acl"} and _claim_noun(c.head, cues)]


def _claim_noun(tok: Token, cues: Cues) -> bool:
    """Whether a token is a noun for something said ("claim", "accusation", "report")."""
    return tok.pos_ == "NOUN" and tok.lower_ in CLAIM_NOUNS | cues.nouns


def _in_quote(pos: int, quotes: list[Quote]) -> bool:
    return any(q.inner_start <= pos < q.inner_end for q in quotes)


_TIME_WORD = re.compile(
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|yesterday|tonight|morning|evening|afternoon|night|week|"
    r"weekend|month|year|january|february|march|april|may|june|july|august|september|october|november|december"
)


def _np_span(tok: Token) -> tuple[int, int]:
    """Token range of a noun phrase: the token, its left modifiers, compounds, 'of'/'for' attachments."""
    left = tok.left_edge.i
    right = tok.i
    doc = tok.doc
    while left < tok.i and (doc[left].dep_ == "preconj" or doc[left].lower_ in ("both", "either", "neither")):
        left += 1  # "Both Russia and Iran claimed": the speaker is Russia (and Iran), not "Both Russia"
    for child in tok.rights:
        if child.dep_ == "prep" and any(
            t.ent_type_ in {"DATE", "TIME"} or _TIME_WORD.fullmatch(t.lower_) for t in child.subtree
        ):
            break  # "The RSF on Sunday said": the time belongs to the cue
        if child.dep_ == "appos" and child.left_edge.i > right + 2:
            break  # "the ministry said ..., a claim disputed by Kyiv": an apposition far off is a misparse
        if child.dep_ in {"compound", "appos", "flat", "prep", "amod", "poss", "nummod", "case"} and child.text != ",":
            right = max(right, child.right_edge.i)
        else:
            break
    opened = sum(t.text == "(" for t in doc[left : right + 1]) - sum(t.text == ")" for t in doc[left : right + 1])
    while opened > 0 and right + 1 < len(doc):
        right += 1
        opened += (doc[right].text == "(") - (doc[right].text == ")")
    if opened < 0 or (doc[right].text == "(" and right > left):
        right -= 1
    return left, right


def _span_chars(doc: Doc, left: int, right: int, base: int) -> tuple[int, int]:
    return base + doc[left].idx, base + doc[right].idx + len(doc[right])


def _subject(v: Token, cues: Cues) -> Token | None:
    for c in v.children:
        if c.dep_ in SUBJ:
            return c
    if v.dep_ == "conj":
        head = v.head
        # mis-attached coordination: "X said it was ... and claimed to have ..." puts the second cue
        # under the complement; the cue's tense matches the outer cue, not its head
        anc = head
        tense = _finite_tag(v)
        inanimate = (own := _subject(head, cues)) is not None and not _may_speak(own, cues)
        while anc.dep_ in COMPLEMENT | {"conj"} and anc.head is not anc:
            anc = anc.head
            if anc.lemma_ in cues.verbs and ((_finite_tag(anc) == tense and head.tag_ != tense) or inanimate):
                # "Kyiv said the strike hit a school and denied ...": the strike denies nothing
                return _subject(anc, cues)
        return own
    if v.dep_ in {"advcl", "xcomp"} and v.head.lemma_ in cues.verbs:
        return _subject(v.head, cues)
    return None


def _finite_tag(v: Token) -> str:
    """The tag of the finite verb of ``v``'s group: its auxiliary's ("has denied" -> VBZ), else its own."""
    for c in v.children:
        if c.dep_ in ("aux", "auxpass") and c.lower_ != "to" and c.i < v.i:
            return str(c.tag_)
    return str(v.tag_)


def _subtree_range(tok: Token, exclude: list[Token]) -> tuple[int, int]:
    """Token range of tok's subtree minus the trailing subtrees of ``exclude`` tokens."""
    left, right = tok.left_edge.i, tok.right_edge.i
    for ex in exclude:
        if ex.left_edge.i > left:
            right = min(right, ex.left_edge.i - 1)
    return left, right


def _trim(doc: Doc, left: int, right: int) -> tuple[int, int]:
    while left <= right and (
        (doc[left].is_punct and doc[left].text not in '"“‘') or doc[left].lower_ in {"that", "and", "but"}
    ):
        left += 1
    while right >= left and (
        (doc[right].is_punct and doc[right].text not in '"”’') or doc[right].lower_ in {"and", "but", "as"}
    ):
        right -= 1
    return left, right


def attribute_parsed(
    doc: Doc,
    sentence: Sentence,
    s_index: int,
    quotes: list[Quote],
    *,
    cues: Cues,
    text: str,
    inside_quote: Quote | None = None,
) -> list[Attribution]:
    """Attributions in one parsed sentence. ``doc`` is the parse of ``sentence.text``.

    With ``inside_quote``, only cues inside that quotation count: claims nested in a quote
    ("They show maps claiming they have captured X"), whose reporter the caller puts in ``via``.
    """
    base = sentence.start
    found: list[Attribution] = []

    def cue_ok(t: Token) -> bool:
        pos = base + t.idx
        if inside_quote is not None:
            return inside_quote.inner_start <= pos < inside_quote.inner_end
        return not _in_quote(pos, quotes)

    cue_tokens = [t for t in doc if t.lemma_.lower() in cues.verbs and t.pos_ in {"VERB", "AUX"} and cue_ok(t)]
    if inside_quote is not None:
        quotes = [q for q in quotes if q is not inside_quote]
    cue_ids = {t.i for t in cue_tokens}
    for v in cue_tokens:
        att = _attribute_cue(doc, v, sentence, s_index, quotes, cues=cues, text=text, cue_ids=cue_ids)
        if att is None:
            continue
        found.append(att)
        if att.mode == "direct":
            follow = _continuation(att, sentence, quotes, text)
            if follow is not None:
                found.append(follow)
    if inside_quote is None:
        found.extend(_according_to(doc, sentence, s_index, quotes, cues=cues, text=text, taken=found))
        found.extend(_colon_quote(doc, sentence, s_index, quotes, cues=cues, taken=found))
    return _nest(found, cues)


ANIMATE_LABELS = {"PERSON", "ORG", "NORP", "GPE"}
# Common nouns that name speakers, for evidential cues without NER ("the governor showed ...").
SPEAKER_NOUNS = {
    "official",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "ministry",
    "army",
    "military",
    "governor",
    "mayor",
    "president",
    "commander",
    "general",
    "government",
    "police",
    "agency",
}
CLAIM_NOUNS = {
    "claim",
    "claims",
    "report",
    "reports",
    "account",
    "statement",
    "figure",
    "figures",
    "allegation",
    "allegations",
    "accusation",
    "accusations",
    "assertion",
    "version",
    "story",
    "suggestion",
}


def _attribute_cue(
    doc: Doc,
    v: Token,
    sentence: Sentence,
    s_index: int,
    quotes: list[Quote],
    *,
    cues: Cues,
    text: str,
    cue_ids: set[int],
) -> Attribution | None:
    base = sentence.start
    lemma = v.lemma_.lower()
    if v.tag_ == "VB" and v.dep_ != "conj" and not any(c.dep_ == "aux" and c.lower_ != "to" for c in v.children):
        return None  # "demanded that Kyiv declare ...", "plans to announce": nothing has been said yet
    if any(c.dep_ == "aux" and c.lower_ in _NOT_YET for c in v.children):
        return None  # "Kyiv will accuse Moscow of ...", "could claim": a statement foreseen, not made
    if v.tag_ == "VB" and v.dep_ == "conj" and not any(c.dep_ == "aux" for c in v.children):
        head = v.head
        planned = head.tag_ == "VB" and head.dep_ in {"xcomp", "ccomp"}
        if (
            (planned and not any(c.dep_ == "aux" and c.lower_ != "to" for c in head.children))
            or head.tag_ in {"VBZ", "VBD", "VBP"}
            or any(c.dep_ == "aux" and c.lower_ in _NOT_YET for c in head.children)
        ):
            # "plans to strike the plant and then accuse Moscow of ...", "might strike ... and then accuse ...": a
            # plan or a possibility, nothing said yet
            return None
    comp = [c for c in v.children if c.dep_ in COMPLEMENT and not (c.dep_ == "conj" and c.i in cue_ids)]
    if len(comp) > 1:
        # "X told reporters that ..., he believes it is ...": the complement after the cue is its content
        comp.sort(key=lambda c: (c.i < v.i, c.i))
    if lemma == "say" and not comp:
        comp = [c for c in v.children if c.dep_ == "parataxis"]
    subj = _subject(v, cues)
    via_extra: list[Mention] = []
    quoter = _quoter(v) if subj is None or v.tag_ == "VBG" else None
    if quoter is not None:
        # "TASS quoted a military source as saying that ...", "Reuters quoted the ministry saying ...", "cited
        # officials denying ...": the one quoted speaks, the quoter passes it on
        objs = [c for c in quoter.children if c.dep_ in {"dobj", "obj"}]
        subj = objs[0] if objs else None
        teller = [c for c in quoter.children if c.dep_ in SUBJ]
        if teller:
            m = _mention(doc, teller[0], base)
            m.kind = "outlet"
            via_extra.append(m)
    if subj is not None and subj.dep_ == "nsubjpass":
        return None  # "were ordered to", "was told that": the subject is not the speaker
    quote = _adjacent_quote(doc, v, base, quotes, sentence, text)
    charge = _charge(v) if lemma in cues.accuse_verbs else None
    charged = charge is not None
    # "refuted these claims": a rejection whose object is what it rejects, with no "that" clause of its own
    # ("disputed the statement that the mall was crowded" says what it rejects in the clause)
    claim_obj = next(
        (c for c in v.children if c.dep_ in {"dobj", "obj"} and c.lower_ in CLAIM_NOUNS | cues.nouns), None
    )
    rejected = (
        lemma in cues.dispute_verbs
        and claim_obj is not None
        and not any(t.lower_ == "that" and t.dep_ != "det" for t in claim_obj.subtree)
    )
    if charged or rejected:
        # "accused Kyiv of shelling the plant, warning that ...", "refuted these claims and cautioned that ...":
        # the warning is a claim of its own, not what is charged or rejected
        comp = [c for c in comp if c.i not in cue_ids]
    if lemma in cues.needs_complement:
        if not comp and quote is None and not charged:
            return None
        if subj is not None and lemma in cues.evidential and not _may_speak(subj, cues):
            return None  # "the attack showed that ...": an inanimate subject is not a speaker
    if subj is not None and subj.lower_ in {"which", "that", "who"}:
        subj = _antecedent(v.head) if v.dep_ == "relcl" else None  # "doctors at the hospital, who said ..."
    medium: Mention | None = None
    if subj is None and v.tag_ == "VBN" and v.dep_ in {"acl", "relcl"}:
        # "a claim rejected by Kiev": the one who rejects is the agent; with none named, nobody is known
        agent = [g for c in v.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if not agent:
            return None
        subj = agent[0]
    if subj is None and v.dep_ == "acl" and v.head.pos_ in {"NOUN", "PROPN"}:
        subj = v.head  # "maps claiming they have captured X"
        if subj.lemma_.lower() in cues.media and _agent_of_medium(doc, subj, base) is None:
            # "They show maps claiming ...": the ones showing the maps make the claim
            shower = [c for c in subj.head.children if c.dep_ in SUBJ] if subj.dep_ in {"dobj", "obj"} else []
            if shower:
                medium = _mention(doc, subj, base)
                subj = shower[0]
    content: tuple[int, int] | None = None
    mode = "indirect"
    per_tokens = [t for t in doc if t.lower_ == "per" and t.i > v.i]
    if comp:
        exclude = [c for c in comp[0].children if c.dep_ == "conj" and c.i in cue_ids]
        exclude += [c for c in comp[0].subtree if c.i in cue_ids and c is not comp[0] and c.dep_ == "conj"]
        exclude += _rejections_in(comp[0], cue_ids, cues)
        left, right = _subtree_range(comp[0], exclude)
        for t in per_tokens:
            if left < t.i <= right:
                right = t.i - 1  # "..., per Ukrinform": the intermediary is not content
        left, right = _trim(doc, left, right)
        if right >= left:
            content = _span_chars(doc, left, right, base)
            if quote is not None and quote.start <= content[0] and content[1] <= quote.end:
                content = (quote.inner_start, quote.inner_end)
                mode = "direct"
            elif any(content[0] <= q.start < content[1] for q in quotes):
                mode = "mixed"
    if content is None and quote is not None:
        content = (quote.inner_start, quote.inner_end)
        mode = "direct"
    disputes = lemma in cues.dispute_verbs
    if content is None:
        that = next((t for t in doc[v.i + 1 : v.i + 10] if t.lower_ == "that"), None)
        objs = [c for c in v.children if c.dep_ in {"dobj", "obj"}]
        if rejected and claim_obj is not None:
            # "The IDF denied the claim": rejects an earlier claim; the content is what is rejected, also where a
            # clause of its own follows ("refuted these claims and cautioned that ...")
            content = _span_chars(doc, claim_obj.left_edge.i, claim_obj.right_edge.i, base)
        elif (
            that is not None
            and that.i + 1 < len(doc)
            and lemma not in cues.needs_complement
            and not (charged or rejected)
        ):
            # "said at a briefing that ..." parsed as a relative clause of the briefing
            left, right = _trim(doc, that.i + 1, len(doc) - 1)
            for t in per_tokens:
                if left < t.i <= right:
                    right = t.i - 1
            if right >= left:
                content = _span_chars(doc, left, right, base)
        elif v.dep_ in {"parataxis", "ccomp", "advcl"} and v.head.pos_ in {"VERB", "AUX"} and v.head.i != v.i:
            # "But to prevent problems, he said, local officials should be vigilant."
            head = v.head
            left, right = head.left_edge.i, head.right_edge.i
            if v.left_edge.i > left:
                first = _trim(doc, left, v.left_edge.i - 1)
                second = _trim(doc, v.right_edge.i + 1, right)
                pieces = [x for x in (first, second) if x[1] >= x[0]]
                if pieces:
                    left, right = pieces[0][0], pieces[-1][1]
                    content = _span_chars(doc, left, right, base)
        elif charge is not None and objs:
            # "Moscow accused Kyiv of shelling the plant", "blamed Russia for the attack": the accused and the charge
            said = [c for c in charge.subtree if c.i in cue_ids and c.dep_ in {"relcl", "acl", "conj"}]
            left, right = _subtree_range(charge, [*_rejections_in(charge, cue_ids, cues), *said])
            left, right = _trim(doc, objs[0].left_edge.i, right)
            content = _span_chars(doc, left, right, base)
        elif disputes and v.dep_ in {"relcl", "acl"} and _claim_noun(v.head, cues) and subj is not None:
            # "..., a claim India rejected as false", "a claim that the army denied": it rejects the claim before
            content = _span_chars(doc, v.head.left_edge.i, v.head.i, base)
        elif disputes and objs and objs[0].lower_ in CLAIM_NOUNS | cues.nouns:
            # "denied the claim, which ...": what is rejected is the claim noun's phrase
            content = _span_chars(doc, objs[0].left_edge.i, objs[0].right_edge.i, base)
    if content is None:
        return None
    content = _strip_chars(text, content)
    if content[1] <= content[0]:
        return None
    if mode == "indirect" and any(content[0] <= q.start < content[1] for q in quotes):
        mode = "mixed"
    source = _mention(doc, subj, base) if subj is not None else None
    if source is not None and subj is not None and subj.lemma_.lower() in cues.media and medium is None:
        medium = source
        source = _agent_of_medium(doc, subj, base)
    att = Attribution(
        content=content,
        mode=mode,
        sentence=s_index,
        source=source,
        cue=Mention(v.text, base + v.idx, base + v.idx + len(v)),
        medium=medium,
        disputes=disputes,
        clause=v.dep_,
    )
    att.via.extend(via_extra)  # the pipeline keeps each channel once (the quoter may be read as a channel too)
    att.via.extend(_via(doc, v, base, text, cues))
    return att


def _antecedent(tok: Token) -> Token:
    """'doctors at the main hospital, who ...': the relative clause may hang off the last noun; climb to the first."""
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.lower_ in {"at", "in", "from", "of", "with"}:
        prep = tok.head
        if prep.head.pos_ in {"NOUN", "PROPN"}:
            return prep.head
        before = tok.doc[prep.i - 1] if prep.i > 0 else None
        if before is not None and before.pos_ in {"NOUN", "PROPN"}:
            return before  # the parser hung the place phrase on the verb
    return tok


def _may_speak(tok: Token, cues: Cues) -> bool:
    if tok.pos_ in {"PRON", "PROPN"} or tok.ent_type_ in ANIMATE_LABELS or tok.lemma_.lower() in SPEAKER_NOUNS:
        return True
    if tok.lemma_.lower() in cues.media:
        return True
    return any(t.ent_type_ in ANIMATE_LABELS for t in tok.subtree)


def _continuation(att: Attribution, sentence: Sentence, quotes: list[Quote], text: str) -> Attribution | None:
    """'"A," the spokesman said. "B."': the quote right after the cue sentence has the same speaker."""
    for q in quotes:
        if q.start >= sentence.end and not text[sentence.end : q.start].strip():
            if att.content[0] <= q.inner_start < att.content[1]:
                return None
            return Attribution(
                content=(q.inner_start, q.inner_end),
                mode="direct",
                sentence=att.sentence,
                source=att.source,
                cue=att.cue,
                via=list(att.via),
                disputes=att.disputes,
                clause=att.clause,
                continued=True,
            )
    return None


def _colon_quote(
    doc: Doc, sentence: Sentence, s_index: int, quotes: list[Quote], *, cues: Cues, taken: list[Attribution]
) -> list[Attribution]:
    """'... a demand from an accomplice of X: "..."' and 'Smith: "..."': the quote belongs to that source."""
    base = sentence.start
    out: list[Attribution] = []
    for q in quotes:
        if not (sentence.start < q.start < sentence.end) or any(
            a.content[0] >= q.start - 1 and a.content[0] <= q.inner_end for a in taken
        ):
            continue
        before = sentence.text[: q.start - base].rstrip()
        if not before.endswith(":"):
            continue
        colon = len(before) - 1
        toks = [t for t in doc if t.idx < colon]
        if not toks:
            continue
        source: Mention | None = None
        for t in reversed(toks):
            if t.lemma_.lower() in cues.nouns:
                for p in t.children:
                    if p.dep_ == "prep" and p.lower_ in {"from", "by", "of"}:
                        objs = [c for c in p.children if c.dep_ == "pobj"]
                        if objs:
                            source = _mention(doc, objs[0], base)
                            break
                if source is not None:
                    break
        if (
            source is None
            and len(toks) <= 5
            and any(t.ent_type_ in {"PERSON", "ORG", "NORP"} or t.pos_ == "PROPN" for t in toks)
        ):
            source = Mention(sentence.text[:colon].strip(), base, base + colon, label="PERSON")
        if source is None:
            continue
        out.append(
            Attribution(
                content=(q.inner_start, q.inner_end),
                mode="direct",
                sentence=s_index,
                source=source,
                cue=Mention(":", base + colon, base + colon + 1),
            )
        )
    return out


def _strip_chars(text: str, span: tuple[int, int]) -> tuple[int, int]:
    s, e = span
    while s < e and (text[s].isspace() or text[s] in ",;:—–-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–-"):
        e -= 1
    return s, e


def _mention(doc: Doc, tok: Token, base: int) -> Mention:
    left, right = _np_span(tok)
    # drop a trailing relative clause or apposition introduced by a comma
    for i in range(left, right + 1):
        if doc[i].text == "," and i > tok.i:
            right = i - 1
            break
    s, e = _span_chars(doc, left, right, base)
    label = tok.ent_type_ or None
    for t in doc[left : right + 1]:
        if t.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
            label = t.ent_type_
            break
    if label is None:
        label = guess_label(doc[left : right + 1])
    return Mention(doc.text[s - base : e - base], s, e, label=label)


def guess_label(span: Span) -> str | None:
    """Without NER: a bare run of proper nouns is a person ("Smith", "Oleh Marchuk"); with a determiner
    or a common-noun head it is an organisation ("the General Staff")."""
    toks = [t for t in span if not t.is_punct]
    if not toks:
        return None
    head = toks[-1]
    if head.pos_ != "PROPN":
        return None
    if toks[0].lower_ in {"the", "a", "an"} or head.text.isupper():
        return "ORG"
    names = [t for t in toks if t.pos_ == "PROPN"]
    return "PERSON" if len(names) == len(toks) or len(names) >= 2 else "ORG"


def _agent_of_medium(doc: Doc, medium: Token, base: int) -> Mention | None:
    """'maps published by X' / 'a report from X' / 'X's report' -> X."""
    for t in medium.subtree:
        if t.dep_ in {"agent", "prep"} and t.lower_ in {"by", "from", "of"}:
            objs = [c for c in t.children if c.dep_ == "pobj"]
            if objs and objs[0].pos_ in {"PROPN", "NOUN"}:
                return _mention(doc, objs[0], base)
        if t.dep_ == "poss" and t.head is medium:
            return _mention(doc, t, base)
    return None


def _adjacent_quote(doc: Doc, v: Token, base: int, quotes: list[Quote], sentence: Sentence, text: str) -> Quote | None:
    """The quotation this cue introduces or closes: ends just before it, or starts just after it. A quotation
    closing the sentence before closes it only when the splitter cut after its "?", "!" or ","
    ('“...?” Clinton said.'); one ending in a full stop was a sentence of its own, said by whoever it names."""
    vpos = base + v.idx
    best: Quote | None = None
    for q in quotes:
        if q.end < base and text[q.inner_end - 1 : q.inner_end] not in {"?", "!", ","}:
            continue
        if q.end <= vpos and q.end >= sentence.start - 2:
            gap = sentence.text[max(0, q.end - base) : v.idx] if q.end >= base else ""
            if len(gap) <= 120 and "\u201c" not in gap and '"' not in gap and not re.search(r"[.!?]\s", gap):
                best = q
        elif q.start > vpos and q.start - (vpos + len(v)) <= 40 and q.start < sentence.end:
            between = sentence.text[v.idx + len(v) : q.start - base]
            if re.fullmatch(r"[\s,:]*(?:that\s*)?|[\s\w,]*[:,]\s*", between):
                return q
    return best


def _via(doc: Doc, v: Token, base: int, text: str, cues: Cues) -> list[Mention]:
    out: list[Mention] = []
    for t in doc:
        if (t.lower_ == "per" and t.dep_ in {"prep", "advmod", "cc"}) or (t.lower_ == "per" and t.i > v.i):
            objs = [c for c in t.children if c.dep_ == "pobj"] or ([doc[t.i + 1]] if t.i + 1 < len(doc) else [])
            if objs and objs[0].pos_ in {"PROPN", "NOUN"}:
                m = _mention(doc, objs[0], base)
                m.kind = "outlet"
                out.append(m)
    if v.lemma_ == "tell":
        for c in v.children:
            if c.dep_ in {"dative", "dobj"} and c.pos_ == "PROPN":
                m = _mention(doc, c, base)
                m.kind = "outlet"
                out.append(m)
    window_start = base + v.idx + len(v)
    window = text[window_start : window_start + 60].lower()
    for phrase, name in cues.channels:
        if window.startswith(" " + phrase) or window.startswith(phrase):
            off = window.index(phrase)
            out.append(Mention(name, window_start + off, window_start + off + len(phrase), kind="channel"))
            break
    return out


def _according_to(
    doc: Doc,
    sentence: Sentence,
    s_index: int,
    quotes: list[Quote],
    *,
    cues: Cues,
    text: str,
    taken: list[Attribution],
) -> list[Attribution]:
    out: list[Attribution] = []
    base = sentence.start
    for t in doc:
        if t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to":
            continue
        to = doc[t.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"] or [c for c in t.children if c.dep_ == "pobj"]
        if not objs:
            continue
        obj = objs[0]
        if obj.lemma_.lower() in cues.not_sources or obj.lower_ in cues.not_sources:
            continue  # "according to plan"
        phrase_left, phrase_right = t.i, obj.right_edge.i
        src = _mention(doc, obj, base)
        medium = None
        if obj.lemma_.lower() in cues.media or obj.lower_ in cues.media:
            medium = src
            src = _agent_of_medium(doc, obj, base) or src
        # content: the rest of the sentence around the phrase
        if phrase_left > 0 and any(not doc[i].is_punct for i in range(0, phrase_left)):
            left, right = _trim(doc, 0, phrase_left - 1)
        else:
            left, right = _trim(doc, phrase_right + 1, len(doc) - 1)
        if right < left:
            continue
        content = _strip_chars(text, _span_chars(doc, left, right, base))
        if any(a.source is not None and a.content[0] <= content[0] < a.content[1] for a in taken):
            # "X said ..., according to Y": Y is an intermediary of X's claim
            for a in taken:
                if a.content[0] <= content[0] < a.content[1] or content[0] <= a.content[0] < content[1]:
                    src.kind = "outlet"
                    a.via.append(src)
            continue
        out.append(
            Attribution(
                content=content,
                mode="according_to",
                sentence=s_index,
                source=src,
                cue=Mention("according to", base + t.idx, base + to.idx + len(to)),
                medium=medium,
            )
        )
    # "per X" alone at a sentence edge, with no cue verb: an according-to attribution
    if not taken and not out:
        for t in doc:
            if t.lower_ == "per" and (t.i <= 1 or t.right_edge.i >= len(doc) - 2) and t.i + 1 < len(doc):
                objs = [c for c in t.children if c.dep_ == "pobj"] or [doc[t.i + 1]]
                if objs[0].pos_ != "PROPN":
                    continue
                src = _mention(doc, objs[0], base)
                left, right = (0, t.i - 1) if t.i > 1 else (t.right_edge.i + 1, len(doc) - 1)
                left, right = _trim(doc, left, right)
                if right < left:
                    continue
                content = _strip_chars(text, _span_chars(doc, left, right, base))
                out.append(
                    Attribution(
                        content=content,
                        mode="according_to",
                        sentence=s_index,
                        source=src,
                        cue=Mention("per", base + t.idx, base + t.idx + 3),
                    )
                )
    return out


PRONOUNS = {"he", "she", "they", "it", "i", "we"}
MENTAL = {"think", "believe", "expect", "hope", "fear", "know", "want", "suspect", "assume", "doubt", "feel"}


def _nest(found: list[Attribution], cues: Cues) -> list[Attribution]:
    """'Zelensky said X, AFP reported': the inner claim keeps its speaker; the outer source becomes ``via``."""
    keep: list[Attribution] = []
    for a in found:
        inner = [
            b
            for b in found
            if b is not a
            and b.source is not None
            and a.content[0] <= (b.cue.start if b.cue else -1) < a.content[1]
            and b.clause not in {"relcl", "acl", "advcl"}
            and b.mode != "according_to"
            and not (a.content[0] <= (a.cue.start if a.cue else -1) < a.content[1])
            # "Clinton said she thinks ...": the same speaker's state of mind, not a second source
            and b.source.text.lower() not in PRONOUNS
            and cues.lemmas.get(b.cue.text.lower() if b.cue else "", "") not in MENTAL
        ]
        outer_lemma = cues.lemmas.get(a.cue.text.lower() if a.cue else "", "")
        if a.source is not None and (a.source.text.lower() in PRONOUNS or outer_lemma in MENTAL):
            inner = []  # a pronoun or a state of mind passes nothing on: both claims stand
        if inner and a.source is not None:
            for b in inner:
                a.source.kind = "outlet"
                b.via.append(a.source)
            continue
        keep.append(a)
    return keep
