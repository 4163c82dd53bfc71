"""Tests for rnncourse.plotting: each helper draws what it says, renders, and refuses bad input.

Elements are counted through the ``gid`` tags the module puts on them
("node", "arrow", "input", "hidden", "output"), so the tests do not depend
on colours or positions.
"""

import io

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rnncourse import plotting  # noqa: E402


def _count(ax, gid):
    return sum(1 for patch in ax.patches if patch.get_gid() == gid)


def _texts(ax):
    return [text.get_text() for text in ax.texts]


def _renders(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    return buffer.getvalue().startswith(b"\x89PNG")


# ------------------------------------------------------------------ draw_unrolled


@pytest.mark.parametrize("T, layers, outputs", [(1, 1, True), (4, 1, True), (3, 2, True), (5, 3, False)])
def test_draw_unrolled_counts_nodes_and_arrows(T, layers, outputs):
    fig = plotting.draw_unrolled(T=T, layers=layers, outputs=outputs)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
    folded, unrolled = fig.axes
    n_out = 1 if outputs else 0
    # Folded: x, the hidden layers, o; edges U per layer, a loop per layer, V.
    assert _count(folded, "node") == 1 + layers + n_out
    assert _count(folded, "arrow") == 2 * layers + n_out
    # Unrolled: an initial state per layer, then x_t, the layers' h_t and o_t at every step.
    assert _count(unrolled, "node") == layers + T * (1 + layers + n_out)
    assert _count(unrolled, "arrow") == T * (2 * layers + n_out)
    assert _renders(fig)


def test_draw_unrolled_labels_share_one_matrix_name_per_edge_kind():
    fig = plotting.draw_unrolled(T=3)
    labels = _texts(fig.axes[1])
    for t in (1, 2, 3):
        for name in ("x", "h", "o"):
            assert f"${name}_{{{t}}}$" in labels
    assert "$h_0$" in labels
    assert labels.count("$U$") == 3 and labels.count("$W$") == 3 and labels.count("$V$") == 3
    assert "unrolled" in fig.axes[1].get_title() and fig.axes[0].get_title() == "folded"


def test_draw_unrolled_stacked_labels_have_layer_superscripts():
    labels = _texts(plotting.draw_unrolled(T=2, layers=2).axes[1])
    assert "$h^{(2)}_{2}$" in labels and "$h^{(1)}_0$" in labels
    assert labels.count("$W^{(1)}$") == 2 and labels.count("$U^{(2)}$") == 2


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"T": 0}, "T"),
        ({"T": 2.5}, "T"),
        ({"T": True}, "T"),
        ({"layers": 0}, "layers"),
        ({"layers": "2"}, "layers"),
        ({"outputs": "yes"}, "outputs"),
    ],
)
def test_draw_unrolled_rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} "):
        plotting.draw_unrolled(**kwargs)


# ------------------------------------------------------------------ draw_task

# (inputs, hidden states, outputs, arrows) for n_in = 3, n_out = 4.
EXPECTED_TASK_COUNTS = {
    "one-to-one": (1, 1, 1, 2),
    "one-to-many": (1, 4, 4, 1 + 3 + 4),
    "many-to-one": (3, 3, 1, 3 + 2 + 1),
    "many-to-many (aligned)": (3, 3, 3, 3 + 2 + 3),
    "many-to-many (encoder-decoder)": (3, 7, 4, 3 + 6 + 4),
}


def test_expected_counts_cover_every_kind():
    assert set(EXPECTED_TASK_COUNTS) == set(plotting.TASK_KINDS)


@pytest.mark.parametrize("kind", plotting.TASK_KINDS)
def test_draw_task_counts_boxes_and_arrows(kind):
    ax = plotting.draw_task(kind, n_in=3, n_out=4)
    assert isinstance(ax, Axes)
    n_input, n_hidden, n_output, n_arrow = EXPECTED_TASK_COUNTS[kind]
    assert _count(ax, "input") == n_input
    assert _count(ax, "hidden") == n_hidden
    assert _count(ax, "output") == n_output
    assert _count(ax, "arrow") == n_arrow
    assert ax.get_title() == kind
    assert _renders(ax.figure)


