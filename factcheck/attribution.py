"""Attribution: who is reported as saying each figure.

Each sentence is read for attribution clauses: a report verb with its speaker
before it ("Lavrov told reporters") or after it ("said one shopper, Omar
al-Beik"), a phrase that puts the speaker after it ("according to the
ministry"), and a relay that names where a speaker had it from ("citing
sources on the ground"). A clause covers a statement: what follows an opening
clause, what precedes a closing one ("..., the agency said"), or a quotation
next to it, which may run over several sentences and paragraphs. A figure goes
to the innermost clause whose statement holds it; a clause that reports that
one ("according to AFP, the ministry said") or a relay becomes its ``via``.
"He", "they", "who" and "the minister" are resolved to the last fitting named
speaker. Every word comes from the cue lexicon (cues.yaml).

A figure with no clause is asserted by the document itself: ``said_by`` is
``None``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import Callable, Iterator, NamedTuple, Sequence

from factcheck.compiled import cached_regex
from factcheck.model import WORD_LETTERS, Attribution, CueLexicon, Span, datatype

# Words (with inner stops, apostrophes and hyphens: "U.S.", "Post's",
# "co-director") and single punctuation marks.
_TOKEN = cached_regex(r"\w+(?:[.'\u2019&-]\w+)*\.?|[^\w\s]")
_WORDS = cached_regex(WORD_LETTERS)
# A dateline: a place in capitals, then anything short, then a dash.
_DATELINE = cached_regex(r"[A-Z][A-Z .'\u2019-]+,[^\n]{0,60}?\s[-\u2013\u2014]+\s")
_CLOSERS = ",\u201d\"\u2019'\u2014\u2013"  # marks that end a statement before a closing clause
_QUOTE_CHARS = "\u201c\u201d\"'\u2018\u2019"  # trimmed from the ends of statements
# An aside set between a speaker and its verb, by its closing mark.
_ASIDE_CLOSERS = {"\u2014": "\u2014", "\u2013": "\u2013", "-": "-", ")": "("}
_LONGEST_SPEAKER = 14  # words; longer is a clause, not a name
_LONGEST_APPOSITIVE = 24


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    lower: str
    word: bool
    capital: bool
    digit: bool


@datatype(eq=False)
class _Clause:
    """One attribution clause: the speaker's mention, the cue, what it covers."""

    speaker: Span
    cue: str
    cue_span: Span
    sentence: Span
    kind: str  # "verb" | "prefix"
    before: Span | None = None  # the statement before the clause ("..., he said")
    after: Span | None = None  # the statement after it ("he said that ...")
    carries: bool = False  # "X said:" ends its paragraph: the next one is X's
    inverted: bool = False  # the speaker follows the verb: "..., said the agency"
    name: str = ""  # the speaker as named (pronouns resolved)
    antecedent: Span | None = None  # what "who" stands for
    via: Span | None = None  # a relay: "citing sources on the ground"
    via_name: str = ""

    @property
    def start(self) -> int:
        return min(self.speaker.start, self.cue_span.start)

    @property
    def end(self) -> int:
        return max(self.speaker.end, self.cue_span.end)

    def statement_for(self, position: Span) -> Span | None:
        """The side of the clause that holds ``position``, if it covers it."""
        for side in (self.before, self.after):
            if side is not None and side.contains(position):
                return side
        return None


@datatype(eq=False)
class _Quote:
    """A stretch of quoted speech."""

    span: Span
    closed: bool  # False: runs to the end of its paragraph (and may go on in the next)


def attribute(
    text: str,
    sentences: Sequence[Span],
    figures: Sequence[Span],
    lex: CueLexicon,
) -> list[Attribution]:
    """One ``Attribution`` per figure span, in the same order.

    >>> from factcheck.rules import load_rules
    >>> text = 'The war has killed 290,000, the Syrian Observatory said.'
    >>> [a.said_by for a in attribute(text, [Span(0, len(text))], [Span(19, 26)],
    ...                                 load_rules().cues)]
    ['the Syrian Observatory']
    """
    if not sentences or not figures:
        return [Attribution(said_by=None) for _ in figures]
    paragraphs = _paragraphs(text, sentences)
    quotes = _Quotes(_find_quotes(text, paragraphs, lex))
    tokens = _SentenceTokens(text, sentences, lex)
    clauses = _find_clauses(text, sentences, tokens, quotes, sorted(figures), lex)
    clauses = _resolve(text, tokens, clauses, lex)
    by_paragraph = _Paragraphs(paragraphs, clauses)
    paired = _pair_quotes(text, quotes.all, by_paragraph)
    starts = [s.start for s in sentences]
    by_sentence: dict[Span, list[_Clause]] = {}
    for clause in clauses:
        by_sentence.setdefault(clause.sentence, []).append(clause)
    out = []
    for figure in figures:
        index = bisect.bisect_right(starts, figure.start) - 1
        sentence = sentences[index] if index >= 0 and sentences[index].contains(figure) else None
        out.append(_attribute_one(figure, sentence, quotes, paired, by_sentence, by_paragraph))
    return out


class _Quotes:
    """The quotes of a text, in order and apart as ``_find_quotes`` gives
    them, found by bisection: a long text has many."""

    def __init__(self, quotes: list[_Quote]) -> None:
        self.all = quotes
        self._starts = [q.span.start for q in quotes]
        self._ends = [q.span.end for q in quotes]

    def overlapping(self, span: Span) -> list[Span]:
        """The spans of the quotes that overlap ``span``, in order."""
        first = bisect.bisect_right(self._ends, span.start)
        return [q.span for q in self.all[first : bisect.bisect_left(self._starts, span.end)]]

    def holding(self, span: Span) -> Span | None:
        """The span of the quote that holds ``span``, if one does."""
        index = bisect.bisect_right(self._starts, span.start) - 1
        return self.all[index].span if index >= 0 and self.all[index].span.contains(span) else None


class _Paragraphs:
    """The paragraphs of a text, in order and apart, with the clauses whose
    cue stands in each: found by bisection, as a long text has many."""

    def __init__(self, paragraphs: list[Span], clauses: list[_Clause]) -> None:
        self.spans = paragraphs
        self._starts = [p.start for p in paragraphs]
        self._clauses: dict[int, list[_Clause]] = {}
        for clause in clauses:
            index = self.index_of(clause.cue_span)
            if index is not None:
                self._clauses.setdefault(index, []).append(clause)

    def index_of(self, span: Span) -> int | None:
        """The index of the paragraph holding ``span``, if one does."""
        index = bisect.bisect_right(self._starts, span.start) - 1
        return index if index >= 0 and self.spans[index].contains(span) else None

    def clauses(self, index: int) -> list[_Clause]:
        """The clauses whose cue stands in paragraph ``index``, in the order found."""
        return self._clauses.get(index, [])


def _attribute_one(
    figure: Span,
    sentence: Span | None,
    quotes: _Quotes,
    paired: dict[Span, _Clause],
    by_sentence: dict[Span, list[_Clause]],
    paragraphs: _Paragraphs,
) -> Attribution:
    quote = quotes.holding(figure)
    if quote is not None:
        clause = paired.get(quote)
        if clause is not None:
            return _attribution(clause, quote, quoted=True, via=_via(clause, by_sentence))
        return Attribution(said_by=None, quote_span=quote, quoted=True)
    if sentence is None:
        return Attribution(said_by=None)
    chosen = _innermost(by_sentence.get(sentence, []), figure)
    if chosen is not None:
        clause, statement = chosen
        return _attribution(clause, statement, quoted=False, via=_via(clause, by_sentence))
    carrier = _carrier(figure, paragraphs)
    if carrier is not None:
        clause, paragraph = carrier
        return _attribution(clause, paragraph, quoted=False, via=_via(clause, by_sentence))
    return Attribution(said_by=None)


def _innermost(clauses: list[_Clause], position: Span) -> tuple[_Clause, Span] | None:
    """The clause with the smallest statement holding ``position``.

    "Ferreira said 112 had died, according to the agency": both clauses
    cover 112; Ferreira's statement is the smaller, the agency reports it.
    """
    best: tuple[int, int, _Clause, Span] | None = None
    for clause in clauses:
        if clause.speaker.overlaps(position) or clause.cue_span.overlaps(position):
            continue
        statement = clause.statement_for(position)
        if statement is None:
            continue
        key = (len(statement), abs(clause.cue_span.start - position.start))
        if best is None or key < best[:2]:
            best = (*key, clause, statement)
    return (best[2], best[3]) if best else None


def _via(clause: _Clause, by_sentence: dict[Span, list[_Clause]]) -> tuple[str, Span] | None:
    """Who passes the clause on: its relay, else a clause whose statement holds it."""
    if clause.via is not None:
        return clause.via_name, clause.via
    for other in by_sentence.get(clause.sentence, []):
        if other is clause or other.name == clause.name:
            continue
        if other.statement_for(Span(clause.start, clause.end)) is not None:
            return other.name, other.speaker
    return None


