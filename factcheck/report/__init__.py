"""Static HTML reports: an overview, one page per document, and the figures."""

from factcheck.report.render import highlight, render_report

__all__ = ["highlight", "render_report"]
