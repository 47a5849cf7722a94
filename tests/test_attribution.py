"""Who says each figure: one sentence of our own per construction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck import pipeline, store
from factcheck.cli import cli
from factcheck.model import Claim, Span


def only(toolkit: pipeline.Toolkit, text: str, figure: str) -> Claim:
    """The one claim whose text is ``figure``."""
    (claim,) = [c for c in pipeline.extract_text(text, toolkit, latent=True) if c.text == figure]
    return claim


# (text, figure, said_by, the speaker's mention in the text, cue)
CUES = [
    ("The flood killed 112 people, the agency said.", "112", "the agency", "the agency", "said"),
    ("The agency says 112 people were killed.", "112", "The agency", "The agency", "says"),
    ("Lavrov told reporters the talks took two weeks.", "two weeks", "Lavrov", "Lavrov", "told"),
    ("The mayor added that 40 homes were lost.", "40", "The mayor", "The mayor", "added"),
    ("Engineers noted that the dam held 18 million cubic metres.", "18 million cubic metres", "Engineers", "Engineers", "noted"),
    ("The rebels claimed 35 soldiers were captured.", "35", "The rebels", "The rebels", "claimed"),
    ("Trump claims 3 million people voted illegally.", "3 million", "Trump", "Trump", "claims"),
    ("The bank estimated that growth would reach 2.5%.", "2.5%", "The bank", "The bank", "estimated"),
    ("The toll reached 80, Reuters reported.", "80", "Reuters", "Reuters", "reported"),
    ("The ministry announced 300 new teachers.", "300", "The ministry", "The ministry", "announced"),
    ("Doctors warned that 5,000 children were at risk.", "5,000", "Doctors", "Doctors", "warned"),
    ("According to the ministry, 40 schools closed.", "40", "the ministry", "the ministry", "according to"),
    ("The port handled 12,000 containers, according to figures from the harbour authority.",
     "12,000", "the harbour authority", "the harbour authority", "according to figures from"),
    ("Fuel prices rose 9%, according to data released by the statistics office.",
     "9%", "the statistics office", "the statistics office", "according to data released by"),
    # No comma after the source: the clause's subject and verb are not part of it.
    ("According to Eurostat unemployment rose to 6.5% in May.", "6.5%", "Eurostat", "Eurostat", "according to"),
    ("According to figures from the ONS inflation hit 3.2%.", "3.2%", "the ONS", "the ONS",
     "according to figures from"),
    ("According to the port authority traffic fell by 12%.", "12%", "the port authority", "the port authority",
     "according to"),
    ("According to the Labor Department jobless claims rose to 250,000.", "250,000", "the Labor Department",
     "the Labor Department", "according to"),
    ("According to the agency reports rose by 12% this year.", "12%", "the agency", "the agency", "according to"),
    ("Figures from the health ministry show 212 new cases.", "212", "the health ministry", "the health ministry", "figures from"),
    ("Figures released by the harbour authority show 212 new berths.", "212", "the harbour authority",
     "the harbour authority", "figures released by"),
    ("Statistics published by the census office show 4% more homes.", "4%", "the census office",
     "the census office", "statistics published by"),
    ("A report by the watchdog found 17 violations.", "17", "the watchdog", "the watchdog", "a report by"),
    ("The Daily Ledger has learned that 14 wards were shut.", "14", "The Daily Ledger", "The Daily Ledger", "learned"),
    ("Sources say 60 officers were suspended.", "60", "Sources", "Sources", "say"),
    ("A Bloomberg poll shows 48% back the plan.", "48%", "A Bloomberg poll", "A Bloomberg poll", "shows"),
    ("The plan has 55% support in a Harbour Gazette survey.", "55%", "a Harbour Gazette survey", "a Harbour Gazette survey", "in"),
    ("The ministry said in a statement that 40 people died.", "40", "The ministry", "The ministry", "said"),
    ("In a statement, the ministry put the death toll at 40.", "40", "the ministry", "the ministry", "put"),
    ("The Red Crescent, in a statement, gave the toll as 45.", "45", "The Red Crescent", "The Red Crescent",
     "in a statement"),
    ("Prices rose 4%, said the central bank.", "4%", "the central bank", "the central bank", "said"),
    # When a speaker spoke is not part of who spoke.
    ("Smith on Tuesday said 40 people died.", "40", "Smith", "Smith", "said"),
    ("The minister last week said 40 people died.", "40", "The minister", "The minister", "said"),
    ("Rescuers in Izmir on Monday said 40 people died.", "40", "Rescuers in Izmir", "Rescuers in Izmir", "said"),
    ("Forty people died, said Smith on Tuesday.", "Forty", "Smith", "Smith", "said"),
    # ... unless it is part of the name.
    ("The Mail on Sunday reported 40 people died.", "40", "The Mail on Sunday", "The Mail on Sunday", "reported"),
    ("USA Today said 40 people died.", "40", "USA Today", "USA Today", "said"),
    ("Forty people died, said USA Today.", "Forty", "USA Today", "USA Today", "said"),
    ("The paper today said 40 people died.", "40", "The paper", "The paper", "said"),
    # A capitalised word inside a name is not the verb it spells.
    ("Theresa May said 40 people died.", "40", "Theresa May", "Theresa May", "said"),
    ("Forty people died, said Theresa May.", "Forty", "Theresa May", "Theresa May", "said"),
    ("Officials may have said 40 people died.", "40", "Officials", "Officials", "said"),
    ("Many of the protesters, claiming 300 were arrested, marched on.", "300", "Many of the protesters",
     "Many of the protesters", "claiming"),
    ("The convoy carried 90 tonnes of flour, said Lavrov.", "90 tonnes", "Lavrov", "Lavrov", "said"),
    ('"We counted 300 bodies," said one nurse, Lena Ortiz.', "300", "one nurse, Lena Ortiz", "one nurse, Lena Ortiz", "said"),
    ("The bakery sells 400 loaves a day, says its owner.", "400 loaves a day", "its owner", "its owner", "says"),
    # A figure's own "At least", "Up to" opens a statement, not framing like "In 2015,".
    ("At least 300 people were killed, the health ministry said.", "At least 300", "the health ministry", "the health ministry", "said"),
    ("Up to 10,000 could be displaced, the agency warned.", "Up to 10,000", "the agency", "the agency", "warned"),
    ("In 2015, officials said 300 people died.", "300", "officials", "officials", "said"),
    # An acronym is a name, not the pronoun it spells.
    ("The WHO estimates that 1 in 8 deaths is linked to pollution.", "1 in 8", "The WHO", "The WHO", "estimates"),
    ("WHO officials said 300 people died.", "300", "WHO officials", "WHO officials", "said"),
    ("IT firms said 300 jobs would go.", "300", "IT firms", "IT firms", "said"),
    # A headline in capitals: every word has one, and the verb is still a verb.
    ("POLICE SAY 300 PEOPLE DIED IN THE FLOOD", "300", "POLICE", "POLICE", "say"),
    ("US OFFICIALS ESTIMATE 300 DEAD", "300", "US OFFICIALS", "US OFFICIALS", "estimate"),
    ("Officials said 15 bridges were damaged.", "15", "Officials", "Officials", "said"),
    ("The company has vigorously denied paying $2 million in fees.", "$2 million", "The company", "The company", "denied"),
    ("The dam will cost $3bn, the mayor added.", "$3bn", "the mayor", "the mayor", "added"),
    # "added" and a noun marker that opens the subject of what was said.
    ("The minister added the dam would cost $3bn.", "$3bn", "The minister", "The minister", "added"),
    ("The mayor added the new harbour wall had cost £12m.", "£12m", "The mayor", "The mayor", "added"),
    ("The mayor added that 300 homes were lost.", "300", "The mayor", "The mayor", "added"),
    ("One of the nurses said 12 beds were empty.", "12", "One of the nurses", "One of the nurses", "said"),
    ("Officials put the death toll at 45.", "45", "Officials", "Officials", "put"),
    ("Police put the crowd at about 5,000.", "about 5,000", "Police", "Police", "put"),
    # "put" after a determiner and a noun is a verb too, when an estimate follows.
    ("The ministry put the death toll at 45.", "45", "The ministry", "The ministry", "put"),
    # A word in -ly before the verb is an adverb, unless it is the noun.
    ("Harbour officials ultimately admitted that 12 boats sank.", "12", "Harbour officials", "Harbour officials", "admitted"),
    ("The ferry company quickly said 300 jobs would go.", "300", "The ferry company", "The ferry company", "said"),
    ("The mayor's family said 4 houses burned.", "4", "The mayor's family", "The mayor's family", "said"),
    ("A close ally said 40 seats were at risk.", "40", "A close ally", "A close ally", "said"),
    ("The assembly voted 52-48 and the bully said 3 more would go.", "3", "the bully", "the bully", "said"),
    ("Even Dr. Petrov doesn't expect more than 40 beds to reopen.", "more than 40", "Dr. Petrov", "Dr. Petrov", "expect"),
    ("A poll of 1,000 adults found 40% backed the dam.", "40%", "A poll of 1,000 adults", "A poll of 1,000 adults", "found"),
    ("The Harbour Gazette poll has the mayor at 46%.", "46%", "The Harbour Gazette poll", "The Harbour Gazette poll", "has"),
    ("Under the new rules, 4,000 workers gain overtime pay.", "4,000", "the new rules", "the new rules", "under"),
    ("Based on census data, the town has 21,000 people.", "21,000", "census data", "census data", "based on"),
    ('"Are 20 years not enough?" the judge asked.', "20 years", "the judge", "the judge", "asked"),
    ("In April, Ferreira praised the dam and pledged 300 new homes.", "300", "Ferreira", "Ferreira", "pledged"),
    ("John Kerry: 300 observers will go to the border.", "300", "John Kerry", "John Kerry", ":"),
    ("Poll: 52% back the new harbour plan.", "52%", "Poll", "Poll", ":"),
    # A plural subject takes the verb's base form.
    ("Analysts predict growth of 2.1% next year.", "2.1%", "Analysts", "Analysts", "predict"),
    ("Harbour pilots warn that 30 berths will close.", "30", "Harbour pilots", "Harbour pilots", "warn"),
    ("Ferry owners insist 12 crossings a day are safe.", "12 crossings a day", "Ferry owners", "Ferry owners", "insist"),
    ("Economists argue the levy would raise $40m.", "$40m", "Economists", "Economists", "argue"),
    ("Two surveys suggest 60% of tenants would move.", "60%", "Two surveys", "Two surveys", "suggest"),
    ("The new harbour will hold 400 boats, engineers explain.", "400", "engineers", "engineers", "explain"),
]


@pytest.mark.parametrize(("text", "figure", "said_by", "mention", "cue"), CUES, ids=[c[0] for c in CUES])
def test_cue(toolkit: pipeline.Toolkit, text: str, figure: str, said_by: str, mention: str, cue: str) -> None:
    claim = only(toolkit, text, figure)
    assert claim.said_by == said_by
    assert claim.said_by_span.slice(text) == mention
    assert claim.cue == cue


# (text, figure, the speaker as named and as written)
SPEAKERS = [
    ("Russian Foreign Minister Sergei Lavrov said 20 observers would go.", "20", "Russian Foreign Minister Sergei Lavrov"),
    ("Rami Abdel Rahman, head of the observatory, told AFP that 12 fighters died.", "12",
     "Rami Abdel Rahman, head of the observatory"),
    ("The dead included 41 civilians, said Rami Abdel Rahman, head of the observatory.", "41",
     "Rami Abdel Rahman, head of the observatory"),
    ("The Syrian Observatory for Human Rights said 70 people were killed.", "70",
     "The Syrian Observatory for Human Rights"),
    ("The Turkish news agency Anadolu reported that 25 trucks crossed.", "25", "The Turkish news agency Anadolu"),
    ("Some 600 families fled, state media said.", "Some 600", "state media"),
    ("A senior US administration official said 3,000 troops would stay.", "3,000", "A senior US administration official"),
    ("Aid groups said 1.2 million people needed food.", "1.2 million", "Aid groups"),
    ("A senior US official, who asked not to be named, said 3,000 troops would stay.", "3,000", "A senior US official"),
    ("Mira Costa, 56, who runs the shelter, told us that 80 beds were full.", "80", "Mira Costa"),
    ("Executives at Harbour Freight said sales fell 6%.", "6%", "Executives at Harbour Freight"),
    ("A spokeswoman, Ana Ruiz, said on Monday that 30 flights were cancelled.", "30", "A spokeswoman, Ana Ruiz"),
    ("The Center for Water and Soil Research, a university institute, said 19 wells were dry.", "19",
     "The Center for Water and Soil Research, a university institute"),
    ("The governor - speaking after a tour of the levee - said 250 homes were flooded.", "250", "The governor"),
    ("As the Coastal Tribune reported, 9 boats sank.", "9", "the Coastal Tribune"),
    # A participle's clause after the source is no appositive of it.
    ("A study by Harbour University, published in the Lancet, found 40% of wells were dry.", "40%",
     "Harbour University"),
    # A report set off by commas before its verb speaks for the source its aside names.
    ("The figures, released on Tuesday by the Harbour Statistics Office, show that 1,200 people were out of work.",
     "1,200", "the Harbour Statistics Office"),
    ("The survey of 2,000 adults, by Harbour Polling, found that 40% backed the plan.", "40%", "Harbour Polling"),
    # A source of people is the source, not the people: "a survey of voters".
    ("A survey of voters found that 40% backed the harbour plan.", "40%", "A survey of voters"),
    ("A poll of likely voters found 40% backed the dam.", "40%", "A poll of likely voters"),
    ("Another study in older adults showed that 12% slept less.", "12%", "Another study in older adults"),
    # A comma inside a number ends no stretch before the verb.
    ("A survey of 1,500 voters, conducted last week, found that 40% backed the plan.", "40%", "A survey of 1,500 voters"),
    ("The survey of 2,000 adults, which ran for a week, found that 40% backed the plan.", "40%",
     "The survey of 2,000 adults"),
    # A closing clause with only whom it was told after its verb covers what precedes.
    ("Some 300 people died, officials told Reuters.", "Some 300", "officials"),
    ("Some 300 people died, an official told the BBC.", "Some 300", "an official"),
    ("Some 45 people died, Ruiz told a news conference on Monday.", "Some 45", "Ruiz"),
    # A source phrase led by a few words of its own noun opens the sentence.
    ("New figures from the harbour authority show that 1,200 boats are idle.", "1,200", "the harbour authority"),
    ("The latest data from the port authority show 12% of berths are empty.", "12%", "the port authority"),
    ("Labour says figures from the port authority show that 1,200 boats are idle.", "1,200", "Labour"),
    # A verb the lexicon lists in other forms ends the source before "that".
    ("Figures from the port authority reveal that 1,200 boats are idle.", "1,200", "the port authority"),
    ("According to the harbour project team, 300 boats sank.", "300", "the harbour project team"),
    # A report verb in the passive: its agent speaks for what stands before.
    ("45 deaths were reported by the harbour authority.", "45", "the harbour authority"),
    ("The toll of 45 has been confirmed by police.", "45", "police"),
    ("The latest data, published by the port authority on Monday, show 12 ferries were idle.", "12",
     "the port authority"),
    # Who pays for a report does not write it; a person's aside names no source.
    ("The report, commissioned by the council, found that 3,000 homes were empty.", "3,000", "The report"),
    ("The minister, flanked by aides, said 300 homes were empty.", "300", "The minister"),
]


@pytest.mark.parametrize(("text", "figure", "speaker"), SPEAKERS, ids=[c[0] for c in SPEAKERS])
def test_speaker_span_holds_the_whole_name(toolkit: pipeline.Toolkit, text: str, figure: str, speaker: str) -> None:
    claim = only(toolkit, text, figure)
    assert claim.said_by_span.slice(text) == speaker
    assert claim.said_by == speaker


# (text, figure, said_by, mention)
ACROSS_SENTENCES = [
    ('Mayor Ana Silva visited the camp. "We need 500 more tents," she said.', "500", "Mayor Ana Silva", "she"),
    ("Foreign Minister Sergei Lavrov met the envoy. The minister said 40 trucks were waiting.", "40",
     "Foreign Minister Sergei Lavrov", "The minister"),
    ("The Red Crescent sent a convoy on Monday. They said it carried 70 tonnes of food.", "70 tonnes",
     "The Red Crescent", "They"),
    # A group with a capital only because it opens the sentence.
    ("Officials said the storm hit 2,000 homes. They added that 40 schools were shut.", "40", "Officials", "They"),
    ("The report is by the water board, which said 30 pumps had failed.", "30", "the water board", "which"),
    ('"This siege is harder. We have not had bread in three days," said Omar al-Beik.', "three days",
     "Omar al-Beik", "Omar al-Beik"),
    ('"The wall held," said Dr. Ilan Petrov, the hospital director. "But we lost 12 beds to water."', "12",
     "Dr. Ilan Petrov, the hospital director", "Dr. Ilan Petrov, the hospital director"),
    ('A senior US official said talks went on.\n\n"We expect 20 more meetings."\n', "20",
     "A senior US official", "A senior US official"),
    ('The mayor said:\n\n"We have 300 volunteers.\n\n"By Friday we will need 200 more."', "200",
     "The mayor", "The mayor"),
    ("The harbour master said:\n\nNine ships are waiting and 14 more are due.", "14", "The harbour master",
     "The harbour master"),
]


@pytest.mark.parametrize(("text", "figure", "said_by", "mention"), ACROSS_SENTENCES, ids=[c[0] for c in ACROSS_SENTENCES])
def test_statement_over_several_sentences(toolkit: pipeline.Toolkit, text: str, figure: str, said_by: str, mention: str) -> None:
    claim = only(toolkit, text, figure)
    assert (claim.said_by, claim.said_by_span.slice(text)) == (said_by, mention)


def test_pronoun_goes_to_the_last_person_named(toolkit: pipeline.Toolkit) -> None:
    text = "Lena Ortiz met Omar al-Beik at the gate. He said 60 families were inside."
    claim = only(toolkit, text, "60")
    assert (claim.said_by, claim.said_by_span.slice(text)) == ("Omar al-Beik", "He")


@pytest.mark.parametrize(
    ("text", "said_by"),
    [
        ("Ms Ana Silva met Mr Tom Hale at the gate. She said 60 families were inside.", "Ms Ana Silva"),
        ("Mr Tom Hale met Mrs Ana Silva at the gate. He said 60 families were inside.", "Mr Tom Hale"),
        ("Lena Ortiz met Sir Tom Hale at the gate. She said 60 families were inside.", "Lena Ortiz"),
        ("Congresswoman Ana Silva met Tom Hale. He said 60 families were inside.", "Tom Hale"),
    ],
)
def test_pronoun_passes_over_a_person_of_the_other_gender(toolkit: pipeline.Toolkit, text: str, said_by: str) -> None:
    claim = only(toolkit, text, "60")
    assert claim.said_by == said_by


def test_quote_keeps_its_statement_span(toolkit: pipeline.Toolkit) -> None:
    text = '"This siege is harder. We have not had bread in three days," said Omar al-Beik.'
    claim = only(toolkit, text, "three days")
    assert claim.quote_span.slice(text) == "This siege is harder. We have not had bread in three days,"


def test_closing_clause_covers_what_comes_before(toolkit: pipeline.Toolkit) -> None:
    text = "The flood killed 112 people on Monday, the agency said."
    assert only(toolkit, text, "112").quote_span.slice(text) == "The flood killed 112 people on Monday"


def test_statement_stops_where_a_relay_or_closing_clause_starts(toolkit: pipeline.Toolkit) -> None:
    text = "The Observatory said 30 people died, citing sources on the ground."
    assert only(toolkit, text, "30").quote_span.slice(text) == "30 people died"
    text = "Ferreira said 112 people had died, according to the agency."
    assert only(toolkit, text, "112").quote_span.slice(text) == "112 people had died"


# (text, figure, said_by, via)
CHAINS = [
    ("Lavrov told reporters the talks took two weeks.", "two weeks", "Lavrov", None),
    ("The Observatory said 30 people died, citing sources on the ground.", "30", "The Observatory",
     "sources on the ground"),
    ("According to AFP, the ministry said 40 people died.", "40", "the ministry", "AFP"),
    ("Ferreira said 112 people had died, according to the agency.", "112", "Ferreira", "the agency"),
    ("Citing hospital records, the paper reported 45 deaths.", "45", "the paper", "hospital records"),
    ("The mayor said rescuers told him that 8 people were missing.", "8", "rescuers", "The mayor"),
]


@pytest.mark.parametrize(("text", "figure", "said_by", "via"), CHAINS, ids=[c[0] for c in CHAINS])
def test_second_hand_chain(toolkit: pipeline.Toolkit, text: str, figure: str, said_by: str, via: str | None) -> None:
    claim = only(toolkit, text, figure)
    assert (claim.said_by, claim.via) == (said_by, via)


NO_SPEAKER = [
    ("The five-year war has killed more than 290,000.", "more than 290,000"),
    ("Lavrov, who arrived with 12 aides, met Kerry in Geneva.", "12"),
    ("Kerry met Lavrov for the third time in two weeks.", "two weeks"),
    ('"We are there," Lavrov said. The dam held 18 million cubic metres of water.', "18 million cubic metres"),
    ("Rescuers found 12 survivors under the rubble.", "12"),
    ("The claims of 40 deaths could not be checked.", "40"),
    ("Jobless claims rose by 14,000 last week.", "14,000"),
    ("Insurance claims fell 5% in May.", "5%"),
    ("A deal to be announced on Friday would free 300 prisoners.", "300"),
    ("The United States sent 30 planes.", "30"),
    ("She needs 15 percent in the polls to join the debate.", "15 percent"),
    ("In 2015, Kerry said the talks would go on.", "2015"),
    ("The storm hit 20 villages, and officials said the roads were closed.", "20"),
    ("Ana Ruiz, 56, runs the shelter.", "56"),
    ("The chairman had a busy day: he opened 3 clinics.", "3"),
    ("37 percent of voters say the plan is fair.", "37 percent"),
    ("ESTOVER, March 4 (Harbour Wire) - The flood killed 112 people, the agency said.", "March 4"),
    ("NEW ESTOVER: Nearly 150 families returned home on Wednesday.", "Nearly 150"),
    ("NEW ESTOVER: nearly 150 families returned home on Wednesday.", "nearly 150"),
    ("Officials in Geneva had warned in 2019 that the wall was weak.", "2019"),
    ("Name: Ana Ruiz. Age: 56.", "56"),
    ("Update: 300 homes lost power overnight.", "300"),
    ("Rubio leads in the polls with 35% of the vote.", "35%"),
    ("In a statement, 40 people were said to be missing.", "40"),
    # "added" with an object right after it adds, it does not say.
    ("Ruiz added a goal as Harbour won for the fourth time.", "fourth"),
    ("Ruiz added three assists for Harbour.", "three"),
    ("The harbour index added 20.5 points to 8,570.", "20.5"),
    ("Ruiz added a goal in the 89th minute.", "89th"),
    ("Ruiz added a goal as Harbour were beaten 3-2.", "3-2"),
    ("Ruiz added the winner, and Harbour were 2-1 up at the break.", "2-1"),
    # A group a figure counts ("60% of voters") is a poll's finding, not a speaker.
    ("Sixty percent of voters said they backed the dam, up from 40% in 2019.", "40%"),
    ("Half of the nurses said 12 beds were empty.", "12"),
    # Nor is one that "of" makes part of a share: the participle describes it.
    ("The share of adults reporting anxiety rose from 19% in 2011 to 30% in 2021.", "19%"),
    ("The proportion of firms reporting losses fell to 12% in May.", "12%"),
    ("The number of voters saying the plan is fair rose to 40%.", "40%"),
    ("The cuts put 300 jobs at risk.", "300"),
    # A word that is both a noun and a report verb, after a determiner and a word.
    ("His recent claim that 45 people died was wrong.", "45"),
    # A capitalised determiner opening the sentence names nobody on its own.
    ("The number of adults, 40% of them women, agreed that 12 beds were empty.", "12"),
    # A passive whose agent is a cause, or one not yet come about.
    ("1,200 homes were threatened by the fire.", "1,200"),
    ("Under a rule to be issued by the ministry, 300 boats must stay in port.", "300"),
]


@pytest.mark.parametrize(("text", "figure"), NO_SPEAKER, ids=[c[0] for c in NO_SPEAKER])
def test_no_speaker(toolkit: pipeline.Toolkit, text: str, figure: str) -> None:
    """A name near a figure is not its speaker unless a clause says so."""
    claim = only(toolkit, text, figure)
    assert (claim.said_by, claim.said_by_span, claim.cue, claim.via) == (None, None, None, None)


def test_a_figure_is_not_a_speaker(toolkit: pipeline.Toolkit) -> None:
    """'Sixty percent of voters said' reports a poll's finding: the poll speaks."""
    text = "Sixty percent of voters said they backed the plan, according to a Harbour Gazette poll."
    claim = only(toolkit, text, "Sixty percent")
    assert (claim.said_by, claim.cue) == ("a Harbour Gazette poll", "according to")