def _carrier(figure: Span, paragraphs: _Paragraphs) -> tuple[_Clause, Span] | None:
    """'Dr. Petrov said:' ending a paragraph speaks for the paragraph after it."""
    index = paragraphs.index_of(figure)
    if not index:
        return None
    carrying = [c for c in paragraphs.clauses(index - 1) if c.carries]
    return (carrying[-1], paragraphs.spans[index]) if carrying else None


def _attribution(
    clause: _Clause, statement: Span | None, *, quoted: bool, via: tuple[str, Span] | None
) -> Attribution:
    return Attribution(
        said_by=clause.name,
        said_by_span=clause.speaker,
        cue=clause.cue,
        cue_span=clause.cue_span,
        quote_span=statement,
        quoted=quoted,
        via=via[0] if via else None,
        via_span=via[1] if via else None,
    )


# ---------------------------------------------------------------- quotations


def _paragraphs(text: str, sentences: Sequence[Span]) -> list[Span]:
    paragraphs: list[Span] = []
    start = sentences[0].start
    for current, following in zip(sentences, sentences[1:]):
        if "\n" in text[current.end : following.start]:
            paragraphs.append(Span(start, current.end))
            start = following.start
    paragraphs.append(Span(start, sentences[-1].end))
    return paragraphs


def _find_quotes(text: str, paragraphs: list[Span], lex: CueLexicon) -> list[_Quote]:
    """Quoted passages, each inside one paragraph (the quote marks excluded).

    A quote left open at the end of its paragraph runs to that end: the
    speaker's words go on, often into the next paragraph, which opens with a
    quote mark again.
    """
    if not lex.quote_marks:
        return []
    closers = lex.quote_closers
    pattern = re.compile(lex.quote_marks)
    quotes: list[_Quote] = []
    for paragraph in paragraphs:
        # Open quotes, innermost last: '"It is about \u201cEqual Justice\u201d," she said'.
        stack: list[tuple[tuple[str, ...], int]] = []
        for mark in pattern.finditer(text, paragraph.start, paragraph.end):
            found, start, end = mark.group(), mark.start(), mark.end()
            # A closing mark before a letter is an apostrophe: "Clinton\u2019s".
            if stack and found in stack[-1][0] and (end >= len(text) or not text[end].isalnum()):
                _, opened = stack.pop()
                if not stack and start > opened:
                    quotes.append(_Quote(Span(opened, start), closed=True))
            # A mark that also closes ('"') opens only after a space or punctuation.
            elif found in lex.quotes and (found not in closers or start == 0 or not text[start - 1].isalnum()):
                stack.append((lex.quotes[found], end))
        if stack and paragraph.end > stack[0][1]:
            quotes.append(_Quote(Span(stack[0][1], paragraph.end), closed=False))
    return quotes


def _pair_quotes(text: str, quotes: list[_Quote], by_paragraph: _Paragraphs) -> dict[Span, _Clause]:
    """The clause each quote belongs to.

    The clause right after it ('"...," he said'), else right before it
    ('Lavrov said: "..."'), else the clause of the quote it continues (a
    paragraph reopening a quote left open), else, for a paragraph that opens
    with a quote, the last clause of the paragraph before, else a clause
    whose statement holds the quote ('he said the plan was "a disgrace"').
    """
    paired: dict[Span, _Clause] = {}
    previous_quote: _Quote | None = None
    for quote in quotes:
        span = quote.span
        index = by_paragraph.index_of(span)
        if index is None:
            continue
        paragraphs = by_paragraph.spans
        paragraph = paragraphs[index]
        inside = by_paragraph.clauses(index)
        after = [c for c in inside if c.start >= span.end and _is_short_link(text[span.end : c.start])]
        before = [c for c in inside if c.end <= span.start and _is_short_link(text[c.end : span.start])]
        opening = not text[paragraph.start : span.start].strip(_QUOTE_CHARS + " ")
        clause: _Clause | None = None
        if after:
            clause = min(after, key=lambda c: c.start)
        elif before:
            clause = max(before, key=lambda c: c.start)
        elif (
            previous_quote is not None
            and paragraph.contains(previous_quote.span)
            and previous_quote.span in paired
            and _speaks_between(paired[previous_quote.span], previous_quote.span, span, inside)
        ):
            # '"...," said Paul Chipok, a lawyer in Orlando. "It costs $100,000 ..."'
            clause = paired[previous_quote.span]
        elif opening and previous_quote is not None and not previous_quote.closed and index > 0 and (
            paragraphs[index - 1].contains(previous_quote.span)
        ):
            clause = paired.get(previous_quote.span)
        elif opening and index > 0:
            earlier = by_paragraph.clauses(index - 1)
            clause = earlier[-1] if earlier else None
        if clause is None:
            holding = [c for c in inside if c.statement_for(Span(span.start, span.start))]
            clause = max(holding, key=lambda c: c.start) if holding else None
        if clause is not None:
            paired[span] = clause
        previous_quote = quote
    return paired


def _speaks_between(clause: _Clause, earlier: Span, later: Span, clauses: list[_Clause]) -> bool:
    """The clause stands between two quotes, and no other clause follows it."""
    if not earlier.end <= clause.cue_span.start < later.start:
        return False
    return not any(c is not clause and clause.end <= c.start < later.start for c in clauses)


def _is_short_link(between: str) -> bool:
    """Only punctuation, 'that' or a few words join a quote to its clause."""
    stripped = between.strip(" \t\n,:" + _QUOTE_CHARS)
    return len(stripped) <= 40 and not any(q in stripped for q in "\u201c\"")


# ---------------------------------------------------------------- clauses


class _SentenceTokens:
    """Each sentence's tokens, made when first asked for."""

    def __init__(self, text: str, sentences: Sequence[Span], lex: CueLexicon) -> None:
        self._text = text
        self._sentences = sentences
        self._lex = lex
        self._made: dict[int, list[_Token]] = {}

    def __getitem__(self, number: int) -> list[_Token]:
        if number not in self._made:
            self._made[number] = _tokens(self._text, self._sentences[number], self._lex)
        return self._made[number]

    def __iter__(self) -> Iterator[list[_Token]]:
        return (self[number] for number in range(len(self._sentences)))


def _tokens(text: str, sentence: Span, lex: CueLexicon) -> list[_Token]:
    tokens: list[_Token] = []
    # The hottest loop of attribution: tuple.__new__ builds a _Token at half
    # the cost of calling the class.
    append, new = tokens.append, tuple.__new__
    # In a sentence not written in capitals, "WHO", "US" or "IT" is a name,
    # never the pronoun it spells; a title ("CEO") is still a title.
    acronyms = not _SHOUTING.fullmatch(text, sentence.start, sentence.end)
    for match in _TOKEN.finditer(text, sentence.start, sentence.end):
        word = match.group()
        start = match.start()
        if len(word) > 1 and word[-1] == "." and not _keeps_stop(word, lex):
            word = word[:-1]
        first = word[0]
        lower = word.lower()
        if acronyms and len(word) > 1 and word.isupper() and word.isalpha() and lower not in lex.titles:
            lower = word
        append(new(_Token, (start, start + len(word), word, lower, first.isalnum(), first.isupper(), first.isdigit())))
    return tokens


_SHOUTING = cached_regex(r"[^a-z]*")  # a sentence with no lower-case letter: a headline in capitals


def _keeps_stop(word: str, lex: CueLexicon) -> bool:
    """"U.S.", "Rep.", "J." keep their stop; "said." does not."""
    return "." in word[:-1] or word.lower() in lex.titles or (len(word) == 2 and word[0].isupper())


def _find_clauses(
    text: str,
    sentences: Sequence[Span],
    sentence_tokens: _SentenceTokens,
    quotes: _Quotes,
    figures: list[Span],
    lex: CueLexicon,
) -> list[_Clause]:
    """Every attribution clause, sentence by sentence, with what it covers."""
    clauses: list[_Clause] = []
    figure_starts = [f.start for f in figures]
    for number, sentence in enumerate(sentences):
        written = text[sentence.start : sentence.end]
        words = set(_WORDS.findall(written.lower()))
        # Most sentences hold no cue at all; a colon may open a headline's source.
        if lex.cue_starts.isdisjoint(words) and ":" not in written[:80]:
            continue
        if ":" not in written and not _holds_cue_words(words, lex):
            continue
        tokens = sentence_tokens[number]
        counted = figures[
            bisect.bisect_left(figure_starts, sentence.start) : bisect.bisect_left(figure_starts, sentence.end)
        ]
        near = quotes.overlapping(sentence)
        quoted = [any(q.start <= t.start and t.end <= q.end for q in near) for t in tokens] if near else [False] * len(tokens)
        found, relayed = _cues_in(text, sentence, tokens, quoted, counted, lex)
        clauses.extend(_settled(text, sentence, tokens, found, relayed, counted, lex))
    return clauses


