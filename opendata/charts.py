"""Charts drawn on the server: geometry here, SVG markup in templates/opendata/_*_chart.html.

No JavaScript and nothing fetched: the page arrives with its charts. Every mark carries its number
(`data-value`) and every chart sits beside a table of the same numbers.
"""

import math
from dataclasses import dataclass, field

BAR_HEIGHT = 18
BAR_GAP = 8
LABEL_WIDTH = 190
BAR_AREA = 380
VALUE_WIDTH = 70
TOP = 24


def nice_ceiling(value):
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above `value` (at least 1): a round top for an axis."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            top = step * magnitude
            return int(top) if top == int(top) else top
    return 10 * magnitude  # pragma: no cover - the loop always returns


def axis_top(value, steps=4):
    """An axis top that splits into `steps` round steps (0, 2, 4, 6, 8 for a largest value of 7)."""
    return nice_ceiling(value / steps) * steps


def _display(value, unit):
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}{unit}"


@dataclass
class Bar:
    label: str
    value: float | int | None
    display: str
    y: float
    width: float

    @property
    def text_y(self):
        return self.y + BAR_HEIGHT - 4


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class BarChart:
    title: str
    unit: str
    bars: list
    ticks: list
    maximum: float
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA
    bar_height: int = BAR_HEIGHT
    top: int = TOP

    @property
    def width(self):
        return self.label_width + self.bar_area + VALUE_WIDTH

    @property
    def height(self):
        return self.top + len(self.bars) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP

    @property
    def axis_bottom(self):
        return self.height - BAR_GAP // 2

    @property
    def value_x(self):
        return self.label_width + 6


def bar_chart(title, items, unit="", maximum=None):
    """Horizontal bars, one per (label, value); a None value draws no bar and reads "—"."""
    values = [value for _label, value in items if value is not None]
    maximum = maximum or axis_top(max(values, default=0))
    bars = []
    for index, (label, value) in enumerate(items):
        width = 0 if value is None else BAR_AREA * value / maximum
        bars.append(
            Bar(
                label=label,
                value=value,
                display=_display(value, unit),
                y=TOP + BAR_GAP + index * (BAR_HEIGHT + BAR_GAP),
                width=round(width, 1),
            )
        )
    ticks = [
        Tick(x=round(LABEL_WIDTH + BAR_AREA * step / 4, 1), label=_display(maximum * step / 4, unit))
        for step in range(5)
    ]
    return BarChart(title=title, unit=unit, bars=bars, ticks=ticks, maximum=maximum)


@dataclass
class Point:
    x: float
    y: float
    value: int
    label: str


@dataclass
class Series:
    name: str
    css_class: str
    points: list = field(default_factory=list)

    @property
    def polyline(self):
        return " ".join(f"{point.x},{point.y}" for point in self.points)


@dataclass
class LineChart:
    title: str
    labels: list  # (x, text) under the axis
    series: list
    ticks: list  # (y, text) beside the axis
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int


MAX_AXIS_LABELS = 10


def line_chart(title, labels, series, axis_labels=None, width=640, height=280):
    """A trend: one line per series [(name, css_class, [values])] over the same `labels`.

    `axis_labels` are shorter texts for under the axis (the points keep the full labels); past
    MAX_AXIS_LABELS only every n-th is written, so that they never overlap.
    """
    left, right, top, bottom = 72, width - 72, 36, height - 48
    maximum = axis_top(max((v for _n, _c, values in series for v in values), default=0))
    count = len(labels)

    def x_at(index):
        if count == 1:
            return (left + right) / 2
        return round(left + (right - left) * index / (count - 1), 1)

    def y_at(value):
        return round(bottom - (bottom - top) * value / maximum, 1)

    drawn = []
    for name, css_class, values in series:
        line = Series(name=name, css_class=css_class)
        for index, value in enumerate(values):
            line.points.append(Point(x=x_at(index), y=y_at(value), value=value, label=labels[index]))
        drawn.append(line)
    ticks = [(y_at(maximum * step / 4), _display(maximum * step / 4, "")) for step in range(5)]
    return LineChart(
        title=title,
        labels=[
            (x_at(index), text)
            for index, text in enumerate(axis_labels or labels)
            if index % math.ceil(count / MAX_AXIS_LABELS) == 0
        ],
        series=drawn,
        ticks=ticks,
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
    )
