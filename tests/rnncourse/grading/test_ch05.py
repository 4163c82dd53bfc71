"""Tests for the chapter-5 parts of rnncourse.grading: gated units (assignment 05_gated).

The reference passes every check silently; realistic mistakes (a swapped gate, a convention of
another library, a missing factor in a backward pass, a trivial answer to the measurement) fail
with a message that names the function, the case and what differs.
"""

import nbformat
import numpy as np
import pytest

import rnncourse
from rnncourse import gated
from rnncourse.grading import check_against_reference, check_gradients_numerically, simulate, verify
from rnncourse.grading.chapters import TASKS
from rnncourse.grading.jail import JailLimits
from support import EXERCISES, SOLUTIONS, raises_message, read

NAMES = ["lstm_step_forward", "peephole_lstm_step_forward", "peephole_lstm_step_backward", "gru_step_forward",
         "gru_step_backward", "lstm_gradient_norms_through_time", "cell_gradient_decay_rate"]


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_passes(name, seed, capfd):
    assert check_against_reference(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("name", ["peephole_lstm_step_backward", "gru_step_backward"])
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_backward_passes_the_numerical_check(name, seed, capfd):
    assert check_gradients_numerically(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


def test_every_task_of_the_chapter_is_registered_with_its_checks():
    assert [n for n, t in TASKS.items() if t.chapter == 5] == NAMES
    assert TASKS["peephole_lstm_step_backward"].check_names() == ["visible", "hidden", "numeric"]
    assert TASKS["gru_step_backward"].check_names() == ["visible", "hidden", "numeric"]
    # the plain LSTM's step backward, which the chapter derives, is not a task: the measurement
    # calls the peephole step backward with zero peepholes instead
    assert "lstm_step_backward" not in TASKS
    assert TASKS["lstm_gradient_norms_through_time"].calls == ("peephole_lstm_step_backward",)


@pytest.mark.parametrize("name", NAMES)
def test_cases_have_n_1_and_non_square_weights_d_differs_from_h(name):
    cases = TASKS[name].cases(np.random.default_rng(0))
    xs = [kw["x"] if "x" in kw else kw["X"] for _, kw in cases]
    Hs = [kw["W"].shape[1] for _, kw in cases]
    assert any(x.shape[0] == 1 for x in xs) and any(x.shape[0] > 1 for x in xs)
    assert any(x.shape[-1] != H for x, H in zip(xs, Hs))
    for x, (_, kw) in zip(xs, cases):
        G = 3 if name.startswith("gru") else 4
        assert kw["U"].shape == (G * kw["W"].shape[1], x.shape[-1]) and kw["W"].shape[0] == G * kw["W"].shape[1]


def test_measurement_cases_include_t_1_long_sequences_and_a_loss_on_the_last_state():
    cases = TASKS["lstm_gradient_norms_through_time"].cases(np.random.default_rng(0))
    Ts = [kw["X"].shape[1] for _, kw in cases]
    assert 1 in Ts and max(Ts) >= 10
    assert any(np.all(kw["dHs"][:, :-1] == 0) and kw["dHs"].shape[1] > 1 for _, kw in cases)


def test_measurement_cases_are_not_degenerate():
    """The norms decay, but not to nothing: a trivial answer cannot pass on tolerances alone."""
    for _, kw in TASKS["lstm_gradient_norms_through_time"].cases(np.random.default_rng(1)):
        h_norms, C_norms = gated.lstm_gradient_norms_through_time(**kw)
        assert np.all(C_norms > 1e-4) and np.all(np.isfinite(h_norms))
        # what a later step hands back is a visible part of the early totals
        if kw["X"].shape[1] > 1:
            own = np.linalg.norm(kw["dHs"], axis=2)
            assert np.max(np.abs(h_norms - own)[:, :-1]) > 1e-2


def test_decay_cases_include_t_2_a_large_forget_bias_and_the_exact_case():
    cases = TASKS["cell_gradient_decay_rate"].cases(np.random.default_rng(0))
    assert min(kw["X"].shape[1] for _, kw in cases) == 2
    rates = [gated.cell_gradient_decay_rate(**kw) for _, kw in cases]
    assert all(m < 0 and p < 0 for m, p in rates)
    # the exact case: W = 0 and one forget gate, where measured and predicted agree
    exact = [(m, p) for (label, _), (m, p) in zip(cases, rates) if "W = 0" in label]
    assert len(exact) == 1 and abs(exact[0][0] - exact[0][1]) < 1e-12
    assert abs(exact[0][1] - np.log(sigmoid(0.5))) < 1e-12
    # elsewhere the two differ by far more than the tolerance: returning the prediction twice fails
    assert max(abs(m - p) for m, p in rates) > 0.01


def test_numeric_cases_put_gradients_on_both_lstm_outputs():
    kw = TASKS["peephole_lstm_step_backward"].cases(np.random.default_rng(0))[2][1]
    assert np.any(kw["dh_next"] != 0) and np.any(kw["dC_next"] != 0)
    _, checks = TASKS["peephole_lstm_step_backward"].gradients(kw, np.random.default_rng(0))
    assert [c[0] for c in checks] == ["dx", "dh_prev", "dC_prev", "dU", "dW", "db", "dpi_i", "dpi_f", "dpi_omega"]
    assert [c[0] for c in checks] == list(TASKS["peephole_lstm_step_backward"].outputs)


def test_peephole_backward_cases_have_peepholes_a_last_step_and_the_plain_lstm():
    """Peepholes of the size of the other inputs (their paths must show), one case with dC_next = 0 as at
    the last step, and one with zero peepholes, the plain LSTM that the measurement of task 6 runs."""
    cases = TASKS["peephole_lstm_step_backward"].cases(np.random.default_rng(0))
    peepholes = [np.concatenate([kw["pi_i"], kw["pi_f"], kw["pi_omega"]]) for _, kw in cases]
    assert sum(np.all(p == 0) for p in peepholes) == 1
    assert all(np.all(p == 0) or np.min(np.abs(p)) > 0 for p in peepholes)
    assert any(np.all(kw["dC_next"] == 0) for _, kw in cases)
    plain = [kw for _, kw in cases if np.all(kw["pi_i"] == 0)][0]
    args = [plain[k] for k in ("dh_next", "dC_next", "x", "h_prev", "C_prev", "U", "W", "b")]
    got = gated.peephole_lstm_step_backward(*args, plain["pi_i"], plain["pi_f"], plain["pi_omega"])
    for g, want in zip(got, gated.lstm_step_backward(*args)):
        np.testing.assert_allclose(g, want, rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- typical mistakes


def _lstm_blocks(x, h_prev, U, W, b, order=(0, 1, 2, 3)):
    H = h_prev.shape[1]
    a = x @ U.T + h_prev @ W.T + b
    return [a[:, k * H:(k + 1) * H] for k in order]


def lstm_torch_gate_order(x, h_prev, C_prev, U, W, b):
    i, f, g, o = _lstm_blocks(x, h_prev, U, W, b)  # reads the blocks as PyTorch's (i, f, g, o)
    C = sigmoid(f) * C_prev + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(C), C


def lstm_input_and_forget_swapped(x, h_prev, C_prev, U, W, b):
    f, i, o, g = _lstm_blocks(x, h_prev, U, W, b)
    C = sigmoid(f) * C_prev + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(C), C


def lstm_h_without_tanh(x, h_prev, C_prev, U, W, b):
    i, f, o, g = _lstm_blocks(x, h_prev, U, W, b)
    C = sigmoid(f) * C_prev + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * C, C


def _peephole_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega,
                       through_output_gate=True, into_previous_cell=True):
    """The peephole step backward, with the paths that the peepholes add switchable."""
    i_a, f_a, o_a, g_a = _lstm_blocks(x, h_prev, U, W, b)
    i, f, g = sigmoid(i_a + pi_i * C_prev), sigmoid(f_a + pi_f * C_prev), np.tanh(g_a)
    C = f * C_prev + i * g
    o = sigmoid(o_a + pi_omega * C)
    da_o = dh_next * np.tanh(C) * o * (1 - o)
    dC = dC_next + dh_next * o * (1 - np.tanh(C) ** 2) + (da_o * pi_omega if through_output_gate else 0)
    da_i, da_f = dC * g * i * (1 - i), dC * C_prev * f * (1 - f)
    da = np.concatenate([da_i, da_f, da_o, dC * i * (1 - g ** 2)], axis=1)
    dC_prev = dC * f + (da_i * pi_i + da_f * pi_f if into_previous_cell else 0)
    return (da @ U, da @ W, dC_prev, da.T @ x, da.T @ h_prev, da.sum(axis=0),
            (da_i * C_prev).sum(axis=0), (da_f * C_prev).sum(axis=0), (da_o * C).sum(axis=0))


def peephole_backward_without_dC_next(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    return gated.peephole_lstm_step_backward(dh_next, np.zeros_like(dC_next), x, h_prev, C_prev, U, W, b,
                                             pi_i, pi_f, pi_omega)


def peephole_backward_without_the_output_gate_path(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f,
                                                   pi_omega):
    return _peephole_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega,
                              through_output_gate=False)


def peephole_backward_dC_prev_without_the_peephole_paths(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f,
                                                         pi_omega):
    return _peephole_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega,
                              into_previous_cell=False)


def peephole_backward_peepholes_not_summed(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    out = _peephole_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega)
    return out[:6] + tuple(d / x.shape[0] for d in out[6:])  # averaged over the batch


def gru_cho(x, h_prev, U, W, b):
    return gated.gru_cho_step_forward(x, h_prev, U, W, b)


def gru_torch_update_convention(x, h_prev, U, W, b):
    H = h_prev.shape[1]
    a = x @ U.T + b
    g = h_prev @ W.T
    r, z = sigmoid(a[:, :H] + g[:, :H]), sigmoid(a[:, H:2 * H] + g[:, H:2 * H])
    h_tilde = np.tanh(a[:, 2 * H:] + r * g[:, 2 * H:])
    return z * h_prev + (1 - z) * h_tilde


def gru_backward_without_direct_path(dh_next, x, h_prev, U, W, b):
    out = list(gated.gru_step_backward(dh_next, x, h_prev, U, W, b))
    H = h_prev.shape[1]
    z = sigmoid((x @ U.T + h_prev @ W.T + b)[:, H:2 * H])
    out[1] = out[1] - dh_next * (1 - z)
    return tuple(out)


def peephole_output_gate_on_the_old_cell(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    i, f, o, g = _lstm_blocks(x, h_prev, U, W, b)
    C = sigmoid(f + pi_f * C_prev) * C_prev + sigmoid(i + pi_i * C_prev) * np.tanh(g)
    return sigmoid(o + pi_omega * C_prev) * np.tanh(C), C


def norms_of_the_outputs_gradients_only(dHs, X, h0, C0, Hs, Cs, U, W, b):
    """A trivial 'measurement': nothing is passed back through time."""
    H = h0.shape[1]
    omega = sigmoid(np.stack([_lstm_blocks(X[:, t], Hs[:, t - 1] if t else h0, U, W, b)[2]
                              for t in range(X.shape[1])], axis=1))
    dC = dHs * omega * (1 - np.tanh(Cs) ** 2)
    assert dC.shape[-1] == H
    return np.linalg.norm(dHs, axis=2), np.linalg.norm(dC, axis=2)


def norms_counting_the_h_path_twice(dHs, X, h0, C0, Hs, Cs, U, W, b):
    """Hands the step backward the cell's total, so the path through h_t is added twice."""
    N, T, H = Hs.shape
    h_norms, C_norms = np.zeros((N, T)), np.zeros((N, T))
    dh_later, dC_later = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        h_prev, C_prev = (Hs[:, t - 1], Cs[:, t - 1]) if t else (h0, C0)
        dh = dHs[:, t] + dh_later
        omega = sigmoid(_lstm_blocks(X[:, t], h_prev, U, W, b)[2])
        dC = dC_later + dh * omega * (1 - np.tanh(Cs[:, t]) ** 2)
        h_norms[:, t], C_norms[:, t] = np.linalg.norm(dh, axis=1), np.linalg.norm(dC, axis=1)
        _, dh_later, dC_later, _, _, _ = gated.lstm_step_backward(dh, dC, X[:, t], h_prev, C_prev, U, W, b)
    return h_norms, C_norms


def decay_fitted_against_t(X, h0, C0, U, W, b):
    """Fits against the step t instead of the lag T-1-t: the sign of the slope flips."""
    Hs, Cs = gated.lstm_forward(X, h0, C0, U, W, b)
    d_last = np.zeros_like(Hs)
    d_last[:, -1] = 1.0
    C_norms = gated.lstm_gradient_norms_through_time(d_last, X, h0, C0, Hs, Cs, U, W, b)[1]
    measured = np.polyfit(np.arange(X.shape[1]), np.log(C_norms).mean(axis=0), 1)[0]
    return float(measured), gated.cell_gradient_decay_rate(X, h0, C0, U, W, b)[1]


def decay_predicted_with_every_step(X, h0, C0, U, W, b):
    """Averages the forget gates of every step, the first one included."""
    H = h0.shape[1]
    Hs, _ = gated.lstm_forward(X, h0, C0, U, W, b)
    before = np.concatenate([h0[:, None], Hs[:, :-1]], axis=1)
    f = sigmoid(X @ U[H:2 * H].T + before @ W[H:2 * H].T + b[H:2 * H])
    return gated.cell_gradient_decay_rate(X, h0, C0, U, W, b)[0], float(np.mean(np.log(f)))


def decay_as_fractions_not_logarithms(X, h0, C0, U, W, b):
    """Returns the mean forget gate instead of the mean of its logarithm."""
    measured, predicted = gated.cell_gradient_decay_rate(X, h0, C0, U, W, b)
    return measured, float(np.exp(predicted))


@pytest.mark.parametrize("name, func, message", [
    ("lstm_step_forward", lstm_torch_gate_order, r"lstm_step_forward, case 1 of 4 \(N=1, D=1, H=1\), output h_next"),
    ("lstm_step_forward", lstm_input_and_forget_swapped, r"lstm_step_forward, case 1 of 4 .*output h_next.*forget gate"),
    ("lstm_step_forward", lstm_h_without_tanh, r"lstm_step_forward, case 1 of 4 .*output h_next"),
    ("peephole_lstm_step_backward", peephole_backward_without_dC_next,
     r"peephole_lstm_step_backward, case 1 of 6 \(N=1, D=1, H=1\), output dx.*from the next step"),
    ("peephole_lstm_step_backward", peephole_backward_without_the_output_gate_path,
     r"peephole_lstm_step_backward, case 1 of 6 .*output dx.*part through the output gate"),
    ("peephole_lstm_step_backward", peephole_backward_dC_prev_without_the_peephole_paths,
     r"peephole_lstm_step_backward, case 1 of 6 .*output dC_prev.*part through each of them"),
    ("peephole_lstm_step_backward", peephole_backward_peepholes_not_summed,
     r"peephole_lstm_step_backward, case 3 of 6 \(N=4, D=5, H=3\), output dpi_i.*adds up over the batch"),
    ("gru_step_forward", gru_cho, r"gru_step_forward, case 2 of 4 \(N=1, D=3, H=2\).*reset gate"),
    ("gru_step_forward", gru_torch_update_convention, r"gru_step_forward, case 1 of 4 .*one minus it"),
    ("gru_step_backward", gru_backward_without_direct_path, r"gru_step_backward, case 1 of 5 .*output dh_prev"),
    ("peephole_lstm_step_forward", peephole_output_gate_on_the_old_cell,
     r"peephole_lstm_step_forward, case 1 of 4 .*output h_next.*output gate"),
    ("lstm_gradient_norms_through_time", norms_of_the_outputs_gradients_only,
     r"lstm_gradient_norms_through_time, case 3 of 6 \(N=1, T=6.*output h_norms"),
    ("cell_gradient_decay_rate", decay_fitted_against_t,
     r"cell_gradient_decay_rate, case 1 of 5 \(N=1, T=2, D=1, H=1\), output measured: got 0\.\d+, expected -0\.\d+.*lag"),
    ("cell_gradient_decay_rate", decay_predicted_with_every_step,
     r"cell_gradient_decay_rate, case 1 of 5 .*output predicted.*every step but the first"),
    ("cell_gradient_decay_rate", decay_as_fractions_not_logarithms, r"cell_gradient_decay_rate, case 1 of 5 .*output predicted"),
    ("lstm_gradient_norms_through_time", norms_counting_the_h_path_twice,
     r"lstm_gradient_norms_through_time, case 3 of 6 .*output h_norms.*counted twice"),
])
def test_typical_mistakes_fail_with_a_specific_message(name, func, message):
    with raises_message(message):
        check_against_reference(name, func)


def test_numerical_check_catches_a_missing_peephole_path_into_the_previous_cell():
    with raises_message(r"peephole_lstm_step_backward, case 1 of 5 .*output dC_prev: relative error"):
        check_gradients_numerically("peephole_lstm_step_backward", peephole_backward_dC_prev_without_the_peephole_paths)


def test_numerical_check_catches_a_missing_path_through_the_output_gate():
    with raises_message(r"peephole_lstm_step_backward, case 1 of 5 .*output dx: relative error"):
        check_gradients_numerically("peephole_lstm_step_backward", peephole_backward_without_the_output_gate_path)


def test_the_switchable_peephole_backward_is_right_with_every_path():
    """The mistakes above differ from the reference only by the path they drop."""
    for _, kw in TASKS["peephole_lstm_step_backward"].cases(np.random.default_rng(2)):
        for got, want in zip(_peephole_backward(**kw), gated.peephole_lstm_step_backward(**kw)):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13)


def test_numerical_check_catches_a_missing_direct_path_in_the_gru():
    with raises_message(r"gru_step_backward, case 1 of 4 .*output dh_prev: relative error"):
        check_gradients_numerically("gru_step_backward", gru_backward_without_direct_path)


def test_the_numerical_check_judges_the_calculus_not_the_reference():
    """A backward pass that differs from the reference only by rounding passes the numeric check."""
    def reordered(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
        out = gated.peephole_lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega)
        return tuple(v * (1 + 1e-12) for v in out)

    assert check_gradients_numerically("peephole_lstm_step_backward", reordered, seed=3) is None


def test_a_missing_transposed_weight_fails_with_a_message_not_a_crash():
    def W_not_transposed(x, h_prev, C_prev, U, W, b):
        return gated.lstm_step_forward(x, h_prev, C_prev, U, W.T.copy(), b)  # shape (H, 4H): rejected

    with raises_message(r"lstm_step_forward, case 1 of 4 .*raised ValueError"):
        check_against_reference("lstm_step_forward", W_not_transposed)


# ---------------------------------------------------------------- hostile and faulty submissions


@pytest.mark.slow
@pytest.mark.parametrize("kind", [k for k in simulate.KINDS if not k.preflight], ids=lambda k: k.name)
def test_simulated_submissions_of_05_gated_get_exactly_their_points(kind, jail_kind):
    """The hostile set of test_verify (graded there on 02_bptt), here on 05_gated: a task that calls another
    graded function inside the jail (the measurement calls the peephole step backward) changes nothing."""
    assignment = "05_gated"
    release = read(EXERCISES / assignment / f"{assignment}.ipynb")
    source = read(SOLUTIONS / assignment / f"{assignment}.ipynb")
    secret = "0123456789abcdef" * 4
    files = simulate.build(kind, release, source, f"{assignment}.ipynb",
                           (secret, assignment, kind.name, simulate.EARLIER_NONCE))
    nb = nbformat.reads(files[f"{assignment}.ipynb"], as_version=4)
    result = verify.grade_notebook(nb, secret, assignment, kind.name, assignment,
                                   JailLimits(cell_timeout=5, call_timeout=2), kind=jail_kind, with_advice=False)
    expected = simulate.expected_points(kind, source)
    lost = {g: v.message for g, v in result.verdicts.items() if not v.passed}
    assert result.score == expected, f"{kind.name} ({kind.description}): {result.score} != {expected}; lost: {lost}"
    assert result.sandboxed
