"""Tests for the chapter-2 parts of rnncourse.grading: backward passes, gradient checks, training.

check_against_reference compares tuples and dicts output by output, naming
each ("output dW", "grads['c']"); check_gradients_numerically compares a
backward function with centred differences of the reference forward pass.
Both must pass the reference and fail realistic mistakes with a message for
the student, writing nothing to stdout or stderr.
"""

import numpy as np
import pytest

import rnncourse
from rnncourse import bptt, gradcheck, losses, training
from rnncourse.grading.chapters import TASKS
from rnncourse.grading import _run_check, check_against_reference, check_gradients_numerically
from support import raises_message

CASES = {name: task.cases for name, task in TASKS.items()}

NUMERIC = ["sequence_cross_entropy_backward", "output_backward", "rnn_step_backward", "rnn_backward",
           "rnn_loss_and_grads"]


@pytest.mark.parametrize("name", NUMERIC)
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_backward_passes_the_numerical_check(name, seed, capfd):
    assert check_gradients_numerically(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


def test_cases_cover_n_1_and_t_1():
    rng = np.random.default_rng
    for name, key in [("rnn_backward", "X"), ("output_backward", "dO"), ("rnn_loss_and_grads", "X")]:
        shapes = [kw[key].shape for _, kw in CASES[name](rng(0))]
        assert any(s[0] == 1 for s in shapes) and any(len(s) == 3 and s[1] == 1 for s in shapes), name
    assert any(kw["x"].shape[0] == 1 for _, kw in CASES["rnn_step_backward"](rng(0)))


def test_step_size_errors_cases_have_large_and_small_errors_and_cover_one_entry_and_one_step():
    # A function returning zeros must not pass: some reference errors are far from 0, others tiny.
    values, cases = [], CASES["step_size_errors"](np.random.default_rng(0))
    for _, kw in cases:
        kw = {**kw, "f": kw["f"].materialise()}  # the grader-written function, as the jail builds it
        values += [v for out in gradcheck.step_size_errors(**kw) for v in out]
    assert max(values) > 0.3 and min(values) < 1e-9
    assert any(kw["x"].size == 1 for _, kw in cases) and any(len(kw["epsilons"]) == 1 for _, kw in cases)
    assert any(kw["x"].ndim == 2 and kw["x"].shape[0] != kw["x"].shape[1] for _, kw in cases)


def test_grader_functions_return_the_same_bits_in_every_process():
    # Rounding errors at tiny steps depend on the last bit of f: the functions sent to the jail must not
    # depend on how numpy sums an array (its order can change with the memory layout).
    for _, kw in CASES["step_size_errors"](np.random.default_rng(1)):
        f = kw["f"].materialise()
        x = kw["x"]
        padded = np.zeros(x.size + 1)[1:].reshape(x.shape)  # another alignment
        padded[...] = x
        assert f(x) == f(padded) == f(np.asfortranarray(x)) == f(x.tolist())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_passes_the_tradeoff_check(seed, capfd):
    assert _run_check("step_size_errors", "tradeoff", rnncourse.step_size_errors, seed) is None
    assert capfd.readouterr() == ("", "")


def test_unknown_name_for_the_numerical_check():
    with pytest.raises(ValueError, match=r"softmax has no gradients to check numerically"):
        check_gradients_numerically("softmax", rnncourse.softmax)


# Mutants: realistic wrong backward passes.


def ce_backward_mean_over_time(O, Y):
    return losses.sequence_cross_entropy_backward(O, Y) / O.shape[1]


def ce_backward_no_one_hot(O, Y):
    return rnncourse.softmax(O) / O.shape[0]


def output_backward_dv_transposed(dO, Hs, V):
    dHs, dV, dc = bptt.output_backward(dO, Hs, V)
    return dHs, dV.T, dc


def output_backward_two_values(dO, Hs, V):
    return bptt.output_backward(dO, Hs, V)[:2]


def step_backward_without_tanh_derivative(dh, x, h_prev, h, U, W):
    return dh @ U, dh @ W, dh.T @ x, dh.T @ h_prev, dh.sum(axis=0)


def step_backward_sigmoid_derivative(dh, x, h_prev, h, U, W):
    da = dh * h * (1 - h)
    return da @ U, da @ W, da.T @ x, da.T @ h_prev, da.sum(axis=0)


def step_backward_w_not_transposed(dh, x, h_prev, h, U, W):
    da = dh * (1 - h**2)
    return da @ U, da @ W.T, da.T @ x, da.T @ h_prev, da.sum(axis=0)


def backward_ignores_recurrence(dHs, X, h0, Hs, U, W):
    # Treats every step as if it had no future: dh_next is never added.
    out = [np.zeros_like(X), None, np.zeros_like(U), np.zeros_like(W), np.zeros(W.shape[0])]
    for t in range(X.shape[1]):
        h_prev = Hs[:, t - 1] if t else h0
        dx, dhp, dU, dW, db = bptt.rnn_step_backward(dHs[:, t], X[:, t], h_prev, Hs[:, t], U, W)
        out[0][:, t] = dx
        out[1] = dhp if t == 0 else out[1]
        out[2] += dU
        out[3] += dW
        out[4] += db
    return tuple(out)


def backward_wrong_h_prev(dHs, X, h0, Hs, U, W):
    # Off by one: passes h_t instead of h_{t-1} as the previous state, so dW = sum da_t h_t^T.
    dX, dh0, dU, dW, db = bptt.rnn_backward(dHs, X, h0, Hs, U, W)
    dW = np.zeros_like(W)
    dh_next = np.zeros_like(h0)
    for t in range(X.shape[1] - 1, -1, -1):
        _, dh_next, _, dW_t, _ = bptt.rnn_step_backward(dHs[:, t] + dh_next, X[:, t], Hs[:, t], Hs[:, t], U, W)
        dW += dW_t
    return dX, dh0, dU, dW, db


def loss_and_grads_missing_c(params, X, Y, h0):
    loss, grads, h = training.rnn_loss_and_grads(params, X, Y, h0)
    return loss, {k: v for k, v in grads.items() if k != "c"}, h


def loss_and_grads_mean_over_time(params, X, Y, h0):
    loss, grads, h = training.rnn_loss_and_grads(params, X, Y, h0)
    T = X.shape[1]
    return loss / T, {k: v / T for k, v in grads.items()}, h


def _differences(f, x, grad, epsilons, centred, one_sided, error=gradcheck.relative_error):
    out_c, out_o = [], []
    for eps in epsilons:
        d_c, d_o = np.zeros_like(x), np.zeros_like(x)
        for i in np.ndindex(x.shape):
            d_c[i], d_o[i] = centred(f, x, i, eps), one_sided(f, x, i, eps)
        out_c.append(error(d_c, grad))
        out_o.append(error(d_o, grad))
    return np.array(out_c), np.array(out_o)


def _at(x, i, step):
    z = x.copy()
    z[i] += step
    return z


def _centred(f, x, i, eps):
    return (f(_at(x, i, eps)) - f(_at(x, i, -eps))) / (2 * eps)


def _forward(f, x, i, eps):
    return (f(_at(x, i, eps)) - f(x)) / eps


def step_size_errors_zeros(f, x, grad, epsilons):
    return np.zeros(len(epsilons)), np.zeros(len(epsilons))


def step_size_errors_centred_over_eps(f, x, grad, epsilons):
    return _differences(f, x, grad, epsilons, lambda f, x, i, e: 2 * _centred(f, x, i, e), _forward)


def step_size_errors_one_sided_backwards(f, x, grad, epsilons):
    return _differences(f, x, grad, epsilons, _centred, lambda f, x, i, e: (f(x) - f(_at(x, i, -e))) / e)


def step_size_errors_centred_twice(f, x, grad, epsilons):
    return _differences(f, x, grad, epsilons, _centred, _centred)


def step_size_errors_largest_difference(f, x, grad, epsilons):
    return _differences(f, x, grad, epsilons, _centred, _forward, lambda a, b: float(np.max(np.abs(a - b))))


def step_size_errors_with_richardson(f, x, grad, epsilons):
    # Richardson's extrapolation cancels the eps^2 term: a better estimate, but not the chapter's difference
    return _differences(f, x, grad, epsilons,
                        lambda f, x, i, e: (4 * _centred(f, x, i, e / 2) - _centred(f, x, i, e)) / 3, _forward)


def loss_and_grads_h_last_is_the_first_state(params, X, Y, h0):
    loss, grads, _ = training.rnn_loss_and_grads(params, X, Y, h0)
    Hs = rnncourse.rnn_forward(X, h0, params["U"], params["W"], params["b"])
    return loss, grads, Hs[:, 0]  # the next chunk would not continue from the end of this one


MUTANTS = [
    (check_against_reference, "sequence_cross_entropy_backward", ce_backward_mean_over_time,
     ["sequence_cross_entropy_backward, case 2 of 6 (N=1, T=4, K=3)", "largest error"]),
    (check_gradients_numerically, "sequence_cross_entropy_backward", ce_backward_no_one_hot,
     ["case 1 of 5", "output dO: relative error", "against centred finite differences"]),
    (check_against_reference, "output_backward", output_backward_dv_transposed,
     ["output_backward, case 1 of 6 (N=1, T=1, H=1, K=2), output dV: shape (1, 2), expected (2, 1)"]),
    (check_against_reference, "output_backward", output_backward_two_values,
     ["output_backward, case 1 of 6", "expected a tuple (dHs, dV, dc), got of 2 values"]),
    (check_gradients_numerically, "output_backward", output_backward_two_values,
     ["expected a tuple (dHs, dV, dc), got a tuple"]),
    (check_against_reference, "rnn_step_backward", step_backward_without_tanh_derivative,
     ["rnn_step_backward, case 1 of 5 (N=1, D=1, H=1), output dx", "Hint: the gradient must pass through the derivative of tanh"]),
    (check_gradients_numerically, "rnn_step_backward", step_backward_sigmoid_derivative,
     ["rnn_step_backward, case 1 of 4", "output dx: relative error", "at index (0, 0)"]),
    (check_gradients_numerically, "rnn_step_backward", step_backward_w_not_transposed,
     ["rnn_step_backward, case 2 of 4 (N=1, D=3, H=2), output dh_prev: relative error"]),
    (check_against_reference, "rnn_backward", backward_ignores_recurrence,
     ["rnn_backward, case 3 of 5 (N=1, T=6, D=2, H=3), output dX", "largest error"]),
    (check_gradients_numerically, "rnn_backward", backward_ignores_recurrence,
     ["rnn_backward, case 3 of 4", "output dX: relative error"]),
    (check_gradients_numerically, "rnn_backward", backward_wrong_h_prev, ["case 1 of 4", "output dW"]),
    (check_against_reference, "rnn_loss_and_grads", loss_and_grads_missing_c,
     ["rnn_loss_and_grads, case 1 of 5 (N=1, T=1, D=1, H=1, K=2), output grads: keys ['U', 'V', 'W', 'b'], "
      "expected ['U', 'V', 'W', 'b', 'c']"]),
    (check_against_reference, "rnn_loss_and_grads", loss_and_grads_mean_over_time,
     ["rnn_loss_and_grads, case 3 of 5 (N=1, T=5, D=2, H=3, K=4), output loss: got"]),
    (check_gradients_numerically, "rnn_loss_and_grads", loss_and_grads_missing_c,
     ["case 1 of 4", "the result has no grads['c']"]),
    (check_against_reference, "step_size_errors", step_size_errors_zeros,
     ["step_size_errors, case 1 of 4 (f(z) = a exp(b z) of one entry, one step 1e-3), output centred"]),
    (check_against_reference, "step_size_errors", step_size_errors_centred_over_eps,
     ["step_size_errors, case 1 of 4", "output centred"]),
    (check_against_reference, "step_size_errors", step_size_errors_one_sided_backwards,
     ["step_size_errors, case 1 of 4", "output one_sided"]),
    (check_against_reference, "step_size_errors", step_size_errors_largest_difference,
     ["step_size_errors, case 1 of 4", "output centred"]),
    (check_against_reference, "rnn_loss_and_grads", loss_and_grads_h_last_is_the_first_state,
     ["rnn_loss_and_grads, case 3 of 5 (N=1, T=5, D=2, H=3, K=4), output h_last", "Hint: ", "h_last is the state"]),
]


@pytest.mark.parametrize("check,name,mutant,fragments", MUTANTS, ids=[m[2].__name__ for m in MUTANTS])
def test_mutant_fails_with_a_specific_message_and_no_output(check, name, mutant, fragments, capfd):
    with pytest.raises(AssertionError) as info:
        check(name, mutant)
    message = str(info.value).replace("\n", " ")
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert capfd.readouterr() == ("", "")


def test_not_implemented_is_reported_by_both_checks():
    def stub(*args, **kwargs):
        raise NotImplementedError()

    for check in (check_against_reference, check_gradients_numerically):
        with raises_message(r"^rnn_backward is not implemented yet"):
            check("rnn_backward", stub)


@pytest.mark.parametrize("mutant, fragments", [
    (step_size_errors_zeros, ["output centred: at the step 1e-01, where truncation dominates, the error is 0"]),
    (step_size_errors_centred_twice, ["output one_sided", "from its closed form"]),
    (step_size_errors_centred_over_eps, ["output centred", "from its closed form"]),
    (step_size_errors_with_richardson, ["output centred", "where truncation dominates"]),
], ids=lambda m: getattr(m, "__name__", ""))
def test_the_tradeoff_check_judges_by_the_closed_forms(mutant, fragments, capfd):
    with pytest.raises(AssertionError) as info:
        _run_check("step_size_errors", "tradeoff", mutant, 0)
    message = str(info.value).replace("\n", " ")
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert capfd.readouterr() == ("", "")
