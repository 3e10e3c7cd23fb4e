"""Point labels that never overlap: each label takes the first free place around its point.

Where points bunch, a label that finds no free place near its point is left out (the
caller says so on the figure) rather than drawn over another; the points themselves
stay. Placement is done on the laid-out figure, in display units, so it holds for the
image as saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.transforms import Bbox

# offsets (points) from the point to the label's anchor, tried in this order
OFFSETS = [
    (dx * r, dy * r)
    for r in (1, 2)
    for dx, dy in ((6, 6), (6, -6), (-6, 6), (-6, -6), (0, 9), (0, -9), (9, 0), (-9, 0))
]
MARK = 5.0
"""Half the side of the square kept free around each point (display pixels)."""


def _renderer(fig: Any) -> Any:
    """The figure's renderer after a layout pass (an Agg canvas if it has none)."""
    if not hasattr(fig.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def _align(dx: float, dy: float) -> tuple[str, str]:
    ha = "left" if dx > 0 else "right" if dx < 0 else "center"
    va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
    return ha, va


def place_labels(
    ax: Any, points: Sequence[tuple[float, float, str, Any]], size: float = 9
) -> tuple[list[Any], int]:
    """Annotate each ``(x, y, text, colour)`` point of ``ax`` where its label overlaps
    no other label, no other point and stays inside the axes.

    Returns:
        The annotations drawn and how many labels found no free place.
    """
    fig = ax.figure
    renderer = _renderer(fig)
    frame = ax.get_window_extent(renderer)
    to_px = fig.dpi / 72.0
    marks = []
    for x, y, _, _ in points:
        px, py = ax.transData.transform((x, y))
        marks.append(Bbox.from_extents(px - MARK, py - MARK, px + MARK, py + MARK))
    taken: list[Bbox] = []
    drawn, skipped = [], 0
    for k, (x, y, text, colour) in enumerate(points):
        others = marks[:k] + marks[k + 1 :]
        placed = None
        for dx, dy in OFFSETS:
            ha, va = _align(dx, dy)
            ann = ax.annotate(
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                size=size,
                ha=ha,
                va=va,
                color=colour,
                annotation_clip=True,
            )
            ann.set_in_layout(False)  # placing a label must not move the axes
            box = ann.get_window_extent(renderer).expanded(1.0, 1.0)
            pad = 1.0 * to_px
            box = Bbox.from_extents(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)
            inside = (
                box.x0 >= frame.x0
                and box.x1 <= frame.x1
                and box.y0 >= frame.y0
                and box.y1 <= frame.y1
            )
            if inside and not any(box.overlaps(b) for b in taken + others):
                placed, taken = ann, [*taken, box]
                break
            ann.remove()
        if placed is None:
            skipped += 1
        else:
            drawn.append(placed)
    return drawn, skipped
