"""How the report copes with a large story: 2,000 documents, 50,000 claims.

Invents a story (its own synthetic text: made-up places, speakers and
measures), groups its claims with the real graph stage, then times
``render_report``, prints the pages' sizes, and times rendering again into
the same folder (as ``factcheck report`` does after an edit), checking that
no byte changed and counting the pages written again (none should be).
Each render also prints the process's peak resident memory (``ru_maxrss``)
and how much of it the render added. With ``--tracemalloc`` it also prints
the peak of Python's own allocations during each render (tracing slows
rendering, so its times are not comparable). With ``--browser`` it also
opens the heaviest page of each kind in chromium (Playwright,
/usr/bin/chromium) and times loading it and filtering the claims list.

    python bench/report_scale.py                      # 2,000 documents x 25 claims
    python bench/report_scale.py --documents 200      # a quicker run
    python bench/report_scale.py --tracemalloc        # and where Python's memory peaks
    python bench/report_scale.py --browser --keep out/  # keep the site, time it in a browser

The numbers are printed, not asserted: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from factcheck import pipeline  # noqa: E402
from factcheck.model import Claim, ClaimSet, Document, Source, Span  # noqa: E402
from factcheck.report import render_report  # noqa: E402

SYLLABLES = ["bar", "ven", "tal", "dor", "mis", "kel", "rin", "sol", "pra", "lum", "ost", "wen", "gri", "zan"]
UNITS = [("count", None, ""), ("money", "EUR", "€"), ("percent", None, "%")]


def word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def invent(documents: int, per_document: int, seed: int = 7) -> tuple[ClaimSet, dict[str, Document]]:
    """A story of ``documents`` articles with ``per_document`` figures each.

    About ``documents * per_document / 20`` measures, each reported by some
    twenty articles; most agree, some give another figure, so there are
    shared, single and conflicting figures in realistic proportions.
    """
    rng = random.Random(seed)
    measures = sorted({word(rng, 3) + "s" for _ in range(documents * per_document // 20)})
    truth = {m: (rng.choice(UNITS), rng.randrange(20, 90_000)) for m in measures}
    speakers = sorted({f"{word(rng, 2).title()} {word(rng, 3).title()}" for _ in range(400)})
    outlets = sorted({f"The {word(rng, 2).title()} {rng.choice(['Post', 'Courier', 'Herald', 'Wire'])}" for _ in range(60)})
    sources, claims, texts = [], [], {}
    for number in range(documents):
        doc_id = f"story-{number:05d}"
        outlet = outlets[number % len(outlets)]
        published = f"2026-03-{1 + number % 3:02d}"
        paragraphs, offset, found = [], 0, []
        for index in range(per_document):
            measure = measures[(number * 7 + index * 13) % len(measures)]
            (kind, unit, sign), value = truth[measure]
            if rng.random() < 0.02:
                value = value * 2 + 1  # a source that has it wrong
            figure = f"{sign}{value:,}" if kind == "money" else f"{value:,}{sign}"
            speaker = rng.choice(speakers) if rng.random() < 0.7 else None
            lead = f"{speaker} said " if speaker else "Records show "
            sentence = f"{lead}{figure} {measure} were counted in {word(rng, 2).title()}."
            start = offset + sentence.index(figure)
            said = Span(offset, offset + len(speaker)) if speaker else None
            found.append((index, sentence, figure, Span(start, start + len(figure)), measure, kind, unit, value,
                          speaker, said))
            paragraphs.append(sentence)
            offset += len(sentence) + 2
        text = "\n\n".join(paragraphs)
        texts[doc_id] = Document(id=doc_id, text=text, body=(Span(0, len(text)),), title=f"{outlet}: report {number}",
                                 outlet=outlet, published=published)
        sources.append(Source(doc_id, f"{doc_id}.txt", None, f"{outlet}: report {number}", outlet, published, "", "ok"))
        for index, sentence, figure, span, measure, kind, unit, value, speaker, said in found:
            claims.append(Claim(
                id=f"c-{number:05d}-{index:02d}", source=doc_id, text=figure, sentence=sentence, kind=kind,
                value=value, unit=unit, qualifier=None, low=value, high=value, measure=measure, said_by=speaker,
                span=span, said_by_span=said, cue="said" if speaker else None, rule="<number> <measure>",
            ))
    return ClaimSet(sources=tuple(sources), claims=tuple(claims)), texts


T = TypeVar("T")


def resident_mb() -> float:
    """The process's resident memory now, in MB (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mb() -> float:
    """The process's peak resident memory so far, in MB (``ru_maxrss`` is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10


def reset_peak() -> bool:
    """Start the peak over from the memory resident now, so that the next
    reading is the peak of what runs after (Linux 4.0 and later), not of
    inventing and grouping the story."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def measured(label: str, trace: bool, render: Callable[[], T]) -> T:
    """Run ``render()``; print its time and memory."""
    fresh = reset_peak()
    resident = resident_mb()
    if trace:
        tracemalloc.start()
    began = time.perf_counter()
    result = render()
    seconds = time.perf_counter() - began
    traced = ""
    if trace:
        traced = f"; Python allocations peaked at {tracemalloc.get_traced_memory()[1] / 2**20:,.0f} MB"
        tracemalloc.stop()
    peak = peak_mb()
    added = f" (+{peak - resident:,.0f} MB)" if fresh else " (process peak so far)"
    print(f"{label}: {seconds:.1f} s; resident {resident:,.0f} MB before, peak {peak:,.0f} MB{added}{traced}")
    return result


