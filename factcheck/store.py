"""Read, check, merge and write ``claims.yaml``.

Layout written by :func:`dump_claims` (keys always in this order)::

    version: 1
    sources:
      - id: us-russia-syria-geneva        # unique in the file
        path: examples/us-russia-syria-geneva.txt
        url: null
        title: US-Russia deal on Syria still out of reach
        outlet: null
        published: null                   # ISO date when known
        sha256: 9f86d0...
        status: ok                        # ok | unavailable | empty | error | paywalled | not-article
        reason: null                      # always written; null when there is none
        author: Jane Doe                  # written only when known: a web page's byline
        canonical_url: https://...        # written only when known: the address a web page gives itself
        redirects: [https://...]          # written only for a fetched URL that was redirected
        record: '17'                      # written only for a record of an export file: its id
        ...                               # keys a person added, in their order
    claims:
      - id: c-5d41402a
        source: us-russia-syria-geneva    # a sources[].id
        text: more than 290,000
        sentence: ...the five-year war that has killed more than 290,000 and ...
        kind: count
        value: 290000
        unit: null
        qualifier: more than
        low: 290000
        high: null
        measure: killed
        said_by: null
        span: [1432, 1449]                # [start, end) of `text` in the document; null when missing
        said_by_span: null                # [start, end) of the speaker mention, or null
        quote_span: null                  # [start, end) of the attributed statement, or null
        cue: null
        via: null                         # who passed the figure on ("AFP"), or null
        rule: more than <figure>
        approximate: false
        latent: false
        missing: true                     # written only when true
        review:
          status: unreviewed              # one of REVIEW_STATUSES
          note: ''
          ...                             # keys a person added to the review
        ...                               # keys a person added to the claim
    decisions:                            # written only when there are some; people own them
      - decision: not-same                # one of DECISIONS: same | not-same | resolved
        claims: [c-5d41402a, c-9f86d081]  # at least two claim ids of this file
        note: ''                          # required for resolved
        ...                               # keys a person added to the decision

Reading is a little more forgiving than writing, so hand edits do not trip it
up: the claim keys after ``said_by``, the source keys after ``status`` and everything
in ``review`` may be left out (they take their defaults); ``note:`` left empty
reads as ``""``; and text fields take the scalar as typed, so ``status: false``
or ``note: no`` mean the strings ``"false"`` and ``"no"`` without quotes.
Anchors and aliases are refused, since a rewrite could not keep them.

Every error is a :class:`StoreError` whose ``str()`` is one line,
``"{path}:{line}: {message}"``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from factcheck.model import (
    DECISIONS,
    KINDS,
    REVIEW_STATUSES,
    SOURCE_STATUSES,
    Claim,
    ClaimSet,
    Decision,
    FactcheckError,
    Review,
    Source,
    Span,
)

__all__ = [
    "CLAIM_KEYS",
    "DECISION_KEYS",
    "FORMAT_VERSION",
    "HEADER",
    "REVIEW_KEYS",
    "SOURCE_KEYS",
    "StoreError",
    "claim_to_dict",
    "decision_to_dict",
    "dump_claims",
    "load_claims",
    "load_claims_if_exists",
    "merge_claims",
    "save_claims",
    "source_to_dict",
]

FORMAT_VERSION = 1

# Key order of the file; keys a person adds come after these.
SOURCE_KEYS = (
    "id",
    "path",
    "url",
    "title",
    "outlet",
    "published",
    "sha256",
    "status",
    "reason",
    "author",
    "canonical_url",
    "redirects",
    "record",
)
CLAIM_KEYS = (
    "id",
    "source",
    "text",
    "sentence",
    "kind",
    "value",
    "unit",
    "qualifier",
    "low",
    "high",
    "measure",
    "said_by",
    "span",
    "said_by_span",
    "quote_span",
    "cue",
    "via",
    "rule",
    "approximate",
    "latent",
    "missing",
    "review",
)
REVIEW_KEYS = ("status", "note")
DECISION_KEYS = ("decision", "claims", "note")
_TOP_KEYS = ("version", "sources", "claims", "decisions")
_SPAN_KEYS = ("span", "said_by_span", "quote_span")

# No wrapping: one value per line keeps hand edits and diffs to single lines.
_WIDTH = 1_000_000
_NULL_TAG = "tag:yaml.org,2002:null"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")
# PyYAML already quotes what it would itself read as another type; these are
# the extra plain words that YAML 1.2 readers, or 1.1 readers other than
# PyYAML, take as numbers, booleans or null. Quoting them keeps the file
# unambiguous for any tool.
_OTHER_READERS_TYPED = re.compile(
    r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?"
    r"|0o[0-7]+|0x[0-9a-fA-F]+|0b[01]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|[yYnN]"
)


class StoreError(FactcheckError):
    """A claims file that cannot be read or written. ``str()`` is one line.

    ``path`` and ``line`` (1-based) are ``None`` when they do not apply, e.g.
    ``StoreError("unknown kind 'x'", "claims.yaml", 12)`` reads
    ``claims.yaml:12: unknown kind 'x'``.
    """

    def __init__(self, message: str, path: str | os.PathLike[str] | None = None, line: int | None = None):
        self.message = message
        self.path = None if path is None else os.fspath(path)
        self.line = line
        where = ""
        if self.path is not None:
            where = f"{self.path}:" if line is None else f"{self.path}:{line}:"
        elif line is not None:
            where = f"line {line}:"
        text = f"{where} {message}" if where else message
        super().__init__(" ".join(text.splitlines()))


class _Invalid(Exception):
    """A problem found while reading, tied to a node or a 0-based line."""

    def __init__(self, message: str, node: Node | None = None, *, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line if line is not None else (0 if node is None else node.start_mark.line)


# --------------------------------------------------------------------------- load


def load_claims(path: Path) -> ClaimSet:
    """Read and check a claims file; any problem raises :class:`StoreError`."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise StoreError(f"cannot read: {exc.strerror or exc}", path) from exc
    return _parse_bytes(data, path, _LOADER)


