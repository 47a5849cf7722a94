"""Who says each figure: one sentence of our own per construction."""

from __future__ import annotations

import pytest

from factcheck import pipeline

CASES = [
    # (text, figure, said_by, the speaker's mention in the text, cue)
    ("The flood killed 112 people, the agency said.", "112", "the agency", "the agency", "said"),
    ("Lavrov said the talks would take two weeks.", "two weeks", "Lavrov", "Lavrov", "said"),
    ("Prices rose 4%, said the central bank.", "4%", "the central bank", "the central bank", "said"),
    ("Lavrov told reporters the talks took two weeks.", "two weeks", "Lavrov", "Lavrov", "told"),
    ("According to the ministry, 40 schools closed.", "40", "the ministry", "the ministry", "according to"),
    ("The toll reached 80, Reuters reported.", "80", "Reuters", "Reuters", "reported"),
    (
        '"We counted 300 bodies," said one nurse, Lena Ortiz.',
        "300",
        "one nurse, Lena Ortiz",
        "one nurse, Lena Ortiz",
        "said",
    ),
    (
        "Rami Abdel Rahman, head of the observatory, told AFP that 12 fighters died.",
        "12",
        "Rami Abdel Rahman, head of the observatory",
        "Rami Abdel Rahman, head of the observatory",
        "told",
    ),
    (
        "A senior US official, who asked not to be named, said 3,000 troops would stay.",
        "3,000",
        "A senior US official",
        "A senior US official",
        "said",
    ),
    (
        "Mayor Ana Silva visited the camp. \"We need 500 more tents,\" she said.",
        "500",
        "Mayor Ana Silva",
        "she",
        "said",
    ),
    ("Officials said 15 bridges were damaged.", "15", "Officials", "Officials", "said"),
    (
        "Ferreira said 112 people had died, according to the agency.",
        "112",
        "the agency",
        "the agency",
        "according to",
    ),
]


@pytest.mark.parametrize(("text", "figure", "said_by", "mention", "cue"), CASES, ids=[c[0] for c in CASES])
def test_speaker(toolkit: pipeline.Toolkit, text: str, figure: str, said_by: str, mention: str, cue: str) -> None:
    (claim,) = [c for c in pipeline.extract_text(text, toolkit) if c.text == figure]
    assert claim.said_by == said_by
    assert claim.said_by_span.slice(text) == mention
    assert claim.cue == cue


NO_SPEAKER = [
    ("The five-year war has killed more than 290,000.", "more than 290,000"),
    ("Lavrov, who arrived with 12 aides, met Kerry in Geneva.", "12"),
    ("Kerry met Lavrov for the third time in two weeks.", "two weeks"),
    ('"We are there," Lavrov said. The dam held 18 million cubic metres of water.', "18 million cubic metres"),
]


@pytest.mark.parametrize(("text", "figure"), NO_SPEAKER, ids=[c[0] for c in NO_SPEAKER])
def test_no_speaker(toolkit: pipeline.Toolkit, text: str, figure: str) -> None:
    """A name near a figure is not its speaker unless a clause says so."""
    (claim,) = [c for c in pipeline.extract_text(text, toolkit) if c.text == figure]
    assert (claim.said_by, claim.said_by_span, claim.cue) == (None, None, None)


def test_quote_spanning_sentences_keeps_its_speaker(toolkit: pipeline.Toolkit) -> None:
    text = '"This siege is harder. We have not had bread in three days," said Omar al-Beik.'
    (claim,) = pipeline.extract_text(text, toolkit)
    assert (claim.text, claim.said_by) == ("three days", "Omar al-Beik")
    assert claim.quote_span.slice(text) == "This siege is harder. We have not had bread in three days,"


def test_quote_paragraph_after_a_speaker_paragraph(toolkit: pipeline.Toolkit) -> None:
    text = 'A senior US official said talks went on.\n\n"We expect 20 more meetings."\n'
    (claim,) = pipeline.extract_text(text, toolkit)
    assert (claim.text, claim.said_by, claim.cue) == ("20", "A senior US official", "said")
