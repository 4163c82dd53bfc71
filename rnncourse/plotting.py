"""Figures for the book: computational graphs, task diagrams and heat maps.

Every helper builds a ``matplotlib.figure.Figure`` directly instead of going
through ``matplotlib.pyplot``. Such figures are not registered with pyplot, so
nothing is shown twice in a notebook and nothing needs closing: a notebook
cell shows a figure by returning it as its last expression.

Drawn elements carry a ``gid`` (a tag that matplotlib stores on each artist),
so that tests and readers can find them:

- graphs: ``"node"`` for circles, ``"arrow"`` for arrows;
- task diagrams: ``"input"``, ``"hidden"`` and ``"output"`` for the boxes,
  ``"arrow"`` for arrows.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

__all__ = [
    "TASK_KINDS",
    "draw_unrolled",
    "draw_task",
    "draw_task_taxonomy",
    "heatmap",
]

#: The five input/output patterns of sequence tasks, in the order the book lists them.
TASK_KINDS = (
    "one-to-one",
    "one-to-many",
    "many-to-one",
    "many-to-many (aligned)",
    "many-to-many (encoder-decoder)",
)

# Colours: inputs red, hidden states green, outputs blue (the usual convention
# of RNN diagrams), in soft tones so that black labels stay readable.
_INPUT_COLOUR = "#f4b6b6"
_HIDDEN_COLOUR = "#b8e0b8"
_OUTPUT_COLOUR = "#b6cdf4"

_NODE_RADIUS = 0.3


def _check_int(value, name, minimum):
    """Raise ValueError unless ``value`` is an int >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")


def _new_axes(ax, figsize):
    """Return ``ax``, or the single Axes of a new Figure of size ``figsize``."""
    if ax is None:
        fig = Figure(figsize=figsize, layout="constrained")
        return fig.subplots()
    return ax


# ---------------------------------------------------------------------------
# Computational graphs: folded and unrolled
# ---------------------------------------------------------------------------


def _node(ax, x, y, label, colour):
    """Draw a labelled circle centred at (x, y); return the Circle."""
    circle = Circle((x, y), _NODE_RADIUS, facecolor=colour, edgecolor="black", lw=1.2, gid="node")
    ax.add_patch(circle)
    ax.text(x, y, label, ha="center", va="center", fontsize=11)
    return circle


def _arrow(ax, start, end, label=None, label_offset=(0.0, 0.0), rad=0.0):
    """Draw an arrow from ``start`` to ``end`` (centres of two nodes), optionally labelled."""
    (x0, y0), (x1, y1) = start, end
    length = np.hypot(x1 - x0, y1 - y0)
    # Start and end on the circles' boundaries rather than at their centres.
    dx, dy = (x1 - x0) / length * _NODE_RADIUS, (y1 - y0) / length * _NODE_RADIUS
    arrow = FancyArrowPatch(
        (x0 + dx, y0 + dy),
        (x1 - dx, y1 - dy),
        arrowstyle="-|>",
        mutation_scale=12,
        lw=1.2,
        color="black",
        connectionstyle=f"arc3,rad={rad}",
        gid="arrow",
    )
    ax.add_patch(arrow)
    if label is not None:
        mx, my = (x0 + x1) / 2 + label_offset[0], (y0 + y1) / 2 + label_offset[1]
        ax.text(mx, my, label, ha="center", va="center", fontsize=10, color="#333333")
    return arrow


def _self_loop(ax, x, y, label):
    """Draw the recurrent loop on the node at (x, y), with a black square for the delay."""
    r = _NODE_RADIUS
    arrow = FancyArrowPatch(
        (x + r * 0.7, y + r * 0.7),
        (x + r * 0.7, y - r * 0.7),
        arrowstyle="-|>",
        mutation_scale=12,
        lw=1.2,
        color="black",
        connectionstyle="arc3,rad=-2.2",
        gid="arrow",
    )
    ax.add_patch(arrow)
    # The loop is a quadratic curve whose rightmost point is at x + 0.7 r + 1.54 r
    # (half of rad = 2.2 times the chord 1.4 r). The square there marks a delay
    # of one time step: h_{t-1} feeds h_t.
    apex = x + 0.7 * r + 1.54 * r
    ax.add_patch(Rectangle((apex - 0.06, y - 0.06), 0.12, 0.12, color="black"))
    ax.text(apex + 0.15, y, label, ha="left", va="center", fontsize=10, color="#333333")
    return arrow


