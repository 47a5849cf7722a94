"""How figures are compared: the comparison rules (``data/comparison.yaml``), change wording, and each claim read as an interval."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from factcheck.graph.wording import clause_before, fold_text, match_change
from factcheck.model import Claim, FactcheckError, datatype

SHIPPED_COMPARISON = Path(__file__).resolve().parents[1] / "data" / "comparison.yaml"

DIRECTIONS = ("up", "down", "either")

ROLES = ("later", "earlier")

_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


class ComparisonError(FactcheckError):
    """A comparison rule file that cannot be used; ``str()`` is one line."""


@datatype(frozen=True)
class ChangeCue:
    """Wording that says a figure replaced another one ("rose to <figure>")."""

    name: str
    phrases: tuple[tuple[str, ...], ...]  # folded words; "..." is a gap
    direction: str  # one of DIRECTIONS
    role: str = "later"  # one of ROLES
    examples: tuple[str, ...] = ()


@datatype(frozen=True)
class Comparison:
    """How figures are compared: tolerances and change wording (comparison.yaml)."""

    approximate: float = 0.10
    rounding_cap: float = 0.05
    changes: tuple[ChangeCue, ...] = ()


def load_comparison(path: Path | str = SHIPPED_COMPARISON) -> Comparison:
    """Read a comparison rule file (see ``data/comparison.yaml`` for its syntax).

    Raises :class:`ComparisonError` ``"file:line: message"`` on any problem.

    >>> load_comparison().approximate
    0.1
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise ComparisonError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ComparisonError(f"{where}: {exc.problem or exc.context}") from None
    return _RuleReader(path).comparison(root)


