"""Actors: one canonical entity per real actor, across documents and spellings.

Knowledge lives in ``data/actors.toml`` (registry entries with aliases, roles, metonyms and
sides; demonyms; institution nouns; parties to conflicts). ``ActorRegistry`` answers
name-level questions; ``DocumentActors`` resolves mentions inside one document, where
"he", "the president" or "Smith" refer back to someone the document named.
Unknown actors still get stable ids derived from their normalised name.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from crosscheck.config import data_files
from crosscheck.errors import ConfigError
from crosscheck.records import Actor, Entity, stable_id

PRONOUNS_PERSON = {"he", "she", "him", "her"}
PRONOUNS_GROUP = {"they", "it", "them"}
PRONOUNS_SPEAKER = {"i", "we"}
DETERMINERS = ("the ", "a ", "an ", "its ", "his ", "her ", "their ", "our ")


def normalise(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key for a name."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("\u2019", "'").replace("`", "'").lower()
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^\w\s-]", " ", s)
    s = s.replace("-", " ")
    return " ".join(s.split())


@dataclass
class RegistryEntry:
    id: str
    name: str
    type: str
    side: str | None = None
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    metonyms: list[str] = field(default_factory=list)

    def actor(self, mention: str | None, span: tuple[int, int] | None = None) -> Actor:
        return Actor(name=self.name, id=self.id, mention=mention, type=self.type, side=self.side, span=span)

    def entity(self) -> Entity:
        return Entity(id=self.id, name=self.name, type=self.type, aliases=sorted(set(self.aliases)), side=self.side)


class ActorRegistry:
    """Registry entries by alias, role and metonym, plus demonym/institution rules."""

    def __init__(
        self,
        entries: list[RegistryEntry],
        *,
        demonyms: dict[str, str],
        institutions: dict[str, list[str]],
        parties: list[str],
        titles: list[str],
    ) -> None:
        self.entries = {e.id: e for e in entries}
        self.demonyms = {normalise(k.replace("_", " ")): v for k, v in demonyms.items()}
        self.parties = {p.lower() for p in parties}
        self.titles = sorted({normalise(t) for t in titles}, key=len, reverse=True)
        self.institutions: list[tuple[str, str]] = sorted(
            ((normalise(n), kind) for kind, nouns in institutions.items() for n in nouns),
            key=lambda t: len(t[0]),
            reverse=True,
        )
        self.by_alias: dict[str, RegistryEntry] = {}
        self.by_role: dict[str, list[RegistryEntry]] = {}
        for e in entries:
            for name in [e.name, *e.aliases, *e.metonyms]:
                key = normalise(name)
                key = key[4:] if key.startswith("the ") else key
                self.by_alias.setdefault(key, e)
            for role in e.roles:
                self.by_role.setdefault(normalise(role), []).append(e)
        self._person_keys = [k for k, e in self.by_alias.items() if e.type == "person"]
        # demonyms and country names -> country; institution nouns -> kind (first listed kind wins)
        self._countries: dict[str, str] = {**{normalise(c): c for c in self.demonyms.values()}, **self.demonyms}
        self._nouns: dict[str, str] = {}
        for noun, kind in sorted(self.institutions, key=lambda t: t[1] != "military"):
            self._nouns.setdefault(noun, kind)

    @classmethod
    def load(cls, *, data_dir: str | None = None) -> ActorRegistry:
        entries: dict[str, RegistryEntry] = {}
        demonyms: dict[str, str] = {}
        institutions: dict[str, list[str]] = {}
        parties: list[str] = []
        titles: list[str] = []
        for path in data_files("actors.toml", data_dir=data_dir):
            try:
                raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as err:
                raise ConfigError(f"{path}: not valid TOML: {err}") from err
            for i, item in enumerate(raw.get("actor", [])):
                if "id" not in item or "name" not in item:
                    raise ConfigError(f"{path}: actor #{i + 1} needs 'id' and 'name'")
                old = entries.get(item["id"])
                entry = RegistryEntry(
                    id=item["id"],
                    name=item["name"],
                    type=item.get("type", "organisation"),
                    side=item.get("side"),
                    aliases=[*(old.aliases if old else []), *item.get("aliases", [])],
                    roles=[*(old.roles if old else []), *item.get("roles", [])],
                    metonyms=[*(old.metonyms if old else []), *item.get("metonyms", [])],
                )
                entries[entry.id] = entry
            demonyms.update(raw.get("demonyms", {}))
            for kind, nouns in raw.get("institutions", {}).items():
                institutions.setdefault(kind, []).extend(nouns)
            parties.extend(raw.get("parties", {}).get("names", []))
            titles.extend(raw.get("titles", {}).get("words", []))
        return cls(list(entries.values()), demonyms=demonyms, institutions=institutions, parties=parties, titles=titles)

    def side_of_country(self, country: str) -> str | None:
        return country if country.lower() in self.parties else None

    def strip_title(self, key: str) -> str:
        """'president volodymyr zelensky' -> 'volodymyr zelensky'."""
        changed = True
        while changed:
            changed = False
            for t in self.titles:
                if key.startswith(t + " ") and len(key) > len(t) + 1:
                    key = key[len(t) + 1 :]
                    changed = True
        return key

    def lookup(self, mention: str) -> RegistryEntry | None:
        """Exact alias/metonym match, with and without a leading title or determiner."""
        key = normalise(mention)
        for d in DETERMINERS:
            if key.startswith(d):
                key = key[len(d) :]
                break
        if key in self.by_alias:
            return self.by_alias[key]
        bare = self.strip_title(key)
        if bare in self.by_alias:
            return self.by_alias[bare]
        paren = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", mention.strip())
        if paren:
            # "The Institute for the Study of War (ISW)": the name, else the acronym
            return self.lookup(paren.group(1)) or self.lookup(paren.group(2))
        words = key.split()
        for n in (2, 1):
            # "ministry spokesman Igor Konashenkov", "Ukraine's top commander Oleksandr Syrskyi"
            if len(words) > n:
                entry = self.by_alias.get(" ".join(words[-n:]))
                if entry is not None and entry.type == "person" and (n == 2 or mention.strip()[-1:].isalpha()):
                    if n == 1 and not mention.split()[-1][:1].isupper():
                        continue
                    return entry
        for n in range(len(words) - 1, 0, -1) if key not in self.by_role else ():
            # "Hamas's armed wing", "the IDF spokesman": a part of a registered organisation speaks for it
            rest = " ".join(words[n:])
            entry = self.by_alias.get(" ".join(words[:n]))
            if entry is not None and entry.type != "person" and rest in AFFILIATES:
                return entry
        return None

    def fuzzy_person(self, mention: str) -> RegistryEntry | None:
        """Spelling variants of registered people (Zelenskiy ~ Zelenskyy)."""
        key = self.strip_title(normalise(mention))
        if len(key) < 5 or not self._person_keys:
            return None
        best = process.extractOne(key, self._person_keys, scorer=fuzz.ratio, score_cutoff=88)
        return self.by_alias[best[0]] if best else None

    def institution(self, mention: str) -> Actor | None:
        """'the Russian army' -> Russian armed forces; 'Ukrainian officials' -> Ukrainian government."""
        key = normalise(mention)
        for d in DETERMINERS:
            if key.startswith(d):
                key = key[len(d) :]
                break
        words = key.split()
        whole = self._countries.get(key)
        if whole is not None and key not in self.demonyms and self.side_of_country(whole):
            return self.country_actor(whole, "government", mention)  # "India rejected ...": a party, by its name
        for n in (2, 1):
            if len(words) <= n:
                continue
            country = self._countries.get(" ".join(words[:n]))
            if country is None:
                continue
            rest = " ".join(words[n:])
            kind = self._nouns.get(rest) or self._nouns.get(" ".join(words[-2:])) or self._nouns.get(words[-1])
            if kind is not None:
                return self.country_actor(country, kind, mention)
            side = self.side_of_country(country)
            if words[-1] in OFFICE_ROLES and side is not None and not self.by_role.get(key):
                # "Thailand's prime minister", "the Cambodian defence minister": an office holder of a party
                name = _display(mention, self)
                return Actor(name=name, id=stable_id("act", normalise(name)), mention=mention, type="person", side=side)
        return None

    def country_actor(self, country: str, kind: str, mention: str | None) -> Actor:
        demonym = next((k for k, v in self.demonyms.items() if v == country and " " not in k), country.lower())
        label = "armed forces" if kind == "military" else "government"
        name = f"{demonym.capitalize()} {label}"
        registered = self.lookup(name)
        if registered is not None:
            return registered.actor(mention)
        return Actor(
            name=name,
            id=stable_id("act", normalise(name)),
            mention=mention,
            type=kind,
            side=self.side_of_country(country),
        )

    def roles_matching(self, role: str) -> list[RegistryEntry]:
        key = normalise(role)
        for d in DETERMINERS:
            if key.startswith(d):
                key = key[len(d) :]
                break
        return self.by_role.get(key, [])

    def unknown(self, mention: str, *, type: str | None = None, scope: str | None = None) -> Actor:
        """An actor not in the registry. Named actors get a global id from their name; descriptions
        ("the regional governor") get an id scoped to the document (``scope``), never shared across documents."""
        name = _display(mention, self, keep_titles=type == "organisation")
        key = normalise(name)
        named = any(w[:1].isupper() for w in name.split() if w.lower() not in {"the", "a", "an"})
        if not named and scope:
            return Actor(name=name, id=stable_id("act", scope, key), mention=mention, type=type)
        return Actor(name=name, id=stable_id("act", key), mention=mention, type=type)


def _display(mention: str, registry: ActorRegistry, *, keep_titles: bool = False) -> str:
    """A readable name: no determiner; for people, no titles or descriptions before the name."""
    words = mention.strip().strip(",.;:").split()
    while words and normalise(words[0]) in {"the", "a", "an"}:
        words = words[1:]
    if keep_titles:
        return " ".join(words) or mention.strip()
    # "Kharkiv Governor Oleh Marchuk" -> "Oleh Marchuk": the capitalised words after the last title word
    singles = {t for t in registry.titles if " " not in t}
    last_title = max((i for i, w in enumerate(words) if normalise(w) in singles), default=-1)
    rest = words[last_title + 1 :]
    if 0 <= last_title and rest and all(w[:1].isupper() for w in rest):
        return " ".join(rest)
    return " ".join(words) or mention.strip()


@lru_cache(maxsize=4)
def default_registry(data_dir: str | None = None) -> ActorRegistry:
    return ActorRegistry.load(data_dir=data_dir)


AFFILIATES = {
    "armed wing",
    "military wing",
    "wing",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "press office",
    "media office",
    "press service",
    "statement",
    "official",
    "officials",
    "leadership",
    "command",
    "fighters",
    "forces",
}

GROUP_NOUNS = {
    "group",
    "movement",
    "militia",
    "organisation",
    "organization",
    "faction",
    "paramilitaries",
    "rebels",
    "insurgents",
    "alliance",
    "coalition",
    "ministry",
    "agency",
    "service",
}

GENERIC_ROLES = {
    "official",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "commander",
    "general",
    "source",
    "officer",
    "governor",
    "mayor",
    "leader",
    "chief",
    "ambassador",
    "envoy",
    "adviser",
    "advisor",
    "analyst",
    "expert",
    "aide",
    "diplomat",
    "lawmaker",
    "politician",
    "head",
}


# the offices whose holder, named after a party's country ("Thailand's prime minister"), speaks for that party;
# an analyst, an expert or a source named after a country does not
OFFICE_ROLES = (GENERIC_ROLES | {"president", "premier", "chancellor"}) - {
    "official",
    "source",
    "officer",
    "mayor",
    "leader",
    "chief",
    "adviser",
    "advisor",
    "analyst",
    "expert",
    "aide",
    "lawmaker",
    "politician",
    "head",
}


class DocumentActors:
    """Resolves actor mentions within one document, in reading order."""

    def __init__(self, registry: ActorRegistry, *, scope: str | None = None, text: str | None = None) -> None:
        self.registry = registry
        self.scope = scope
        self.text = text  # the document, when known: "he" skips people named only as objects ("against Putin")
        self.history: list[tuple[int, Actor, str]] = []  # (offset, actor, mention lower) of named actors
        self.entities: dict[str, Entity] = {}

    def note(self, actor: Actor, offset: int) -> None:
        """Record a named actor (not a pronoun) seen at ``offset`` for later back-references."""
        if actor.id is None:
            return
        self.history.append((offset, actor, (actor.mention or "").lower()))
        self.history.sort(key=lambda t: t[0])
        if actor.id not in self.entities:
            entry = self.registry.entries.get(actor.id)
            self.entities[actor.id] = (
                entry.entity()
                if entry
                else Entity(id=actor.id, name=actor.name, type=actor.type or "unknown", aliases=[], side=actor.side)
            )
        if actor.mention:
            ent = self.entities[actor.id]
            if actor.mention != ent.name and actor.mention not in ent.aliases:
                ent.aliases.append(actor.mention)

    def _before(self, offset: int) -> list[Actor]:
        return [a for off, a, _ in reversed(self.history) if off < offset]

    def resolve(self, mention: str, *, offset: int, label: str | None = None) -> Actor:
        """An Actor for ``mention`` at ``offset``; ``label`` is the NER label if known (PERSON, ORG, GPE, NORP)."""
        text = mention.strip().strip(',.;:"“”')
        key = normalise(text)
        span = (offset, offset + len(mention))
        if key in PRONOUNS_PERSON:
            people = [(off, a) for off, a, _ in reversed(self.history) if off < offset and a.type == "person"]
            subjects = [a for off, a in people if not self._oblique(off, offset)]
            for a in subjects or [a for _off, a in people]:
                return _copy(a, mention, span)
            return Actor(name=text, id=None, mention=mention, type="person", span=span)
        if key in PRONOUNS_GROUP:
            for a in self._before(offset):
                if a.type != "person":
                    return _copy(a, mention, span)
            return Actor(name=text, id=None, mention=mention, type=None, span=span)
        entry = self.registry.lookup(text)
        if entry is not None:
            actor = entry.actor(mention, span)
            self.note(actor, offset)
            return actor
        inst = self.registry.institution(text)
        if inst is not None:
            inst.span = span
            self.note(inst, offset)
            return inst
        role = self._role(key, offset)
        if role is not None:
            return _copy(role, mention, span)
        group = self._institution_back(key, offset)
        if group is not None:
            return _copy(group, mention, span)
        earlier = self._surname(key, offset)
        if earlier is not None:
            return _copy(earlier, mention, span)
        if label in (None, "PERSON"):
            fuzzy = self.registry.fuzzy_person(text)
            if fuzzy is not None:
                actor = fuzzy.actor(mention, span)
                self.note(actor, offset)
                return actor
        typ = {"PERSON": "person", "ORG": "organisation", "GPE": "state", "NORP": "group"}.get(label or "", None)
        words = key.split()
        if typ is None and words and words[-1] in GENERIC_ROLES:
            typ = "person"  # "the Kharkiv regional governor": a person, for "he" later on
        actor = self.registry.unknown(text, type=typ, scope=self.scope)
        actor.span = span
        bare = self.registry.strip_title(key)
        earlier = self._surname(bare, offset) if typ == "person" else None
        if earlier is None and typ == "person":
            earlier = next(
                (
                    a
                    for a in self._before(offset)
                    if a.type == "person" and normalise(a.name) in {normalise(actor.name), bare}
                ),
                None,
            )
        if earlier is not None:
            return _copy(earlier, mention, span)
        if label in ("PERSON", "ORG", "GPE", "NORP") or text[:1].isupper() or typ == "person":
            self.note(actor, offset)
        return actor

    def _oblique(self, at: int, pronoun: int) -> bool:
        """Whether the person named at ``at`` stands where a later "he" rarely points: after a preposition
        ("sanctions against Putin"), as an owner ("Putin's war"), or inside a quotation that has not closed
        before the pronoun. Only in the sentences just before the pronoun; needs the document's text."""
        text = self.text
        if text is None or pronoun - at > 400:
            return False
        before = text[max(0, at - 25) : at].lower()
        after = text[at : at + 60]
        name = re.match(r"[\w.'’-]+(?:\s+[A-Z][\w.'’-]+)*", after)
        end = at + (name.end() if name else 0)
        if re.search(
            r"\b(?:against|of|with|to|by|for|on|from|about|at|into|toward|towards|than)\s+(?:\w+\s+){0,3}$", before
        ):
            return True
        if re.match(r"['’]s?\b", text[end : end + 2]):
            return True
        para = text[text.rfind("\n", 0, at) + 1 : at]
        inside = para.count("“") > para.count("”") or para.count('"') % 2 == 1
        return inside and pronoun > end and any(q in text[end:pronoun] for q in ('"', "”"))  # quoted, then closed

    def _institution_back(self, key: str, offset: int) -> Actor | None:
        """'the army' after 'the Sudanese army', 'the group' after 'the RSF': the institution named before."""
        words = key.split()
        if not words or words[0] not in {"the", "its"} or len(words) > 3:
            return None
        noun = " ".join(words[1:])
        kind = next((k for n, k in self.registry.institutions if n == noun or noun.endswith(" " + n)), None)
        if kind is None and words[-1] not in GROUP_NOUNS:
            return None
        groups = [
            a
            for a in self._before(offset)
            if a.type in {"military", "government", "organisation", "armed_group", "group"}
        ]
        for a in groups:  # "the ministry" after "the British Ministry of Defence": the one named by that noun
            if re.search(rf"\b{re.escape(noun)}\b", (a.mention or "").lower()):
                return a
        for a in groups:
            if kind is None or a.type == kind or (kind == "military" and a.type in {"armed_group", "military"}):
                return a
        return groups[0] if groups else None

    def _role(self, key: str, offset: int) -> Actor | None:
        for d in DETERMINERS:
            if key.startswith(d):
                key = key[len(d) :]
                break
        if not key:
            return None
        matches = {e.id for e in self.registry.roles_matching(key)}
        last_word = key.split()[-1]
        if key in GENERIC_ROLES:
            # "the governor": the last person the article named by that office ("Governor Ivan Petrov"), else the
            # last person named by no other office ("Ivan Petrov"), not an unnamed registry holder. The governor
            # after "Thailand's prime minister" is somebody else.
            people = [a for a in self._before(offset) if a.type == "person" and a.id is not None]
            for a in people:
                if key in (a.mention or "").lower().split():
                    return a
            for a in people:
                if not (set((a.mention or "").lower().split()) & GENERIC_ROLES):
                    return a
            return None
        for a in self._before(offset):
            if a.id in matches:
                return a
            if a.type == "person" and a.mention and key in a.mention.lower():
                return a
        if matches or last_word in GENERIC_ROLES:
            if matches:
                # a registered role holder the document has not named: only when unambiguous
                if len(matches) == 1:
                    return self.registry.entries[next(iter(matches))].actor(None)
                return None
            for a in self._before(offset):
                if a.type == "person":
                    return a
        return None

    def _surname(self, key: str, offset: int) -> Actor | None:
        key = self.registry.strip_title(key)
        if " " in key or len(key) < 3:
            return None
        for a in self._before(offset):
            if a.type == "person" and key in normalise(a.name).split():
                return a
        return None


def _copy(actor: Actor, mention: str, span: tuple[int, int]) -> Actor:
    return Actor(name=actor.name, id=actor.id, mention=mention.strip(), type=actor.type, side=actor.side, span=span)