def load_claims_if_exists(path: Path) -> ClaimSet | None:
    """Like :func:`load_claims`, but ``None`` when there is no file yet."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read: {exc.strerror or exc}", path) from exc
    return _parse_bytes(data, path, _LOADER)


# libyaml parses several times faster; both give the same nodes and marks,
# and everything this module checks itself is independent of the parser.
# Writing always uses the pure-Python emitter so the bytes do not depend on
# whether libyaml is installed.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_bytes(data: bytes, path: Path, loader_class: type[yaml.SafeLoader]) -> ClaimSet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        raise StoreError(f"not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8", path, line) from None
    try:
        return _parse_text(text, loader_class)
    except _Invalid as exc:
        raise StoreError(exc.message, path, exc.line + 1) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        raise StoreError(message, path, None if mark is None else mark.line + 1) from None
    except yaml.YAMLError as exc:
        raise StoreError(f"invalid YAML: {exc}", path) from None


def _parse_text(text: str, loader_class: type[yaml.SafeLoader]) -> ClaimSet:
    _check_characters(text)
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise _Invalid("the file is empty; expected version, sources and claims")
        _check_tree(root, text, loader_class)
        return _read_claimset(root, loader)
    finally:
        loader.dispose()


def _check_characters(text: str) -> None:
    # Checked here rather than left to the parser, whose reports differ
    # between libyaml (byte offsets) and PyYAML (character offsets).
    found = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if found:
        char = found.group()
        line = text.count("\n", 0, found.start())
        raise _Invalid(f"character U+{ord(char):04X} is not allowed in a YAML file", line=line)


def _check_tree(root: Node, text: str, loader_class: type[yaml.SafeLoader]) -> None:
    """Refuse aliases and repeated keys, which a rewrite would silently change.

    An alias would be written back expanded; of two equal keys YAML keeps
    the last without a word, dropping a person's edit.
    """
    seen: set[int] = set()
    stack = [root]
    while stack:  # depth-first in document order, so the first problem is reported
        node = stack.pop()
        if id(node) in seen:
            anchor, line = _first_alias(text, loader_class)
            raise _Invalid(f"aliases (*{anchor}) are not supported in a claims file", line=line)
        seen.add(id(node))
        if isinstance(node, MappingNode):
            _check_unique_keys(node)
            for key, value in reversed(node.value):
                stack.append(value)
                stack.append(key)
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))


def _first_alias(text: str, loader_class: type[yaml.SafeLoader]) -> tuple[str, int]:
    # Nodes do not remember being reached through an alias; the events do.
    loader = loader_class(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                return event.anchor, event.start_mark.line
    finally:
        loader.dispose()
    return "", 0


def _check_unique_keys(node: MappingNode) -> None:
    first: dict[tuple[str, str], int] = {}
    for key, _ in node.value:
        if isinstance(key, ScalarNode):
            ident = (key.tag, key.value)
            if ident in first:
                raise _Invalid(f"duplicate key {key.value!r} (first on line {first[ident] + 1})", key)
            first[ident] = key.start_mark.line


def _read_claimset(root: Node, loader: yaml.SafeLoader) -> ClaimSet:
    items = _mapping(root, "the top level")
    for name, (key, _) in items.items():
        if name not in _TOP_KEYS:
            raise _Invalid(
                f"unknown top-level key {name!r}; a claims file has only version, sources, claims and decisions", key
            )
    if "version" not in items:
        raise _Invalid("missing 'version' (expected version: 1)", root)
    version_node = items["version"][1]
    version = _construct(version_node, loader)
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise _Invalid(f"unsupported version {version!r}; this factcheck reads version {FORMAT_VERSION}", version_node)

    sources = []
    source_lines: dict[str, int] = {}
    for index, node in enumerate(_sequence(items, "sources"), start=1):
        source, id_node = _read_source(node, loader, index)
        if source.id in source_lines:
            raise _Invalid(f"duplicate source id {source.id!r} (first on line {source_lines[source.id]})", id_node)
        source_lines[source.id] = id_node.start_mark.line + 1
        sources.append(source)

    claims = []
    claim_lines: dict[str, int] = {}
    for index, node in enumerate(_sequence(items, "claims"), start=1):
        claim, nodes = _read_claim(node, loader, index)
        if claim.id in claim_lines:
            raise _Invalid(f"duplicate claim id {claim.id!r} (first on line {claim_lines[claim.id]})", nodes["id"])
        claim_lines[claim.id] = nodes["id"].start_mark.line + 1
        if claim.source not in source_lines:
            raise _Invalid(
                f"claim {claim.id}: source {claim.source!r} is not the id of any entry under sources", nodes["source"]
            )
        claims.append(claim)
    decisions = _read_decisions(_sequence(items, "decisions"), loader, set(claim_lines))
    return ClaimSet(sources=tuple(sources), claims=tuple(claims), version=FORMAT_VERSION, decisions=decisions)


def _read_decisions(nodes: list[Node], loader: yaml.SafeLoader, claim_ids: set[str]) -> tuple[Decision, ...]:
    decisions = []
    for index, node in enumerate(nodes, start=1):
        owner = f"decision #{index}"
        items = _mapping(node, owner)
        if "decision" not in items:
            raise _Invalid(f"{owner}: missing key 'decision' (one of {', '.join(DECISIONS)})", node)
        values = _read_fields(items, _DECISION_FIELDS, owner, node, loader)
        decision = Decision(**values, extra=_read_extra(items, DECISION_KEYS, loader))
        problem = _decision_problem(decision, claim_ids)
        if problem is not None:
            message, where = problem
            at = node
            if where == "claims":
                at = items["claims"][1]
            elif isinstance(where, int):
                at = items["claims"][1].value[where]
            raise _Invalid(f"{owner}: {message}", at)
        decisions.append(decision)
    clash = _contradiction(decisions)
    if clash is not None:
        later, earlier, message = clash
        first_line = nodes[earlier].start_mark.line + 1
        raise _Invalid(f"decision #{later + 1}: {message} (decision #{earlier + 1}, line {first_line})", nodes[later])
    return tuple(decisions)


def _decision_problem(decision: Decision, claim_ids: set[str]) -> tuple[str, int | str | None] | None:
    """What makes a decision unusable, and where: the position of the claim id
    at fault, ``"claims"`` for the list, or None for the decision as a whole."""
    if len(decision.claims) < 2:
        return "claims must list at least two claim ids", "claims"
    for position, claim_id in enumerate(decision.claims):
        if claim_id not in claim_ids:
            return f"{claim_id!r} is not the id of any claim", position
        if claim_id in decision.claims[:position]:
            return f"claims lists {claim_id} twice", position
    if decision.decision == "resolved" and not decision.note.strip():
        return "a resolved conflict needs a note saying how it was resolved", None
    return None


def _contradiction(decisions: Iterable[Decision]) -> tuple[int, int, str] | None:
    """The first pair of claims marked both the same figure and different ones:
    (index of the later decision, index of the earlier one, message)."""
    marked: dict[frozenset[str], tuple[str, int]] = {}
    for index, decision in enumerate(decisions):
        if decision.decision == "resolved":
            continue
        ids = list(decision.claims)
        for pair in (frozenset((a, b)) for i, a in enumerate(ids) for b in ids[i + 1 :]):
            kind, first = marked.setdefault(pair, (decision.decision, index))
            if kind != decision.decision:
                one, two = sorted(pair)
                return index, first, f"{one} and {two} are marked {decision.decision!r} here but {kind!r} before"
    return None


def _mapping(node: Node, what: str) -> dict[str, tuple[Node, Node]]:
    """The keys of a mapping node, by name, with their key and value nodes."""
    if not isinstance(node, MappingNode):
        raise _Invalid(f"{what} must be a mapping of keys to values", node)
    items: dict[str, tuple[Node, Node]] = {}
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.tag == _MERGE_TAG:
            raise _Invalid(f"{what}: merge keys (<<) are not supported in a claims file", key)
        if not isinstance(key, ScalarNode):
            raise _Invalid(f"{what}: keys must be plain names", key)
        items[key.value] = (key, value)
    return items


def _sequence(items: dict[str, tuple[Node, Node]], name: str) -> list[Node]:
    if name not in items:
        return []
    node = items[name][1]
    if _is_null(node):
        return []
    if not isinstance(node, SequenceNode):
        raise _Invalid(f"{name!r} must be a list", node)
    return list(node.value)


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL_TAG


def _construct(node: Node, loader: yaml.SafeLoader) -> Any:
    return loader.construct_object(node, deep=True)


# Readers turn a value node into a field value or raise _Invalid with a
# message that the caller prefixes with the owner and key.


def _read_text(node: Node, loader: yaml.SafeLoader) -> str:
    value = _read_optional_text(node, loader)
    if value is None:
        raise _Invalid("must be text, not null", node)
    return value


def _read_optional_text(node: Node, loader: yaml.SafeLoader) -> str | None:
    # The scalar as typed: a note "no" or a title "1984" stays text even
    # when a person leaves out the quotes.
    if not isinstance(node, ScalarNode):
        raise _Invalid("must be text", node)
    return None if node.tag == _NULL_TAG else node.value


def _read_texts(node: Node, loader: yaml.SafeLoader) -> tuple[str, ...]:
    if not isinstance(node, SequenceNode) or not all(isinstance(item, ScalarNode) for item in node.value):
        raise _Invalid("must be a list of text", node)
    return tuple(_read_text(item, loader) for item in node.value)


def _read_id(node: Node, loader: yaml.SafeLoader) -> str:
    value = _read_text(node, loader)
    if not value.strip():
        raise _Invalid("must not be empty", node)
    return value


def _read_note(node: Node, loader: yaml.SafeLoader) -> str:
    return _read_optional_text(node, loader) or ""


def _read_number(node: Node, loader: yaml.SafeLoader) -> int | float | str | None:
    if not isinstance(node, ScalarNode):
        raise _Invalid("must be a number, an ISO date or null", node)
    value = _construct(node, loader)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return node.value
    if isinstance(value, bool) or not isinstance(value, (int, float, str, type(None))):
        raise _Invalid("must be a number, an ISO date or null", node)
    return value


def _read_bool(node: Node, loader: yaml.SafeLoader) -> bool:
    value = _construct(node, loader) if isinstance(node, ScalarNode) else None
    if not isinstance(value, bool):
        raise _Invalid("must be true or false", node)
    return value


def _read_span(node: Node, loader: yaml.SafeLoader) -> Span | None:
    if _is_null(node):
        return None
    problem = _Invalid("must be [start, end] with 0 <= start <= end, or null", node)
    if not isinstance(node, SequenceNode) or len(node.value) != 2:
        raise problem
    ends = [_construct(item, loader) if isinstance(item, ScalarNode) else None for item in node.value]
    if not all(isinstance(end, int) and not isinstance(end, bool) for end in ends):
        raise problem
    try:
        return Span(ends[0], ends[1])
    except ValueError:
        raise problem from None


def _one_of(choices: tuple[str, ...]) -> Callable[[Node, yaml.SafeLoader], str]:
    def read(node: Node, loader: yaml.SafeLoader) -> str:
        value = _read_optional_text(node, loader)
        if value not in choices:
            raise _Invalid(f"must be one of {', '.join(choices)}, not {value!r}", node)
        return value

    return read


_Reader = Callable[[Node, yaml.SafeLoader], Any]
_REQUIRED = object()

_SOURCE_FIELDS: tuple[tuple[str, _Reader, Any], ...] = (
    ("id", _read_id, _REQUIRED),
    ("path", _read_optional_text, _REQUIRED),
    ("url", _read_optional_text, _REQUIRED),
    ("title", _read_optional_text, _REQUIRED),
    ("outlet", _read_optional_text, _REQUIRED),
    ("published", _read_optional_text, _REQUIRED),
    ("sha256", _read_text, _REQUIRED),
    ("status", _one_of(SOURCE_STATUSES), _REQUIRED),
    ("reason", _read_optional_text, None),
    ("author", _read_optional_text, None),
    ("canonical_url", _read_optional_text, None),
    ("redirects", _read_texts, ()),
    ("record", _read_optional_text, None),
)

_CLAIM_FIELDS: tuple[tuple[str, _Reader, Any], ...] = (
    ("id", _read_id, _REQUIRED),
    ("source", _read_id, _REQUIRED),
    ("text", _read_text, _REQUIRED),
    ("sentence", _read_text, _REQUIRED),
    ("kind", _one_of(KINDS), _REQUIRED),
    ("value", _read_number, _REQUIRED),
    ("unit", _read_optional_text, _REQUIRED),
    ("qualifier", _read_optional_text, _REQUIRED),
    ("low", _read_number, _REQUIRED),
    ("high", _read_number, _REQUIRED),
    ("measure", _read_optional_text, _REQUIRED),
    ("said_by", _read_optional_text, _REQUIRED),
    ("span", _read_span, None),
    ("said_by_span", _read_span, None),
    ("quote_span", _read_span, None),
    ("cue", _read_optional_text, None),
    ("via", _read_optional_text, None),
    ("rule", _read_text, ""),
    ("approximate", _read_bool, False),
    ("latent", _read_bool, False),
    ("missing", _read_bool, False),
)

_REVIEW_FIELDS: tuple[tuple[str, _Reader, Any], ...] = (
    ("status", _one_of(REVIEW_STATUSES), "unreviewed"),
    ("note", _read_note, ""),
)

_DECISION_FIELDS: tuple[tuple[str, _Reader, Any], ...] = (
    ("decision", _one_of(DECISIONS), _REQUIRED),
    ("claims", _read_texts, _REQUIRED),
    ("note", _read_note, ""),
)


def _read_fields(
    items: dict[str, tuple[Node, Node]],
    fields: tuple[tuple[str, _Reader, Any], ...],
    owner: str,
    node: Node,
    loader: yaml.SafeLoader,
    within: str = "",
) -> dict[str, Any]:
    """Read the known keys; ``within`` names the enclosing key in messages."""
    values = {}
    for name, read, default in fields:
        if name not in items:
            if default is _REQUIRED:
                raise _Invalid(f"{owner}: missing key {within}{name!r}", node)
            values[name] = default
            continue
        try:
            values[name] = read(items[name][1], loader)
        except _Invalid as exc:
            raise _Invalid(f"{owner}: {within}{name} {exc.message}", line=exc.line) from None
    return values


def _read_extra(items: dict[str, tuple[Node, Node]], known: Iterable[str], loader: yaml.SafeLoader) -> dict[str, Any]:
    known = set(known)
    return {name: _construct(value, loader) for name, (_, value) in items.items() if name not in known}


def _owner_id(
    items: dict[str, tuple[Node, Node]], what: str, index: int, node: Node, loader: yaml.SafeLoader
) -> tuple[str, Node]:
    if "id" not in items:
        raise _Invalid(f"{what} #{index} has no id", node)
    id_node = items["id"][1]
    try:
        return _read_id(id_node, loader), id_node
    except _Invalid as exc:
        raise _Invalid(f"{what} #{index}: id {exc.message}", id_node) from None


def _read_source(node: Node, loader: yaml.SafeLoader, index: int) -> tuple[Source, Node]:
    items = _mapping(node, f"source #{index}")
    source_id, id_node = _owner_id(items, "source", index, node, loader)
    values = _read_fields(items, _SOURCE_FIELDS, f"source {source_id}", node, loader)
    extra = _read_extra(items, SOURCE_KEYS, loader)
    return Source(**values, extra=extra), id_node


def _read_claim(node: Node, loader: yaml.SafeLoader, index: int) -> tuple[Claim, dict[str, Node]]:
    items = _mapping(node, f"claim #{index}")
    claim_id, _ = _owner_id(items, "claim", index, node, loader)
    owner = f"claim {claim_id}"
    values = _read_fields(items, _CLAIM_FIELDS, owner, node, loader)
    review = _read_review(items["review"][1], loader, owner) if "review" in items else Review()
    extra = _read_extra(items, CLAIM_KEYS, loader)
    nodes = {name: value for name, (_, value) in items.items()}
    return Claim(**values, review=review, extra=extra), nodes


def _read_review(node: Node, loader: yaml.SafeLoader, owner: str) -> Review:
    if _is_null(node):
        return Review()
    items = _mapping(node, f"{owner}: review")
    values = _read_fields(items, _REVIEW_FIELDS, owner, node, loader, within="review ")
    return Review(**values, extra=_read_extra(items, REVIEW_KEYS, loader))


# --------------------------------------------------------------------------- dump


def source_to_dict(source: Source) -> dict[str, Any]:
    """A source as a plain dict: the keys of ``SOURCE_KEYS`` in that order,
    then the keys a person added. Extra values are shared, not copied.

    Used for claims.yaml and for JSON exports alike.
    """
    data = {
        "id": source.id,
        "path": source.path,
        "url": source.url,
        "title": source.title,
        "outlet": source.outlet,
        "published": source.published,
        "sha256": source.sha256,
        "status": source.status,
        "reason": source.reason,
    }
    # Written only when known, so that the sources of text files, which
    # never have them, keep the layout they always had.
    optional = {
        "author": source.author,
        "canonical_url": source.canonical_url,
        "redirects": list(source.redirects),
        "record": source.record,
    }
    data.update({key: value for key, value in optional.items() if value})
    _add_extra(data, source.extra, SOURCE_KEYS, f"source {source.id}")
    return data


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    """A claim as a plain dict in the file's key order (see the module doc).

    Spans become ``[start, end]`` lists or ``None``; integral float values
    become ints; ``missing`` appears only when true. Extra values are shared,
    not copied. For example a claim on "more than 290,000" gives
    ``{"id": "c-5d41402a", ..., "value": 290000, ..., "review": {"status":
    "unreviewed", "note": ""}}``.
    """
    data = {
        "id": claim.id,
        "source": claim.source,
        "text": claim.text,
        "sentence": claim.sentence,
        "kind": claim.kind,
        "value": _plain_number(claim.value),
        "unit": claim.unit,
        "qualifier": claim.qualifier,
        "low": _plain_number(claim.low),
        "high": _plain_number(claim.high),
        "measure": claim.measure,
        "said_by": claim.said_by,
        "span": _span_list(claim.span),
        "said_by_span": _span_list(claim.said_by_span),
        "quote_span": _span_list(claim.quote_span),
        "cue": claim.cue,
        "via": claim.via,
        "rule": claim.rule,
        "approximate": claim.approximate,
        "latent": claim.latent,
    }
    if claim.missing:
        data["missing"] = True
    review = {"status": claim.review.status, "note": claim.review.note}
    _add_extra(review, claim.review.extra, REVIEW_KEYS, f"claim {claim.id}: review")
    data["review"] = review
    _add_extra(data, claim.extra, CLAIM_KEYS, f"claim {claim.id}")
    return data


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """A decision as a plain dict: ``decision``, ``claims`` (a list), ``note``,
    then the keys a person added."""
    data = {"decision": decision.decision, "claims": list(decision.claims), "note": decision.note}
    _add_extra(data, decision.extra, DECISION_KEYS, f"decision {decision.decision} {list(decision.claims)}")
    return data


def _add_extra(data: dict[str, Any], extra: dict[str, Any], known: tuple[str, ...], owner: str) -> None:
    for key, value in extra.items():
        if not isinstance(key, str):
            raise StoreError(f"{owner}: added key {key!r} must be text")
        if key in known:
            raise StoreError(f"{owner}: added key {key!r} clashes with a key factcheck writes")
        data[key] = value


def _plain_number(value: Any) -> Any:
    # 290000.0 is written 290000: the figure was a count, not a measurement.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _span_list(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def dump_claims(claimset: ClaimSet) -> str:
    """The text of claims.yaml for ``claimset``: same input, same bytes.

    Raises :class:`StoreError` (without a path) when the claim set could not
    be read back, e.g. an unknown kind or a claim whose source is not listed.
    """
    _check_writable(claimset)
    sources = []
    for source in claimset.sources:
        data = source_to_dict(source)
        _check_encodable(data, f"source {source.id}")
        sources.append(data)
    claims = []
    for claim in claimset.claims:
        data = claim_to_dict(claim)
        _check_encodable(data, f"claim {claim.id}")
        for key in _SPAN_KEYS:
            if data[key] is not None:
                data[key] = _FlowList(data[key])
        claims.append(data)
    document: dict[str, Any] = {"version": claimset.version, "sources": sources, "claims": claims}
    if claimset.decisions:
        decisions = []
        for index, decision in enumerate(claimset.decisions, start=1):
            data = decision_to_dict(decision)
            _check_encodable(data, f"decision #{index}")
            data["claims"] = _FlowList(data["claims"])
            decisions.append(data)
        document["decisions"] = decisions
    try:
        body = yaml.dump(
            document,
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            width=_WIDTH,
            indent=2,
            default_flow_style=False,
        )
    except yaml.representer.RepresenterError as exc:
        # PyYAML's message is the tuple (text, value); name the type instead.
        problem = exc.args[1] if len(exc.args) > 1 else None
        raise StoreError(f"cannot write the claims file: no YAML form for a {type(problem).__name__} value") from exc
    return HEADER + "\n" + body


class _FlowList(list):  # type: ignore[type-arg]
    """A list written inline, ``[start, end]``."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper with the claims-file conventions: list items indented under
    their key, no anchors (every value written out in full)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = None
    if any(ch in _LINE_BREAKS for ch in data):
        # Double quotes keep a multi-line string on one line as "\n" escapes.
        style = '"'
    elif _OTHER_READERS_TYPED.fullmatch(data):
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def _header() -> str:
    statuses = ", ".join(REVIEW_STATUSES)
    lines = [
        "factcheck claims file: the quantitative claims found in the documents of one story,",
        "with where each one appears and who said it.",
        "",
        "`factcheck scan` rewrites this file and recomputes every field from the documents,",
        "except what people own, which it keeps as it is:",
        "  - each claim's review: status, one of",
        f"      {statuses};",
        "    and note, free text;",
        "  - any key you add to a claim, to its review or to a source;",
        "  - the decisions list at the end of the file, where you rule on how claims compare:",
        "      decisions:",
        f"        - decision: not-same    # {' | '.join(DECISIONS)}",
        "          claims: [c-3b91fae0, c-37c42b5b]",
        "          note: The hospital counts bodies received; the agency counts registered deaths.",
        "    same: these claims measure the same thing, so compare them; not-same: they",
        "    measure different things, never compare them; resolved: their conflict has been",
        "    looked into, and note (required) says how. List at least two claim ids.",
        "A claim whose text is gone from its rescanned document stays, marked `missing: true`.",
        "",
        "Comments typed into this file are NOT kept: a rescan drops them.",
        "Put notes in review.note instead (in double quotes if they contain ': ' or ' #').",
    ]
    return "".join(f"# {line}\n" if line else "#\n" for line in lines)


