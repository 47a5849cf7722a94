"""The one exception the ingest stage raises."""

from factcheck.model import FactcheckError


class IngestError(FactcheckError):
    """A problem the user must fix before a scan can run: a missing input
    path, or a debris rule file that is unreadable or malformed.

    Messages start with the file (and line, when there is one) they are
    about, e.g. ``"my-rules.yaml:7: rule 'Advertisement': unknown key 'exmples'"``.
    Bad article *content* never raises: it becomes a Document status instead.
    """
