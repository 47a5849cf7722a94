"""Measure how factcheck reads web pages, against ../shared/eval/html.

Run by hand from the repository root:

    .venv/bin/python bench/html_pages.py [--out bench/out/html]

It reads every page of ``pages/`` as ``factcheck scan`` would (the main
text of the Document's body), writes one NAME.txt per page, and scores them
with the data set's own ``score_text.py`` (bag-of-words token F1 and number
recall against ``gold/``). It does the same for trafilatura's plain
``extract`` as the baseline, times both (pages per second), checks the
metadata against the gold titles, authors and dates where there are some,
and measures dead-page detection on ``soft404/`` plus the 40 articles: a
page counts as found dead when its status is ``unavailable``.

It names the five pages where factcheck scores worst, and writes a diff
per page into ``factcheck-diff/`` of the output folder: the paragraphs of
the gold text that factcheck lost (``-``) and those it kept that the gold
text leaves out (``+``), lowercased and stripped of punctuation.

The evaluation data is read where it lies and never copied.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import trafilatura

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval" / "html"
sys.path.insert(0, str(REPO))

from factcheck import pipeline  # noqa: E402
from factcheck.ingest import load_debris_rules, read_document  # noqa: E402

DEAD_LABELS = ("dead", "moved")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "html")
    args = parser.parse_args()
    if not EVAL.exists():
        sys.exit(f"{EVAL} is not there (the shared data sits next to the repository)")
    rules = load_debris_rules()
    pages = sorted((EVAL / "pages").glob("*.html"))

    ours, ours_seconds, documents = _run(pages, args.out / "factcheck", lambda p: _ours(p, rules))
    base, base_seconds, _ = _run(pages, args.out / "trafilatura", _trafilatura)
    bare, bare_seconds, _ = _run(pages, args.out / "trafilatura-no-comments", _trafilatura_no_comments)
    print(f"main text, {len(pages)} pages (token F1, number recall, pages/s):")
    runs = (
        ("trafilatura.extract", base, base_seconds),
        ("  without comments", bare, bare_seconds),
        ("factcheck", ours, ours_seconds),
    )
    for name, folder, seconds in runs:
        by_set, by_page = _score(folder)
        line = "  ".join(f"{key} F1 {f1:.3f} numbers R {nr:.3f}" for key, (f1, nr) in by_set.items())
        print(f"  {name:20} {line}  {len(pages) / seconds:.1f} pages/s")
    worst = sorted(by_page.items(), key=lambda item: item[1])[:5]
    print("  factcheck's worst pages:", "  ".join(f"{page} {f1:.3f}" for page, f1 in worst))
    _write_diffs(ours, args.out / "factcheck-diff")
    _metadata(documents)
    _dead_pages(rules, documents)


def _run(pages: list[Path], out: Path, read) -> tuple[Path, float, dict]:
    out.mkdir(parents=True, exist_ok=True)
    results = {}
    start = time.perf_counter()
    for page in pages:
        results[page.stem] = read(page)
    seconds = time.perf_counter() - start
    for name, (text, _) in results.items():
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
    return out, seconds, {name: doc for name, (_, doc) in results.items()}


def _ours(path: Path, rules) -> tuple[str, object]:
    document = read_document(path, rules=rules)
    return pipeline.body_text(document), document


def _trafilatura(path: Path) -> tuple[str, None]:
    return trafilatura.extract(path.read_bytes()) or "", None


def _trafilatura_no_comments(path: Path) -> tuple[str, None]:
    return trafilatura.extract(path.read_bytes(), include_comments=False) or "", None


def _score(folder: Path) -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    """Macro token F1 and number recall, for all pages and per source set;
    and the F1 of each page."""
    scorer = EVAL / "score_text.py"
    output = subprocess.run(
        [sys.executable, str(scorer), str(folder), "--gold", str(EVAL / "gold")],
        check=True, capture_output=True, text=True,
    ).stdout
    rows = re.findall(r"^(\S+)\s+P [\d.]+ R [\d.]+ F1 ([\d.]+) numbers R ([\d.]+)$", output, re.MULTILINE)
    sets: dict[str, list[tuple[float, float]]] = {"all": []}
    for name, f1, nr in rows:
        for key in ("all", name.split("-")[0]):
            sets.setdefault(key, []).append((float(f1), float(nr)))
    by_set = {key: (sum(f for f, _ in v) / len(v), sum(n for _, n in v) / len(v)) for key, v in sets.items()}
    return by_set, {name: float(f1) for name, f1, _ in rows}


def _write_diffs(folder: Path, out: Path) -> None:
    """One diff of paragraphs per page, gold against ours (see the module doc)."""
    out.mkdir(parents=True, exist_ok=True)
    for gold in sorted((EVAL / "gold").glob("*.txt")):
        want = _paragraphs(gold.read_text(encoding="utf-8"))
        ours = folder / gold.name
        got = _paragraphs(ours.read_text(encoding="utf-8") if ours.exists() else "")
        lines = []
        matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op != "equal":
                lines += [f"- {p}" for p in want[i1:i2]] + [f"+ {p}" for p in got[j1:j2]]
        (out / gold.name).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def _paragraphs(text: str) -> list[str]:
    return [folded for folded in (_fold(line) for line in text.splitlines()) if folded]


def _metadata(documents: dict) -> None:
    with (EVAL / "manifest.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    checks = {"title": 0, "author": 0, "published": 0}
    totals = dict.fromkeys(checks, 0)
    for row in rows:
        doc = documents.get(row["name"])
        gold = {"title": row["gold_title"], "author": row["gold_author"], "published": row["gold_date"]}
        for key, expected in gold.items():
            if not expected:
                continue
            totals[key] += 1
            found = getattr(doc, key) or ""
            if key == "author":
                # Bylines are written many ways; the first gold name must be in ours.
                first = re.split(r"[|,;]| and ", expected)[0]
                checks[key] += _fold(first) in _fold(found)
            else:
                checks[key] += _fold(found) == _fold(expected)
    outlets = sum(1 for doc in documents.values() if doc.outlet)
    canonical = sum(1 for doc in documents.values() if doc.canonical_url)
    print("metadata (pages with gold):", "  ".join(f"{k} {checks[k]}/{totals[k]}" for k in checks),
          f" outlet found {outlets}/{len(documents)}  canonical_url found {canonical}/{len(documents)}")


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _dead_pages(rules, articles: dict) -> None:
    soft = EVAL / "soft404"
    labels = {}
    for meta in sorted((soft / "meta").glob("*.json")):
        labels[meta.stem] = json.loads(meta.read_text(encoding="utf-8"))["label"]
    verdicts = {}
    for page in sorted((soft / "pages").glob("*.html")):
        verdicts[page.stem] = (labels.get(page.stem, page.stem.split("-")[0]), read_document(page, rules=rules))
    for name, doc in articles.items():
        verdicts[name] = ("article", doc)
    found = [(label, doc.status == "unavailable") for label, doc in verdicts.values()]
    tp = sum(1 for label, dead in found if dead and label in DEAD_LABELS)
    fp = sum(1 for label, dead in found if dead and label not in DEAD_LABELS)
    fn = sum(1 for label, dead in found if not dead and label in DEAD_LABELS)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"dead pages ({len(verdicts)} pages, {tp + fn} dead or moved): precision {precision:.3f} recall {recall:.3f}")
    lost = [name for name, (label, doc) in verdicts.items() if label == "article" and doc.status != "ok"]
    print(f"  articles not read as ok: {lost or 'none'}")
    for name, (label, doc) in sorted(verdicts.items()):
        if label != "article":
            print(f"  {label:12} {doc.status:12} {name}  ({doc.reason})")


if __name__ == "__main__":
    main()