HEADER = _header()


_TEXT = (str,)
_OPTIONAL_TEXT = (str, type(None))
_NUMBER = (int, float, str, type(None))
_OPTIONAL_SPAN = (Span, type(None))
_SOURCE_TYPES = (
    ("id", _TEXT),
    ("path", _OPTIONAL_TEXT),
    ("url", _OPTIONAL_TEXT),
    ("title", _OPTIONAL_TEXT),
    ("outlet", _OPTIONAL_TEXT),
    ("published", _OPTIONAL_TEXT),
    ("sha256", _TEXT),
    ("status", _TEXT),
    ("reason", _OPTIONAL_TEXT),
)
_CLAIM_TYPES = (
    ("id", _TEXT),
    ("source", _TEXT),
    ("text", _TEXT),
    ("sentence", _TEXT),
    ("kind", _TEXT),
    ("value", _NUMBER),
    ("unit", _OPTIONAL_TEXT),
    ("qualifier", _OPTIONAL_TEXT),
    ("low", _NUMBER),
    ("high", _NUMBER),
    ("measure", _OPTIONAL_TEXT),
    ("said_by", _OPTIONAL_TEXT),
    ("span", _OPTIONAL_SPAN),
    ("said_by_span", _OPTIONAL_SPAN),
    ("quote_span", _OPTIONAL_SPAN),
    ("cue", _OPTIONAL_TEXT),
    ("via", _OPTIONAL_TEXT),
    ("rule", _TEXT),
    ("approximate", (bool,)),
    ("latent", (bool,)),
    ("missing", (bool,)),
)