def _layer_sup(layer, layers):
    """The superscript ``^{(l)}`` for a stacked network, nothing for a single layer."""
    return f"^{{({layer})}}" if layers > 1 else ""


def draw_unrolled(T=4, layers=1, outputs=True):
    """Draw an RNN as a folded graph with a loop (left) and unrolled over T steps (right).

    The unrolled graph shows an initial state ``h_0`` for each layer, then for
    each step t the input ``x_t``, the hidden state(s) ``h_t`` and, if
    ``outputs``, the logits ``o_t``. Every edge of the same kind carries the
    same matrix name (U, W, V), which is the point of the picture: the
    parameters are shared across time.

    Inputs:
    - T: number of time steps in the unrolled graph, an int >= 1.
    - layers: number of stacked recurrent layers, an int >= 1.
    - outputs: whether to draw the output nodes ``o_t`` and the V edges.

    Returns:
    - fig: a matplotlib Figure with two Axes, ``fig.axes[0]`` the folded graph
      and ``fig.axes[1]`` the unrolled one. Nodes have gid ``"node"`` and
      arrows gid ``"arrow"``.
    """
    _check_int(T, "T", 1)
    _check_int(layers, "layers", 1)
    if not isinstance(outputs, bool):
        raise ValueError(f"outputs must be True or False, got {outputs!r}")

    height = layers + (2 if outputs else 1)
    # Width ratios equal to the x-ranges below, so that both panels share one scale.
    fig = Figure(figsize=(1.0 + 1.1 * (T + 3.6), 0.6 + 1.1 * height), layout="constrained")
    ax_fold, ax_unroll = fig.subplots(1, 2, width_ratios=[2.4, T + 1.2])

    # Folded: one column, each hidden layer with its own loop.
    _node(ax_fold, 0, 0, "$x$", _INPUT_COLOUR)
    for layer in range(1, layers + 1):
        sup = _layer_sup(layer, layers)
        _node(ax_fold, 0, layer, f"$h{sup}$", _HIDDEN_COLOUR)
        _arrow(ax_fold, (0, layer - 1), (0, layer), f"$U{sup}$", label_offset=(-0.3, 0))
        _self_loop(ax_fold, 0, layer, f"$W{sup}$")
    if outputs:
        _node(ax_fold, 0, layers + 1, "$o$", _OUTPUT_COLOUR)
        _arrow(ax_fold, (0, layers), (0, layers + 1), "$V$", label_offset=(-0.3, 0))
    ax_fold.set_title("folded")

    # Unrolled: column 0 holds the initial states, column t the step t.
    for layer in range(1, layers + 1):
        sup = _layer_sup(layer, layers)
        _node(ax_unroll, 0, layer, f"$h{sup}_0$", "white")
    for t in range(1, T + 1):
        _node(ax_unroll, t, 0, f"$x_{{{t}}}$", _INPUT_COLOUR)
        for layer in range(1, layers + 1):
            sup = _layer_sup(layer, layers)
            _node(ax_unroll, t, layer, f"$h{sup}_{{{t}}}$", _HIDDEN_COLOUR)
            _arrow(ax_unroll, (t, layer - 1), (t, layer), f"$U{sup}$", label_offset=(-0.22, 0))
            _arrow(ax_unroll, (t - 1, layer), (t, layer), f"$W{sup}$", label_offset=(0, 0.14))
        if outputs:
            _node(ax_unroll, t, layers + 1, f"$o_{{{t}}}$", _OUTPUT_COLOUR)
            _arrow(ax_unroll, (t, layers), (t, layers + 1), "$V$", label_offset=(-0.22, 0))
    ax_unroll.set_title(f"unrolled over T = {T} steps")

    top = layers + (1 if outputs else 0)
    ax_fold.set_xlim(-0.8, 1.6)
    ax_unroll.set_xlim(-0.6, T + 0.6)
    for ax in (ax_fold, ax_unroll):
        ax.set_ylim(-0.6, top + 0.6)
        ax.set_aspect("equal")
        ax.axis("off")
    return fig


# ---------------------------------------------------------------------------
# Task taxonomy: boxes for inputs, hidden states and outputs
# ---------------------------------------------------------------------------


