"""The pages in docs/ against the code they describe.

docs/cli.md is generated; the other pages are written by hand, so these tests
only check that every key the code accepts or writes is named in them.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from factcheck import model, store
from factcheck.cli import cli
from factcheck.rules import definitions, loader

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


def _generator() -> ModuleType:
    path = DOCS / "generate_cli_reference.py"
    spec = importlib.util.spec_from_file_location("generate_cli_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _named(text: str, key: str) -> bool:
    """Whether ``key`` is written in the page as code: `key`."""
    return f"`{key}`" in text


# ---------------------------------------------------------------- docs/cli.md


def test_cli_reference_is_up_to_date() -> None:
    expected = _generator().render()
    actual = _page("cli.md")
    assert actual == expected, (
        "docs/cli.md is out of date with factcheck/cli.py; "
        "run `python docs/generate_cli_reference.py`"
    )


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_a_section_and_help(name: str) -> None:
    headings = re.findall(r"^## (.+?)\s*$", _page("cli.md"), flags=re.MULTILINE)
    assert f"factcheck {name}" in headings, (
        f"docs/cli.md has no '## factcheck {name}' section; run `python docs/generate_cli_reference.py`"
    )
    command = cli.commands[name]
    assert (command.help or "").strip(), f"factcheck {name} has no help text (write a docstring)"


# ---------------------------------------------------------------- docs/rules.md

RULE_SECTIONS = loader._TABLES + loader._WORD_LISTS + loader._RULE_LISTS + loader._SCALARS


@pytest.mark.parametrize("section", RULE_SECTIONS)
def test_rules_page_names_every_section(section: str) -> None:
    assert _named(_page("rules.md"), section), f"docs/rules.md does not mention the rule file section `{section}`"


@pytest.mark.parametrize(
    ("section", "key"),
    [(section, key) for section, keys in loader._RULE_KEYS.items() for key in sorted(keys)],
)
def test_rules_page_names_every_rule_key(section: str, key: str) -> None:
    assert _named(_page("rules.md"), key), f"docs/rules.md does not mention `{key}`, a key of '{section}' rules"


@pytest.mark.parametrize("word_class", definitions.PATTERN_CLASSES)
def test_rules_page_names_every_word_class(word_class: str) -> None:
    assert f"`{{{word_class}}}`" in _page("rules.md"), f"docs/rules.md does not list the word class {{{word_class}}}"


@pytest.mark.parametrize("kind", model.KINDS)
def test_rules_page_names_every_kind(kind: str) -> None:
    assert _named(_page("rules.md"), kind), f"docs/rules.md does not mention the kind `{kind}`"


# ---------------------------------------------------------------- docs/claims-file.md


@pytest.mark.parametrize("key", store.CLAIM_KEYS)
def test_claims_page_names_every_claim_key(key: str) -> None:
    assert _named(_page("claims-file.md"), key), f"docs/claims-file.md does not mention the claim key `{key}`"


@pytest.mark.parametrize("key", store.SOURCE_KEYS + store.REVIEW_KEYS)
def test_claims_page_names_every_source_and_review_key(key: str) -> None:
    assert _named(_page("claims-file.md"), key), f"docs/claims-file.md does not mention the key `{key}`"


@pytest.mark.parametrize("status", model.REVIEW_STATUSES + model.SOURCE_STATUSES)
def test_claims_page_names_every_status(status: str) -> None:
    assert _named(_page("claims-file.md"), status), f"docs/claims-file.md does not mention the status `{status}`"


def test_claims_page_lists_claim_keys_in_file_order() -> None:
    """The key table follows the order store.py writes."""
    text = _page("claims-file.md")
    table = re.findall(r"^\| `([a-z_]+)` \|", text.split("## Claims", 1)[1], flags=re.MULTILINE)
    assert [k for k in table if k in store.CLAIM_KEYS][: len(store.CLAIM_KEYS)] == list(store.CLAIM_KEYS)
