"""Read rule files (YAML) into a ``RuleSet``, with errors that say where.

The shipped files live in ``factcheck/rules/data/``. A user's own files use
the same keys and are read after them: their word lists and tables add to the
shipped ones, and their patterns, qualifiers and other rules are tried first,
so a user rule can take precedence without editing the package.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from factcheck.model import WORD_LETTERS, CueLexicon, FactcheckError, datatype
from factcheck.rules.definitions import (
    Calendar,
    Currency,
    Idiom,
    MeasureLexicon,
    NumberWords,
    PatternRule,
    Compound,
    QualifierRule,
    RangeRule,
    RateWords,
    RuleSet,
    Scale,
    UnitSurfaces,
    Vague,
)


# PyYAML is imported where a file is read: with the rules cached
# (factcheck/rules/cache.py), most processes never read one.
if TYPE_CHECKING:
    import yaml


class RuleFileError(FactcheckError):
    """A rule file that cannot be used; the message starts with ``file:line:``."""


class _Lines(dict):
    """A mapping that remembers the 1-based line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _Items(list):
    """A list that remembers the 1-based line of each item."""

    line: int = 0
    item_lines: list[int]


def _to_python(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    import yaml

    if isinstance(node, yaml.MappingNode):
        out = _Lines()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            out[key] = _to_python(value_node, loader)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        out_list = _Items(_to_python(item, loader) for item in node.value)
        out_list.line = node.start_mark.line + 1
        out_list.item_lines = [item.start_mark.line + 1 for item in node.value]
        return out_list
    return loader.construct_object(node, deep=True)


def _read_yaml(path: Path, label: str) -> _Lines:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RuleFileError(f"{label}: cannot read rule file: {err}") from None
    import yaml

    # The C parser, where PyYAML has it, reads the rules several times faster
    # and gives the same nodes and line marks.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        data = _to_python(node, loader) if node is not None else _Lines()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        raise RuleFileError(f"{label}:{line}: not valid YAML: {err.problem}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise RuleFileError(f"{label}:1: a rule file must be a mapping of sections")
    if not hasattr(data, "key_lines"):
        data = _Lines(data)
        data.key_lines = {}
    return data


@datatype(eq=False)
class _Collected:
    """Sections gathered from all files, before they become definitions."""

    tables: dict[str, dict]
    words: dict[str, list]
    rules: dict[str, list]  # section -> [(label, line, mapping)]
    scalars: dict[str, Any]


_TABLES = (
    "units",
    "tens",
    "scales",
    "fractions",
    "ordinals",
    "vague",
    "months",
    "groups",
    "pronouns",
    "genders",
    "quotes",
    "source_prefixes",
    "multipliers",
    "multiplier_verbs",
    "tens_spans",
    "span_parts",
)
_WORD_LISTS = (
    "hundred",
    "articles",
    "latent_alone",
    "verbs_before",
    "nouns_before",
    "generic_nouns",
    "skip_after",
    "not_measures",
    "verbs",
    "prefixes",
    "titles",
    "org_words",
    "not_speakers",
    "abbreviations",
    "clause_openers",
    "auxiliaries",
    "determiners",
    "name_particles",
    "speaker_ends",
    "passive_markers",
    "relative_pronouns",
    "object_verbs",
    "object_clause_verbs",
    "estimate_verbs",
    "estimate_marks",
    "agent_participles",
    "passive_verbs",
    "measure_auxiliaries",
    "clause_joiners",
    "comparisons",
    "plural_words",
    "plural_endings",
    "singular_endings",
    "modifier_endings",
    "not_modifiers",
    "adverb_endings",
    "copulas",
    "level_words",
    "change_words",
    "age_words",
    "past_endings",
    "not_adverbs",
    "adverbs",
    "compound_joiners",
    "compound_halves",
    "metre_nouns",
    "decimal_points",
    "series_words",
    "comparison_words",
    "not_compared",
    "relays",
    "that_verbs",
    "source_nouns",
    "speaker_links",
    "noun_markers",
    "noun_followers",
    "name_joiners",
    "channels",
    "time_words",
    "time_openers",
    "dated_names",
    "source_verbs",
    "coordinators",
)
_RULE_LISTS = ("qualifiers", "currencies", "durations", "quantities", "patterns", "ranges", "idioms", "compounds")
_SCALARS = ("window_before", "year_range", "century_pivot", "rates")
_RATE_KEYS = ("any_noun", "listed_nouns", "nouns", "not_before")
_RULE_KEYS = {
    "qualifiers": {"name", "qualifier", "before", "after", "low", "high", "approximate", "kinds", "not_after", "examples"},
    "currencies": {"code", "symbols", "words", "subunits", "scaled_symbols"},
    "durations": {"unit", "words"},
    "quantities": {"unit", "words"},
    "patterns": {"name", "kind", "pattern", "value", "preceded_by", "latent", "measure", "examples", "unit", "negative"},
    "ranges": {"name", "before", "joiners", "examples", "approximate", "not_after", "changed_by"},
    "idioms": {"phrase", "examples", "name", "pattern"},
    "compounds": {"name", "sizes", "bare_after", "part_words"},
}


def shipped_rule_files() -> list[Path]:
    """The rule files that come with factcheck, in load order."""
    # Beside this module, as the package is always installed as files;
    # importlib.resources would add 5 ms to every run, for its imports.
    folder = Path(__file__).parent / "data"
    return sorted(p for p in folder.iterdir() if p.name.endswith(".yaml"))


def rule_files(extra: Iterable[str | Path] = ()) -> list[Path]:
    """Every file ``load_rules(extra)`` reads, in order, as absolute paths:
    the same files are named the same from any working folder."""
    return [path.resolve() for path in shipped_rule_files() + _expand(extra)]


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))
        elif path.exists():
            out.append(path)
        else:
            raise RuleFileError(f"{path}: no such rule file or folder")
    return out


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _collect(files: list[Path], collected: _Collected, first: bool) -> None:
    for path in files:
        label = _label(path)
        data = _read_yaml(path, label)
        for key, value in data.items():
            line = data.key_lines.get(key, 1)
            where = f"{label}:{line}"
            if key in _TABLES:
                if not isinstance(value, dict):
                    raise RuleFileError(f"{where}: '{key}' must be a mapping")
                collected.tables.setdefault(key, {}).update(_table_entries(key, value, label))
            elif key in _WORD_LISTS:
                if not isinstance(value, list):
                    raise RuleFileError(f"{where}: '{key}' must be a list")
                _check_words(value, key, label, line)
                collected.words.setdefault(key, []).extend(value)
            elif key in _RULE_LISTS:
                if not isinstance(value, list):
                    raise RuleFileError(f"{where}: '{key}' must be a list of rules")
                entries = [
                    (label, value.item_lines[i] if hasattr(value, "item_lines") else line, item)
                    for i, item in enumerate(value)
                ]
                existing = collected.rules.setdefault(key, [])
                # User files are read last but tried first.
                collected.rules[key] = existing + entries if first else entries + existing
            elif key == "percent":
                # A mapping for room to grow, but its words add up like a word list.
                if not isinstance(value, dict) or set(value) != {"words"} or not isinstance(value["words"], list):
                    raise RuleFileError(f"{where}: 'percent' must be a mapping with a 'words' list")
                _check_words(value["words"], key, label, line)
                collected.words.setdefault(key, []).extend(value["words"])
            elif key in _SCALARS:
                try:
                    collected.scalars[key] = _SCALAR_VALUES[key](value)
                except ValueError as err:
                    raise RuleFileError(f"{where}: '{key}': {err}") from None
            else:
                known = sorted((*_TABLES, *_WORD_LISTS, *_RULE_LISTS, *_SCALARS, "percent"))
                raise RuleFileError(f"{where}: unknown section '{key}'; known: {', '.join(known)}")


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not a whole number")
    return value


