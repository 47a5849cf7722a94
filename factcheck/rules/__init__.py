"""The rules engine and its data: figures found by rules written in YAML."""

from factcheck.rules.cache import load_matcher
from factcheck.rules.definitions import RuleSet
from factcheck.rules.engine import Matcher, compile_rules
from factcheck.rules.loader import RuleFileError, load_rules, shipped_rule_files
from factcheck.rules.sentences import split_sentences

__all__ = [
    "Matcher",
    "RuleFileError",
    "RuleSet",
    "compile_rules",
    "load_matcher",
    "load_rules",
    "shipped_rule_files",
    "split_sentences",
]
