"""The source registry: shipped data, lookups by domain and name, the user's extension file."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.errors import ConfigError
from crosscheck.sources import KINDS, Source, SourceRegistry

NO_USER_DIR = "/nonexistent-crosscheck-data-dir"


@pytest.fixture(scope="module")
def registry() -> SourceRegistry:
    return SourceRegistry.load(data_dir=NO_USER_DIR)


def test_shipped_registry_is_broad_and_valid(registry: SourceRegistry) -> None:
    assert len(registry) >= 100
    assert {s.kind for s in registry} <= set(KINDS)
    assert {"wire_agency", "state_media", "think_tank", "government", "social_media"} <= {s.kind for s in registry}
    assert all(s.country is None or (len(s.country) == 2 and s.country.isupper()) for s in registry)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("https://www.themoscowtimes.com/2025/11/04/story-a1", "The Moscow Times"),
        ("edition.cnn.com", "CNN"),
        ("https://abcnews.go.com/International/story?id=1", "ABC News"),
        ("http://news.bbc.co.uk/2/hi/europe/1.stm", "BBC News"),
        ("WWW.RT.COM", "RT"),
        ("https://www.ukrinform.net/rubric-ato/1.html", "Ukrinform"),
        ("tass.com:443", "TASS"),
        ("https://t.me/some_channel/123", "Telegram"),
        ("understandingwar.org", "Institute for the Study of War"),
    ],
)
def test_by_domain_handles_subdomains_and_urls(registry: SourceRegistry, query: str, name: str) -> None:
    source = registry.by_domain(query)
    assert source is not None and source.name == name


@pytest.mark.parametrize("query", ["go.com", "example.co.uk", "co.uk", "", "not a url", "https://localhost/"])
def test_by_domain_unknown(registry: SourceRegistry, query: str) -> None:
    assert registry.by_domain(query) is None


def test_corpus_outlets_are_all_known(registry: SourceRegistry) -> None:
    hosts = [
        "abcnews.go.com",
        "www.bbc.com",
        "www.cbsnews.com",
        "www.cnn.com",
        "www.dailymail.co.uk",
        "www.express.co.uk",
        "www.theguardian.com",
        "www.huffpost.com",
        "www.mirror.co.uk",
        "www.nbcnews.com",
        "www.rt.com",
    ]
    assert all(registry.by_domain(h) is not None for h in hosts)
    assert registry.by_domain("www.rt.com").kind == "state_media"  # type: ignore[union-attr]


def test_by_name_is_case_insensitive_with_aliases(registry: SourceRegistry) -> None:
    afp = registry.by_name("AFP")
    assert afp is not None and afp.kind == "wire_agency" and afp.country == "FR"
    assert registry.by_name("Agence France-Presse") is afp
    assert registry.by_name("  agence   FRANCE-presse ") is afp
    assert registry.by_name("UkrInform") is registry.by_domain("ukrinform.net")
    assert registry.by_name("ISW") is registry.by_domain("understandingwar.org")
    assert registry.by_name("Moscow Times") is registry.by_domain("themoscowtimes.com")
    assert registry.by_name("Daily Planet") is None
    assert registry.by_name(None) is None


def test_ids_are_shared_by_the_domains_of_one_outlet(registry: SourceRegistry) -> None:
    tass_com, tass_ru = registry.by_domain("tass.com"), registry.by_domain("tass.ru")
    assert tass_com is not None and tass_ru is not None
    assert tass_com.id == tass_ru.id == "src_tass"
    assert Source("x.org", "The Moscow Times", "RU", "national_media").id == "src_the_moscow_times"


def test_user_file_extends_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "sources.csv").write_text(
        "# my outlets\n"
        "domain,name,country,kind,aliases\n"
        "hromadske.example,Valley Radio,GE,regional_media,VR|Radio of the Valley\n"
        "www.rt.com,RT (relabelled),RU,state_media,\n",
        encoding="utf-8",
    )
    registry = SourceRegistry.load(data_dir=str(tmp_path))
    radio = registry.by_domain("https://news.hromadske.example/a")
    assert radio is not None and radio.kind == "regional_media" and registry.by_name("radio of the valley") is radio
    assert registry.by_domain("rt.com").name == "RT (relabelled)"  # type: ignore[union-attr]
    assert registry.by_domain("reuters.com") is not None  # the shipped rows are still there


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("domain,name,country,kind\nexample.org,Example,US,blog\n", r"sources.csv:2: unknown kind 'blog'"),
        ("domain,name,country\nexample.org,Example,US\n", r"sources.csv:1: .*lacks column\(s\) kind"),
        ("domain,name,country,kind\n,Nameless,US,national_media\n", r"sources.csv:2: a source needs a domain"),
    ],
)
def test_bad_user_file_is_a_config_error(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "sources.csv").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        SourceRegistry.load(data_dir=str(tmp_path))