def _year_range(value: Any) -> tuple[int, int]:
    if not (isinstance(value, list) and len(value) == 2):
        raise ValueError("must be [first, last]")
    return _whole(value[0]), _whole(value[1])


def _rate_words(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict) or set(value) - set(_RATE_KEYS):
        raise ValueError(f"must be a mapping with keys {', '.join(_RATE_KEYS)}")
    return {key: _texts(value.get(key, [])) for key in _RATE_KEYS}


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{value!r} is not a number")
    return float(value)


def _scale(spec: Any) -> Scale:
    """``{value: 1000000, attached: true}``, or the bare value."""
    if not isinstance(spec, dict):
        return Scale(_number(spec))
    if "value" not in spec:
        raise ValueError("needs a 'value'")
    return Scale(_number(spec["value"]), spec.get("attached") is True)


def _vague(spec: Any) -> Vague:
    """``[low, high]``, or ``{low: 12, high: 120, latent: true}``."""
    if isinstance(spec, dict):
        if "low" not in spec or "high" not in spec:
            raise ValueError("needs 'low' and 'high'")
        return Vague(_number(spec["low"]), _number(spec["high"]), spec.get("latent") is True)
    if not (isinstance(spec, list) and len(spec) == 2):
        raise ValueError("must be [low, high]")
    return Vague(_number(spec[0]), _number(spec[1]))


