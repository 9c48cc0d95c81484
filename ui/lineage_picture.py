"""A lineage traversal drawn as a Graphviz picture (DOT text, rendered by the browser).

Columns are grouped in a box per dataset; edges are coloured by kind and columns by what
propagation concluded, so that a steward sees at a glance where personal information goes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from lineage.graph import Traversal, split_node
from lineage.models import dataset_name

EDGE_STYLES = {
    "copy": 'color="#1f4e79" penwidth=2',
    "transformation": 'color="#2e7d32" penwidth=2',
    "aggregation": 'color="#ef6c00" penwidth=2 style=dashed',
    "filter_join": 'color="#9e9e9e" style=dotted',
    None: 'color="#616161"',
}
MARK_FILLS = {
    "source": "#f8bbd0",
    "derived": "#ffcdd2",
    "aggregate": "#ffe0b2",
    None: "#ffffff",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def lineage_dot(
    traversal: Traversal,
    marks: Mapping[str, str],
    _: Callable[[str], str],
) -> str:
    """DOT text of a traversal; ``marks`` maps a column node to source/derived/aggregate."""
    boxes: dict[str, list[str]] = defaultdict(list)
    for node in traversal.nodes:
        dataset, column = split_node(node)
        boxes[dataset].append(node) if column is not None else boxes.setdefault(dataset, [])
    lines = [
        "digraph lineage {",
        '  rankdir=LR; node [shape=box style="rounded,filled" fontname="Helvetica" fontsize=10];',
        '  graph [fontname="Helvetica" fontsize=11]; edge [arrowsize=0.7];',
    ]
    for index, (dataset, columns) in enumerate(sorted(boxes.items())):
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(
            f'    label={_quote(dataset_name(dataset))}; style="rounded"; color="#90a4ae";'
        )
        if dataset in traversal.nodes:  # a dataset node: whole-dataset or filter/join edges
            lines.append(f'    {_quote(dataset)} [label="▤" shape=plaintext style="" width=0.2];')
        for node in sorted(columns):
            column = split_node(node)[1] or ""
            mark = marks.get(node)
            fill = MARK_FILLS.get(mark, MARK_FILLS[None])
            border = ' penwidth=3 color="#0d47a1"' if node == traversal.start else ""
            lines.append(
                f"    {_quote(node)} [label={_quote(column)} fillcolor={_quote(fill)}{border}];"
            )
        lines.append("  }")
    for edge in traversal.edges:
        style = EDGE_STYLES.get(edge.kind, EDGE_STYLES[None])
        label = f" label={_quote(_(edge.kind))} fontsize=8" if edge.kind else ""
        lines.append(f"  {_quote(edge.upstream)} -> {_quote(edge.downstream)} [{style}{label}];")
    lines.append("}")
    return "\n".join(lines)