def sizes(site: Path) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for page in site.rglob("*.html"):
        part = page.parent.name if page.parent != site else page.stem.split("-")[0]
        found.setdefault(part, []).append(page.stat().st_size)
    return found


def heaviest(site: Path) -> list[Path]:
    """The pages to time: the overview, the graph, and the largest page of
    each other kind (each list, a document, a figure)."""
    kinds = ["claims*.html", "figures*.html", "speakers*.html", "documents*.html", "documents/*.html", "figures/*.html"]
    found = [site / "index.html", site / "graph.html"]
    found += [max(site.glob(kind), key=lambda p: p.stat().st_size) for kind in kinds if any(site.glob(kind))]
    return found


def in_browser(site: Path, loads: int = 3) -> None:
    from playwright.sync_api import sync_playwright

    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        page = browser.new_page()
        page.goto((site / "index.html").as_uri(), wait_until="load")  # the browser's own start-up, untimed
        slowest = (0.0, "")
        for path in heaviest(site):
            name = path.relative_to(site).as_posix()
            times = []
            for _ in range(loads):
                began = time.perf_counter()
                page.goto(path.as_uri(), wait_until="load")
                times.append(time.perf_counter() - began)
            slowest = max(slowest, (max(times), name))
            print(f"  browser: {name} loaded in {statistics.median(times):.2f} s "
                  f"(median of {loads}, slowest {max(times):.2f} s; {path.stat().st_size / 1e3:.0f} kB)")
        print(f"  browser: slowest load {slowest[0]:.2f} s ({slowest[1]})")
        page.goto((site / "claims.html").as_uri())
        began = time.perf_counter()
        page.fill("form.filters input[name=q]", "said")
        page.locator(".filter-count").inner_text()
        print(f"  browser: typing a search over claims.html took {time.perf_counter() - began:.2f} s "
              f"({page.locator('.filter-count').inner_text()})")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--claims-per-document", type=int, default=25)
    parser.add_argument("--keep", type=Path, help="write the site here and keep it")
    parser.add_argument("--browser", action="store_true", help="time the heaviest pages in chromium")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also print the peak of Python's allocations during each render (slower)")
    args = parser.parse_args()

    began = time.perf_counter()
    claimset, documents = invent(args.documents, args.claims_per_document)
    print(f"story: {len(claimset.sources):,} documents, {len(claimset.claims):,} claims "
          f"(invented in {time.perf_counter() - began:.1f} s)")
    toolkit = pipeline.load_toolkit()
    began = time.perf_counter()
    groups = pipeline.figure_groups(claimset, toolkit)
    statuses = {s: sum(g.status == s for g in groups) for s in ("conflict", "update", "shared", "single")}
    print(f"groups: {len(groups):,} {statuses} in {time.perf_counter() - began:.1f} s")

    out = args.keep or Path(tempfile.mkdtemp(prefix="factcheck-scale-"))
    try:
        written = measured("render_report", args.tracemalloc,
                                    lambda: render_report(claimset, documents, groups, out))
        total = sum(p.stat().st_size for p in written)
        print(f"  {len(written):,} pages, {total / 1e6:.0f} MB")
        for part, found in sorted(sizes(out).items()):
            print(f"  {part:<10} {len(found):>6,} pages  median {statistics.median(found) / 1e3:>7.1f} kB  "
                  f"largest {max(found) / 1e3:>8.1f} kB")
        before = {p: hashlib.sha256(p.read_bytes()).digest() for p in written}
        stamps = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in written}
        again = measured("render_report again, same folder", args.tracemalloc,
                         lambda: render_report(claimset, documents, groups, out))
        same = again == written and all(hashlib.sha256(p.read_bytes()).digest() == before[p] for p in again)
        rewritten = sum((p.stat().st_ino, p.stat().st_mtime_ns) != stamps.get(p) for p in again)
        print(f"  {'byte-identical' if same else 'PAGES DIFFER'}; {rewritten:,} of {len(again):,} pages written again")
        if args.browser:
            in_browser(out)
    finally:
        if args.keep is None:
            shutil.rmtree(out)


if __name__ == "__main__":
    main()
