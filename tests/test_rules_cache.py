"""Compiled rules kept on disk: the same figures as compiling them afresh."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from factcheck import attribution
from factcheck.rules import compile_rules, definitions, engine, load_matcher, load_rules, prefilter, sentences
from factcheck.rules.cache import cached_matcher
from factcheck.compiled import compiled_form, rebuilt
from factcheck.rules.loader import rule_files

SENTENCES = [
    "The war has killed more than 290,000 people since 2011, the monitor said.",
    "Prices rose 3.4% in March; the firm lost $1.2bn, or about 25k a day.",
    "Between 10 and 12 percent of the 4,500 displaced were children under five.",
    "It was the third meeting in two weeks, and some 40 km/h winds slowed it.",
    "One in five voters backed the plan, up from a quarter on 26 August 2016.",
]


def found(matcher, text: str) -> list[tuple[str, str, object, object]]:
    return [(m.span.slice(text), m.rule, m.value, m.unit) for m in matcher.find_matches(text)]


class Compiler:
    """Compiles the shipped rules and counts how often it had to."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return compile_rules(load_rules())


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("FACTCHECK_RULES_CACHE", str(cache))
    return cache


def test_second_load_comes_from_the_cache_and_finds_the_same(folder: Path) -> None:
    compiler = Compiler()
    first = cached_matcher(rule_files(), compiler)
    second = cached_matcher(rule_files(), compiler)
    assert compiler.calls == 1
    assert len(list(folder.glob("rules-*.pickle"))) == 1
    fresh = compile_rules(load_rules())
    for sentence in SENTENCES:
        assert found(second, sentence) == found(fresh, sentence) == found(first, sentence)
    assert found(second, SENTENCES[0])[0] == ("more than 290,000", "more than <figure> / <number>", 290000, None)


def test_a_damaged_cache_file_is_compiled_again_and_replaced(folder: Path) -> None:
    compiler = Compiler()
    cached_matcher(rule_files(), compiler)
    (cache_file,) = folder.glob("rules-*.pickle")
    cache_file.write_bytes(cache_file.read_bytes()[:5000])
    matcher = cached_matcher(rule_files(), compiler)
    assert compiler.calls == 2
    assert found(matcher, SENTENCES[1])[0][:3] == ("3.4%", "<number> percent", 3.4)
    cached_matcher(rule_files(), compiler)
    assert compiler.calls == 2


def test_an_edited_user_rule_file_is_not_read_from_the_cache(folder: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("percent:\n  words: [prozent]\n", encoding="utf-8")
    assert found(load_matcher([mine]), "up 4 prozent")[0][:2] == ("4 prozent", "<number> percent")
    # The same length, one letter apart: the file's bytes are read, not its size.
    mine.write_text("percent:\n  words: [procent]\n", encoding="utf-8")
    matcher = load_matcher([mine])
    assert found(matcher, "up 5 procent")[0][:2] == ("5 procent", "<number> percent")
    assert [f[0] for f in found(matcher, "up 4 prozent")] == ["4"]
    assert len(list(folder.glob("rules-*.pickle"))) == 2


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCHECK_RULES_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    compiler = Compiler()
    cached_matcher(rule_files(), compiler)
    cached_matcher(rule_files(), compiler)
    assert compiler.calls == 2
    assert list(tmp_path.rglob("*.pickle")) == []


def test_a_cache_folder_that_cannot_be_made_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("FACTCHECK_RULES_CACHE", str(blocker / "cache"))
    compiler = Compiler()
    matcher = cached_matcher(rule_files(), compiler)
    assert found(matcher, SENTENCES[2])[0][0] == "Between 10 and 12 percent"
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_run_from_another_folder_is_a_hit(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Error messages name rule files relative to the working folder; the
    # cache must not, or every folder a user works in would compile anew.
    mine = tmp_path / "mine.yaml"
    mine.write_text("percent:\n  words: [prozent]\n", encoding="utf-8")
    (tmp_path / "story-a").mkdir()
    (tmp_path / "story-b").mkdir()
    compiler = Compiler()
    monkeypatch.chdir(tmp_path / "story-a")
    cached_matcher(rule_files(["../mine.yaml"]), compiler)
    loaded_in_a = load_rules(["../mine.yaml"])
    monkeypatch.chdir(tmp_path / "story-b")
    matcher = cached_matcher(rule_files([mine]), compiler)
    assert compiler.calls == 1
    assert len(list(folder.glob("rules-*.pickle"))) == 1
    assert asdict(load_rules([mine])) == asdict(loaded_in_a)
    assert loaded_in_a.files[-1] == str(mine)
    assert found(matcher, SENTENCES[3])[0][:2] == ("third", "<ordinal>")


def test_rules_read_from_the_cache_leave_their_classes_unbuilt(folder: Path) -> None:
    # The point of writing a datatype's __init__ on first use: rules that
    # come from the cache are never built, so a short run compiles none of
    # their methods. Run in fresh processes, as the first use is per process.
    probe = (
        "from factcheck.rules import load_matcher\n"
        "from factcheck.rules import definitions\n"
        "load_matcher()\n"
        "print(type(vars(definitions.PatternRule)['__init__']).__name__)\n"
    )
    assert _twice_in_fresh_processes(probe) == ["function", "_InitOnFirstUse"]


def test_reading_the_cache_leaves_the_python_pickler_unloaded(folder: Path) -> None:
    # The pickle module defines a pure-Python pickler as well, which cost a
    # short run as much as unpickling the rules: the C unpickler alone reads.
    probe = "import sys\nfrom factcheck.rules import load_matcher\nload_matcher()\nprint('pickle' in sys.modules)\n"
    assert _twice_in_fresh_processes(probe) == ["False", "False"]
    assert len(list(folder.glob("rules-*.pickle"))) == 1


def _twice_in_fresh_processes(probe: str) -> list[str]:
    """What ``probe`` prints in a process that writes the cache, then in one that reads it."""
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True) for _ in range(2)]
    return [run.stdout.strip() for run in runs]


