"""Read debris rule files (YAML) into ``DebrisRules``.

Values are read straight from the YAML node tree rather than through
``safe_load``: every error can then name its line, and a phrase such as
``No`` or ``404`` stays the text it looks like instead of turning into a
boolean or a number. See ``data/debris.yaml`` for the syntax.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import yaml

from factcheck.ingest.debris import (
    DebrisRule,
    DebrisRules,
    compile_pattern,
    expand_sets,
    phrases_pattern,
)
from factcheck.ingest.errors import IngestError
from factcheck.model import datatype

SHIPPED_RULES = Path(__file__).parent / "data" / "debris.yaml"

_FILE_KEYS = ("sets", "rules")
_RULE_KEYS = ("name", "kind", "lines", "pattern", "lead", "examples", "not")
_MATCHERS = ("lines", "pattern", "lead")


@datatype(frozen=True)
class _RuleSpec:
    """A rule as written, before its sets are expanded and its regex compiled."""

    name: str
    kind: str
    matcher: str  # one of _MATCHERS
    source: str  # regex source, or the phrases already turned into one
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...]
    origin: str  # "file:line" of the rule
    source_origin: str  # "file:line" of its lines/pattern/lead value


def load_debris_rules(
    paths: Iterable[str | Path] = (), *, include_shipped: bool = True
) -> DebrisRules:
    """Load the shipped debris rules, then each extra rule file in ``paths``.

    Later files add rules after the shipped ones and may extend the shipped
    sets (e.g. add a news agency to ``agency``). ``include_shipped=False``
    uses only ``paths``. Raises ``IngestError("file:line: message")``.

    >>> rules = load_debris_rules()
    >>> rules.match_line("Skip to main content")[0].name
    'Skip to main content / Skip to content'
    """
    files = [SHIPPED_RULES] if include_shipped else []
    files += [Path(p) for p in paths]
    sets: dict[str, list[str]] = {}
    specs: list[_RuleSpec] = []
    for path in files:
        file_sets, file_specs = _read_rule_file(path)
        for name, phrases in file_sets.items():
            sets.setdefault(name, []).extend(phrases)
        specs += file_specs
    first: dict[str, str] = {}
    for spec in specs:
        if spec.name in first:
            raise IngestError(
                f"{spec.origin}: rule '{spec.name}': duplicate name"
                f" (first defined at {first[spec.name]})"
            )
        first[spec.name] = spec.origin
    return DebrisRules(tuple(_build_rule(spec, sets) for spec in specs))


def _build_rule(spec: _RuleSpec, sets: dict[str, list[str]]) -> DebrisRule:
    try:
        pattern = compile_pattern(expand_sets(spec.source, sets), lead=spec.matcher == "lead")
    except ValueError as err:
        raise IngestError(f"{spec.source_origin}: rule '{spec.name}': {err}") from None
    try:
        return DebrisRule(
            name=spec.name,
            kind=spec.kind,
            pattern=pattern,
            lead=spec.matcher == "lead",
            examples=spec.examples,
            counterexamples=spec.counterexamples,
            origin=spec.origin,
        )
    except ValueError as err:
        raise IngestError(f"{spec.origin}: rule '{spec.name}': {err}") from None


def _read_rule_file(path: Path) -> tuple[dict[str, list[str]], list[_RuleSpec]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file or directory") from None
    except UnicodeDecodeError:
        raise IngestError(f"{path}: rule file is not UTF-8") from None
    except OSError as err:
        raise IngestError(f"{path}: cannot read rule file: {err.strerror or err}") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        raise IngestError(f"{path}:{line}: bad YAML: {err.problem or err.context}") from None
    if root is None:  # an empty file adds nothing
        return {}, []
    at = _Locator(path)
    top = at.mapping(root, "a rule file", _FILE_KEYS)
    sets = {}
    if "sets" in top:
        for name, node in at.mapping(top["sets"], "'sets'").items():
            sets[name] = list(at.strings(node, f"set '{name}'"))
    specs = []
    if "rules" in top:
        rules_node = top["rules"]
        if not isinstance(rules_node, yaml.SequenceNode):
            at.fail(rules_node, "'rules' must be a list")
        specs = [_read_rule(at, node) for node in rules_node.value]
    return sets, specs


def _read_rule(at: _Locator, node: yaml.Node) -> _RuleSpec:
    if not isinstance(node, yaml.MappingNode):
        at.fail(node, "each rule must be a mapping")
    # The name comes first so that every later message can say which rule.
    names = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "name"]
    if not names:
        at.fail(node, "rule without a 'name'")
    name = at.string(names[0], "'name'")
    what = f"rule '{name}'"
    fields = at.mapping(node, what, _RULE_KEYS)
    if "kind" not in fields:
        at.fail(node, f"{what}: missing 'kind'")
    matchers = [key for key in _MATCHERS if key in fields]
    if len(matchers) != 1:
        at.fail(node, f"{what}: needs exactly one of {', '.join(_MATCHERS)}")
    matcher = matchers[0]
    value = fields[matcher]
    if matcher == "lines":
        phrases = at.strings(value, f"{what}: 'lines'")
        if not phrases:
            at.fail(value, f"{what}: 'lines' is empty")
        source = phrases_pattern(phrases)
    else:
        source = at.string(value, f"{what}: '{matcher}'")
    examples = at.strings(fields["examples"], f"{what}: 'examples'") if "examples" in fields else ()
    counter = at.strings(fields["not"], f"{what}: 'not'") if "not" in fields else ()
    return _RuleSpec(
        name=name,
        kind=at.string(fields["kind"], f"{what}: 'kind'"),
        matcher=matcher,
        source=source,
        examples=examples,
        counterexamples=counter,
        origin=at.where(node),
        source_origin=at.where(value),
    )


@datatype(frozen=True)
class _Locator:
    """Reads typed values out of YAML nodes, failing with ``file:line``."""

    path: Path

    def where(self, node: yaml.Node) -> str:
        return f"{self.path}:{node.start_mark.line + 1}"

    def fail(self, node: yaml.Node, message: str) -> NoReturn:
        raise IngestError(f"{self.where(node)}: {message}")

    def mapping(
        self, node: yaml.Node, what: str, keys: tuple[str, ...] | None = None
    ) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be a mapping")
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self.string(key_node, f"a key in {what}")
            if keys is not None and key not in keys:
                expected = ", ".join(keys)
                self.fail(key_node, f"{what}: unknown key '{key}'; expected one of: {expected}")
            if key in found:
                self.fail(key_node, f"{what}: duplicate key '{key}'")
            found[key] = value_node
        return found

    def string(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or not node.value.strip():
            self.fail(node, f"{what} must be a non-empty string")
        return node.value

    def strings(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"{what} must be a list of strings")
        return tuple(self.string(item, f"each item of {what}") for item in node.value)
