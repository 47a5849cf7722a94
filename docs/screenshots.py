"""Take the README's screenshots of the report of the bundled examples.

Scans examples/ with the reviews of the root claims.yaml into a temporary
folder (nothing in the repository changes but the pictures), opens the pages
in Debian's chromium through Playwright, and writes:

- docs/report-overview.png: the overview
- docs/report-document.png: a document page with a figure's details open
- docs/report-group.png: the page of the conflicting figure
- docs/report-graph.png: the graph picture

Run it from anywhere after `pip install -e ".[test]"`:

    python docs/screenshots.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from factcheck import pipeline  # noqa: E402

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="factcheck-shots-"))
    try:
        shutil.copy(REPO / "claims.yaml", work / "claims.yaml")
        # Sources record paths relative to the repository, as in the showcase.
        os.chdir(REPO)
        result = pipeline.scan(["examples"], work / "claims.yaml", work / "reports", toolkit=pipeline.load_toolkit())
        reports = work / "reports"
        conflict = next(g for g in result.groups if g.status == "conflict")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
            page.goto((reports / "index.html").as_uri())
            page.screenshot(path=REPO / "docs" / "report-overview.png", full_page=True)
            page.goto((reports / "documents" / "daily-ledger-hospital.html").as_uri())
            page.set_viewport_size({"width": 1280, "height": 1150})
            page.locator("mark.claim", has_text="at least 300").click()
            page.screenshot(path=REPO / "docs" / "report-document.png")
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto((reports / "figures" / f"{conflict.id}.html").as_uri())
            page.screenshot(path=REPO / "docs" / "report-group.png", full_page=True)
            page.goto((reports / "graph.html").as_uri())
            page.screenshot(path=REPO / "docs" / "report-graph.png", full_page=True)
            browser.close()
    finally:
        shutil.rmtree(work)
    print("wrote docs/report-overview.png, report-document.png, report-group.png, report-graph.png")


if __name__ == "__main__":
    main()