def _check_writable(claimset: ClaimSet) -> None:
    """Refuse to write what :func:`load_claims` would reject."""
    if type(claimset.version) is not int or claimset.version != FORMAT_VERSION:
        raise StoreError(f"cannot write version {claimset.version!r}; this factcheck writes version {FORMAT_VERSION}")
    source_ids: set[str] = set()
    for source in claimset.sources:
        owner = f"source {source.id}"
        _check_types(source, _SOURCE_TYPES, owner)
        _check_choice(source.status, SOURCE_STATUSES, f"{owner}: status")
        if source.id in source_ids:
            raise StoreError(f"duplicate source id {source.id!r}")
        source_ids.add(source.id)
    claim_ids: set[str] = set()
    for claim in claimset.claims:
        owner = f"claim {claim.id}"
        _check_types(claim, _CLAIM_TYPES, owner)
        _check_choice(claim.kind, KINDS, f"{owner}: kind")
        if not isinstance(claim.review, Review) or not isinstance(claim.review.note, str):
            raise StoreError(f"{owner}: review must be a Review with a text note")
        _check_choice(claim.review.status, REVIEW_STATUSES, f"{owner}: review status")
        if claim.id in claim_ids:
            raise StoreError(f"duplicate claim id {claim.id!r}")
        claim_ids.add(claim.id)
        if claim.source not in source_ids:
            raise StoreError(f"{owner}: source {claim.source!r} is not the id of any source")
    for index, decision in enumerate(claimset.decisions, start=1):
        owner = f"decision #{index}"
        if not isinstance(decision, Decision) or not isinstance(decision.note, str):
            raise StoreError(f"{owner}: must be a Decision with a text note")
        _check_choice(decision.decision, DECISIONS, f"{owner}: decision")
        if not isinstance(decision.claims, tuple) or not all(isinstance(c, str) for c in decision.claims):
            raise StoreError(f"{owner}: claims must be a tuple of claim ids")
        problem = _decision_problem(decision, claim_ids)
        if problem is not None:
            raise StoreError(f"{owner}: {problem[0]}")
    clash = _contradiction(claimset.decisions)
    if clash is not None:
        raise StoreError(f"decision #{clash[0] + 1}: {clash[2]} (decision #{clash[1] + 1})")