def _holds_cue_words(words: set[str], lex: CueLexicon) -> bool:
    """Whether a sentence's words (lower case) hold all the words of some
    cue: one without cannot hold a clause, and is not read word by word.
    "a", "in" and "has" start cues and many sentences; the cues they start
    ("in a poll", "has said") need rarer words too."""
    filed = lex.cue_words
    return "" in filed or any(needs <= words for word in words.intersection(filed) for needs in filed[word])


def _cues_in(
    text: str, sentence: Span, tokens: list[_Token], quoted: list[bool], counted: list[Span], lex: CueLexicon
) -> tuple[list[_Clause], list[tuple[int, Span]]]:
    """The clauses of one sentence, and its relays: where each starts, and the source it names."""
    found: list[_Clause] = []
    relayed: list[tuple[int, Span]] = []
    index = 0
    while index < len(tokens):
        if quoted[index] or tokens[index].lower not in lex.cue_starts:
            index += 1
            continue
        phrase = _phrase_at(tokens, index, lex.prefix_phrases)
        relay = _phrase_at(tokens, index, lex.relay_phrases)
        if phrase or relay:
            length = phrase or relay
            # "according to figures from the ministry": the source is the ministry.
            while index + length < len(tokens) and (inner := _phrase_at(tokens, index + length, lex.prefix_phrases)):
                length += inner
            source = _speaker_after(tokens, index + length, lex)
            if source is not None and relay:
                relayed.append((tokens[index].start, _span(tokens, *source)))
            elif source is not None:
                cue_span = Span(tokens[index].start, tokens[index + length - 1].end)
                cue = _words(text, cue_span).lower()
                found.append(_Clause(_span(tokens, *source), cue, cue_span, sentence, "prefix"))
            index += length
            continue
        if tokens[index].lower in lex.source_prefixes:
            source = _source_after(tokens, index + 1, lex.source_prefixes[tokens[index].lower], lex)
            if source is not None:
                # "in a CNN national poll", "under the new rules"
                cue_span = Span(tokens[index].start, tokens[index].end)
                found.append(_Clause(_span(tokens, index + 1, source), tokens[index].lower, cue_span, sentence, "prefix"))
                index = source + 1
                continue
        agent = _passive_agent(tokens, index, lex)
        if agent is not None:
            # "45 deaths were reported by the ministry": the agent speaks for what comes before.
            cue_span = Span(tokens[index].start, tokens[index + 1].end)
            found.append(_Clause(_span(tokens, *agent), f"{tokens[index].lower} by", cue_span, sentence, "prefix"))
            index = agent[1] + 1
            continue
        length = _verb_at(tokens, index, quoted, lex)
        if length:
            clause = _verb_clause(text, tokens, index, length, sentence, found, quoted, lex)
            if (
                clause is not None
                and not _counts_speaker(text, clause.speaker, counted, lex)
                and not _counted_group(text, clause, sentence, lex)
            ):
                found.append(clause)
            index += length
            continue
        index += 1
    headline = _headline_clause(tokens, sentence, lex)
    if headline is not None:
        found.append(headline)
    if not found:
        channel = _channel_clause(tokens, sentence, quoted, lex)
        if channel is not None:
            found.append(channel)
    return found, relayed


def _passive_agent(tokens: list[_Token], index: int, lex: CueLexicon) -> tuple[int, int] | None:
    """The agent of a report verb in the passive ("were reported by the
    ministry", "has been confirmed by police"), or None."""
    token = tokens[index]
    if token.lower not in lex.passive_verbs or token.text != token.lower:
        return None
    if index == 0 or index + 2 >= len(tokens) or tokens[index + 1].lower != "by":
        return None
    if tokens[index - 1].lower not in lex.passive_markers:
        return None
    if index >= 2 and tokens[index - 2].lower == "to":
        return None  # "the rule, to be issued by the department": not yet said
    return _speaker_after(tokens, index + 2, lex)


def _channel_clause(tokens: list[_Token], sentence: Span, quoted: list[bool], lex: CueLexicon) -> _Clause | None:
    """'In a statement, the ministry put the toll at 40', 'The ministry, in a
    statement, put ...': with no report verb, the channel is the cue and the
    subject beside it the speaker."""
    for index in range(len(tokens) - 2):
        channel = tokens[index + 2]
        if quoted[index] or tokens[index].lower not in lex.speaker_links or channel.lower not in lex.channels:
            continue
        if tokens[index + 1].lower not in lex.noun_markers or index + 3 >= len(tokens) or tokens[index + 3].text != ",":
            continue
        cue_span = _span(tokens, index, index + 2)
        if index == 0:
            subject = _subject_after(tokens, index + 4, lex)
        elif index >= 2 and tokens[index - 1].text == ",":
            subject = _noun_phrase_before(tokens, index - 2, 0, lex)
        else:
            subject = None
        if subject is not None:
            cue = " ".join(t.lower for t in tokens[index : index + 3])
            return _Clause(_span(tokens, *subject), cue, cue_span, sentence, "prefix")
    return None


def _subject_after(tokens: list[_Token], start: int, lex: CueLexicon) -> tuple[int, int] | None:
    """A subject that opens a clause: a pronoun, a name ("the Red Crescent"),
    or a short phrase headed by an organisation word or source ("the
    ministry", "the latest survey")."""
    if start >= len(tokens) or not tokens[start].word:
        return None
    if tokens[start].lower in lex.pronouns and tokens[start].lower not in lex.not_speakers:
        return start, start
    position = start + 1 if tokens[start].lower in lex.determiners else start
    end = position
    while end < len(tokens) and tokens[end].word and (tokens[end].capital or tokens[end].lower in lex.name_particles):
        end += 1
    if end > position:
        return _checked(tokens, start, end - 1, lex)
    for end in range(position, min(position + 3, len(tokens))):
        word = tokens[end]
        if word.text in lex.org_words or word.lower in lex.source_nouns:
            return _checked(tokens, start, end, lex)
    return None


def _settled(
    text: str,
    sentence: Span,
    tokens: list[_Token],
    found: list[_Clause],
    relayed: list[tuple[int, Span]],
    figures: list[Span],
    lex: CueLexicon,
) -> list[_Clause]:
    """The clauses of one sentence with their statements and relays, in order."""
    # "Figures from the ministry show ...": the phrase names the source for
    # the verb; the verb's subject is no second speaker.
    found = [
        c
        for c in found
        if not (c.kind == "verb" and any(p.kind == "prefix" and c.speaker.contains(p.cue_span) for p in found))
    ]
    # A clause or relay after a comma closes the statement before it, and so
    # does an inverted clause ('... mixed feelings. "..." said Ms. Samour').
    starts = [c.start for c in found] + [c.cue_span.start for c in found] + [start for start, _ in relayed]
    cuts = [c for c in starts if text[sentence.start : c].rstrip().endswith(",")]
    cuts += [c.cue_span.start for c in found if c.inverted]
    found = [_with_statement(text, tokens, sentence, c, cuts, figures, lex) for c in found]
    found = _attach_relays(found, relayed, text)
    return sorted(found, key=lambda c: c.cue_span.start)


