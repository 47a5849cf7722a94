"""Resolve matches into figures: values, units and intervals.

The rules engine says what the text holds ("more than" + 290000); this module
says what that means: the interval [290000, open). Keeping the two apart
makes the meaning of every qualifier a table that can be tested on its own.
"""

from __future__ import annotations

from typing import Any

from factcheck.model import Figure, Match


class Resolver:
    """Turns ``Match``es into ``Figure``s.

    Units arrive already in their canonical spelling: pint's for physical and
    time units (the rule loader checks a user's units with pint and rewrites
    them), an ISO 4217 code for money, "percent", or a rate of those
    ("USD / barrel").

    >>> from factcheck.model import Match, Span
    >>> text = "killed more than 290,000"
    >>> m = Match(Span(7, 24), "more than <figure> / <number>", "count", 290000,
    ...           qualifier="more than", qualifier_low="value", qualifier_high=None)
    >>> f = Resolver().resolve(m, text)
    >>> (f.text, f.value, f.low, f.high)
    ('more than 290,000', 290000, 290000, None)
    """

    def resolve(self, match: Match, text: str) -> Figure:
        low, high = interval(match)
        return Figure(
            span=match.span,
            text=match.span.slice(text),
            kind=match.kind,
            value=match.value,
            unit=match.unit,
            qualifier=match.qualifier,
            low=low,
            high=high,
            approximate=match.approximate,
            measure=match.measure,
            measure_span=match.measure_span,
            rule=match.rule,
            latent=match.latent,
            noun=match.noun,
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


class LazyUnitRegistry:
    """A pint ``UnitRegistry`` built the first time something asks it.

    Importing pint and building a registry take over half a second, and
    ``factcheck extract`` never needs one (the rule files spell units as pint
    does); a scan builds it when it compares figures.
    """

    def __init__(self) -> None:
        self._registry: Any = None

    def registry(self) -> Any:
        """The real registry, built on first call."""
        if self._registry is None:
            import pint  # here, not at the top: see the class docstring

            self._registry = pint.UnitRegistry()
        return self._registry

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.registry(), name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.registry()(*args, **kwargs)
