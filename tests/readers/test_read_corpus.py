"""JSON Lines and CSV corpora: default and mapped fields, bad lines, streaming."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosscheck.errors import ConfigError, InputError
from crosscheck.readers import read_inputs
from crosscheck.records import Document
from crosscheck.sources import SourceRegistry

SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "data" / "news" / "ukraine_2022.jsonl"
CUSTOM = {"id": "story_id", "outlet": "source_name", "published": "pubdate", "url": "link", "title": "headline"}


def split(items: list[Document | InputError]) -> tuple[list[Document], list[InputError]]:
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(docs) + len(errors) == len(items)
    return docs, errors


def test_jsonl_bad_lines_are_errors_and_the_rest_still_go_in(fixtures: Path, registry: SourceRegistry) -> None:
    path = fixtures / "corpus.jsonl"
    docs, errors = split(list(read_inputs([str(path)], registry=registry)))
    assert [d.source_ref for d in docs] == [f"{path}:1#EX-1", f"{path}:2#EX-2", f"{path}:6#EX-5"]
    assert [e.where for e in errors] == [f"{path}:3", f"{path}:4"]
    assert errors[0].reason.startswith("not valid JSON (")
    assert "'text'" in errors[1].reason and errors[1].hint


def test_jsonl_fields_dates_and_outlets(fixtures: Path, registry: SourceRegistry) -> None:
    docs, _ = split(list(read_inputs([str(fixtures / "corpus.jsonl")], registry=registry)))
    first, second, fifth = docs
    assert first.title == "Border post shelled"
    assert first.published == "2023-10-09"
    assert first.outlet == "BBC News" and first.outlet_kind == "international_media"  # by URL domain
    assert first.text == "A border post was shelled on Monday, the interior ministry said.\n\nTwo guards were wounded."
    assert second.outlet == "Example Weekly" and second.outlet_id is None  # unknown outlet kept as named
    assert second.url is None
    assert fifth.published == "2023-10-13"  # from the "published" field
    assert fifth.outlet == "The Guardian"


def test_csv_with_mapped_columns_and_multiline_cells(fixtures: Path, registry: SourceRegistry) -> None:
    path = fixtures / "corpus_custom.csv"
    items = list(read_inputs([str(path)], registry=registry, corpus_fields={**CUSTOM, "text": "body"}))
    docs, errors = split(items)
    assert [d.source_ref for d in docs] == [f"{path}:2#A1", f"{path}:5#A2"]
    a1, a2 = docs
    assert a1.title == "Evacuation trains resume"
    assert a1.outlet == "Daily Mirror" and a1.outlet_country == "GB"
    assert a1.text.split("\n\n")[1] == "About 900 people left on the first train, officials said."
    assert a2.published == "2022-04-02" and a2.outlet == "Unlisted Gazette"
    (err,) = errors
    assert err.where == f"{path}:6" and "empty" in err.reason


def test_csv_without_the_text_column_names_the_columns(fixtures: Path, registry: SourceRegistry) -> None:
    path = fixtures / "corpus_custom.csv"
    (err,) = list(read_inputs([str(path)], registry=registry, corpus_fields=CUSTOM))
    assert isinstance(err, InputError)
    assert err.where == f"{path}:1"
    assert "story_id" in err.reason and "corpus_fields" in err.hint


def test_unknown_corpus_field_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="colour"):
        read_inputs(["x.jsonl"], corpus_fields={"colour": "hue"})


def test_json_array_file(tmp_path: Path, registry: SourceRegistry) -> None:
    path = tmp_path / "stories.json"
    records = [{"id": 1, "title": "Market reopens", "text": "The central market reopened on Monday."}, ["x"]]
    path.write_text(json.dumps(records), encoding="utf-8")
    docs, errors = split(list(read_inputs([str(path)], registry=registry)))
    assert docs[0].source_ref == f"{path}#0#1"
    assert errors[0].where == f"{path}#1"


def test_record_longer_than_max_chars(tmp_path: Path, registry: SourceRegistry) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": "x" * 500}) + "\n" + json.dumps({"text": "short"}) + "\n", encoding="utf-8")
    (err, doc) = list(read_inputs([str(path)], registry=registry, max_chars=100))
    assert isinstance(err, InputError) and "500 characters" in err.reason and err.where == f"{path}:1"
    assert isinstance(doc, Document) and doc.text == "short"


@pytest.mark.slow
def test_shared_corpus_reads_every_article(registry: SourceRegistry) -> None:
    if not SHARED_CORPUS.is_file():
        pytest.skip(f"{SHARED_CORPUS} is absent")
    docs, errors = split(list(read_inputs([str(SHARED_CORPUS)], registry=registry)))
    assert errors == []
    assert len(docs) == 3391
    assert {d.outlet_id for d in docs} == {
        "src_abc_news",
        "src_bbc_news",
        "src_cbs_news",
        "src_cnn",
        "src_daily_express",
        "src_daily_mail",
        "src_daily_mirror",
        "src_huffpost",
        "src_nbc_news",
        "src_rt",
        "src_the_guardian",
    }
    assert all(d.published and len(d.published) == 10 for d in docs)
