"""Server-rendered SVG charts: the geometry of each chart, computed here, drawn by the
templates in ``templates/partnership/monitoring/charts/``. Every chart's numbers are also in
a table next to it, so the SVG is a picture of the table (``role="img"`` with a title).

Coordinates are in the SVG's own units (a viewBox ``WIDTH`` wide); the SVG scales to its
column, so the same chart serves a phone and a wide screen.
"""

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 400
ROW = 34  # the height of one labelled bar
BAR = 14


@dataclass
class Bar:
    label: str
    value_text: str
    y: float  # top of the label line; the bar sits under it
    width: float
    suppressed: bool = False

    @property
    def bar_y(self):
        return self.y + 6

    @property
    def text_y(self):
        return self.y


def _scale(values, floor):
    top = max([floor, *values]) if values else floor
    return top or 1


def progress(items, *, target: Decimal) -> dict:
    """One bar per (label, share, value_text); a vertical line at the target. The scale runs
    to whichever is larger, the target or the best share, plus a margin."""
    shares = [share for _label, share, _text in items if share is not None]
    top = _scale([float(s) for s in shares], float(target)) * 1.25
    bars = [
        Bar(
            label=label,
            value_text=text,
            y=index * ROW + 14,
            width=(float(share) / top * WIDTH) if share is not None else 0,
        )
        for index, (label, share, text) in enumerate(items)
    ]
    return {
        "width": WIDTH,
        "height": len(bars) * ROW + 8,
        "bars": bars,
        "bar_height": BAR,
        "target_x": float(target) / top * WIDTH,
    }


def ranked(items, *, suppress_under: int = 0) -> dict:
    """Horizontal bars, longest first, for (label, value, value_text); a value under
    ``suppress_under`` (but not 0) is drawn without a bar so its length tells nothing."""
    values = [value for _label, value, _text in items]
    top = _scale(values, 1)
    bars = []
    for index, (label, value, text) in enumerate(items):
        hidden = 0 < value < suppress_under
        bars.append(
            Bar(
                label=label,
                value_text=text,
                y=index * ROW + 14,
                width=0 if hidden else value / top * WIDTH * 0.85,
                suppressed=hidden,
            )
        )
    return {"width": WIDTH, "height": len(bars) * ROW + 8, "bars": bars, "bar_height": BAR}


@dataclass
class Column:
    label: str
    value_text: str
    x: float
    y: float
    height: float
    suppressed: bool = False

    @property
    def label_x(self):
        return self.x + COLUMN / 2

    @property
    def value_y(self):
        return self.y - 4


COLUMN = 36
PLOT = 160  # the height of the columns' area


def trend(items, *, suppress_under: int = 0) -> dict:
    """Columns by year for (label, value, value_text), left to right."""
    values = [value for _label, value, _text in items]
    top = _scale(values, 1)
    step = min(WIDTH / max(len(items), 1), 80)
    columns = []
    for index, (label, value, text) in enumerate(items):
        hidden = 0 < value < suppress_under
        height = 0 if hidden else value / top * PLOT
        columns.append(
            Column(
                label=label,
                value_text=text,
                x=index * step + (step - COLUMN) / 2,
                y=20 + PLOT - height,
                height=height,
                suppressed=hidden,
            )
        )
    return {
        "width": WIDTH,
        "height": PLOT + 50,
        "columns": columns,
        "column_width": COLUMN,
        "base_y": 20 + PLOT,
        "label_y": 20 + PLOT + 18,
    }