def _check_encodable(value: Any, owner: str) -> None:
    """Refuse lone surrogates (e.g. from bytes decoded with "surrogateescape").

    PyYAML would write them as escapes that libyaml then refuses to read,
    leaving a file that cannot be loaded.
    """
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        if found:
            raise StoreError(
                f"{owner}: text {value[:40]!r} holds U+{ord(found.group()):04X}, an unpaired surrogate "
                "that a UTF-8 file cannot hold"
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_encodable(key, owner)
            _check_encodable(item, owner)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _check_encodable(item, owner)


def _check_types(record: Any, table: tuple[tuple[str, tuple[type, ...]], ...], owner: str) -> None:
    for name, types in table:
        value = getattr(record, name)
        # bool is an int subclass; a true/false figure is never meant.
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise StoreError(f"{owner}: {name} cannot be {type(value).__name__} {value!r}")
        if name in ("id", "source") and not value.strip():
            raise StoreError(f"{owner}: {name} must not be empty")


def _check_choice(value: str, choices: tuple[str, ...], what: str) -> None:
    if value not in choices:
        raise StoreError(f"{what} must be one of {', '.join(choices)}, not {value!r}")


# --------------------------------------------------------------------------- save


def save_claims(claimset: ClaimSet, path: Path) -> None:
    """Write ``claimset`` to ``path`` atomically.

    The text goes to a temporary file beside the target, is synced to disk,
    then renamed over it, so readers see the old file or the new one and
    never a half-written one. An existing file keeps its permission bits; a
    symlink is followed and its target replaced.
    """
    text = dump_claims(claimset)  # before touching the disk: a bad claim set writes nothing
    data = text.encode("utf-8")
    path = Path(path)
    target = path.resolve() if path.is_symlink() else path
    try:
        _replace_atomically(target, data, _mode_for(target))
    except OSError as exc:
        raise StoreError(f"cannot write: {exc.strerror or exc}", path) from exc


def _replace_atomically(target: Path, data: bytes, mode: int) -> None:
    tmp = tempfile.NamedTemporaryFile(
        "wb", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
    )
    try:
        with tmp:
            os.chmod(tmp.name, mode)
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp.name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp.name)
        raise
    _sync_directory(target.parent)