def test_via_reaches_claims_yaml(toolkit: pipeline.Toolkit, tmp_path: Path) -> None:
    article = tmp_path / "wire.txt"
    article.write_text("Toll rises\n\nAccording to AFP, the ministry said 40 people died.\n", encoding="utf-8")
    path = tmp_path / "claims.yaml"
    pipeline.scan([article], path, None, toolkit=toolkit)
    assert "    cue: said\n    via: AFP\n" in path.read_text(encoding="utf-8")
    (loaded,) = store.load_claims(path).claims
    assert (loaded.text, loaded.said_by, loaded.via) == ("40", "the ministry", "AFP")


def test_via_reaches_extract_jsonl() -> None:
    line = json.dumps({"id": "p1", "text": "The Observatory said 30 people died, citing sources on the ground."})
    result = CliRunner().invoke(cli, ["extract", "--jsonl", "-"], input=line + "\n")
    assert result.exit_code == 0, result.output
    (claim,) = json.loads(result.stdout)["claims"]
    assert (claim["said_by"], claim["via"], claim["said_by_span"]) == ("The Observatory", "sources on the ground", [0, 15])


def test_the_rule_file_in_the_docs_adds_its_words(tmp_path: Path) -> None:
    """docs/attribution.md's own rule file works as the page says."""
    page = (Path(__file__).resolve().parents[1] / "docs" / "attribution.md").read_text(encoding="utf-8")
    rules = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "my-cues.yaml").write_text(rules, encoding="utf-8")
    toolkit = pipeline.load_toolkit([tmp_path / "my-cues.yaml"])
    text = "The ombudsman opined that 40 complaints were upheld, drawing on court records."
    (claim,) = pipeline.extract_text(text, toolkit)
    assert (claim.said_by, claim.cue, claim.via) == ("The ombudsman", "opined", "court records")
    (plain,) = pipeline.extract_text(text, pipeline.load_toolkit())
    assert plain.said_by is None


