"""Resolve matches into figures: values, pint units and intervals.

The rules engine says what the text holds ("more than" + 290000); this module
says what that means: the interval [290000, open). Keeping the two apart
makes the meaning of every qualifier a table that can be tested on its own.
"""

from __future__ import annotations

from typing import Any

from factcheck.model import Figure, Match


class Resolver:
    """Turns ``Match``es into ``Figure``s, with unit names checked by pint.

    >>> import pint
    >>> from factcheck.model import Match, Span
    >>> text = "killed more than 290,000"
    >>> m = Match(Span(7, 24), "more than <figure> / <number>", "count", 290000,
    ...           qualifier="more than", qualifier_low="value", qualifier_high=None)
    >>> f = Resolver(pint.UnitRegistry()).resolve(m, text)
    >>> (f.text, f.value, f.low, f.high)
    ('more than 290,000', 290000, 290000, None)
    """

    def __init__(self, ureg: Any) -> None:
        self._ureg = ureg
        self._unit_names: dict[str, str] = {}

    def unit_name(self, unit: str | None, kind: str) -> str | None:
        """The canonical name of a unit: pint's for physical and time units,
        the ISO code as is for money."""
        if unit is None or kind == "money":
            return unit
        if unit not in self._unit_names:
            self._unit_names[unit] = str(self._ureg.parse_units(unit))
        return self._unit_names[unit]

    def resolve(self, match: Match, text: str) -> Figure:
        low, high = interval(match)
        return Figure(
            span=match.span,
            text=match.span.slice(text),
            kind=match.kind,
            value=match.value,
            unit=self.unit_name(match.unit, match.kind),
            qualifier=match.qualifier,
            low=low,
            high=high,
            approximate=match.approximate,
            measure=match.measure,
            measure_span=match.measure_span,
            rule=match.rule,
            latent=match.latent,
        )


def interval(match: Match) -> tuple[Any, Any]:
    """The ``(low, high)`` a match's wording allows; ``None`` is an open end.

    A range or a vague amount carries both ends; a qualifier says which end
    the value is; a bare figure is exact.
    """
    if match.value_high is not None:
        return match.value, match.value_high
    if match.qualifier is None:
        return match.value, match.value
    return _bound(match, match.qualifier_low), _bound(match, match.qualifier_high)


def _bound(match: Match, spec: str | None) -> Any:
    if spec == "value":
        return match.value
    if spec == "high_value":
        return match.value_high
    return None
