"""Ingest: read article files, saved web pages, exports and URLs into Documents.

Decodes each input (web pages are reduced to their main text first), marks debris (navigation, photo credits, dead-page
notices, front matter) by the rules in ``data/debris.yaml``, and finds the
title and metadata. The text itself is never changed: body and debris are
spans into it.

>>> from factcheck.ingest import find_inputs, load_debris_rules, make_doc_id, read_document
>>> rules = load_debris_rules()
>>> taken = set()
>>> docs = [read_document(p, rules=rules, doc_id=make_doc_id(p, taken))
...         for p in find_inputs(["examples/harbour-post-reconstruction.txt"])]
>>> [(d.id, d.status, d.title) for d in docs]
[('harbour-post-reconstruction', 'ok', 'Estover rebuild will cost $1.2bn, governor says')]
"""

from factcheck.ingest.debris import DebrisRule, DebrisRules
from factcheck.ingest.errors import IngestError
from factcheck.ingest.exports import ExportColumns
from factcheck.ingest.fetch import FetchOptions
from factcheck.ingest.inputs import find_inputs, make_doc_id
from factcheck.ingest.loader import load_debris_rules
from factcheck.ingest.reader import read_document
from factcheck.ingest.reread import reread_source
from factcheck.ingest.sources import Input, InputOptions, plan_inputs, read_inputs
from factcheck.model import DEFAULT_CACHE_DIR

__all__ = [
    "DEFAULT_CACHE_DIR",
    "DebrisRule",
    "DebrisRules",
    "ExportColumns",
    "FetchOptions",
    "IngestError",
    "Input",
    "InputOptions",
    "find_inputs",
    "load_debris_rules",
    "make_doc_id",
    "plan_inputs",
    "read_document",
    "read_inputs",
    "reread_source",
]