def test_first_person_is_never_an_antecedent(toolkit: pipeline.Toolkit) -> None:
    text = 'Mayor Ana Silva toured the camp. "We saw 40 dead," I said. She said 12 people were hurt.'
    claims = {c.text: c for c in pipeline.extract_text(text, toolkit)}
    assert claims["40"].said_by == "I"
    assert claims["12"].said_by == "Mayor Ana Silva"
    assert claims["12"].said_by_span.slice(text) == "She"


def test_each_cue_is_filed_with_every_word_it_needs(toolkit: pipeline.Toolkit) -> None:
    filed = toolkit.rules.cues.cue_words
    assert frozenset({"according", "to"}) in filed["according"]
    assert frozenset({"in", "poll"}) in filed["poll"]
    assert filed["said"] == (frozenset({"said"}),)
    # "a", "in" and "has" are in many sentences: no cue is filed under them alone.
    assert "a" not in filed and "in" not in filed


def test_a_sentence_is_read_for_cues_only_when_it_holds_all_of_ones_words(toolkit: pipeline.Toolkit) -> None:
    from factcheck.attribution import _holds_cue_words

    lex = toolkit.rules.cues
    assert not _holds_cue_words({"in", "a", "week", "prices", "rose"}, lex)
    assert not _holds_cue_words({"according", "plan"}, lex)
    assert _holds_cue_words({"according", "to", "the", "plan"}, lex)
    assert _holds_cue_words({"in", "a", "new", "poll"}, lex)
    text = "In a new poll, 40% back the plan. In a week, prices rose 5%."
    claims = {c.text: c for c in pipeline.extract_text(text, toolkit)}
    assert (claims["40%"].said_by, claims["40%"].cue) == ("a new poll", "in")
    assert claims["5%"].said_by is None