class _RuleReader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: yaml.Node | None, message: str) -> ComparisonError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return ComparisonError(f"{self.path}{line}: {message}")

    def mapping(self, node: yaml.Node | None, what: str, keys: tuple[str, ...]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        items: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.value not in keys:
                raise self.fail(key, f"{what}: unknown key {getattr(key, 'value', key)!r}; known: {', '.join(keys)}")
            if key.value in items:
                raise self.fail(key, f"{what}: duplicate key {key.value!r}")
            items[key.value] = value
        return items

    def text(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null") or not node.value.strip():
            raise self.fail(node, f"{what} must be text")
        return node.value.strip()

    def texts(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        return tuple(self.text(item, what) for item in node.value)

    def fraction(self, node: yaml.Node, what: str) -> float:
        try:
            value = float(self.text(node, what))
        except ValueError:
            value = -1.0
        if not 0 <= value < 1:
            raise self.fail(node, f"{what} must be a number from 0 up to (not including) 1")
        return value

    def comparison(self, root: yaml.Node | None) -> Comparison:
        top = self.mapping(root, "the file", ("tolerances", "changes"))
        values: dict[str, Any] = {}
        if "tolerances" in top:
            tolerances = self.mapping(top["tolerances"], "tolerances", ("approximate", "rounding_cap"))
            values = {name: self.fraction(node, name) for name, node in tolerances.items()}
        changes: list[ChangeCue] = []
        if "changes" in top:
            if not isinstance(top["changes"], yaml.SequenceNode):
                raise self.fail(top["changes"], "changes must be a list")
            for node in top["changes"].value:
                cue = self.change(node)
                if any(cue.name == other.name for other in changes):
                    raise self.fail(node, f"change {cue.name!r}: duplicate name")
                changes.append(cue)
        return Comparison(**values, changes=tuple(changes))

    def change(self, node: yaml.Node) -> ChangeCue:
        items = self.mapping(node, "a change", ("name", "before", "direction", "role", "examples"))
        for required in ("name", "before", "direction"):
            if required not in items:
                raise self.fail(node, f"a change needs {required!r}")
        name = self.text(items["name"], "name")
        direction = self.text(items["direction"], f"change {name!r}: direction")
        role = self.text(items["role"], f"change {name!r}: role") if "role" in items else "later"
        for value, choices, key in ((direction, DIRECTIONS, "direction"), (role, ROLES, "role")):
            if value not in choices:
                raise self.fail(items[key], f"change {name!r}: {key} must be one of {', '.join(choices)}")
        phrases = []
        for phrase in self.texts(items["before"], f"change {name!r}: before"):
            words = tuple(fold_text(phrase).split())
            if not words or words[0] == "..." or words[-1] == "...":
                raise self.fail(items["before"], f"change {name!r}: '...' must stand between words")
            phrases.append(words)
        examples = self.texts(items["examples"], f"change {name!r}: examples") if "examples" in items else ()
        cue = ChangeCue(name, tuple(phrases), direction, role, examples)
        for example in examples:
            if example.count("[") != 1 or example.count("]") != 1 or example.index("[") > example.index("]"):
                raise self.fail(items["examples"], f"change {name!r}: example {example!r} needs one [figure]")
            before = example[: example.index("[")]
            if match_change(clause_before(before), (cue,)) is None:
                raise self.fail(items["examples"], f"change {name!r}: no phrase matches example {example!r}")
        return cue


def find_change(sentence: str, figure: str, comparison: Comparison) -> str | None:
    """The name of the change wording right before ``figure`` in ``sentence``.

    >>> find_change("The toll rose to 150 on Thursday.", "150", load_comparison())
    'rose to <figure>'
    """
    at = sentence.find(figure)
    if at < 0:
        return None
    found = match_change(clause_before(sentence[:at]), comparison.changes)
    return found[0].name if found else None


def as_number(value: Any) -> float | None:
    # bool is an int subclass but never a figure.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _raw_interval(claim: Claim) -> tuple[float | None, float | None] | None:
    """The claim's interval as recorded, or None when it has no number at all."""
    if claim.low is None and claim.high is None:
        value = as_number(claim.value)
        return None if value is None else (value, value)
    low, high = as_number(claim.low), as_number(claim.high)
    if (claim.low is not None and low is None) or (claim.high is not None and high is None):
        return None
    if low is not None and high is not None and low > high:
        low, high = high, low
    return low, high


def rounding(text: str, value: float, cap: float) -> float:
    """Half a unit of the last significant digit of the figure as written.

    The written digits give the precision and the value gives the scale, so
    "1.2 billion" allows 0.05 billion either way. Trailing zeros of a whole
    number count as rounding, but never for more than ``cap`` of the value.
    A figure written in words ("two-thirds") is taken as exact.

    >>> rounding("$1.2bn", 1.2e9, 0.05)
    50000000.0
    >>> rounding("300", 300, 0.05)
    15.0
    >>> rounding("112", 112, 0.05)
    0.5
    """
    digits = _DIGITS.search(text)
    if digits is None or value == 0:
        return 0.0
    written = digits.group().replace(",", "")
    mantissa = float(written)
    if mantissa == 0:
        return 0.0
    if "." in written:
        unit = 10.0 ** -len(written.partition(".")[2])
    else:
        unit = 10.0 ** (len(written) - len(written.rstrip("0")))
    half = 0.5 * unit * abs(value) / mantissa
    return min(half, cap * abs(value))


def reading(claim: Claim, comparison: Comparison) -> tuple[float | None, float | None] | None:
    """The interval a claim allows, in its own unit, tolerances applied.

    "at least 300" -> (300, None); "about 4,500" -> (4050, 4950);
    "nearly 10" -> (9, 10); "1.2 billion" -> (1.15e9, 1.25e9).
    """
    interval = _raw_interval(claim)
    if interval is None:
        return None
    low, high = interval
    value = as_number(claim.value)
    point = low is not None and low == high
    if claim.approximate:
        if point:
            spread = max(abs(low) * comparison.approximate, rounding(claim.text, low, comparison.rounding_cap))
            return low - spread, low + spread
        # "nearly 10" has no written lower bound, but cannot mean 2.
        if low is None and high is not None:
            low = high - abs(high) * comparison.approximate
        elif high is None and low is not None:
            high = low + abs(low) * comparison.approximate
        return low, high
    if point and claim.qualifier is None and value is not None:
        # Rounding intervals are half-open (1.25 billion is written "1.3
        # billion"), so "1.2 billion" and "1.3 billion" must not touch.
        spread = rounding(claim.text, value, comparison.rounding_cap) * (1 - 1e-9)
        return low - spread, low + spread
    return low, high
