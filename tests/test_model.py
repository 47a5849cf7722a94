"""The shared vocabulary: how its dataclasses are declared."""

from __future__ import annotations

import dataclasses

import pytest

from factcheck.model import Attribution, Span, datatype, power_of_ten_text


def test_a_datatype_prints_as_a_dataclass_would() -> None:
    @datatype
    class Sample:
        name: str
        hidden: int = dataclasses.field(default=0, repr=False)
        spans: tuple[Span, ...] = ()

    shared = Sample("a", 3, (Span(1, 2),))

    @dataclasses.dataclass
    class Sample:  # type: ignore[no-redef]
        name: str
        hidden: int = dataclasses.field(default=0, repr=False)
        spans: tuple[Span, ...] = ()

    assert repr(shared) == repr(Sample("a", 3, (Span(1, 2),)))
    assert repr(shared).endswith("Sample(name='a', spans=(Span(start=1, end=2),))")


def test_the_records_print_their_fields() -> None:
    assert repr(Span(4, 9)) == "Span(start=4, end=9)"
    assert repr(Attribution("the ministry", cue="said")) == (
        "Attribution(said_by='the ministry', said_by_span=None, cue='said', cue_span=None,"
        " quote_span=None, quoted=False, via=None, via_span=None)"
    )


def test_a_datatype_keeps_its_own_repr_or_none() -> None:
    @datatype
    class Own:
        value: int

        def __repr__(self) -> str:
            return f"<{self.value}>"

    @datatype(repr=False)
    class Unprinted:
        value: int

    assert repr(Own(3)) == "<3>"
    assert repr(Unprinted(3)).startswith("<") and " object at 0x" in repr(Unprinted(3))


def test_a_datatype_takes_the_dataclass_options() -> None:
    assert sorted([Span(3, 4), Span(1, 9), Span(1, 2)]) == [Span(1, 2), Span(1, 9), Span(3, 4)]
    assert len({Span(1, 2), Span(1, 2)}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        Span(1, 2).start = 0  # type: ignore[misc]
    assert dataclasses.is_dataclass(Span) and [f.name for f in dataclasses.fields(Span)] == ["start", "end"]


def test_a_datatype_compares_as_a_dataclass_would() -> None:
    @datatype
    class Shared:
        name: str
        note: str = dataclasses.field(default="", compare=False)

    @dataclasses.dataclass
    class Generated:
        name: str
        note: str = dataclasses.field(default="", compare=False)

    for cls in (Shared, Generated):
        assert cls("a", "x") == cls("a", "y")
        assert cls("a") != cls("b")
        assert cls("a") != ("a",)
        assert cls.__hash__ is None
        with pytest.raises(TypeError):
            hash(cls("a"))

    @datatype
    class Other:
        name: str

    assert Shared("a") != Other("a")
    assert Other("a") == Other("a")


def test_a_datatype_keeps_its_own_equality_and_hash() -> None:
    @datatype
    class Keyed:
        name: str

        def __hash__(self) -> int:
            return hash(self.name)

    @datatype(eq=False)
    class Identity:
        name: str

    assert Keyed("a") == Keyed("a") and hash(Keyed("a")) == hash("a")
    one = Identity("a")
    assert one == one and one != Identity("a")
    assert {one: 1}[one] == 1  # hashed by identity, as an object is


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1.6e-19, "1.6 \u00d7 10\u207b\u00b9\u2079"),
        (3e-7, "3 \u00d7 10\u207b\u2077"),
        (10**18, "1 \u00d7 10\u00b9\u2078"),
        (0.000001, None),
        (10**18 - 1, None),
        (0, None),
        (True, None),
        ("52-48", None),
    ],
)
def test_only_a_value_too_long_to_write_out_is_a_power_of_ten(value: object, shown: str | None) -> None:
    assert power_of_ten_text(value) == shown