def _month(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise ValueError(f"{value!r} is not a month number (1 to 12)")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{value!r} is not text (quote it)")
    return value


def _gender(value: Any) -> str:
    if value not in ("male", "female"):
        raise ValueError(f"{value!r} is not male or female")
    return str(value)


def _texts(value: Any) -> tuple[str, ...]:
    """One word or phrase, or a list of them."""
    return tuple(_text(v) for v in (value if isinstance(value, list) else [value]))


# What each table maps its words to, checked as the file is read so that a
# bad entry is reported at its own line.
_TABLE_VALUES: dict[str, Callable[[Any], Any]] = {
    "units": _number,
    "tens": _number,
    "scales": _scale,
    "fractions": _number,
    "ordinals": _number,
    "vague": _vague,
    "months": _month,
    "groups": _texts,
    "pronouns": _text,
    "genders": _gender,
    "quotes": _texts,
    "source_prefixes": _texts,
    "multipliers": _number,
    "multiplier_verbs": _number,
    "tens_spans": _number,
    "span_parts": _vague,
}


_SCALAR_VALUES: dict[str, Callable[[Any], Any]] = {
    "window_before": _whole,
    "year_range": _year_range,
    "century_pivot": _whole,
    "rates": _rate_words,
}


def _table_entries(table: str, entries: dict, label: str) -> dict[Any, Any]:
    converted = {}
    for word, value in entries.items():
        try:
            converted[word] = _TABLE_VALUES[table](value)
        except ValueError as err:
            line = getattr(entries, "key_lines", {}).get(word, getattr(entries, "line", 1))
            raise RuleFileError(f"{label}:{line}: '{table}': entry '{word}': {err}") from None
    return converted


def _check_words(words: list, key: str, label: str, line: int) -> None:
    """Every entry of a word list is text. YAML reads a bare on, off, yes or
    no as true or false, which would then never match the word."""
    for index, word in enumerate(words):
        if isinstance(word, str) and word.strip():
            continue
        at = words.item_lines[index] if hasattr(words, "item_lines") else line
        hint = " (YAML reads a bare on/off/yes/no as true/false: quote it)" if isinstance(word, bool) else ""
        raise RuleFileError(f"{label}:{at}: '{key}': entry {word!r} is not a word{hint}")


def _build_rule(section: str, label: str, line: int, item: Any, make: Callable[..., Any]) -> Any:
    name = (
        item.get("name") or item.get("code") or item.get("unit") or item.get("phrase") or item.get("pattern")
        if isinstance(item, dict)
        else None
    )
    where = f"{label}:{line}: rule '{name}'" if name else f"{label}:{line}"
    if not isinstance(item, dict):
        raise RuleFileError(f"{label}:{line}: each entry of '{section}' must be a mapping")
    unknown = sorted(set(item) - _RULE_KEYS[section])
    if unknown:
        key_line = getattr(item, "key_lines", {}).get(unknown[0], line)
        raise RuleFileError(f"{label}:{key_line}: rule '{name}': unknown key '{unknown[0]}'")
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in item.items()}
    try:
        return make(**fields)
    except (TypeError, ValueError) as err:
        raise RuleFileError(f"{where}: {err}") from None


def _words(collected: _Collected, key: str) -> tuple[str, ...]:
    return tuple(str(w) for w in collected.words.get(key, []))


def _lowered(collected: _Collected, key: str) -> tuple[str, ...]:
    """A word list in lower case, in the files' order."""
    return tuple(w.lower() for w in _words(collected, key))