def test_draw_task_draws_on_the_given_axes():
    fig = Figure()
    ax = fig.subplots()
    assert plotting.draw_task("many-to-one", ax=ax) is ax
    assert len(fig.axes) == 1


@pytest.mark.parametrize(
    "args, kwargs, name",
    [
        (("many-to-few",), {}, "kind"),
        ((None,), {}, "kind"),
        (("many-to-one",), {"n_in": 1}, "n_in"),
        (("one-to-many",), {"n_out": 0}, "n_out"),
        (("one-to-many",), {"n_out": 3.0}, "n_out"),
    ],
)
def test_draw_task_rejects_bad_arguments(args, kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} "):
        plotting.draw_task(*args, **kwargs)


# ------------------------------------------------------------------ draw_task_taxonomy


def test_draw_task_taxonomy_has_one_panel_per_kind_in_order():
    fig = plotting.draw_task_taxonomy({"many-to-one": "sentiment"})
    assert isinstance(fig, Figure)
    assert [ax.get_title() for ax in fig.axes] == list(plotting.TASK_KINDS)
    xlabels = [ax.get_xlabel() for ax in fig.axes]
    assert xlabels[plotting.TASK_KINDS.index("many-to-one")] == "sentiment"
    assert sum(1 for label in xlabels if label) == 1
    assert sum(_count(ax, "output") for ax in fig.axes) == 1 + 3 + 1 + 3 + 3
    assert _renders(fig)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"examples": {"two-to-two": "x"}}, "examples"),
        ({"examples": ["sentiment"]}, "examples"),
        ({"n_in": 0}, "n_in"),
        ({"n_out": 1}, "n_out"),
    ],
)
def test_draw_task_taxonomy_rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} "):
        plotting.draw_task_taxonomy(**kwargs)


# ------------------------------------------------------------------ heatmap


def test_heatmap_shows_the_values_with_labels_and_colorbar():
    values = np.arange(12.0).reshape(3, 4)
    ax = plotting.heatmap(values, row_labels=["a", "b", "c"], col_labels="hwxy", title="T", xlabel="t")
    assert isinstance(ax, Axes)
    np.testing.assert_array_equal(ax.images[0].get_array(), values)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["h", "w", "x", "y"]
    assert ax.get_title() == "T" and ax.get_xlabel() == "t"
    assert len(ax.figure.axes) == 2  # the heat map and its colour bar
    assert len(ax.texts) == 0  # no annotations unless asked
    assert _renders(ax.figure)


def test_heatmap_annotates_every_cell_and_can_skip_the_colorbar():
    values = np.array([[0.1, 0.9], [0.5, 0.25], [1.0, 0.0]])
    ax = plotting.heatmap(values, annotate=True, fmt="{:.1f}", colorbar=False, vmin=0, vmax=1)
    assert len(ax.figure.axes) == 1
    assert sorted(_texts(ax)) == sorted(f"{v:.1f}" for v in values.ravel())
    assert ax.images[0].get_clim() == (0, 1)


def test_heatmap_thins_long_label_lists():
    ax = plotting.heatmap(np.zeros((2, 50)), col_labels=range(1, 51), colorbar=False)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "1" and 5 <= len(labels) <= 12


def test_heatmap_accepts_integer_values_and_an_existing_axes():
    fig = Figure()
    ax = fig.subplots()
    assert plotting.heatmap(np.array([[1, 2], [3, 4]]), ax=ax, colorbar=False) is ax


@pytest.mark.parametrize(
    "values, kwargs, name",
    [
        (np.zeros(3), {}, "values"),
        (np.zeros((2, 2, 2)), {}, "values"),
        (np.array([[1.0, np.nan]]), {}, "values"),
        (np.array([[1.0, np.inf]]), {}, "values"),
        (np.zeros((0, 3)), {}, "values"),
        (np.array([["a", "b"]]), {}, "values"),
        (np.zeros((2, 3)), {"row_labels": ["only one"]}, "row_labels"),
        (np.zeros((2, 3)), {"col_labels": ["a", "b"]}, "col_labels"),
    ],
)
def test_heatmap_rejects_bad_arguments(values, kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} "):
        plotting.heatmap(values, **kwargs)