def _box(ax, x, y, kind):
    """Draw one small rounded box of the given kind ("input", "hidden" or "output")."""
    colour = {"input": _INPUT_COLOUR, "hidden": _HIDDEN_COLOUR, "output": _OUTPUT_COLOUR}[kind]
    size = 0.5
    box = FancyBboxPatch(
        (x - size / 2, y - size / 2),
        size,
        size,
        boxstyle="round,pad=0.02",
        facecolor=colour,
        edgecolor="black",
        lw=1.0,
        gid=kind,
    )
    ax.add_patch(box)
    return box


def _box_arrow(ax, start, end):
    """A short arrow between the edges of two boxes at unit distance."""
    (x0, y0), (x1, y1) = start, end
    gap = 0.27
    dx = np.sign(x1 - x0) * gap
    dy = np.sign(y1 - y0) * gap
    arrow = FancyArrowPatch(
        (x0 + dx, y0 + dy), (x1 - dx, y1 - dy), arrowstyle="-|>", mutation_scale=9, lw=1.0, gid="arrow"
    )
    ax.add_patch(arrow)
    return arrow


def _task_layout(kind, n_in, n_out):
    """Columns holding an input, a hidden state and an output for each task kind."""
    if kind == "one-to-one":
        return [0], [0], [0]
    if kind == "one-to-many":
        cols = list(range(n_out))
        return [0], cols, cols
    if kind == "many-to-one":
        cols = list(range(n_in))
        return cols, cols, [n_in - 1]
    if kind == "many-to-many (aligned)":
        cols = list(range(n_in))
        return cols, cols, cols
    # encoder-decoder: read n_in inputs, then write n_out outputs.
    return list(range(n_in)), list(range(n_in + n_out)), list(range(n_in, n_in + n_out))


def draw_task(kind, ax=None, n_in=3, n_out=3):
    """Draw one input/output pattern of a sequence task as boxes and arrows.

    Inputs (red boxes) are in the bottom row, hidden states (green) in the
    middle row, outputs (blue) in the top row; time runs left to right.

    Inputs:
    - kind: one of ``TASK_KINDS``.
    - ax: a matplotlib Axes to draw on, or None to create a new Figure.
    - n_in: number of input steps for the "many" input kinds, an int >= 2.
    - n_out: number of output steps for the "many" output kinds, an int >= 2.
      For "many-to-many (aligned)" the length is ``n_in``; ``n_out`` is ignored.

    Returns:
    - ax: the Axes drawn on. Boxes have gid ``"input"``, ``"hidden"`` or
      ``"output"``; arrows have gid ``"arrow"``.
    """
    if kind not in TASK_KINDS:
        raise ValueError(f"kind must be one of {list(TASK_KINDS)}, got {kind!r}")
    _check_int(n_in, "n_in", 2)
    _check_int(n_out, "n_out", 2)
    ax = _new_axes(ax, (3, 2.5))
    in_cols, hid_cols, out_cols = _task_layout(kind, n_in, n_out)

    for col in in_cols:
        _box(ax, col, 0, "input")
        _box_arrow(ax, (col, 0), (col, 1))
    for i, col in enumerate(hid_cols):
        _box(ax, col, 1, "hidden")
        if i > 0:
            _box_arrow(ax, (hid_cols[i - 1], 1), (col, 1))
    for col in out_cols:
        _box(ax, col, 2, "output")
        _box_arrow(ax, (col, 1), (col, 2))

    width = max(hid_cols) + 1
    ax.set_xlim(-0.6, max(width, 3) - 0.4)
    ax.set_ylim(-0.5, 2.5)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(kind, fontsize=10)
    return ax