def _lowered_set(collected: _Collected, key: str) -> frozenset[str]:
    """A word list in lower case, as a set."""
    return frozenset(_lowered(collected, key))


def _dated_names(names: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Names as written, split into words and filed by their first: the
    capitals tell "USA Today" the paper from "today"."""
    filed: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        words = tuple(name.split())
        if words:
            filed.setdefault(words[0], []).append(words)
    return {first: tuple(found) for first, found in filed.items()}


def _numbers(collected: _Collected) -> NumberWords:
    lower = lambda table: {str(k).lower(): v for k, v in collected.tables.get(table, {}).items()}  # noqa: E731
    return NumberWords(
        units=lower("units"),
        tens=lower("tens"),
        hundred=_lowered(collected, "hundred"),
        scales=lower("scales"),
        articles=_lowered(collected, "articles"),
        fractions=lower("fractions"),
        ordinals=lower("ordinals"),
        vague=lower("vague"),
        latent_alone=_lowered_set(collected, "latent_alone"),
        multipliers=lower("multipliers"),
        multiplier_verbs=lower("multiplier_verbs"),
        decimal_points=_lowered(collected, "decimal_points"),
        series_words=_lowered(collected, "series_words"),
        comparison_words=_lowered(collected, "comparison_words"),
        not_compared=_lowered(collected, "not_compared"),
        tens_spans=lower("tens_spans"),
        span_parts=lower("span_parts"),
    )


def _measures(collected: _Collected) -> MeasureLexicon:
    groups = {}
    for key, members in collected.tables.get("groups", {}).items():
        for member in members:
            groups[str(member).lower()] = str(key)
        groups[str(key).lower()] = str(key)
    window = collected.scalars.get("window_before", 4)
    return MeasureLexicon(
        verbs_before=_lowered_set(collected, "verbs_before"),
        nouns_before=_lowered_set(collected, "nouns_before"),
        window_before=window,
        generic_nouns=_lowered_set(collected, "generic_nouns"),
        auxiliaries=_lowered_set(collected, "measure_auxiliaries"),
        skip_after=tuple(sorted({w.lower() for w in _words(collected, "skip_after")}, key=lambda w: -len(w))),
        not_measures=_lowered_set(collected, "not_measures"),
        groups=groups,
        plural_words=_lowered_set(collected, "plural_words"),
        plural_endings=_lowered(collected, "plural_endings") or ("s",),
        singular_endings=_lowered(collected, "singular_endings") or ("ss",),
        modifier_endings=_lowered(collected, "modifier_endings"),
        not_modifiers=_lowered_set(collected, "not_modifiers"),
        adverb_endings=_lowered(collected, "adverb_endings"),
        copulas=_lowered_set(collected, "copulas"),
        level_words=_lowered_set(collected, "level_words"),
        change_words=_lowered_set(collected, "change_words"),
        age_words=_lowered_set(collected, "age_words"),
        past_endings=_lowered(collected, "past_endings"),
        not_adverbs=_lowered_set(collected, "not_adverbs"),
        adverbs=_lowered_set(collected, "adverbs"),
        clause_joiners=_lowered(collected, "clause_joiners"),
        comparisons=_lowered(collected, "comparisons"),
    )


def _calendar(collected: _Collected) -> Calendar:
    return Calendar(
        months={str(k): v for k, v in collected.tables.get("months", {}).items()},
        year_range=collected.scalars.get("year_range", (1800, 2100)),
        century_pivot=collected.scalars.get("century_pivot", 50),
    )


def _compound(name: str, sizes: dict, bare_after: dict | None = None, part_words: dict | None = None) -> Compound:
    return Compound(
        name=str(name),
        sizes={str(k): float(v) for k, v in dict(sizes).items()},
        bare_after={str(k): str(v) for k, v in dict(bare_after or {}).items()},
        part_words={str(k): tuple(str(w) for w in v) for k, v in dict(part_words or {}).items()},
    )


def _rates(collected: _Collected) -> RateWords:
    return RateWords(**collected.scalars.get("rates", {key: () for key in _RATE_KEYS}))


def _cues(collected: _Collected) -> CueLexicon:
    lexicon = CueLexicon(
        verbs=_lowered_set(collected, "verbs"),
        prefixes=tuple(sorted({w.lower() for w in _words(collected, "prefixes")}, key=lambda w: (-len(w), w))),
        pronouns={str(k).lower(): v for k, v in collected.tables.get("pronouns", {}).items()},
        genders={str(k).lower().rstrip("."): v for k, v in collected.tables.get("genders", {}).items()},
        titles=_lowered_set(collected, "titles"),
        org_words=frozenset(_words(collected, "org_words")),
        not_speakers=_lowered_set(collected, "not_speakers"),
        clause_openers=_lowered_set(collected, "clause_openers"),
        auxiliaries=_lowered_set(collected, "auxiliaries"),
        determiners=_lowered_set(collected, "determiners"),
        name_particles=_lowered_set(collected, "name_particles"),
        passive_markers=_lowered_set(collected, "passive_markers"),
        relative_pronouns=_lowered_set(collected, "relative_pronouns"),
        relays=tuple(sorted({w.lower() for w in _words(collected, "relays")}, key=lambda w: (-len(w), w))),
        that_verbs=_lowered_set(collected, "that_verbs"),
        source_nouns=_lowered_set(collected, "source_nouns"),
        speaker_links=_lowered_set(collected, "speaker_links"),
        noun_markers=_lowered_set(collected, "noun_markers"),
        noun_followers=_lowered_set(collected, "noun_followers"),
        name_joiners=_lowered_set(collected, "name_joiners"),
        source_prefixes={
            str(k).lower(): frozenset(w.lower() for w in v) for k, v in collected.tables.get("source_prefixes", {}).items()
        },
        channels=_lowered_set(collected, "channels"),
        time_words=_lowered_set(collected, "time_words"),
        time_openers=_lowered_set(collected, "time_openers"),
        dated_names=_dated_names(_words(collected, "dated_names")),
        source_verbs=_lowered_set(collected, "source_verbs"),
        coordinators=_lowered_set(collected, "coordinators"),
        object_verbs=_lowered_set(collected, "object_verbs"),
        object_clause_verbs=_lowered_set(collected, "object_clause_verbs"),
        estimate_verbs=_lowered_set(collected, "estimate_verbs"),
        estimate_marks=_lowered_set(collected, "estimate_marks"),
        agent_participles=_lowered_set(collected, "agent_participles"),
        passive_verbs=_lowered_set(collected, "passive_verbs"),
        # Shared with the measures: the same words are adverbs for both stages.
        adverb_endings=_lowered(collected, "adverb_endings"),
        not_adverbs=_lowered_set(collected, "not_adverbs"),
        speaker_ends=_lowered_set(collected, "speaker_ends"),
        quotes={str(k): v for k, v in collected.tables.get("quotes", {}).items()},
    )
    # Derived here, once, rather than for every document attribution reads.
    every = lexicon.verbs | lexicon.that_verbs | lexicon.source_verbs
    closers = frozenset(mark for marks in lexicon.quotes.values() for mark in marks)
    return replace(
        lexicon,
        report_words=frozenset(w for w in every if " " not in w),
        speaker_stops=frozenset(w for w in lexicon.verbs if " " not in w)
        | lexicon.auxiliaries
        | lexicon.not_speakers
        | lexicon.passive_markers
        | lexicon.clause_openers
        | lexicon.relative_pronouns
        | frozenset(lexicon.pronouns),
        cue_starts=frozenset(w.split()[0] for w in every | set(lexicon.prefixes) | set(lexicon.relays) if w.strip())
        | frozenset(lexicon.source_prefixes)
        | lexicon.passive_verbs,
        cue_words=_cue_words(lexicon, every),
        verb_phrases=_split(sorted((w for w in every if " " in w), key=lambda w: (-len(w), w))),
        prefix_phrases=_split(lexicon.prefixes),
        relay_phrases=_split(lexicon.relays),
        quote_closers=closers,
        quote_marks="|".join(re.escape(m) for m in sorted({*lexicon.quotes, *closers}, key=lambda m: (-len(m), m))),
    )


def _cue_words(lexicon: CueLexicon, every: frozenset[str]) -> dict[str, tuple[frozenset[str], ...]]:
    """What each cue needs in a sentence, filed under its longest word: a
    report verb or phrase, a channel ("statement"), a source prefix with one
    of its nouns ("in" + "poll"), a passive verb with "by". A cue without
    letters is filed under ""."""

    def letters(phrase: str) -> frozenset[str]:
        return frozenset(re.findall(WORD_LETTERS, phrase.lower()))

    needs = {letters(cue) for cue in every | lexicon.channels | set(lexicon.prefixes) | set(lexicon.relays)}
    needs |= {letters(f"{prefix} {noun}") for prefix, nouns in lexicon.source_prefixes.items() for noun in nouns}
    needs |= {letters(f"{verb} by") for verb in lexicon.passive_verbs}
    filed: dict[str, list[frozenset[str]]] = {}
    for words in sorted(needs, key=sorted):
        filed.setdefault(max(words, key=lambda w: (len(w), w), default=""), []).append(words)
    return {word: tuple(found) for word, found in sorted(filed.items())}


def _split(phrases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(phrase.split()) for phrase in phrases)


def _check_units(
    units: Iterable[tuple[str, int, UnitSurfaces]], ureg: Any, *, times: bool = False
) -> list[tuple[str, int, UnitSurfaces]]:
    """Check a user's units with pint and write each in pint's own spelling;
    with ``times``, each must be a span of time."""
    checked = []
    for label, line, surfaces in units:
        try:
            parsed = ureg.parse_units(surfaces.unit)
        except Exception as err:  # pint raises several error types for bad units
            raise RuleFileError(f"{label}:{line}: rule '{surfaces.unit}': not a pint unit ({err})") from None
        canonical = str(parsed)
        if times and parsed.dimensionality != ureg.parse_units("second").dimensionality:
            raise RuleFileError(f"{label}:{line}: rule '{surfaces.unit}': a duration's unit must be a time, not {canonical!r}")
        checked.append((label, line, replace(surfaces, unit=canonical)))
    return checked


def load_rules(extra: Iterable[str | Path] = (), *, ureg: Any = None) -> RuleSet:
    """Load the shipped rules plus a user's rule files or folders.

    ``ureg`` (a ``pint.UnitRegistry``), when given, checks every unit named in
    the user's files and rewrites it in pint's spelling. The shipped files
    are written in that spelling already (a test checks it), so a scan with
    no unit rules of its own never needs to build a registry. Raises
    ``RuleFileError`` naming the file and line of a problem.
    """
    collected = _Collected(tables={}, words={}, rules={}, scalars={})
    shipped = shipped_rule_files()
    user = _expand(extra)
    _collect(shipped, collected, first=True)
    _collect(user, collected, first=False)

    def build(section: str, make: Callable[..., Any]) -> list[tuple[str, int, Any]]:
        return [
            (label, line, _build_rule(section, label, line, item, make))
            for label, line, item in collected.rules.get(section, [])
        ]

    shipped_labels = {_label(p) for p in shipped}

    def units(section: str) -> list[tuple[str, int, Any]]:
        built = build(section, UnitSurfaces)
        theirs = [u for u in built if u[0] not in shipped_labels]
        if ureg is None or not theirs:
            return built
        checked = iter(_check_units(theirs, ureg, times=section == "durations"))
        return [next(checked) if u[0] not in shipped_labels else u for u in built]

    durations = units("durations")
    quantities = units("quantities")
    try:
        return RuleSet(
            numbers=_numbers(collected),
            qualifiers=tuple(r for _, _, r in build("qualifiers", QualifierRule)),
            currencies=tuple(r for _, _, r in build("currencies", Currency)),
            percent_words=_words(collected, "percent") or ("%",),
            durations=tuple(r for _, _, r in durations),
            quantities=tuple(r for _, _, r in quantities),
            measures=_measures(collected),
            calendar=_calendar(collected),
            patterns=tuple(r for _, _, r in build("patterns", PatternRule)),
            ranges=tuple(r for _, _, r in build("ranges", RangeRule)),
            idioms=tuple(r for _, _, r in build("idioms", Idiom)),
            cues=_cues(collected),
            abbreviations=frozenset(_words(collected, "abbreviations")),
            files=tuple(str(p.resolve()) for p in shipped + user),
            rates=_rates(collected),
            compounds=tuple(r for _, _, r in build("compounds", _compound)),
            compound_joiners=_words(collected, "compound_joiners"),
            compound_halves=_words(collected, "compound_halves"),
            metre_nouns=frozenset(w.lower() for w in _words(collected, "metre_nouns")),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise RuleFileError(f"rule files: {err}") from None
