"""Who a figure comes from: short mentions read as the full name, and unattributed figures as relayed."""

from __future__ import annotations

from collections.abc import Sequence

from factcheck.graph.measures import Lexicon
from factcheck.graph.wording import fold_text, words_of
from factcheck.model import Claim, datatype


@datatype(frozen=True)
class Origin:
    key: str  # equal keys are the same source
    name: str  # as shown


def speaker_origins(claims: Sequence[Claim], lexicon: Lexicon) -> dict[str, Origin]:
    """The independent source behind each attributed claim.

    Within one document: a mention built on an organisation word ("the
    agency", "disaster agency") is the organisation the document names in
    full with that word ("the National Disaster Agency"), and so is a
    speaker the sentence introduces with that word ("agency spokeswoman Mara
    Lindqvist"). A named person is known by surname everywhere, so "Petrov"
    and "Dr. Ilan Petrov" are one source. Any other mention whose words all
    belong to one longer mention ("governor" in "governor Tomas Ferreira")
    is that speaker. What remains unnamed ("residents", "a senior official")
    is a source of its own in each document.
    """
    org_words = frozenset(fold_text(w) for w in lexicon.org_words)
    determiners = frozenset(fold_text(w) for w in lexicon.determiners)
    common = org_words | determiners | lexicon.pronouns | lexicon.generic_nouns
    by_source: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.said_by and claim.said_by.strip():
            by_source.setdefault(claim.source, []).append(claim)

    origins: dict[str, Origin] = {}
    for source_id, attributed in by_source.items():
        mentions = {c.id: _name_words(c.said_by or "", determiners) for c in attributed}
        full: dict[str, str] = {}  # folded full organisation name -> as written
        for words in mentions.values():
            capitals = [w for w in words if w[:1].isupper()]
            if len(capitals) >= 2 and any(fold_text(w) in org_words for w in capitals):
                full.setdefault(fold_text(" ".join(words)), " ".join(words))
        known: dict[str, Origin] = {}
        vague: list[Claim] = []
        for claim in attributed:
            words = mentions[claim.id]
            if not words:
                continue  # "The" alone names no one: the article's own figure
            name = " ".join(words)
            folded = fold_text(name)
            org = [w for w in folded.split() if w in org_words] or _org_before(claim, org_words)
            if folded in full:
                known[claim.id] = Origin("org:" + folded, full[folded])
            elif org and len(matches := [f for f in sorted(full) if org[0] in f.split()]) == 1:
                known[claim.id] = Origin("org:" + matches[0], full[matches[0]])
            elif not org and any(
                w[:1].isupper() and (i > 0 or fold_text(w) not in common) for i, w in enumerate(words)
            ):
                known[claim.id] = Origin("person:" + fold_text(words[-1]).rstrip("."), name)
            else:
                vague.append(claim)
        origins.update(known)
        for claim in vague:
            words = set(fold_text(" ".join(mentions[claim.id])).split())
            keys = {
                origin.key
                for other, origin in known.items()
                if words and words < set(fold_text(" ".join(mentions[other])).split())
            }
            name = " ".join(mentions[claim.id])
            if len(keys) == 1:
                key = keys.pop()
                origins[claim.id] = next(o for o in known.values() if o.key == key)
            else:
                origins[claim.id] = Origin(f"unnamed:{source_id}:{fold_text(name)}", name)
    return origins


def _org_before(claim: Claim, org_words: frozenset[str]) -> list[str]:
    """The organisation word right before the speaker in the sentence, if any."""
    at = claim.sentence.find(claim.said_by or "")
    if at <= 0:
        return []
    before = words_of(claim.sentence[:at])
    return before[-1:] if before and before[-1] in org_words else []


def _name_words(mention: str, determiners: frozenset[str]) -> list[str]:
    words = mention.split()
    while words and fold_text(words[0]) in determiners:
        words = words[1:]
    return words