def draw_task_taxonomy(examples=None, n_in=3, n_out=3):
    """Draw the five task kinds of ``TASK_KINDS`` side by side.

    Inputs:
    - examples: optional dict mapping a kind to a short example text (e.g.
      ``{"many-to-one": "sentiment"}``), written under its diagram.
    - n_in, n_out: passed to ``draw_task`` for every panel.

    Returns:
    - fig: a matplotlib Figure with five Axes, in the order of ``TASK_KINDS``.
    """
    examples = {} if examples is None else examples
    if not isinstance(examples, dict):
        raise ValueError(f"examples must be a dict from task kind to text, got {type(examples).__name__}")
    unknown = sorted(set(examples) - set(TASK_KINDS))
    if unknown:
        raise ValueError(f"examples has unknown task kinds {unknown}; expected keys from {list(TASK_KINDS)}")
    _check_int(n_in, "n_in", 2)
    _check_int(n_out, "n_out", 2)

    widths = [max(len(_task_layout(kind, n_in, n_out)[1]), 3) for kind in TASK_KINDS]
    fig = Figure(figsize=(2.2 + 0.75 * sum(widths), 2.6), layout="constrained")
    axes = fig.subplots(1, len(TASK_KINDS), width_ratios=widths)
    for ax, kind in zip(axes, TASK_KINDS):
        draw_task(kind, ax=ax, n_in=n_in, n_out=n_out)
        if kind in examples:
            ax.set_xlabel(examples[kind], fontsize=9)
    return fig


# ---------------------------------------------------------------------------
# Heat maps
# ---------------------------------------------------------------------------


def _tick_positions(n, most=20):
    """Positions 0..n-1, thinned to every k-th one when there are more than ``most``."""
    step = 1 if n <= most else int(np.ceil(n / 10))
    return list(range(0, n, step))


def heatmap(
    values,
    ax=None,
    row_labels=None,
    col_labels=None,
    title=None,
    xlabel=None,
    ylabel=None,
    cmap="viridis",
    vmin=None,
    vmax=None,
    annotate=False,
    fmt="{:.2f}",
    colorbar=True,
):
    """Show a 2-D array as coloured cells, e.g. hidden units over time or probabilities.

    Row i of ``values`` is drawn as row i of the picture (top to bottom),
    column j as column j (left to right).

    Inputs:
    - values: a 2-D array of finite numbers, shape (R, C).
    - ax: a matplotlib Axes to draw on, or None to create a new Figure.
    - row_labels, col_labels: optional sequences of R and C tick labels; with
      more than 20 labels only about 10 evenly spaced ones are shown.
    - title, xlabel, ylabel: optional texts.
    - cmap: a matplotlib colour-map name.
    - vmin, vmax: the values mapped to the ends of the colour map (default:
      the data's minimum and maximum).
    - annotate: if True, write each value in its cell with ``fmt``.
    - fmt: a format string for the annotations, e.g. ``"{:.2f}"``.
    - colorbar: whether to add a colour bar next to the Axes.

    Returns:
    - ax: the Axes drawn on; ``ax.images[0]`` is the image of ``values``.
    """
    values = np.asarray(values)
    if values.ndim != 2:
        raise ValueError(f"values must be 2-dimensional, got shape {values.shape}")
    if not np.issubdtype(values.dtype, np.number) or values.dtype == bool:
        raise ValueError(f"values must hold numbers, got dtype {values.dtype}")
    if values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError("values must be non-empty and finite (no nan or inf)")
    R, C = values.shape
    if row_labels is not None and len(row_labels) != R:
        raise ValueError(f"row_labels has {len(row_labels)} labels, expected R = {R} (rows of values)")
    if col_labels is not None and len(col_labels) != C:
        raise ValueError(f"col_labels has {len(col_labels)} labels, expected C = {C} (columns of values)")

    ax = _new_axes(ax, (min(9.0, max(3.5, 0.6 * C + 1.8)), min(6.0, max(2.2, 0.45 * R + 1.0))))
    image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto", interpolation="nearest")
    if row_labels is not None:
        rows = _tick_positions(R)
        ax.set_yticks(rows, [str(row_labels[i]) for i in rows])
    if col_labels is not None:
        cols = _tick_positions(C)
        ax.set_xticks(cols, [str(col_labels[j]) for j in cols])
    if title is not None:
        ax.set_title(title)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if annotate:
        # Black text on light cells, white text on dark ones (luminance of the cell's colour).
        for i in range(R):
            for j in range(C):
                red, green, blue, _ = image.cmap(image.norm(values[i, j]))
                light = 0.299 * red + 0.587 * green + 0.114 * blue > 0.5
                colour = "black" if light else "white"
                ax.text(j, i, fmt.format(values[i, j]), ha="center", va="center", fontsize=8, color=colour)
    if colorbar:
        ax.figure.colorbar(image, ax=ax)
    return ax
