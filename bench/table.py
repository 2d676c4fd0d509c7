"""The table every bench script prints: a measure per row, its values, and the target."""

from __future__ import annotations


def print_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """First column left-aligned, the others right-aligned, the last (the target) left-aligned."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: tuple[str, ...]) -> str:
        parts = [f"{cells[0]:<{widths[0]}}"]
        parts += [f"{c:>{w}}" for c, w in zip(cells[1:-1], widths[1:-1], strict=True)]
        parts.append(str(cells[-1]))
        return "  ".join(parts)

    print(line(headers))
    print("-" * (sum(widths) + 2 * len(widths)))
    for row in rows:
        print(line(row))
