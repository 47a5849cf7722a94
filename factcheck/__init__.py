"""factcheck: find the quantitative claims in a story's articles, who makes them,
and where sources agree or conflict."""

__version__ = "0.1.0"