# ------------------------------------------------- the modules' fixed regexes


def _extract(cache: Path | str, home: Path | None = None) -> str:
    if isinstance(cache, Path) and not any(cache.glob("rules-*.pickle")):
        # The session's compiled rules, so that each process need not compile them.
        for compiled_rules in Path(os.environ["FACTCHECK_RULES_CACHE"]).glob("rules-*.pickle"):
            shutil.copy(compiled_rules, cache)
    environment = {**os.environ, "FACTCHECK_RULES_CACHE": str(cache)}
    if home is not None:
        environment.update(HOME=str(home), XDG_CACHE_HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-m", "factcheck", "extract", "-"],
        input=SENTENCES[1],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return done.stdout


def _missed_any(cache: Path) -> bool:
    script = "import factcheck.cli, factcheck.compiled as c; print(c._missed)"
    environment = {**os.environ, "FACTCHECK_RULES_CACHE": str(cache)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment, check=True)
    return {"True": True, "False": False}[done.stdout.strip()]


def test_the_modules_regexes_are_read_back_from_their_table(tmp_path: Path) -> None:
    first = _extract(tmp_path)
    assert "3.4%" in first and "$1.2bn" in first
    (table,) = tmp_path.glob("regexes-*.pickle")
    written = table.read_bytes()
    assert not _missed_any(tmp_path)
    assert _extract(tmp_path) == first
    assert table.read_bytes() == written


def test_a_damaged_table_or_entry_only_costs_compiling(tmp_path: Path) -> None:
    first = _extract(tmp_path)
    (table,) = tmp_path.glob("regexes-*.pickle")
    table.write_bytes(b"not a table")
    assert _extract(tmp_path) == first
    entries = pickle.loads(table.read_bytes())
    assert len(entries) > 30
    # Code the regex engine refuses, for every entry: each is compiled anew.
    damaged = {key: (form[0], form[1], b"\xff" * 8, *form[3:]) for key, form in entries.items()}
    table.write_bytes(pickle.dumps(damaged))
    assert _missed_any(tmp_path)
    assert _extract(tmp_path) == first
    assert pickle.loads(table.read_bytes()) == entries


def test_off_keeps_no_table(tmp_path: Path) -> None:
    _extract("off", home=tmp_path)
    assert list(tmp_path.rglob("*.pickle")) == []


def test_a_rebuilt_regex_is_the_one_compiled() -> None:
    text = "Rami said: \u201cSome 1,200 were hit\u201d - up 3.4% on 12 March. Then 6\u2032 2\u2033."
    for module in (engine, sentences, attribution, definitions, prefilter):
        for name, compiled in vars(module).items():
            if not isinstance(compiled, re.Pattern):
                continue
            again = rebuilt(*compiled_form(compiled)[1])
            fresh = re.compile(compiled.pattern, compiled.flags)
            assert (again.pattern, again.flags, again.groupindex) == (fresh.pattern, fresh.flags, fresh.groupindex), name
            assert [m.span() for m in again.finditer(text)] == [m.span() for m in fresh.finditer(text)], name
