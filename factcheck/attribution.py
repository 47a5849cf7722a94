"""Attribution: who is reported as saying each figure.

Reads a document's sentences for attribution clauses ("X said", "said X",
"X told reporters", "according to X"), pairs quotations with the clause
beside them, and carries "he said" over to the last person named as a
speaker. Every word it relies on comes from the cue lexicon (cues.yaml).

A figure with no clause is asserted by the document itself: ``said_by`` is
``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from factcheck.model import Attribution, CueLexicon, Span

_TOKEN = re.compile(r"[A-Za-z][A-Za-z.'\u2019-]*")
_OPEN_QUOTES = "\u201c\""
_CLOSE_QUOTES = "\u201d\""
@dataclass(frozen=True)
class _Clause:
    """One attribution clause: its speaker mention, cue, and what it covers."""

    speaker: str
    speaker_span: Span
    cue: str
    cue_span: Span
    sentence: Span
    person: bool
    prefixes: tuple[str, ...] = ()  # the cue lexicon's prefixes, to tell them from verbs


def attribute(
    text: str,
    sentences: Sequence[Span],
    figures: Sequence[Span],
    cues: CueLexicon,
) -> list[Attribution]:
    """One ``Attribution`` per figure span, in the same order.

    >>> from factcheck.rules import load_rules
    >>> text = 'The war has killed 290,000, the Syrian Observatory said.'
    >>> [a.said_by for a in attribute(text, [Span(0, len(text))], [Span(19, 26)],
    ...                                 load_rules().cues)]
    ['the Syrian Observatory']
    """
    quotes = _find_quotes(text, sentences)
    clauses = _find_clauses(text, sentences, quotes, cues)
    quote_clause = _pair_quotes(text, quotes, clauses, sentences)
    out = []
    for figure in figures:
        out.append(_attribute_one(text, figure, sentences, quotes, clauses, quote_clause))
    return out


def _attribute_one(
    text: str,
    figure: Span,
    sentences: Sequence[Span],
    quotes: list[Span],
    clauses: list[_Clause],
    quote_clause: dict[Span, _Clause],
) -> Attribution:
    quote = next((q for q in quotes if q.contains(figure)), None)
    if quote is not None:
        clause = quote_clause.get(quote)
        if clause is not None:
            return _attribution(clause, quote, quoted=True)
        return Attribution(said_by=None, quote_span=quote, quoted=True)
    sentence = next((s for s in sentences if s.contains(figure)), None)
    if sentence is None:
        return Attribution(said_by=None)
    quoting = {id(c) for c in quote_clause.values()}
    local = [c for c in clauses if c.sentence == sentence and _covers(text, c, figure)]
    # A clause that introduces a quote speaks through the quote; the rest of
    # its sentence ("Lavrov told reporters waiting at ...") is narration.
    local = [
        c
        for c in local
        if id(c) not in quoting
        and not c.speaker_span.overlaps(figure)
        and not _in_any(c.cue_span, quotes)
    ]
    if not local:
        return Attribution(said_by=None)
    # "Ferreira said 112 had died, according to the agency": the innermost
    # attribution, the "according to", names the source of the figure.
    clause = min(local, key=lambda c: (c.cue not in c.prefixes, abs(c.cue_span.start - figure.start)))
    return _attribution(clause, _statement(text, sentence, clause, figure), quoted=False)


def _covers(text: str, clause: _Clause, figure: Span) -> bool:
    """Whether a clause can speak for a figure in its sentence.

    "According to X" opening a sentence covers the sentence; written after
    a statement ("112 died, according to X, and ...") it covers only what
    stands before it.
    """
    if clause.cue not in clause.prefixes:
        return True
    opening = not text[clause.sentence.start : clause.cue_span.start].strip(" \t\n\"'\u201c")
    return opening or figure.end <= clause.cue_span.start


def _attribution(clause: _Clause, statement: Span | None, *, quoted: bool) -> Attribution:
    return Attribution(
        said_by=clause.speaker,
        said_by_span=clause.speaker_span,
        cue=clause.cue,
        cue_span=clause.cue_span,
        quote_span=statement,
        quoted=quoted,
    )


def _statement(text: str, sentence: Span, clause: _Clause, figure: Span) -> Span:
    """The reported statement: the side of the sentence the figure is on."""
    clause_start = min(clause.speaker_span.start, clause.cue_span.start)
    clause_end = max(clause.speaker_span.end, clause.cue_span.end)
    if figure.start >= clause_end:
        start = clause_end
        lead = re.match(r"[\s,:]*(?:that\s+)?", text[start : sentence.end])
        start += lead.end() if lead else 0
        return Span(start, _trim_end(text, start, sentence.end))
    return Span(sentence.start, _trim_end(text, sentence.start, clause_start))


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\n,.;:":
        end -= 1
    return end


def _in_any(span: Span, spans: list[Span]) -> bool:
    return any(s.contains(span) for s in spans)


def _pair_quotes(
    text: str, quotes: list[Span], clauses: list[_Clause], sentences: Sequence[Span]
) -> dict[Span, _Clause]:
    """The clause each quote belongs to: the one right after it ('"...," he
    said'), else the one right before it ('Lavrov said: "..."'), else, for a
    paragraph that is all quote, the last clause of the paragraph before."""
    paragraphs = _paragraphs(text, sentences) if sentences else []
    paired: dict[Span, _Clause] = {}
    for quote in quotes:
        paragraph = next((p for p in paragraphs if p.contains(quote)), None)
        if paragraph is None:
            continue
        after = [
            c
            for c in clauses
            if paragraph.contains(c.cue_span)
            and c.cue_span.start >= quote.end
            and _is_short_link(text[quote.end : min(c.cue_span.start, c.speaker_span.start)])
        ]
        before = [
            c
            for c in clauses
            if paragraph.contains(c.cue_span)
            and max(c.cue_span.end, c.speaker_span.end) <= quote.start
            and _is_short_link(text[max(c.cue_span.end, c.speaker_span.end) : quote.start])
        ]
        if after:
            paired[quote] = min(after, key=lambda c: c.cue_span.start)
        elif before:
            paired[quote] = max(before, key=lambda c: c.cue_span.start)
        elif not text[paragraph.start : quote.start].strip(_OPEN_QUOTES + " "):
            earlier = [c for c in clauses if c.cue_span.end <= paragraph.start]
            if earlier and _previous_paragraph_has(paragraphs, paragraph, earlier[-1]):
                paired[quote] = earlier[-1]
    return paired


def _is_short_link(between: str) -> bool:
    """Only punctuation, 'that' or a few words join a quote to its clause."""
    stripped = between.strip(" \t\n,:" + _OPEN_QUOTES + _CLOSE_QUOTES + "\u2019'")
    return len(stripped) <= 40 and not any(q in stripped for q in _OPEN_QUOTES)


def _previous_paragraph_has(paragraphs: list[Span], paragraph: Span, clause: _Clause) -> bool:
    index = paragraphs.index(paragraph)
    return index > 0 and paragraphs[index - 1].contains(clause.cue_span)


def _find_quotes(text: str, sentences: Sequence[Span]) -> list[Span]:
    """Quoted passages, each inside one paragraph (the quote marks excluded)."""
    if not sentences:
        return []
    quotes: list[Span] = []
    for paragraph in _paragraphs(text, sentences):
        opened: int | None = None
        for index in range(paragraph.start, paragraph.end):
            char = text[index]
            if opened is None and char in _OPEN_QUOTES and _opens(text, index):
                opened = index + 1
            elif opened is not None and char in _CLOSE_QUOTES:
                if index > opened:
                    quotes.append(Span(opened, index))
                opened = None
        if opened is not None and paragraph.end > opened:
            # A quote that runs to the end of its paragraph: the speaker's
            # words go on, so the passage still counts as quoted.
            quotes.append(Span(opened, paragraph.end))
    return quotes


def _opens(text: str, index: int) -> bool:
    if text[index] == "\u201c":
        return True
    before = text[index - 1] if index else " "
    return not before.isalnum()


def _paragraphs(text: str, sentences: Sequence[Span]) -> list[Span]:
    paragraphs: list[Span] = []
    start = sentences[0].start
    for current, following in zip(sentences, sentences[1:]):
        if "\n" in text[current.end : following.start]:
            paragraphs.append(Span(start, current.end))
            start = following.start
    paragraphs.append(Span(start, sentences[-1].end))
    return paragraphs


def _find_clauses(
    text: str, sentences: Sequence[Span], quotes: list[Span], cues: CueLexicon
) -> list[_Clause]:
    clauses: list[_Clause] = []
    last_person: str | None = None
    last_person_at = -1
    last_group: str | None = None
    prefix_pattern = (
        re.compile(r"(?<!\w)(" + "|".join(re.escape(p) for p in cues.prefixes) + r")\s+", re.IGNORECASE)
        if cues.prefixes
        else None
    )
    names = _person_mentions(text, sentences, cues)
    for sentence in sentences:
        found: list[tuple[str, Span, Span]] = []  # (cue, cue span, speaker span)
        for token in _TOKEN.finditer(text, sentence.start, sentence.end):
            word = token.group().rstrip(".").lower()
            cue_span = Span(token.start(), token.start() + len(token.group().rstrip(".")))
            if word not in cues.verbs or _in_any(cue_span, quotes):
                continue
            if _word_before(text, sentence.start, cue_span.start) in cues.passive_markers:
                continue  # "a deal to be announced", "he was told": no speaker here
            speaker = _subject_before(text, sentence, cue_span, quotes, cues) or _subject_after(
                text, sentence, cue_span, cues
            )
            if speaker is not None:
                found.append((word, cue_span, speaker))
        if prefix_pattern is not None:
            for prefix in prefix_pattern.finditer(text, sentence.start, sentence.end):
                cue_span = Span(prefix.start(1), prefix.end(1))
                if _in_any(cue_span, quotes):
                    continue
                speaker = _noun_phrase_after(text, prefix.end(), sentence.end, cues)
                if speaker is not None:
                    found.append((prefix.group(1).lower(), cue_span, speaker))
        for cue, cue_span, speaker_span in sorted(found, key=lambda f: f[1].start):
            mention = " ".join(speaker_span.slice(text).split())
            kind = cues.pronouns.get(mention.lower())
            if kind == "person":
                named = [n for n in names if n[0].end <= speaker_span.start]
                # The last person named, as a speaker or anywhere in the text.
                if named and (last_person is None or named[-1][0].start > last_person_at):
                    name = named[-1][1]
                else:
                    name = last_person or mention
                person = True
            elif kind == "group":
                name = last_group or mention
                person = False
            else:
                name = mention
                person = _is_person(mention, cues)
                if person:
                    last_person, last_person_at = name, speaker_span.start
                else:
                    last_group = name
            clauses.append(_Clause(name, speaker_span, cue, cue_span, sentence, person, cues.prefixes))
    return clauses


def _word_before(text: str, start: int, position: int) -> str:
    words = _TOKEN.findall(text, max(start, position - 20), position)
    return words[-1].lower() if words else ""


def _person_mentions(text: str, sentences: Sequence[Span], cues: CueLexicon) -> list[tuple[Span, str]]:
    """Names of people in reading order: runs of two or more capitalised words
    (particles allowed) with no organisation word, e.g. "Mayor Ana Silva"."""
    mentions: list[tuple[Span, str]] = []
    for sentence in sentences:
        run: list[re.Match[str]] = []
        for token in [*_TOKEN.finditer(text, sentence.start, sentence.end), None]:
            joined = token is not None and bool(run) and not text[run[-1].end() : token.start()].strip()
            word = token.group() if token is not None else ""
            capital = word[:1].isupper() or (bool(run) and word.split("-")[0].lower() in cues.name_particles)
            if token is not None and capital and (joined or not run):
                run.append(token)
                continue
            mention = _as_person(text, run, cues)
            if mention is not None:
                mentions.append(mention)
            run = [token] if token is not None and word[:1].isupper() else []
    return mentions


def _as_person(text: str, run: list[re.Match[str]], cues: CueLexicon) -> tuple[Span, str] | None:
    while run and (run[0].group().lower() in cues.determiners or run[0].group().lower() in cues.clause_openers):
        run = run[1:]
    if len(run) < 2 or any(t.group() in cues.org_words for t in run):
        return None
    span = Span(run[0].start(), run[-1].end())
    return span, " ".join(span.slice(text).split())


def _is_person(name: str, cues: CueLexicon) -> bool:
    words = name.replace(",", " ").split()
    if any(w.strip(".'\u2019s") in cues.org_words or w in cues.org_words for w in words):
        return False
    last = words[-1] if words else ""
    # "officials", "sources", "aid groups": plural common nouns are groups.
    return not (last.islower() and last.endswith("s") and not last.endswith("ss"))


def _subject_before(
    text: str, sentence: Span, cue: Span, quotes: list[Span], cues: CueLexicon
) -> Span | None:
    """The speaker written before its verb: "Lavrov told reporters"."""
    start = sentence.start
    for quote in quotes:
        if sentence.start <= quote.end < cue.start:
            start = max(start, quote.end + 1)
    chunk = text[start : cue.start]
    parts = [m for m in re.finditer(r"[^,;:\u2013\u2014]+", chunk) if m.group().strip()]
    if not parts:
        return None
    last = parts[-1]
    if not chunk[last.end() :].strip() == "" and chunk[last.end() :].strip() not in {","}:
        return None
    if chunk[last.end() :].strip() == ",":
        opener = last.group().split()[0].lower() if last.group().split() else ""
        if opener in cues.relative_pronouns and len(parts) >= 2:
            # "A senior official, who asked not to be named, said": the
            # relative clause is set aside; the speaker stands before it.
            return _clean(text, start + parts[-2].start(), start + parts[-2].end(), cues)
        # "Rami Abdel Rahman, head of the observatory, told AFP": an
        # appositive closed by a comma, right before the verb.
        if len(parts) < 2 or not _is_name(parts[-2].group(), cues):
            return None
        span = _clean(text, start + parts[-2].start(), start + last.end(), cues)
        return span
    span = _clean(text, start + last.start(), start + last.end(), cues)
    if span is None:
        return None
    words = span.slice(text).split()
    if words and words[0][0].islower() and len(parts) >= 2 and _is_name(parts[-2].group(), cues):
        joined = _clean(text, start + parts[-2].start(), span.end, cues)
        return joined or span
    return span


def _subject_after(text: str, sentence: Span, cue: Span, cues: CueLexicon) -> Span | None:
    """The speaker written after its verb: '..., said one shopper, Omar al-Beik.'"""
    before = text[sentence.start : cue.start].rstrip()
    if before and before[-1] not in ",\u201d\"" and not before.endswith(("\u201d", '"')):
        return None
    return _noun_phrase_after(text, cue.end, sentence.end, cues)


def _noun_phrase_after(text: str, start: int, end: int, cues: CueLexicon) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    stop = cues.speaker_end.search(text, start, end)
    phrase_end = stop.start() if stop else end
    chunk = text[start:phrase_end]
    comma = chunk.find(",")
    if comma >= 0:
        tail = chunk[comma + 1 :].strip()
        # Keep an appositive: "one shopper, Omar al-Beik".
        first_word = tail.split()[0].lower() if tail else ""
        appositive = tail and (_is_name(tail, cues) or tail[0].islower())
        if not appositive or first_word in cues.clause_openers or cues.speaker_end.match(" " + tail):
            phrase_end = start + comma
    return _clean(text, start, phrase_end, cues)


def _is_name(chunk: str, cues: CueLexicon) -> bool:
    """A run of capitalised words, allowing particles ("Staffan de Mistura")."""
    words = chunk.split()
    return 0 < len(words) <= 6 and all(
        w[0].isupper() or w.split("-")[0] in cues.name_particles for w in words
    )


def _clean(text: str, start: int, end: int, cues: CueLexicon) -> Span | None:
    """Trim clause words from both ends; None when no speaker is left."""
    tokens = list(_TOKEN.finditer(text, start, end))
    while tokens and tokens[0].group().lower() in cues.clause_openers:
        tokens.pop(0)
    while tokens and tokens[-1].group().lower() in cues.auxiliaries:
        tokens.pop()
    if not tokens or len(tokens) > 12:
        return None
    first = tokens[0].group()
    if first.lower() in cues.not_speakers:
        return None
    phrase = text[tokens[0].start() : tokens[-1].end()]
    lowered = phrase.lower()
    if lowered in cues.pronouns:
        return Span(tokens[0].start(), tokens[-1].end())
    has_capital = any(t.group()[0].isupper() for t in tokens)
    is_org = any(t.group() in cues.org_words for t in tokens)
    # "officials said", "aid groups said": a short plural noun phrase speaks.
    is_group = len(tokens) <= 3 and tokens[-1].group().endswith("s") and not tokens[-1].group().endswith("ss")
    if not (has_capital or is_org or is_group) and first.lower() not in cues.determiners:
        return None
    # A speaker has no digits and is not a clause with a verb of its own.
    if any(ch.isdigit() for ch in phrase):
        return None
    if any(t.group().lower() in cues.verbs for t in tokens):
        return None  # a clause with a report verb of its own is not a name
    return Span(tokens[0].start(), tokens[-1].end())