def test_quotes_are_found_by_position_as_a_walk_over_all_would_find_them() -> None:
    from factcheck.attribution import _Quote, _Quotes

    quotes = _Quotes([_Quote(Span(5, 10), True), _Quote(Span(12, 20), True), _Quote(Span(30, 31), False)])
    for start in range(0, 35):
        for end in range(start + 1, 36):
            span = Span(start, end)
            assert quotes.overlapping(span) == [q.span for q in quotes.all if q.span.overlaps(span)]
            holding = [q.span for q in quotes.all if q.span.contains(span)]
            assert quotes.holding(span) == (holding[0] if holding else None)


def test_the_last_fitting_name_is_the_nearest_one_before() -> None:
    from factcheck.attribution import _last_before

    named = [(3, "Ana Silva", True), (10, "The Red Crescent", False), (10, "Zed Zed", True), (25, "Omar Ali", True)]
    assert _last_before(named, 25, lambda n: n[2]) == (10, "Zed Zed", True)
    assert _last_before(named, 26, lambda n: n[2]) == (25, "Omar Ali", True)
    assert _last_before(named, 10, lambda n: n[2]) == (3, "Ana Silva", True)
    assert _last_before(named, 40, lambda n: not n[2]) == (10, "The Red Crescent", False)
    assert _last_before(named, 3, lambda n: True) is None


