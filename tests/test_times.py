"""crosscheck.times: time expressions resolved against a publication date, on sentences written for these tests."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from crosscheck.errors import ConfigError
from crosscheck.records import Interval
from crosscheck.times import event_interval, find_times, load_time_lexicon

TUE = date(2025, 11, 4)  # a Tuesday
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "temporal"


def one(text: str, base: date | None = TUE) -> Interval:
    found = find_times(text, base=base)
    assert len(found) == 1, found
    return found[0]


def span(text: str, base: date | None = TUE) -> tuple[str | None, str | None]:
    iv = one(text, base)
    return iv.start, iv.end


def overlaps(iv: Interval, start: str, end: str) -> bool:
    assert iv.start is not None and iv.end is not None
    return iv.start <= end and start <= iv.end


# -- the cases the seed articles need ---------------------------------------------------------------------------
def test_earlier_this_week_overlaps_the_seed_window() -> None:
    iv = one("Kyiv said earlier this week that the assault had stalled.")
    assert (iv.start, iv.end) == ("2025-11-03", "2025-11-04")
    assert overlaps(iv, "2025-11-01", "2025-11-04")
    assert iv.text == "earlier this week"


def test_at_the_weekend_is_the_last_saturday_and_sunday() -> None:
    assert span("Ukraine at the weekend deployed special forces to the town.") == ("2025-11-01", "2025-11-02")
    assert span("Heavy rain fell over the weekend in Khartoum.") == ("2025-11-01", "2025-11-02")


# -- relative expressions ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("The brigade pulled back on Tuesday.", "2025-11-04", "2025-11-04"),  # base is a Tuesday
        ("The brigade pulled back on Sunday.", "2025-11-02", "2025-11-02"),
        ("Drones hit the depot on Wednesday night.", "2025-10-29", "2025-10-29"),
        ("The ferry sank last Tuesday.", "2025-10-28", "2025-10-28"),
        ("Shelling resumed yesterday.", "2025-11-03", "2025-11-03"),
        ("Shelling resumed last night.", "2025-11-03", "2025-11-03"),
        ("Shelling resumed today.", "2025-11-04", "2025-11-04"),
        ("Sirens sounded this morning.", "2025-11-04", "2025-11-04"),
        ("Sirens sounded overnight.", "2025-11-04", "2025-11-04"),
        ("Aid arrived this month.", "2025-11-01", "2025-11-30"),
        ("Aid arrived last month.", "2025-10-01", "2025-10-31"),
        ("Aid arrived earlier this month.", "2025-11-01", "2025-11-04"),
        ("The town changed hands last week.", "2025-10-27", "2025-11-02"),
        ("The town changed hands this week.", "2025-11-03", "2025-11-09"),
        ("The town changed hands last year.", "2024-01-01", "2024-12-31"),
        ("The town changed hands earlier this year.", "2025-01-01", "2025-11-04"),
        ("Rebels overran the post two days ago.", "2025-11-02", "2025-11-02"),
        ("Rebels overran the post three weeks ago.", "2025-10-13", "2025-10-19"),
        ("Rebels overran the post a few days ago.", "2025-10-30", "2025-11-02"),
        ("Rebels overran the post two months ago.", "2025-09-01", "2025-09-30"),
        ("The strikes of the past 24 hours were the worst.", "2025-11-03", "2025-11-04"),
        ("Prices have tripled in recent days.", "2025-10-28", "2025-11-04"),
        ("The pass has been blocked for months.", "2025-09-04", "2025-11-04"),
        ("The pass has been blocked for over a year.", "2024-11-04", "2025-11-04"),
        ("The pass has been blocked for two weeks.", "2025-10-21", "2025-11-04"),
        ("Fighting eased late last week.", "2025-10-30", "2025-11-02"),
        ("Fighting is expected to ease by the end of the month.", "2025-11-21", "2025-11-30"),
    ],
)
def test_relative(text: str, start: str, end: str) -> None:
    assert span(text) == (start, end)


def test_weekend_from_a_sunday_and_a_monday() -> None:
    sunday, monday = date(2025, 11, 9), date(2025, 11, 10)
    assert span("The militia attacked at the weekend.", sunday) == ("2025-11-08", "2025-11-09")
    assert span("The militia attacked at the weekend.", monday) == ("2025-11-08", "2025-11-09")
    assert span("The militia attacked last weekend.", sunday) == ("2025-11-01", "2025-11-02")


def test_future_cue_reads_forwards() -> None:
    assert span("Envoys will meet in Jeddah on Friday.") == ("2025-11-07", "2025-11-07")
    assert span("The talks are scheduled for next week.") == ("2025-11-10", "2025-11-16")
    # a reporting verb right before the time dates the statement, even with "would" after it
    assert span("The envoy said Friday that talks would resume.") == ("2025-10-31", "2025-10-31")


def test_since_runs_to_the_publication_date() -> None:
    iv = one("The city has been under siege since April 2025.")
    assert (iv.start, iv.end, iv.text) == ("2025-04-01", "2025-11-04", "since April 2025")
    assert span("Nobody has crossed since Tuesday.", date(2025, 11, 6)) == ("2025-11-04", "2025-11-06")


def test_ranges_are_one_interval() -> None:
    assert span("The camp was run by the militia between 2014 and 2022.") == ("2014-01-01", "2022-12-31")
    assert span("Strikes continued from March to May.") == ("2025-03-01", "2025-05-31")
    assert span("Strikes continued in 2014-2016.") == ("2014-01-01", "2016-12-31")


# -- absolute expressions ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("The decree is dated November 04, 2025.", "2025-11-04", "2025-11-04"),
        ("The decree was signed on 4 November.", "2025-11-04", "2025-11-04"),
        ("The decree was signed on the 4th of November 2025.", "2025-11-04", "2025-11-04"),
        ("The decree was signed on Nov. 4.", "2025-11-04", "2025-11-04"),
        ("The decree was signed on 2022-03-01.", "2022-03-01", "2022-03-01"),
        ("The bridge fell on March 3.", "2025-03-03", "2025-03-03"),
        ("The bridge fell on March 3-5.", "2025-03-03", "2025-03-05"),
        ("The bridge fell in March.", "2025-03-01", "2025-03-31"),
        ("The bridge fell in December.", "2024-12-01", "2024-12-31"),  # latest December not after base
        ("The bridge fell in early March.", "2025-03-01", "2025-03-10"),
        ("The bridge fell in mid-March.", "2025-03-11", "2025-03-20"),
        ("The bridge fell in late February.", "2025-02-21", "2025-02-28"),
        ("The bridge fell in March 2024.", "2024-03-01", "2024-03-31"),
        ("The bridge fell in 2022.", "2022-01-01", "2022-12-31"),
        ("The bridge fell in late 2023.", "2023-09-01", "2023-12-31"),
        ("The bridge was built in the 1990s.", "1990-01-01", "1999-12-31"),
        ("The bridge fell in summer 2024.", "2024-06-01", "2024-08-31"),
        ("The bridge fell last winter.", "2024-12-01", "2025-02-28"),
        ("Output fell in the third quarter.", "2025-07-01", "2025-09-30"),
        ("Output fell in the first quarter of last year.", "2024-01-01", "2024-03-31"),
        ("Output fell on Christmas Day 2023.", "2023-12-25", "2023-12-25"),
    ],
)
def test_absolute(text: str, start: str, end: str) -> None:
    assert span(text) == (start, end)


def test_day_without_year_a_few_weeks_ahead_is_the_coming_one() -> None:
    # a deadline: "by Jan. 14" written on Jan. 7 is next week, not last year
    assert span("The army must leave the zone by Jan. 14.", date(2026, 1, 7)) == ("2026-01-14", "2026-01-14")


# -- without a publication date ---------------------------------------------------------------------------------
def test_without_base_only_absolute_expressions_resolve() -> None:
    found = find_times("On Tuesday, 4 November 2025, and again yesterday, since April 2025.", base=None)
    assert [(iv.text, iv.start, iv.end) for iv in found] == [
        ("Tuesday, 4 November 2025", "2025-11-04", "2025-11-04"),
        ("yesterday", None, None),
        ("since April 2025", "2025-04-01", None),
    ]


def test_datetime_base_is_accepted() -> None:
    assert find_times("It happened yesterday.", base=datetime(2025, 11, 4, 9, 30))[0].start == "2025-11-03"


# -- not times ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Talks may resume if the guns fall silent.",
        "Protesters march to the square every evening.",
        "Officials said 2000 soldiers had been rotated.",
        "The fund holds $2022 for each family.",
        "The fall of the city was swift.",
        "The besieged town is about to fall.",
        "They mocked the now-cancelled deal and the soon-to-open crossing.",
        "They spent years of savings on the house.",
    ],
)
def test_not_times(text: str) -> None:
    assert [iv.text for iv in find_times(text, base=TUE)] == []


def test_anaphoric_times_are_found_but_unresolved() -> None:
    iv = one("The column returned the next day.")
    assert (iv.text, iv.start, iv.end) == ("the next day", None, None)


def test_spans_point_at_the_text_and_shift_by_offset() -> None:
    text = "Witnesses said the convoy was hit on Sunday near Sumy."
    iv = find_times(text, base=TUE, offset=500)[0]
    assert iv.span is not None
    assert text[iv.span[0] - 500 : iv.span[1] - 500] == iv.text == "Sunday"


# -- choosing the event time ------------------------------------------------------------------------------------
def test_event_interval_prefers_the_narrowest_resolved_time() -> None:
    text = "Since March the brigade has held the ridge, which it retook on Sunday."
    times = find_times(text, base=TUE)
    assert event_interval(times, base=TUE) == times[1]


def test_event_interval_passes_over_the_statement_time() -> None:
    text = "The ministry said on Monday that its troops entered the village on Saturday."
    times = find_times(text, base=TUE)
    assert [iv.text for iv in times] == ["Monday", "Saturday"]
    chosen = event_interval(times, base=TUE, text=text)
    assert chosen is not None and chosen.text == "Saturday"
    # without the sentence both are one-day intervals and the first wins
    assert event_interval(times, base=TUE) == times[0]


def test_event_interval_falls_back_to_now_and_to_unresolved() -> None:
    times = find_times("The port is now under rebel control, since last year.", base=TUE)
    chosen = event_interval(times, base=TUE)
    assert chosen is not None and chosen.text == "since last year"
    unresolved = find_times("The column returned the next day.", base=TUE)
    assert event_interval(unresolved, base=TUE) == unresolved[0]
    assert event_interval([], base=TUE) is None


# -- the data file ----------------------------------------------------------------------------------------------
def test_user_file_extends_holidays(tmp_path: Path) -> None:
    (tmp_path / "time_words.toml").write_text('[holidays]\n"defenders day" = "10-01"\n', encoding="utf-8")
    lex = load_time_lexicon(data_dir=str(tmp_path))
    found = find_times("Parades were cancelled on Defenders Day.", base=TUE, lexicon=lex)
    assert [(iv.start, iv.end) for iv in found] == [("2025-10-01", "2025-10-01")]


def test_bad_user_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "time_words.toml").write_text("[months\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"time_words\.toml"):
        load_time_lexicon(data_dir=str(tmp_path))


# -- quality gate on the shared TimeML corpus (skipped when absent) ------------------------------------------------
@pytest.mark.skipif(not (SHARED / "tbaq-cleaned" / "AQUAINT").is_dir(), reason="../shared temporal corpus absent")
def test_aquaint_scores_stay_above_the_pinned_floor() -> None:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "timex.py"
    spec = importlib.util.spec_from_file_location("timex_benchmark", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up
    try:
        spec.loader.exec_module(bench)
    finally:
        del sys.modules[spec.name]
    score = bench.score(bench.load("AQUAINT", SHARED))
    _, _, f1 = score.prf()
    assert f1 >= 0.88
    assert score.correct / score.mappable >= 0.82
