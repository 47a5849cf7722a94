"""Group claims that measure the same thing, and decide whether they agree.

Grouping. A claim joins a group by its kind family (a count, a share, money,
a physical quantity), its measure (after the measure lexicon: "killed",
"dead" and "death toll" all measure deaths), its unit dimension (metres and
feet compare, metres and kilograms do not; each currency only with itself)
and its subject, when the text names what was counted ("85 cattle died"
measures deaths of cattle, which never joins a death toll of people).

Comparison. Every claim is read as an interval: the bounds its qualifier
gives ("at least 300"), widened for approximate wording ("about 4,500") and
for rounding, which is read from how the figure is written ("1.2 billion"
stands for 1.15 to 1.25 billion). Units are converted before comparing.
Within a group, compatible claims form figures; two figures that cannot
both hold are an update when their reports are dated apart or the wording
says the figure changed ("rose to 150"), and a conflict otherwise.

Provenance. Each figure counts its independent sources: the speakers it is
attributed to, with short mentions ("the agency", "Petrov") read as the
full name the same document gives, and with an unattributed figure taken as
relayed when its article attributes the same figure elsewhere. Five
outlets quoting one agency are one source.

People's decisions (claims.yaml ``decisions:``) merge groups, split them,
or mark a conflict resolved; every group says in words why it is flagged.

Dates and ordinals are never grouped: an ordinal ("the third meeting") is a
position, not an amount, and dates need calendar-aware comparison.

The modules, in the order a claim passes through them: ``wording`` (the
words around a figure), ``comparison`` (the comparison rules and each claim
read as an interval), ``measures`` (what a figure measures, and of what),
``provenance`` (who it comes from), ``values`` (claims split into figures
that agree, and how two figures relate), ``explain`` (each flag in words),
``grouping`` (``find_groups``: all of it, with the people's decisions) and
``network`` (the graph of sources, speakers, claims and groups, written as
GraphML).
"""

from factcheck.graph.comparison import (
    DIRECTIONS,
    ROLES,
    SHIPPED_COMPARISON,
    ChangeCue,
    Comparison,
    ComparisonError,
    find_change,
    load_comparison,
    reading,
    rounding,
)
from factcheck.graph.explain import compact_number, format_number
from factcheck.graph.grouping import STATUS_ORDER, find_groups, group_order
from factcheck.graph.measures import Lexicon
from factcheck.graph.network import build_graph, write_graphml
from factcheck.graph.values import KIND_FAMILIES

__all__ = [
    "DIRECTIONS",
    "KIND_FAMILIES",
    "ROLES",
    "SHIPPED_COMPARISON",
    "STATUS_ORDER",
    "ChangeCue",
    "Comparison",
    "ComparisonError",
    "Lexicon",
    "build_graph",
    "compact_number",
    "find_change",
    "find_groups",
    "format_number",
    "group_order",
    "load_comparison",
    "reading",
    "rounding",
    "write_graphml",
]