def test_a_pronoun_far_into_a_long_text_finds_its_name(toolkit: pipeline.Toolkit) -> None:
    filler = "Nothing was counted that day. " * 1500
    text = f'{filler}Mayor Ana Silva toured the camp. "We saw 40 dead," she said. {filler}'
    (claim,) = pipeline.extract_text(text, toolkit)
    assert (claim.text, claim.said_by, claim.cue) == ("40", "Mayor Ana Silva", "said")
    assert claim.quote_span is not None and claim.quote_span.slice(text) == "We saw 40 dead,"


_CUE_PIECES = [
    "said", "according to", "in a new poll", "in a week", "has said", "has", "a", "in", "the ministry",
    "Ana Silva", "she", "told reporters", "statement", "citing", ":", '"', "40", "3%", "people", ", ", ". ", " ",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_CUE_PIECES), max_size=16).map(" ".join))
def test_passing_over_sentences_without_a_cues_words_changes_no_attribution(
    toolkit: pipeline.Toolkit, text: str
) -> None:
    import dataclasses

    from factcheck.attribution import attribute
    from factcheck.rules import split_sentences

    lex = toolkit.rules.cues
    # A cue filed under "" is needed by every sentence: nothing is passed over.
    reads_all = dataclasses.replace(lex, cue_words={"": ()})
    sentences = split_sentences(text, [Span(0, len(text))], toolkit.rules.abbreviations)
    figures = [m.span for m in toolkit.matcher.find_matches(text)]
    assert attribute(text, sentences, figures, lex) == attribute(text, sentences, figures, reads_all)