def _mode_for(target: Path) -> int:
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode):
        return stat.S_IMODE(info.st_mode)
    # A new file gets what open() would give it. The umask can only be read
    # by setting it; a strict value for that instant means a file created
    # meanwhile by another thread is at worst too private, never too open.
    umask = os.umask(0o077)
    os.umask(umask)
    return 0o666 & ~umask


def _sync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk. Not
    # every platform can open a directory; there the rename is left to the OS.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- merge


def merge_claims(previous: ClaimSet | None, scanned: ClaimSet) -> ClaimSet:
    """Fold a scan into the previous claims file without losing people's work.

    - A claim in both: the scanned fields, the previous ``review`` and ``extra``.
    - A previous claim absent from the scan of its source: kept, marked
      ``missing`` with its offsets cleared (they pointed into the old text).
      This applies only to sources read with status ``ok``; when a source
      could not be read this time, its claims stay exactly as they were.
    - A scanned source keeps the previous source's ``extra``.
    - Sources not scanned this time are kept with their claims, unchanged.
    - The previous ``decisions`` are kept as they are, in their order: they
      name claims by id, and claims are never deleted.

    Sources come out sorted by id; claims grouped by source in that order,
    present ones by span then id, then the missing ones by id.
    """
    if previous is None:
        previous = ClaimSet(sources=(), claims=())
    old_sources = {source.id: source for source in previous.sources}
    sources = dict(old_sources)
    for source in scanned.sources:
        old = old_sources.get(source.id)
        sources[source.id] = source if old is None else dataclasses.replace(source, extra=old.extra)
    read_now = {source.id for source in scanned.sources if source.status == "ok"}

    old_claims = {claim.id: claim for claim in previous.claims}
    claims = []
    for claim in scanned.claims:
        old = old_claims.get(claim.id)
        claims.append(claim if old is None else dataclasses.replace(claim, review=old.review, extra=old.extra))
    scanned_ids = {claim.id for claim in scanned.claims}
    for claim in previous.claims:
        if claim.id in scanned_ids:
            continue
        claims.append(_as_missing(claim) if claim.source in read_now else claim)

    ordered_sources = tuple(sorted(sources.values(), key=lambda source: source.id))
    return ClaimSet(
        sources=ordered_sources,
        claims=_in_file_order(claims, [source.id for source in ordered_sources]),
        version=FORMAT_VERSION,
        decisions=previous.decisions,
    )


def _as_missing(claim: Claim) -> Claim:
    return dataclasses.replace(claim, missing=True, span=None, said_by_span=None, quote_span=None)


def _in_file_order(claims: list[Claim], source_order: list[str]) -> tuple[Claim, ...]:
    rank = {source_id: index for index, source_id in enumerate(source_order)}

    def key(claim: Claim) -> tuple[Any, ...]:
        if claim.missing:
            position = (1, 0, 0, 0)
        elif claim.span is None:
            position = (0, 1, 0, 0)
        else:
            position = (0, 0, claim.span.start, claim.span.end)
        return (rank.get(claim.source, len(rank)), claim.source, *position, claim.id)

    return tuple(sorted(claims, key=key))