def _phrase_at(tokens: list[_Token], index: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """The length in tokens of the longest phrase starting at ``index``, or 0."""
    first = tokens[index].lower
    for phrase in phrases:
        if phrase[0] == first and tuple(t.lower for t in tokens[index : index + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _verb_at(tokens: list[_Token], index: int, quoted: list[bool], lex: CueLexicon) -> int:
    """The length of a report verb at ``index`` used as a verb, or 0.

    "the claims of", "his notes", "a deal to be announced" and "was told"
    are not report verbs with a speaker.
    """
    token = tokens[index]
    length = _phrase_at(tokens, index, lex.verb_phrases) or (1 if token.lower in lex.report_words else 0)
    if not length:
        return 0
    first_word = all(quoted[i] or not tokens[i].word for i in range(index))
    if token.text != token.lower and not first_word and not _in_capitals(tokens):
        return 0  # "the United States", "Reports": a name, not a verb
    previous = tokens[index - 1].lower if index else ""
    if previous in lex.noun_markers:
        return 0
    if previous in lex.determiners and token.lower.endswith("s"):
        return 0  # "some reports", "each states": a plural noun, never a verb after these
    if token.lower + "s" in lex.report_words and index >= 2 and tokens[index - 2].lower in lex.noun_markers:
        # "his recent claim that": a noun, where "the agencies claim" is a
        # verb, and so is "the ministry put the toll at 45", an estimate.
        if previous == tokens[index - 1].text and not previous.endswith("s") and previous not in lex.speaker_stops:
            if not (token.lower in lex.estimate_verbs and _estimate_follows(tokens, index + 1, lex)):
                return 0
    following = tokens[index + length].lower if index + length < len(tokens) else ""
    if token.lower.endswith("s") and (following == "of" or following in lex.noun_followers):
        return 0  # "the claims of", "jobless claims rose": a plural noun
    if token.lower in lex.source_verbs and following in lex.report_words:
        return 0  # "has said", "had reported": the next word is the verb
    if previous in lex.passive_markers and not token.lower.endswith("ing"):
        return 0
    return length


def _in_capitals(tokens: list[_Token]) -> bool:
    """Whether a sentence's words are written all in capitals, as in a
    headline ("POLICE SAY 300 DEAD"), where a capital tells no name: the
    test ``_tokens`` makes of the sentence (``_SHOUTING``), word by word."""
    return all(_SHOUTING.fullmatch(token.text) for token in tokens)


def _verb_clause(
    text: str,
    tokens: list[_Token],
    index: int,
    length: int,
    sentence: Span,
    found: list[_Clause],
    quoted: list[bool],
    lex: CueLexicon,
) -> _Clause | None:
    cue_span = Span(tokens[index].start, tokens[index + length - 1].end)
    cue = _words(text, cue_span).lower()
    low = _region_start(tokens, index, quoted)
    speaker: tuple[int, int] | None = None
    antecedent: Span | None = None
    inverted = False
    before = _speaker_before(tokens, index, low, lex)
    if before is not None:
        speaker, antecedent = before
    elif index == low or tokens[index - 1].text in _CLOSERS:
        # "..., said the agency", '"...," said one nurse': inverted order.
        speaker = _speaker_after(tokens, index + length, lex)
        inverted = speaker is not None
    if speaker is None:
        # "..., adding that", "and added that": the verb shares the subject
        # of the clause before it, or else of the sentence ("In April, Trump
        # called the plan a disgrace and threatened to ...").
        joiner = index - 1
        while joiner > low and tokens[joiner].lower in lex.auxiliaries:
            joiner -= 1
        if joiner < low or not (tokens[joiner].text == "," or tokens[joiner].lower in lex.coordinators):
            return None
        previous = found[-1] if found else None
        if previous is not None and previous.kind == "verb":
            shared = _Clause(previous.speaker, cue, cue_span, sentence, "verb", antecedent=previous.antecedent)
            return shared if _reports(tokens, index, length, shared, lex) else None
        if previous is not None:
            return None
        speaker = _sentence_subject(tokens, joiner, lex)
        if speaker is None:
            return None
    first, last = speaker
    clause = _Clause(
        _span(tokens, first, last), cue, cue_span, sentence, "verb", antecedent=antecedent, inverted=inverted
    )
    beside_quote = low > 0 and min(first, index) == low
    return clause if beside_quote or _reports(tokens, index, length, clause, lex) else None


def _reports(tokens: list[_Token], index: int, length: int, clause: _Clause, lex: CueLexicon) -> bool:
    """Whether a verb of the weaker kinds reports here.

    "the chairman had a task": only a source "has Clinton at 46 percent";
    "rescuers found 12 survivors": a find, unless "that" follows or a
    source found it.
    """
    words = [t for t in tokens if clause.speaker.start <= t.start and t.end <= clause.speaker.end]
    source = any(t.lower in lex.source_nouns for t in words)
    if clause.cue in lex.source_verbs:
        return source or (clause.cue in lex.estimate_verbs and _estimate_follows(tokens, index + length, lex))
    if clause.cue in lex.that_verbs:
        return source or _has_that(tokens, index + length)
    if clause.cue in lex.object_verbs and index + length < len(tokens):
        # "added 20.72 points", "added a goal", "added three assists": a
        # figure or a determiner right after the verb opens its object,
        # unless it opens the subject of what was said ("added the dam
        # would cost $3bn").
        following = tokens[index + length]
        if following.lower in lex.noun_markers and _clause_follows(tokens, index + length + 1, lex):
            return True
        return not (following.digit or following.lower in lex.determiners)
    return True


def _clause_follows(tokens: list[_Token], start: int, lex: CueLexicon) -> bool:
    """Whether a verb of ``object_clause_verbs`` stands within four words of
    ``start``, before any figure, punctuation or clause opener."""
    for token in tokens[start : start + 4]:
        if token.lower in lex.object_clause_verbs:
            return True
        if token.digit or not token.word or token.lower in lex.clause_openers:
            return False
    return False


def _headline_clause(tokens: list[_Token], sentence: Span, lex: CueLexicon) -> _Clause | None:
    """'Lavrov: Talks will take two weeks', 'Poll: 40% back the plan': a
    headline that opens with a name or a source and a colon."""
    colon = next((i for i, t in enumerate(tokens[:6]) if t.text == ":"), None)
    if not colon or len(tokens) - colon < 4 or not all(t.word for t in tokens[:colon]):
        return None
    named = colon >= 2 and _is_name(tokens, 0, colon - 1, lex) and not any(t.text in lex.org_words for t in tokens[:colon])
    source = colon == 1 and tokens[0].lower in lex.source_nouns
    if not (named or source) or _dateline(tokens, colon):
        return None
    return _Clause(_span(tokens, 0, colon - 1), ":", _span(tokens, colon, colon), sentence, "prefix")


def _dateline(tokens: list[_Token], colon: int) -> bool:
    """'NEW DELHI: Nearly 150 Indians returned': a place in capitals before
    the colon, in a sentence that is not all in capitals, is a dateline."""
    return all(t.text.isupper() for t in tokens[:colon]) and any(t.text != t.text.upper() for t in tokens[colon + 1 :])


def _sentence_subject(tokens: list[_Token], end: int, lex: CueLexicon) -> tuple[int, int] | None:
    """The name or pronoun that opens a sentence, after any framing ("In
    April, Trump called ..."), when a verb follows it straight away."""
    position = 0
    while position < end and tokens[position].word and _frames(tokens[position], lex):
        comma = next((i for i in range(position, min(end, position + 10)) if tokens[i].text == ","), None)
        if comma is None:
            return None
        position = comma + 1
    if position >= end or not tokens[position].word:
        return None
    first = tokens[position]
    if first.lower in lex.pronouns and first.lower not in lex.not_speakers:
        last = position
    elif first.capital:
        last = position
        while last + 1 < end and tokens[last + 1].word and (
            tokens[last + 1].capital or tokens[last + 1].lower in lex.name_particles
        ):
            last += 1
    else:
        return None
    if last == position and first.lower in lex.determiners and first.lower not in lex.pronouns:
        return None  # "The number of adults, 40% of them women, agreed": "The" alone names nobody
    following = tokens[last + 1] if last + 1 < end else None
    if following is None or not following.word or following.text != following.lower or following.lower in lex.speaker_stops:
        return None
    return position, last


def _frames(token: _Token, lex: CueLexicon) -> bool:
    """A word that opens framing, not a subject: "In", "As", "Friday"."""
    lower = token.lower
    return lower in lex.clause_openers or lower in lex.speaker_links or lower in lex.speaker_ends


def _counts_speaker(text: str, speaker: Span, figures: list[Span], lex: CueLexicon) -> bool:
    """'Sixty-seven percent of Americans said', 'Six in 10 Republicans said':
    a figure that opens a speaker, or counts it through "of" ("42% of
    adolescents reported"), is the finding of a poll, not a speaker ("one
    nurse" and "a survey of 1,200 voters" still speak)."""
    for figure in figures:
        if figure.start <= speaker.start < figure.end:
            counts = True
        elif figure.end <= speaker.start:
            between = text[figure.end : speaker.start].lower().split()
            counts = any(word in lex.speaker_links for word in between) and all(
                word in lex.speaker_links or word in lex.determiners for word in between
            )
        else:
            continue
        if counts and figure.slice(text).lower() not in lex.determiners:
            return True
    return False


def _counted_group(text: str, clause: _Clause, sentence: Span, lex: CueLexicon) -> bool:
    """'the share of adults reporting anxiety', 'the number of voters saying
    the plan is fair': a participle after a group that "of" makes part of
    something counted describes the group; it reports nothing."""
    if clause.inverted or not clause.cue.endswith("ing"):
        return False
    before = text[max(sentence.start, clause.speaker.start - 40) : clause.speaker.start].lower().split()
    while before and before[-1] in lex.determiners:
        before.pop()
    return bool(before) and before[-1] == "of"


def _region_start(tokens: list[_Token], index: int, quoted: list[bool]) -> int:
    """The first token a speaker before ``index`` may use: after any quote."""
    low = 0
    for i in range(index):
        if quoted[i]:
            low = i + 1
    while low < index and not tokens[low].word:
        low += 1
    return low


def _estimate_follows(tokens: list[_Token], start: int, lex: CueLexicon) -> bool:
    """Whether a mark of an estimate stands before digits within a few words:
    "put the death toll [at] 45", "at about 5,000"; not "put 300 jobs at risk"."""
    for position in range(start, min(start + 8, len(tokens))):
        token = tokens[position]
        if not (token.word or token.digit):
            return False
        if token.lower in lex.estimate_marks:
            return any(t.digit for t in tokens[position + 1 : position + 4])
    return False


def _has_that(tokens: list[_Token], start: int) -> bool:
    for token in tokens[start : start + 6]:
        if token.lower == "that" or token.text == ":":
            return True
        if not token.word:
            return False
    return False


def _span(tokens: list[_Token], first: int, last: int) -> Span:
    return Span(tokens[first].start, tokens[last].end)


def _words(text: str, span: Span) -> str:
    return " ".join(span.slice(text).split())


# ---------------------------------------------------------------- speakers


def _speaker_before(
    tokens: list[_Token], index: int, low: int, lex: CueLexicon
) -> tuple[tuple[int, int], Span | None] | None:
    """The speaker written before its verb, and what a "who" stands for.

    "Lavrov told", "the head of the observatory said", "he has also said",
    "Rami Abdel Rahman, head of the observatory, told", "a senior official,
    who asked not to be named, said".
    """
    last = index - 1
    while last >= low and tokens[last].lower in lex.auxiliaries and not _in_name(tokens, last, low):
        last -= 1
    if last < low:
        return None
    token = tokens[last]
    if token.text == token.lower and token.lower.endswith(lex.adverb_endings) and last > low:
        # "has vigorously denied", "officials ultimately said": an adverb,
        # unless it is the speaker's noun ("the family said", "an ally said").
        if _noun_phrase_before(tokens, last, low, lex) is None:
            return _speaker_before(tokens, last, low, lex)
        if token.lower not in lex.not_adverbs and tokens[last - 1].lower not in lex.determiners:
            before = _speaker_before(tokens, last, low, lex)
            if before is not None:
                return before
    if token.lower in lex.pronouns and token.lower not in lex.not_speakers:
        return (last, last), None
    if token.lower in lex.relative_pronouns:
        # "the report, which said", "his followers who said": "who" speaks
        # for the phrase before it.
        comma = last - 1 > low and tokens[last - 1].text == ","
        end = last - 2 if comma else last - 1
        outer = _noun_phrase_before(tokens, end, low, lex)
        if outer is not None and tokens[end].capital:
            # "an article by Gabriel Sherman, who reported": "who" is the person.
            outer = (_name_before(tokens, end, low, lex, links=False), end)
        return ((last, last), _span(tokens, *outer)) if outer is not None else None
    if token.text == ",":
        return _before_comma(tokens, last, low, lex, participle=tokens[index].lower.endswith("ing"))
    if token.text in _ASIDE_CLOSERS:
        # "the Washington Post - even the devil can quote statistics - observed"
        opener = next(
            (i for i in range(last - 1, low - 1, -1) if tokens[i].text in _ASIDE_CLOSERS[token.text]), None
        )
        if opener is None:
            return None
        phrase = _noun_phrase_before(tokens, opener - 1, low, lex)
        return (phrase, None) if phrase else None
    phrase = _noun_phrase_before(tokens, last, low, lex)
    return (phrase, None) if phrase else None


def _in_name(tokens: list[_Token], index: int, low: int) -> bool:
    """A capitalised word after another: "Theresa [May]", not the verb "may"."""
    return index > low and tokens[index].capital and tokens[index - 1].capital


def _before_comma(
    tokens: list[_Token], comma: int, low: int, lex: CueLexicon, *, participle: bool
) -> tuple[tuple[int, int], Span | None] | None:
    """A speaker whose verb follows a comma, with asides and appositives between.

    "an official, who asked not to be named, said": the aside is set apart
    and the speaker stands before it. "Rami Abdel Rahman, head of the
    observatory, told", "a spokeswoman, Anna White, said": a name and its
    description, both kept.
    """
    segments: list[tuple[int, int]] = []  # comma-separated stretches, nearest first
    end = comma - 1
    while end >= low and len(segments) < 5:
        start = end
        while start > low and (tokens[start - 1].text != "," or _in_number(tokens, start - 1)):
            start -= 1
        if end - start >= _LONGEST_APPOSITIVE:
            break
        segments.append((start, end))
        if start - 1 <= low or tokens[start - 1].text != ",":
            break
        end = start - 2
    skipped = 0
    while skipped < len(segments) and _is_aside(tokens[segments[skipped][0]], lex):
        skipped += 1
    if 0 < skipped < len(segments):
        # "the figures, released by the ONS, show": the report's source speaks.
        start, end = segments[skipped]
        if any(t.lower in lex.source_nouns for t in tokens[start : end + 1]):
            agent = _agent_in(tokens, segments[:skipped], lex)
            if agent is not None:
                return agent, None
    phrases: list[tuple[int, int]] = []
    loose = False  # the nearest stretch is a description too long to parse as one phrase
    for start, end in segments[skipped:]:
        phrase = _noun_phrase_before(tokens, end, start, lex)
        if phrase is not None and phrase[0] == start:
            phrases.append(phrase)
            continue
        if not phrases and _describes(tokens, start, end, lex):
            # "Douglas Holtz-Eakin, an economic adviser to Republicans and former director of ...,"
            phrases.append((start, end))
            loose = True
            continue
        if phrase is not None and not phrases:
            phrases.append(phrase)  # the speaker ends its stretch: "In 2010, Ms. Lee, 56, said"
        break
    if not phrases:
        return None
    named = [p for p in phrases if _is_name(tokens, p[0], p[1], lex)]
    if len(phrases) > 1 and named:
        farthest = max(phrases.index(p) for p in named)
        return (phrases[max(farthest, 1)][0], phrases[0][1]), None
    if (skipped or participle) and not loose:
        # "an official, who asked not to be named, said"; "Trump, later alleging ..."
        return phrases[0], None
    return None


def _agent_in(tokens: list[_Token], asides: list[tuple[int, int]], lex: CueLexicon) -> tuple[int, int] | None:
    """The source an aside names for a report before it: "the figures,
    released on Tuesday by the ONS, show", "the survey, by YouGov, found"."""
    for start, end in asides:
        if tokens[start].lower != "by" and tokens[start].lower not in lex.agent_participles:
            continue
        by = next((i for i in range(start, end + 1) if tokens[i].lower == "by"), None)
        if by is None or by == end:
            continue
        last = _phrase_after(tokens, by + 1, lex)
        agent = _checked(tokens, by + 1, last, lex) if last is not None and last <= end else None
        if agent is not None:
            return agent
    return None


def _in_number(tokens: list[_Token], index: int) -> bool:
    """A comma between digits with no space around it: "2,000"."""
    if index == 0 or index + 1 >= len(tokens):
        return False
    before, after = tokens[index - 1], tokens[index + 1]
    return (
        before.digit
        and after.digit
        and before.end == tokens[index].start
        and tokens[index].end == after.start
    )


def _describes(tokens: list[_Token], start: int, end: int, lex: CueLexicon) -> bool:
    """A description set off by commas: it opens like a noun phrase and holds no verb of ours."""
    first = tokens[start]
    opens = first.lower in lex.determiners or first.lower in lex.titles
    return opens and not any(t.lower in lex.report_words or t.lower in lex.auxiliaries for t in tokens[start : end + 1])


def _is_aside(first: _Token, lex: CueLexicon) -> bool:
    """A stretch set off by commas that is not the speaker: "who asked not to
    be named", "56", "speaking on condition of anonymity", "prepared for the
    federation", "in turn"."""
    return (
        first.lower in lex.relative_pronouns
        or first.digit
        or _is_participle(first)
        or first.lower in lex.speaker_links
        or first.lower in lex.speaker_ends
        or (first.lower in lex.clause_openers and first.lower not in lex.determiners)
    )


def _is_participle(token: _Token) -> bool:
    """A lower-case word in -ing or -ed: "published", "citing"."""
    return token.text == token.lower and token.lower.endswith(("ing", "ed"))


def _noun_phrase_before(
    tokens: list[_Token], last: int, low: int, lex: CueLexicon
) -> tuple[int, int] | None:
    """The noun phrase ending at token ``last``, walking back to where it starts."""
    if last < low:
        return None
    head = tokens[last]
    if not head.word or head.digit:
        return None
    if head.capital and head.lower not in lex.clause_openers:
        first = _name_before(tokens, last, low, lex)
        if first > low and tokens[first - 1].digit:
            return None  # "Six in 10 Republicans": counted, not speaking
        previous = tokens[first - 1].lower if first > low else ""
        if previous in lex.speaker_links and first - 2 >= low:
            # "co-director of the Center for Economic and Policy Research"
            longer = _common_before(tokens, first - 2, low, lex)
            first = longer if longer is not None else first
        elif first > low:
            # "the Washington Post's Ishaan Tharoor": a name led by a common phrase.
            longer = _common_before(tokens, first - 1, low, lex)
            lead = tokens[longer] if longer is not None else None
            if lead is not None and (
                lead.lower in lex.determiners
                or lead.lower in lex.titles
                # "regional governor Tomas Ferreira", "Clinton campaign manager Robby Mook"
                or (tokens[first].lower in lex.titles and first - longer <= 3 and not _frames(lead, lex))
            ):
                first = longer
        return _checked(tokens, first, last, lex)
    first = _common_before(tokens, last, low, lex)
    return _checked(tokens, first, last, lex) if first is not None else None


def _name_before(tokens: list[_Token], last: int, low: int, lex: CueLexicon, *, links: bool = True) -> int:
    """Where a name ending at ``last`` starts: "the Syrian Observatory for Human
    Rights", "Foreign Minister Sergei Lavrov", "Mr. Nevins of Showtime"; with
    ``links``, also a phrase leading to it ("executives at Twitter")."""
    first = last
    while first > low:
        before = tokens[first - 1]
        if before.word and (before.capital or before.lower in lex.name_particles) and not before.digit:
            if before.capital and (_frames(before, lex) or before.lower in lex.speaker_stops):
                break  # "However", "In", "Even" open the sentence, not the name
            first -= 1
        elif (
            before.lower in lex.speaker_links or before.lower in lex.name_joiners
        ) and first - 2 >= low and tokens[first - 2].capital:
            first -= 1  # "Center for Economic and Policy Research"
        elif links and before.lower in lex.speaker_links and first - 2 >= low:
            # "executives at Twitter", "David French of the National Retail Federation"
            start = _common_before(tokens, first - 2, low, lex) if not tokens[first - 2].capital else None
            if start is None and tokens[first - 2].capital:
                start = _name_before(tokens, first - 2, low, lex)
            if start is None:
                break
            return start
        elif before.lower in lex.titles:
            first -= 1  # "former", "veteran analyst"
        elif before.lower in lex.determiners:
            return first - 1
        else:
            break
    return first


def _common_before(tokens: list[_Token], last: int, low: int, lex: CueLexicon) -> int | None:
    """Where a noun phrase headed by a common noun ends its walk back.

    It runs to a determiner ("the agency", "her friend"), through "of"-like
    links followed by a determiner or a name ("the head of the observatory",
    "executives at Twitter"), and stops at a clause word, a verb of the
    lexicon or punctuation.
    """
    first: int | None = None
    position = last
    words = 0
    while position >= low:
        token = tokens[position]
        lower = token.lower
        if token.digit:
            number = position
            while number - 1 >= low and (tokens[number - 1].digit or tokens[number - 1].text in ",."):
                number -= 1
            if number - 1 >= low and tokens[number - 1].lower in lex.speaker_links and first is not None:
                position = number - 2  # "a survey of 1,200 voters": a number inside the phrase
                words += 1
                continue
            return None  # "37 percent of Americans say": a figure, not a speaker
        if not token.word or (lower in lex.speaker_stops and not _plural_noun(tokens, position, low, lex)):
            break
        words += 1
        if words > _LONGEST_SPEAKER:
            return None
        first = position
        if lower in lex.determiners:
            link = tokens[position - 1].lower if position - 1 >= low else ""
            if link in lex.speaker_links and position - 2 >= low and tokens[position - 2].word:
                position -= 2
                words += 1
                continue
            return first
        if lower in lex.speaker_links:
            following = tokens[position + 1] if position < last else None
            # "a survey of voters": the source, not the people it asked
            of_a_source = position - 1 >= low and tokens[position - 1].lower in lex.source_nouns
            if not of_a_source and (following is None or not (following.capital or following.lower in lex.determiners)):
                first = position + 1 if position < last else None
                break
        position -= 1
    if first is not None and tokens[first].lower in lex.speaker_links:
        first += 1
        if first > last:
            return None
    return first


def _plural_noun(tokens: list[_Token], position: int, low: int, lex: CueLexicon) -> bool:
    """'the next two states', 'their reports': a report word after a determiner is a noun."""
    previous = tokens[position - 1].lower if position > low else ""
    return tokens[position].lower.endswith("s") and (
        previous in lex.determiners or previous in lex.noun_markers
    )


def _checked(tokens: list[_Token], first: int, last: int, lex: CueLexicon) -> tuple[int, int] | None:
    """A noun phrase that can speak: named, determined, plural, or a source."""
    while first <= last and tokens[first].lower in lex.clause_openers:
        first += 1
    if tokens[last].lower in lex.time_words and not _dated_name(tokens, first, last, lex):
        # "Smith on Tuesday", "the minister earlier this month": when, not who
        while last >= first and (tokens[last].lower in lex.time_words or tokens[last].lower in lex.time_openers):
            last -= 1
    if first > last or last - first + 1 > _LONGEST_SPEAKER:
        return None
    words = tokens[first : last + 1]
    if words[0].lower in lex.not_speakers or words[0].digit:
        return None
    # A number only after a link: "a survey of 1,200 voters", not "37 percent".
    for i, token in enumerate(words):
        if token.digit and not (words[i - 1].lower in lex.speaker_links or words[i - 1].digit or words[i - 1].text == ","):
            return None
    inside_name = {
        i for i in range(1, len(words) - 1)
        if words[i].lower in lex.name_joiners and words[i - 1].capital and words[i + 1].capital
    }
    if any(
        t.lower in lex.speaker_stops and not _plural_noun(tokens, first + i, first, lex)
        for i, t in enumerate(words)
        if i not in inside_name and not _in_name(tokens, first + i, first)
    ):
        return None
    # The head noun stands before any link: "sources [on the ground]".
    head = next((words[i - 1] for i in range(1, len(words)) if words[i].lower in lex.speaker_links), words[-1])
    named = any(t.capital for t in words)
    plural = head.lower.endswith("s") and not head.lower.endswith("ss") and head.text == head.lower
    known = any(t.lower in lex.source_nouns or t.text in lex.org_words or t.lower in lex.titles for t in words)
    determined = words[0].lower in lex.determiners
    if not (named or plural or known or determined):
        return None
    if len(words) == 1 and determined and words[0].lower not in lex.pronouns:
        return None  # "if one adds": a determiner alone names nobody
    # Before any link or appositive: "aid groups", "Exit polls [taken in ...]".
    ends = [i for i, t in enumerate(words) if t.lower in lex.speaker_links or t.text == ","]
    common = [t for t in words[: ends[0] if ends else len(words)] if t.word and not t.capital]
    if not determined and len(common) > 3:
        return None  # an undetermined speaker is short: "aid groups", "Exit polls taken in ..."
    return first, last


def _dated_name(tokens: list[_Token], first: int, last: int, lex: CueLexicon) -> bool:
    """Whether the words from ``first`` to ``last`` end with a listed name
    that ends with a time word ("The Mail on Sunday", "USA Today")."""
    return any(
        len(name) <= last - first + 1 and tuple(t.text for t in tokens[last - len(name) + 1 : last + 1]) == name
        for names in lex.dated_names.values()
        for name in names
    )


def _dated_name_at(tokens: list[_Token], position: int, lex: CueLexicon) -> int | None:
    """The last token of a listed name that ends with a time word, when one starts at ``position``."""
    for name in lex.dated_names.get(tokens[position].text, ()):
        if tuple(t.text for t in tokens[position : position + len(name)]) == name:
            return position + len(name) - 1
    return None


def _is_name(tokens: list[_Token], first: int, last: int, lex: CueLexicon) -> bool:
    """Capitalised words, with particles ("de Mistura") and, inside, links
    and joiners ("Center for Water and Soil Research")."""
    words = [t for t in tokens[first : last + 1] if t.word]
    inner = lex.speaker_links | lex.name_joiners
    return (
        bool(words)
        and words[0].capital
        and words[-1].capital
        and all(t.capital or t.lower in lex.name_particles or t.lower in inner for t in words)
    )


def _speaker_after(tokens: list[_Token], start: int, lex: CueLexicon) -> tuple[int, int] | None:
    """The speaker written after its verb or phrase: "said the agency",
    "said one shopper, Omar al-Beik", "according to Rami Abdel Rahman, head
    of the observatory"."""
    end = _phrase_after(tokens, start, lex)
    if end is None:
        return None
    if end + 2 < len(tokens) and tokens[end + 1].text == ",":
        # Keep an appositive: "one shopper, Omar al-Beik".
        second = tokens[end + 2]
        # Not a participle's clause: "a study by Oxford University, published in ..."
        if (
            second.word
            and not _is_participle(second)
            and second.lower not in lex.clause_openers
            and second.lower not in lex.speaker_ends
        ):
            more = _phrase_after(tokens, end + 2, lex)
            if more is not None and (second.text == second.lower or _is_name(tokens, end + 2, more, lex)):
                if _ends_phrase(tokens, more + 1, lex):
                    end = more
    return _checked(tokens, start, end, lex)


def _phrase_after(tokens: list[_Token], start: int, lex: CueLexicon) -> int | None:
    """The last token of a noun phrase starting at ``start``."""
    if start >= len(tokens) or not tokens[start].word:
        return None
    if tokens[start].lower in lex.pronouns and tokens[start].lower not in lex.not_speakers:
        return start
    end: int | None = None
    position = start
    while position < len(tokens) and position - start < _LONGEST_APPOSITIVE:
        named = _dated_name_at(tokens, position, lex)
        if named is not None:
            end = position = named  # "said The Mail on Sunday": "on" is the name's
            position += 1
            continue
        token = tokens[position]
        lower = token.lower
        if end is not None and lower in lex.speaker_links:
            place = _place_after(tokens, end, position, lex)
            if place is not None:
                return place
        if not token.word or token.digit or lower in lex.speaker_ends:
            break
        if end is not None and lower in lex.report_words and _change_after(tokens, position, lex):
            # "according to the Labor Department jobless claims rose": the
            # report word is the noun the change is about
            return _without_subject(tokens, start, position)
        if lower in lex.speaker_stops and not _in_name(tokens, position, start):
            break
        if lower in lex.report_words and not _noun_compound(tokens, position, lex):
            break  # "a report by the watchdog [found]"
        if (
            end is not None
            and (lower + "s" in lex.report_words or lower + "ed" in lex.report_words)
            and position + 1 < len(tokens)
            and tokens[position + 1].lower == "that"
        ):
            break  # "figures from the ONS [reveal] that": a verb whose other forms are listed
        if position > start and lower in lex.noun_markers:
            break  # "said the agency the toll": a new phrase
        if end is not None and _is_change(token, lex):
            # "according to Eurostat unemployment rose": with no comma, the
            # verb and its subject follow the source without a break
            return _without_subject(tokens, start, end)
        if lower in lex.speaker_links:
            position += 1
            continue
        end = position
        position += 1
    return end


def _change_after(tokens: list[_Token], position: int, lex: CueLexicon) -> bool:
    """Whether a verb of change ("rose") follows ``position``."""
    return position + 1 < len(tokens) and _is_change(tokens[position + 1], lex)


def _is_change(token: _Token, lex: CueLexicon) -> bool:
    """A verb of change ("rose"), written in lower case: "Rose" is a name."""
    return token.text in lex.noun_followers


def _without_subject(tokens: list[_Token], start: int, end: int) -> int | None:
    """The last token of a phrase whose last words are the subject of the
    verb after it: the lower-case words after its last capital ("Eurostat
    [unemployment]", "the ONS [consumer prices]"), else its last
    word ("the ministry [prices]")."""
    last_capital = max((i for i in range(start, end + 1) if tokens[i].capital), default=None)
    if last_capital is not None and last_capital < end:
        return last_capital
    return end - 1 if end > start else None


def _noun_compound(tokens: list[_Token], position: int, lex: CueLexicon) -> bool:
    """'a liberal think tank': a report word before a plain lowercase word is part of a noun."""
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    return (
        following is not None
        and following.word
        and following.text == following.lower
        and not following.digit
        and following.lower not in lex.speaker_stops
        and following.lower not in lex.determiners
        and following.lower not in lex.noun_markers
    )


def _place_after(tokens: list[_Token], end: int, link: int, lex: CueLexicon) -> int | None:
    """'citing sources on the ground': a common noun keeps a place after it
    when the phrase ends there; 'the agency in a statement' keeps none."""
    if tokens[end].capital or link + 1 >= len(tokens) or tokens[link + 1].lower not in lex.determiners:
        return None
    rest = _phrase_after(tokens, link + 1, lex)
    if rest is None or not _ends_phrase(tokens, rest + 1, lex):
        return None
    if any(t.lower in lex.channels for t in tokens[link + 1 : rest + 1]):
        return None
    return rest


def _source_after(tokens: list[_Token], start: int, nouns: frozenset[str], lex: CueLexicon) -> int | None:
    """The last token of one named source after "in" or "under": "a CNN
    national poll", "the new rules"; not "the polls" after "in" (no one
    poll: the nouns listed for "in" are singular) or "the new bill"."""
    end = _phrase_after(tokens, start, lex)
    if end is None or tokens[start].lower not in lex.noun_markers:
        return None
    return next((i for i in range(start, end + 1) if tokens[i].lower in nouns), None)


def _ends_phrase(tokens: list[_Token], index: int, lex: CueLexicon) -> bool:
    return index >= len(tokens) or not tokens[index].word or tokens[index].lower in lex.relative_pronouns


# ---------------------------------------------------------------- statements


def _with_statement(
    text: str,
    tokens: list[_Token],
    sentence: Span,
    clause: _Clause,
    cuts: list[int],
    figures: list[Span],
    lex: CueLexicon,
) -> _Clause:
    """Set what a clause covers: the part before it, the part after it, or both.

    "The toll reached 80, the agency said" covers what precedes; "Lavrov
    said (that) ..." what follows; "The toll, the agency said, reached 80"
    both sides. What follows stops where a closing clause of its own starts
    ("..., according to the agency").
    """
    head = text[sentence.start : clause.start].rstrip()
    tail = text[clause.end : sentence.end].strip()
    # "As the Post reported, ...", "On Friday, as the parade went by, CNN
    # reported ...": only framing stands before the clause; it opens the sentence.
    opening = _framed(tokens, clause, figures, lex) or (clause.kind == "prefix" and _leads_into(tokens, clause, lex))
    closing = bool(head) and head[-1] in _CLOSERS
    rest = [t for t in tokens if t.start >= clause.end]
    after: Span | None = None
    before: Span | None = None
    if clause.inverted:
        before = None if opening else _before_span(text, sentence, clause)
    elif opening:
        after = _after_span(text, rest, clause, sentence, cuts, lex, skip_object=clause.kind == "verb")
    elif clause.kind == "prefix" or (closing and not _states(rest, lex)):
        before = _before_span(text, sentence, clause)
        if _resumes(rest, lex):
            after = _after_span(text, rest, clause, sentence, cuts, lex, skip_object=False)
    elif _states(rest, lex):
        after = _after_span(text, rest, clause, sentence, cuts, lex, skip_object=True)
    carries = tail.endswith(":") and not tail[:-1].strip()
    return replace(clause, before=before, after=after, carries=carries)


def _leads_into(tokens: list[_Token], clause: _Clause, lex: CueLexicon) -> bool:
    """'New figures from the ONS show ...', 'The latest data from ...': only a
    few words of the phrase's own noun stand before it in the sentence."""
    before = [t for t in tokens if t.end <= clause.start]
    return 0 < len(before) <= 3 and all(
        t.word
        and not t.digit
        and t.lower not in lex.speaker_stops
        and t.lower not in lex.report_words
        and t.lower not in lex.speaker_links
        for t in before
    )


def _framed(tokens: list[_Token], clause: _Clause, figures: list[Span], lex: CueLexicon) -> bool:
    """Whether all that precedes the clause is framing: quote marks, clause
    words ("As", "And"), or comma-separated stretches opened by a preposition,
    a clause word or a day ("In 2015,", "Friday morning,", "as the parade
    rolled by,"). A stretch opened by a figure's own words is a statement:
    "At least 300 were killed, officials said"."""
    stretch_start = True
    for token in tokens:
        if token.end > clause.start:
            break
        if not token.word:
            stretch_start = stretch_start or token.text in ",("
            if token.text not in ",(\u2014\u2013" and token.text not in _QUOTE_CHARS:
                return False
            continue
        if stretch_start:
            if not _frames(token, lex) or any(f.start <= token.start < f.end for f in figures):
                return False
            stretch_start = False
    return True


def _states(rest: list[_Token], lex: CueLexicon) -> bool:
    """Whether what follows a clause is its statement ("said (on Monday)
    that ...", "said 40 died"), not an adjunct ("said of the plan")."""
    if not rest:
        return False
    if any(t.lower == "that" or t.text == ":" for t in rest[:7]):
        return True
    # "..., officials told Reuters.": only whom it was told, then the end.
    if len(rest) <= 8 and all(t.word or t.text in ".!?" for t in rest) and _short_object([t for t in rest if t.word], lex):
        return False
    first = rest[0]
    return first.word and first.lower not in lex.speaker_ends and first.lower not in lex.speaker_links


def _resumes(rest: list[_Token], lex: CueLexicon) -> bool:
    """'The toll, the agency said (on Monday), reached 80': the statement goes
    on after the aside, unless what follows is about the speaker ("who ...",
    "citing ...", "adding ...") or an adjunct ("with 40 missing")."""
    index = 0
    if rest and rest[0].word:
        if rest[0].lower not in lex.speaker_ends and rest[0].lower not in lex.speaker_links:
            return False
        while index < min(len(rest), 8) and rest[index].text != ",":
            index += 1
    if index + 1 >= len(rest) or rest[index].text != ",":
        return False
    word = rest[index + 1]
    lower = word.lower
    adjunct = (lower in lex.speaker_ends or lower in lex.speaker_links) and lower not in lex.clause_openers
    return word.word and not (
        lower in lex.relative_pronouns
        or any(lower == relay[0] for relay in lex.relay_phrases)
        or (lower.endswith("ing") and word.text == lower)
        or adjunct
    )


def _before_span(text: str, sentence: Span, clause: _Clause) -> Span | None:
    start = sentence.start
    # "ESTOVER, March 4 (Meridian Press) - The dam ...": the dateline is the outlet's.
    dateline = _DATELINE.match(text, sentence.start, clause.start)
    if dateline:
        start = dateline.end()
    # "(the actual number is closer to 15 percent, according to Factcheck.org)"
    bracket = text.rfind("(", start, clause.start)
    if bracket >= 0 and ")" not in text[bracket : clause.start]:
        start = bracket + 1
    while start < clause.start and (text[start].isspace() or text[start] in _QUOTE_CHARS):
        start += 1
    end = _trim_end(text, start, clause.start)
    return Span(start, end) if end > start else None


def _after_span(
    text: str, rest: list[_Token], clause: _Clause, sentence: Span, cuts: list[int], lex: CueLexicon, *, skip_object: bool
) -> Span | None:
    start = clause.end
    # "told reporters that ...", "said on Tuesday that ...": the statement starts after "that".
    window = rest[:6] if skip_object else rest[:1]
    that = next((i for i, t in enumerate(window) if t.lower == "that"), None)
    if that is not None and _short_object(window[:that], lex):
        start = window[that].end
    while start < sentence.end and (text[start].isspace() or text[start] in ",:"):
        start += 1
    end = min([c for c in cuts if c > start], default=sentence.end)
    end = _trim_end(text, start, end)
    return Span(start, end) if end > start else None


def _short_object(words: list[_Token], lex: CueLexicon) -> bool:
    """What stands between a verb and its "that": nothing, an adjunct ("on
    Tuesday", "in a statement") or whom it was told ("reporters", "CNN")."""
    if not words:
        return True
    first = words[0]
    leading = (
        first.capital
        or first.lower in lex.speaker_ends
        or first.lower in lex.speaker_links
        or first.lower in lex.determiners
        or (first.lower.endswith("s") and first.lower not in lex.speaker_stops)
    )
    return leading and all(t.word or t.text == "," for t in words) and not any(t.lower in lex.speaker_stops for t in words[1:])


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1] in " \t\n,.;:" or text[end - 1] in _QUOTE_CHARS):
        end -= 1
    return end


def _attach_relays(found: list[_Clause], relayed: list[tuple[int, Span]], text: str) -> list[_Clause]:
    """'the Observatory said, citing sources on the ground': the relay goes to
    the clause before it, or to the one after it when it opens the sentence."""
    for _, source in relayed:
        earlier = [c for c in found if c.end <= source.start]
        later = [c for c in found if c.start >= source.end]
        target = earlier[-1] if earlier else (later[0] if later else None)
        if target is None:
            continue
        updated = replace(target, via=source, via_name=_words(text, source))
        found = [updated if c is target else c for c in found]
    return found


# ---------------------------------------------------------------- resolution


def _resolve(text: str, sentence_tokens: _SentenceTokens, clauses: list[_Clause], lex: CueLexicon) -> list[_Clause]:
    """Name each clause's speaker: "he", "they", "who" and "the minister"
    become the last fitting name before them, a speaker's or any other in
    the text; the mention itself stays as written."""
    referring = any(
        _words(text, c.speaker).lower() in lex.pronouns or _title_of(_words(text, c.speaker).lower(), lex)
        for c in clauses
    )
    # (position, name, is a person), in order: names in the text, and named
    # speakers as they come.
    named: list[tuple[int, str, bool]] = _mentions(text, sentence_tokens, lex) if referring else []
    out: list[_Clause] = []
    for clause in clauses:
        mention = _words(text, clause.speaker)
        kind = lex.pronouns.get(mention.lower())
        position = clause.speaker.start
        if clause.antecedent is not None:
            name = _words(text, clause.antecedent)
        elif kind in ("person", "group"):
            # "she" passes over "Mr Lavrov"; a name that says no gender fits either.
            gender = lex.genders.get(mention.lower())
            fitting = _last_before(
                named, position, lambda n: n[2] == (kind == "person") and _gender_of(n[1], lex) in (None, gender)
            )
            name = fitting[1] if fitting else mention
        elif kind is not None:
            name = mention  # "I": the writer speaks, and is no one's antecedent
        else:
            title = _title_of(mention.lower(), lex)
            holder = _last_before(named, position, lambda n: n[2] and title in n[1].lower().split()) if title else None
            name = holder[1] if holder else mention
            if name == mention:
                bisect.insort(named, (position, name, _is_person(name, lex)))
        out.append(replace(clause, name=name))
    return out


def _last_before(
    named: list[tuple[int, str, bool]], position: int, fits: Callable[[tuple[int, str, bool]], bool]
) -> tuple[int, str, bool] | None:
    """The last name (``named`` is in order) before ``position`` that ``fits``:
    read back from there, as the name wanted is most often a near one."""
    for index in range(bisect.bisect_left(named, (position,)) - 1, -1, -1):
        if fits(named[index]):
            return named[index]
    return None


def _gender_of(name: str, lex: CueLexicon) -> str | None:
    """The gender a word of ``name`` tells ("Mrs", "spokeswoman"), if any."""
    for word in name.lower().split():
        gender = lex.genders.get(word.rstrip("."))
        if gender is not None:
            return gender
    return None


def _title_of(mention: str, lex: CueLexicon) -> str | None:
    """'the minister' -> 'minister': a title standing for a person named before."""
    words = mention.split()
    if len(words) == 2 and words[0] in lex.noun_markers and words[1] in lex.titles:
        return words[1]
    return None


def _mentions(text: str, sentence_tokens: _SentenceTokens, lex: CueLexicon) -> list[tuple[int, str, bool]]:
    """Names in reading order: runs of capitalised words (particles allowed).
    A run with an organisation word is a group ("The Red Crescent",
    "Reuters"); one of two words or more without one is a person ("Mayor
    Ana Silva"). A run after a preposition is a place ("in Central Asia")."""
    mentions: list[tuple[int, str, bool]] = []
    for tokens in sentence_tokens:
        run: list[_Token] = []
        lead: _Token | None = None  # the token before the run
        for position, token in enumerate([*tokens, None]):
            if token is not None and run and token.word and not text[run[-1].end : token.start].strip() and (
                token.capital or token.lower.split("-")[0] in lex.name_particles
            ):
                run.append(token)
                continue
            mention = _as_name(text, run, lex)
            if mention is not None and not (lead is not None and _frames(lead, lex)):
                mentions.append(mention)
            starts = token is not None and token.word and token.capital
            run, lead = ([token], tokens[position - 1] if position else None) if starts else ([], None)
    return mentions


def _as_name(text: str, run: list[_Token], lex: CueLexicon) -> tuple[int, str, bool] | None:
    while run and run[0].lower in lex.clause_openers:
        run = run[1:]
    group = any(t.text in lex.org_words for t in run)
    if not group:
        while run and run[0].lower in lex.determiners:
            run = run[1:]
    if not run or (not group and len(run) < 2):
        return None
    span = Span(run[0].start, run[-1].end)
    return span.start, _words(text, span), not group


def _is_person(name: str, lex: CueLexicon) -> bool:
    words = name.replace(",", " ").split()
    # The words of lex.org_words in lower case name groups with a capital too,
    # at the start of a sentence: "Officials said ... They added".
    if any(w.strip(".'\u2019s") in lex.org_words or w in lex.org_words or w.lower() in lex.org_words for w in words):
        return False
    if any(w.lower() in lex.source_nouns for w in words):
        return False
    last = words[-1] if words else ""
    # "officials", "sources", "aid groups": plural common nouns are groups.
    return not (last.islower() and last.endswith("s") and not last.endswith("ss"))
