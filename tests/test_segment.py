"""Sentences, paragraphs and quotations found without a parse (``crosscheck.segment``).

The texts are short passages written for these tests, in the styles news copy uses:
titles before names, dotted acronyms, quotes that run over several sentences, curly and
straight quote marks, curly apostrophes, Markdown-style headings on their own lines.
"""

from __future__ import annotations

import pytest

from crosscheck import segment
from crosscheck.segment import Quote, Sentence


def texts(text: str) -> list[str]:
    return [s.text for s in segment.sentences(text)]


def quoted(text: str) -> list[str]:
    """The inner text of each quotation."""
    return [text[q.inner_start : q.inner_end] for q in segment.quotes(text)]


# ------------------------------------------------------------------ sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Gen. Valery Gerasimov visited the front on Monday. He spoke to Mr. Ivanov about the U.S. position.",
            ["Gen. Valery Gerasimov visited the front on Monday.", "He spoke to Mr. Ivanov about the U.S. position."],
        ),
        (
            "Lt. Col. Andriy Kovalenko said the bridge held. The U.K. embassy stayed open.",
            ["Lt. Col. Andriy Kovalenko said the bridge held.", "The U.K. embassy stayed open."],
        ),
        (
            "The convoy reached the U.N. compound in El Fasher. Dr. Amira Hassan met it.",
            ["The convoy reached the U.N. compound in El Fasher.", "Dr. Amira Hassan met it."],
        ),
        (
            "Shelling resumed at 5 p.m. on Sunday. It stopped at dawn.",
            ["Shelling resumed at 5 p.m. on Sunday.", "It stopped at dawn."],
        ),
        (
            "The strike hit school No. 5 in Kupiansk. Teachers fled.",
            ["The strike hit school No. 5 in Kupiansk.", "Teachers fled."],
        ),
    ],
)
def test_abbreviations_do_not_end_sentences(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_decimal_numbers_do_not_end_sentences() -> None:
    text = "The aid package is worth $1.5 billion. Prices in Gaza rose by 3.5 percent in a week."
    assert texts(text) == ["The aid package is worth $1.5 billion.", "Prices in Gaza rose by 3.5 percent in a week."]


def test_sentence_ending_in_a_dotted_acronym_is_split_before_a_new_sentence() -> None:
    # "U.S." ends the first sentence here; "The Kremlin" starts the next.
    text = "New sanctions were announced by the U.S. The Kremlin called them illegal."
    assert texts(text) == ["New sanctions were announced by the U.S.", "The Kremlin called them illegal."]


def test_question_and_exclamation_marks_end_sentences() -> None:
    text = "Who controls Ivanivske? Both armies say they do! Neither has shown proof."
    assert texts(text) == ["Who controls Ivanivske?", "Both armies say they do!", "Neither has shown proof."]


def test_closing_quote_mark_stays_with_its_sentence() -> None:
    text = "“They left the village.” Then the shelling began."
    assert texts(text) == ["“They left the village.”", "Then the shelling began."]


def test_quote_ending_in_question_mark_followed_by_speaker_is_one_sentence() -> None:
    text = "“Who will rebuild it?” she asked. Nobody answered."
    assert texts(text) == ["“Who will rebuild it?” she asked.", "Nobody answered."]


def test_sentence_offsets_point_into_the_text() -> None:
    text = (
        "## Fighting near Vuhledar\n\n"
        "Russian troops attacked Vuhledar on Monday. The Ukrainian military said the attack failed.\n\n"
        "“We held,” said Sgt. Petro Bondar. “They lost dozens of men.”"
    )
    sents = segment.sentences(text)
    assert sents, "no sentences found"
    for s in sents:
        assert isinstance(s, Sentence)
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
    assert [s.start for s in sents] == sorted(s.start for s in sents)


def test_paragraph_index_and_line_start() -> None:
    text = "First paragraph, one sentence.\n\nSecond paragraph opens here. It has two sentences."
    sents = segment.sentences(text)
    assert [(s.paragraph, s.line_start) for s in sents] == [(0, True), (1, True), (1, False)]


def test_paragraphs_are_blank_line_separated_and_trimmed() -> None:
    text = "  One.  \n\n\n   Two, after two blank lines.\n \nThree.\n"
    assert [text[s:e] for s, e in segment.paragraphs(text)] == ["One.", "Two, after two blank lines.", "Three."]


def test_markdown_heading_is_its_own_sentence() -> None:
    text = "## Russia claims village near Chasiv Yar\nThe defence ministry said so on Tuesday. Kyiv denied it."
    assert texts(text) == [
        "## Russia claims village near Chasiv Yar",
        "The defence ministry said so on Tuesday.",
        "Kyiv denied it.",
    ]


def test_heading_without_final_stop_is_not_merged_with_next_paragraph() -> None:
    text = "Russian maps — an illusion of victory\n\nThe head of state stressed that the maps were false."
    sents = segment.sentences(text)
    assert [s.text for s in sents] == [
        "Russian maps — an illusion of victory",
        "The head of state stressed that the maps were false.",
    ]
    assert [s.paragraph for s in sents] == [0, 1]


def test_lines_inside_a_paragraph_are_separate_sentences() -> None:
    text = "Ukraine says its troops hold the town.\nRelated: Syrskyi Says Russia Lost Thousands Near Avdiivka"
    assert texts(text) == [
        "Ukraine says its troops hold the town.",
        "Related: Syrskyi Says Russia Lost Thousands Near Avdiivka",
    ]


def test_a_line_after_a_line_break_starts_a_line() -> None:
    # A headline-style line can only be recognised when the sentence is known to start a line.
    text = "Ukraine says its troops hold the town.\nSyrskyi Says Russia Lost Thousands Near Avdiivka"
    sents = segment.sentences(text)
    assert sents[-1].text == "Syrskyi Says Russia Lost Thousands Near Avdiivka"
    assert sents[-1].line_start


# ------------------------------------------------------------------ quotes


def test_curly_quote_spanning_two_sentences_is_one_quote() -> None:
    text = "The mayor said: “The shelling went on all night. We counted more than 40 explosions.” Then he left."
    assert quoted(text) == ["The shelling went on all night. We counted more than 40 explosions."]
    q = segment.quotes(text)[0]
    sents = segment.sentences(text)
    assert texts(text) == [
        "The mayor said: “The shelling went on all night.",
        "We counted more than 40 explosions.”",
        "Then he left.",
    ]
    # the one quotation covers text in both of the first two sentences, and not the third
    assert q.contains(sents[0].end - 2) and q.contains(sents[1].start)
    assert not q.contains(sents[2].start)


def test_straight_quote_spanning_two_sentences_is_one_quote() -> None:
    text = 'The mayor said: "The shelling went on all night. We counted more than 40 explosions." Then he left.'
    assert quoted(text) == ["The shelling went on all night. We counted more than 40 explosions."]


def test_quote_spans_include_marks_and_inner_excludes_them() -> None:
    text = "“We are holding,” said Oksana Bilyk."
    (q,) = segment.quotes(text)
    assert isinstance(q, Quote)
    assert text[q.start : q.end] == "“We are holding,”"
    assert text[q.inner_start : q.inner_end] == "We are holding,"


@pytest.mark.parametrize(
    "text",
    [
        "“Russia’s claims are lies,” he said.",
        '"Russia’s claims are lies," he said.',
        "«Russia’s claims are lies,» he said.",
    ],
)
def test_curly_straight_and_guillemet_quotes_give_the_same_inner_text(text: str) -> None:
    assert quoted(text) == ["Russia’s claims are lies,"]


def test_speaker_in_the_middle_gives_two_quotes() -> None:
    text = "“Our units are holding the line,” the spokesman said. “Every report of a breakthrough is fake.”"
    assert quoted(text) == ["Our units are holding the line,", "Every report of a breakthrough is fake."]


def test_curly_apostrophes_are_not_quotation_marks() -> None:
    text = "Ukraine’s army said the soldiers’ positions held, and the town’s mayor agreed."
    assert segment.quotes(text) == []
    assert texts(text) == [text]


def test_single_curly_quotes_are_not_quotations() -> None:
    text = "The ministry called the report ‘fake news’ and the village’s capture ‘a lie’."
    assert segment.quotes(text) == []


def test_apostrophe_inside_a_quotation_does_not_close_it() -> None:
    text = "“We’re not leaving. It’s our home,” said Valentyna Horbenko, 67."
    assert quoted(text) == ["We’re not leaving. It’s our home,"]


def test_single_quotes_nested_in_a_double_quote_stay_inside() -> None:
    text = "“They have no result they can ‘sell’ to the Americans,” he said."
    assert quoted(text) == ["They have no result they can ‘sell’ to the Americans,"]


def test_unmatched_straight_quote_is_not_a_quotation() -> None:
    text = 'The screen was 21" wide, witnesses said.'
    assert segment.quotes(text) == []


def test_quote_left_open_at_paragraph_end_closes_there() -> None:
    # News convention: a quote running over two paragraphs has no closing mark at the end of the first.
    text = (
        "“We held the village for a week. The Russians attacked every night.\n\n"
        "“On the eighth day we were ordered to withdraw,” said Sgt. Petro Bondar."
    )
    assert quoted(text) == [
        "We held the village for a week. The Russians attacked every night.",
        "On the eighth day we were ordered to withdraw,",
    ]
    first, second = segment.quotes(text)
    assert first.end <= second.start


def test_quotes_in_different_paragraphs_do_not_pair_up() -> None:
    text = 'The army called it "a lie.\n\nThe RSF said it held the base."'
    # no straight quote is closed within its paragraph
    assert segment.quotes(text) == []


def test_strip_quote_marks() -> None:
    assert segment.strip_quote_marks('“Fake,” said "Kyiv" «again»') == "Fake, said Kyiv again"
