"""The shared vocabulary: how its dataclasses are declared."""

from __future__ import annotations

import dataclasses
import pickle
from typing import ClassVar

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
    @datatype(frozen=True, order=True)
    class Pair:
        start: int
        end: int

    assert sorted([Pair(3, 4), Pair(1, 9), Pair(1, 2)]) == [Pair(1, 2), Pair(1, 9), Pair(3, 4)]
    assert len({Pair(1, 2), Pair(1, 2)}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        Pair(1, 2).start = 0  # type: ignore[misc]
    assert dataclasses.is_dataclass(Pair) and [f.name for f in dataclasses.fields(Pair)] == ["start", "end"]


def test_a_span_is_a_checked_unchangeable_pair_of_ends() -> None:
    assert sorted([Span(3, 4), Span(1, 9), Span(1, 2)]) == [Span(1, 2), Span(1, 9), Span(3, 4)]
    assert len({Span(1, 2), Span(1, 2)}) == 1
    assert (Span(1, 2).start, Span(1, 2).end, len(Span(2, 7))) == (1, 2, 5)
    assert repr(Span(1, 2)) == "Span(start=1, end=2)"
    assert pickle.loads(pickle.dumps(Span(4, 9))) == Span(4, 9)
    assert type(pickle.loads(pickle.dumps(Span(4, 9)))) is Span
    with pytest.raises(AttributeError):
        Span(1, 2).start = 0  # type: ignore[misc]
    for start, end in ((3, 2), (-1, 4)):
        with pytest.raises(ValueError, match=rf"bad span \[{start}, {end}\)"):
            Span(start, end)


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


def _sample_classes(decorate):  # type: ignore[no-untyped-def]
    @decorate
    class Sample:
        name: str
        count: int = 0
        tags: list[str] = dataclasses.field(default_factory=list)
        seen: bool = dataclasses.field(default=False, init=False)
        label: str = dataclasses.field(default="", kw_only=True)

        def __post_init__(self) -> None:
            if self.count < 0:
                raise ValueError("a count below zero")

    @decorate(frozen=True)
    class Fixed:
        start: int
        end: int = 9

    return Sample, Fixed


def test_a_datatype_is_built_as_a_dataclass_would_be() -> None:
    import inspect

    (shared, fixed), (generated, generated_fixed) = _sample_classes(datatype), _sample_classes(dataclasses.dataclass)
    for sample, frozen in ((shared, fixed), (generated, generated_fixed)):
        one, two = sample("a", 2), sample(name="b")
        assert (one.name, one.count, one.tags, one.seen) == ("a", 2, [], False)
        assert sample("d", label="x").label == "x"
        with pytest.raises(TypeError):
            sample("d", 1, [], "x")  # the label is given by name only
        assert (two.count, two.tags is not one.tags) == (0, True)
        with pytest.raises(ValueError, match="below zero"):
            sample("c", -1)
        with pytest.raises(TypeError, match="missing 1 required positional argument: 'name'"):
            sample()
        assert (frozen(3).start, frozen(3).end) == (3, 9)
        with pytest.raises(dataclasses.FrozenInstanceError):
            frozen(3).start = 4  # type: ignore[misc]
    assert str(inspect.signature(shared)) == str(inspect.signature(generated))
    assert dataclasses.replace(fixed(1, 2), end=5) == fixed(1, 5)


def test_a_datatype_writes_its_init_when_first_looked_up() -> None:
    from factcheck import model

    @datatype
    class Later:
        value: int

    assert isinstance(vars(Later)["__init__"], model._InitOnFirstUse)
    assert Later(4).value == 4
    assert vars(Later)["__init__"].__qualname__.endswith("Later.__init__")

    @datatype
    class Own:
        value: int

        def __init__(self, text: str) -> None:
            self.value = int(text)

    @datatype(init=False)
    class Unbuilt:
        value: int = 0

    assert Own("5").value == 5
    with pytest.raises(TypeError):
        Unbuilt(1)  # type: ignore[call-arg]


def test_a_datatype_takes_no_pseudo_fields() -> None:
    with pytest.raises(TypeError, match="no InitVar or ClassVar"):

        @datatype
        class Counted:
            total: ClassVar[int] = 0
