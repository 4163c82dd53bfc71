"""Every check that judges a property, not a comparison with the reference, against answers that did no work.

The design's rule: a check that judges a property (a held-out error, a descent, an experiment's
numbers) gives 0 to every trivial answer and never hands the function what it is judged against.
The audit of chapters 1-9 found four such checks, all in ``Task.extra``: ``esn_forecast``'s
``heldout``, ``tbptt_step``'s ``descent``, ``gradient_decay_rate``'s ``experiment`` and
``step_size_errors``'s ``tradeoff``; every other
check compares with the reference at rtol 1e-6 (``test_no_other_property_checks`` keeps it so).

For each check, a battery of answers that a student who has not done the work might try must fail
on every seed, while the reference, the solution notebook's code and a correct answer written
differently must pass. Each probe is judged the way the grader judges it: ``spec.plan`` for the
probes, ``spec.run_in_process`` for the call, ``spec.judge_outcome`` for the verdict.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

import rnncourse
from rnncourse import charlm, leaky, longterm
from rnncourse.grading import spec
from rnncourse.grading.chapters import TASKS
from support import SOLUTIONS, read

SEEDS = range(4)
PROPERTY_CHECKS = {("gradient_decay_rate", "experiment"), ("esn_forecast", "heldout"),
                   ("tbptt_step", "descent"), ("step_size_errors", "tradeoff")}


@functools.cache
def probes(name, check, seed):
    # Planning runs the reference on the probes' inputs; every answer of a battery shares one plan.
    return spec.plan(TASKS[name], check, seed)


def failures(name, check, func, seed):
    """The messages of the probes of one check that ``func`` fails (empty when it passes them all).

    ``func`` must return on every probe: an answer that raises fails for that reason alone, which
    would say nothing about the check.
    """
    messages = []
    with np.errstate(all="ignore"):
        for probe in probes(name, check, seed):
            outcome = spec.run_in_process(func, probe)
            assert outcome.status == "ok", f"{getattr(func, '__name__', func)} raised {outcome.error}"
            message = spec.judge_outcome(probe, outcome)
            if message is not None:
                messages.append(message)
    return messages


def solution_function(assignment, name):
    """The solution notebook's ``name``, defined by running its setup cell and every solution cell."""
    nb = read(SOLUTIONS / assignment / f"{assignment}.ipynb")
    namespace = {}
    for cell in nb.cells:
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and (nbg.get("grade_id") == "setup" or nbg.get("solution")):
            exec(compile(cell.source, f"{assignment}:{nbg.get('grade_id')}", "exec"), namespace)
    return namespace[name]


def test_no_other_property_checks():
    """A new ``extra`` check or a loosened tolerance must join this battery before it is trusted."""
    extras = {(name, check) for name, task in TASKS.items() for check in task.extra}
    assert extras == PROPERTY_CHECKS
    loose = [name for name, task in TASKS.items()
             if task.rtol > 1e-6 or task.atol > 1e-8 or task.grad_tol > 1e-7]
    assert loose == []


# ------------------------------------------------------------ gradient_decay_rate: the experiment


def decay_alternative(dHs, X, h0, Hs, U, W):
    """A correct measurement written differently: gradients by a loop over examples, the fit by lstsq."""
    N, T, H = Hs.shape
    logs = np.empty((N, T))
    for n in range(N):
        g = dHs[n, -1]
        for t in range(T - 1, -1, -1):
            logs[n, t] = np.log(np.linalg.norm(g))
            g = W.T @ (g * (1 - Hs[n, t] ** 2)) + (dHs[n, t - 1] if t > 0 else 0)
    lag = np.arange(T)[::-1].astype(float)
    slope = np.linalg.lstsq(np.c_[lag, np.ones(T)], logs.mean(axis=0), rcond=None)[0][0]
    return float(np.exp(slope)), float(max(abs(np.linalg.eigvals(W))))


def _rho(W):
    return float(max(abs(np.linalg.eigvals(W))))


def decay_rho_twice(dHs, X, h0, Hs, U, W):  # measures nothing: the prediction twice
    return _rho(W), _rho(W)


def decay_rho_a_little_lower(dHs, X, h0, Hs, U, W):  # a guess that a fit over all lags lands a little low
    return 0.985 * _rho(W), _rho(W)


def decay_spectral_norm(dHs, X, h0, Hs, U, W):  # the largest singular value, the bound of the chapter
    return float(np.linalg.norm(W, 2)), _rho(W)


def decay_last_lags(dHs, X, h0, Hs, U, W):  # the true norms, but only the asymptotic ratio of the last lags
    norms = longterm.gradient_norms_through_time(dHs, X, h0, Hs, U, W)
    return float(np.exp(np.mean(np.log(norms[:, 0] / norms[:, 1])))), _rho(W)


def decay_power_of_W(dHs, X, h0, Hs, U, W):  # the rate of ||W^k|| without the gradients, public W only
    k = Hs.shape[1] - 1
    return float(np.linalg.norm(np.linalg.matrix_power(W, k), 2) ** (1 / k)), _rho(W)


def decay_constants(dHs, X, h0, Hs, U, W):
    return 1.0, 1.0


def decay_zeros(dHs, X, h0, Hs, U, W):
    return 0.0, 0.0


def decay_inputs(dHs, X, h0, Hs, U, W):
    return dHs, W


DECAY_TRIVIAL = [decay_rho_twice, decay_rho_a_little_lower, decay_spectral_norm, decay_last_lags,
                 decay_power_of_W, decay_constants, decay_zeros, decay_inputs]


# ------------------------------------------------------------ esn_forecast: the held-out check


def _states(x, U, W, b, gamma):
    return leaky.leaky_rnn_forward(x[None, :, None], np.zeros((1, W.shape[0])), U, W, b, gamma)[0]


def forecast_alternative(x, U, W, b, gamma, n_train, washout, mu):
    """A correct forecaster written differently: a loop over steps, ridge by lstsq on an augmented system."""
    H = W.shape[0]
    keep, h, states = 1 - 1 / np.asarray(gamma, float), np.zeros(H), []
    for value in x:
        h = keep * h + (1 - keep) * np.tanh(W @ h + U[:, 0] * value + b)
        states.append(h)
    S = np.array(states)
    Z = np.hstack([S[washout:n_train - 1], np.ones((n_train - 1 - washout, 1))])
    penalty = np.hstack([np.sqrt(mu) * np.eye(H), np.zeros((H, 1))])
    rhs = np.r_[x[washout + 1:n_train], np.zeros(H)]
    theta = np.linalg.lstsq(np.vstack([Z, penalty]), rhs, rcond=None)[0]
    return S[n_train - 1:-1] @ theta[:H] + theta[H]


def forecast_the_held_out_values(x, U, W, b, gamma, n_train, washout, mu):  # the targets, handed over in x
    return x[n_train:].copy()


def forecast_from_the_state_that_read_the_target(x, U, W, b, gamma, n_train, washout, mu):
    # Pairs each target with the state that has already read it: the readout learns to echo its input.
    S = _states(x, U, W, b, gamma)
    V, c = rnncourse.ridge_readout(S[washout + 1:n_train], x[washout + 1:n_train, None], mu)
    return S[n_train:] @ V[0] + c[0]


def forecast_persistence(x, U, W, b, gamma, n_train, washout, mu):  # "no change"
    return x[n_train - 1:-1].copy()


def forecast_linear_extrapolation(x, U, W, b, gamma, n_train, washout, mu):
    return 2 * x[n_train - 1:-1] - x[n_train - 2:-2]


def forecast_autoregression(x, U, W, b, gamma, n_train, washout, mu):
    # No reservoir: least squares on the last 30 values, trained on the training part only.
    p = 30
    lags = np.lib.stride_tricks.sliding_window_view(x, p)  # row i holds x[i:i + p]
    Z = np.hstack([lags, np.ones((len(lags), 1))])
    w = np.linalg.lstsq(Z[:n_train - p], x[p:n_train], rcond=None)[0]
    return Z[n_train - p:len(x) - p] @ w


def forecast_the_mean(x, U, W, b, gamma, n_train, washout, mu):
    return np.full(len(x) - n_train, x[:n_train].mean())


def forecast_zeros(x, U, W, b, gamma, n_train, washout, mu):
    return np.zeros(len(x) - n_train)


FORECAST_TRIVIAL = [forecast_the_held_out_values, forecast_from_the_state_that_read_the_target,
                    forecast_persistence, forecast_linear_extrapolation, forecast_autoregression,
                    forecast_the_mean, forecast_zeros]


# ------------------------------------------------------------ tbptt_step: the descent check


def _loss(params, inputs, targets, state, lstm):
    K = params["V"].shape[0]
    Hs = lstm(params, np.eye(K)[inputs], *state)[0]
    O = Hs @ params["V"].T + params["c"]
    O = O - O.max(axis=2, keepdims=True)
    log_p = O - np.log(np.exp(O).sum(axis=2, keepdims=True))
    return float(-np.take_along_axis(log_p, targets[..., None], axis=2).mean())


def tbptt_by_finite_differences(params, inputs, targets, state, lstm, lr, max_norm):
    """A correct step written differently: the gradient by centred differences of the loss, no backward."""
    grads, eps = {}, 1e-6
    for k, p in params.items():
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            plus, minus = {**params, k: p.copy()}, {**params, k: p.copy()}
            plus[k][i] += eps
            minus[k][i] -= eps
            up, down = _loss(plus, inputs, targets, state, lstm), _loss(minus, inputs, targets, state, lstm)
            g[i] = (up - down) / (2 * eps)
        grads[k] = g
    norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
    scale = min(1.0, max_norm / norm)
    K = params["V"].shape[0]
    Hs, Cs, _ = lstm(params, np.eye(K)[inputs], *state)
    new = {k: params[k] - lr * scale * grads[k] for k in params}
    return new, _loss(params, inputs, targets, state, lstm), (Hs[:, -1], Cs[:, -1])


def _with(params, state, new):
    return {**{k: v.copy() for k, v in params.items()}, **new}, 1.0, state


def tbptt_output_bias_to_log_frequencies(params, inputs, targets, state, lstm, lr, max_norm):
    # No gradient: the model forgets its input and predicts the targets' frequencies.
    K = params["V"].shape[0]
    freq = (np.bincount(targets.ravel(), minlength=K) + 0.5) / (targets.size + 0.5 * K)
    return _with(params, state, {"V": np.zeros_like(params["V"]), "c": np.log(freq)})


def tbptt_all_zeros(params, inputs, targets, state, lstm, lr, max_norm):  # the uniform model
    return {k: np.zeros_like(v) for k, v in params.items()}, 1.0, state


def tbptt_unchanged(params, inputs, targets, state, lstm, lr, max_norm):
    return _with(params, state, {})


def tbptt_tiny_random_step(params, inputs, targets, state, lstm, lr, max_norm):
    rng = np.random.default_rng(int(inputs.sum()))
    return _with(params, state, {k: v + 1e-4 * rng.normal(size=v.shape) for k, v in params.items()})


def tbptt_random_step_kept_if_downhill(params, inputs, targets, state, lstm, lr, max_norm):
    # Forward passes only: a random direction, or its opposite, whichever lowers the loss.
    rng = np.random.default_rng(int(inputs.sum()))
    d = {k: rng.normal(size=v.shape) for k, v in params.items()}
    scale = lr * max_norm / np.sqrt(sum(np.sum(v * v) for v in d.values()))
    best = min(({k: params[k] + s * scale * d[k] for k in params} for s in (1, -1)),
               key=lambda p: _loss(p, inputs, targets, state, lstm))
    return best, 1.0, state


def tbptt_output_layer_only(params, inputs, targets, state, lstm, lr, max_norm):
    # Half the work: the exact gradients of V and c (taken from an unclipped reference step), none for
    # the LSTM, then clipped and stepped as the task says.
    new, _, last = charlm.tbptt_step(params, inputs, targets, state, lstm, lr, np.inf)
    grads = {"V": (params["V"] - new["V"]) / lr, "c": (params["c"] - new["c"]) / lr}
    scale = min(1.0, max_norm / np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    return _with(params, last, {k: params[k] - lr * scale * grads[k] for k in grads})


def tbptt_sign_of_the_gradient(params, inputs, targets, state, lstm, lr, max_norm):
    # Downhill in every coordinate, but not the gradient's direction (sign descent).
    new = charlm.tbptt_step(params, inputs, targets, state, lstm, 1.0, np.inf)[0]
    return _with(params, state, {k: params[k] - 1e-3 * np.sign(params[k] - new[k]) for k in params})


TBPTT_TRIVIAL = [tbptt_output_bias_to_log_frequencies, tbptt_all_zeros, tbptt_unchanged,
                 tbptt_tiny_random_step, tbptt_random_step_kept_if_downhill, tbptt_output_layer_only,
                 tbptt_sign_of_the_gradient]


# ------------------------------------------------------------ step_size_errors: the trade-off


def steps_alternative(f, x, grad, epsilons):
    """A correct measurement written differently: both differences from one table of f values per step."""
    flat, errors = x.ravel(), np.zeros((2, len(epsilons)))
    f0 = f(x.copy())
    for j, eps in enumerate(epsilons):
        table = np.zeros((2, flat.size))
        for i in range(flat.size):
            for row, sign in enumerate((1.0, -1.0)):
                z = flat.copy()
                z[i] += sign * eps
                table[row, i] = f(z.reshape(x.shape))
        for k, d in enumerate([(table[0] - table[1]) / (2 * eps), (table[0] - f0) / eps]):
            d = d.reshape(x.shape)
            errors[k, j] = np.linalg.norm(d - grad) / max(np.linalg.norm(d) + np.linalg.norm(grad), 1e-300)
    return errors[0], errors[1]


def steps_zeros(f, x, grad, epsilons):
    return np.zeros(len(epsilons)), np.zeros(len(epsilons))


def steps_the_textbook_curves(f, x, grad, epsilons):  # the shape of the trade-off, f never evaluated
    mach = np.finfo(float).eps
    return epsilons**2 + mach / epsilons, epsilons + mach / epsilons


def steps_the_curves_scaled_by_grad(f, x, grad, epsilons):  # the same, fitted to the gradient's size
    mach, size = np.finfo(float).eps, np.linalg.norm(grad)
    return size * epsilons**2 / 6 + mach / epsilons, size * epsilons / 2 + mach / epsilons


def steps_centred_twice(f, x, grad, epsilons):  # only the centred difference, given for both
    centred = rnncourse.step_size_errors(f, x, grad, epsilons)[0]
    return centred, centred.copy()


def steps_swapped(f, x, grad, epsilons):
    centred, one_sided = rnncourse.step_size_errors(f, x, grad, epsilons)
    return one_sided, centred


# (numerical_gradient itself raises inside a graded call: test_verify checks that.)
STEPS_TRIVIAL = [steps_zeros, steps_the_textbook_curves, steps_the_curves_scaled_by_grad, steps_centred_twice,
                 steps_swapped]


# ------------------------------------------------------------ the batteries


CORRECT = [
    ("gradient_decay_rate", "experiment", rnncourse.gradient_decay_rate),
    ("gradient_decay_rate", "experiment", decay_alternative),
    ("gradient_decay_rate", "experiment", ("03_long_term", "gradient_decay_rate")),
    ("esn_forecast", "heldout", rnncourse.esn_forecast),
    ("esn_forecast", "heldout", forecast_alternative),
    ("esn_forecast", "heldout", ("04_leaky_esn", "esn_forecast")),
    ("tbptt_step", "descent", rnncourse.tbptt_step),
    ("tbptt_step", "descent", tbptt_by_finite_differences),
    ("tbptt_step", "descent", ("09_char_lm", "tbptt_step")),
    ("step_size_errors", "tradeoff", rnncourse.step_size_errors),
    ("step_size_errors", "tradeoff", steps_alternative),
    ("step_size_errors", "tradeoff", ("02_bptt", "step_size_errors")),
]


@pytest.mark.parametrize("name, check, func", CORRECT,
                         ids=[f"{n}-{f[1] if isinstance(f, tuple) else f.__name__}" for n, _, f in CORRECT])
@pytest.mark.parametrize("seed", SEEDS)
def test_correct_answers_pass(name, check, func, seed):
    if isinstance(func, tuple):
        func = solution_function(*func)
    assert failures(name, check, func, seed) == []


TRIVIAL = ([("gradient_decay_rate", "experiment", f) for f in DECAY_TRIVIAL]
           + [("esn_forecast", "heldout", f) for f in FORECAST_TRIVIAL]
           + [("tbptt_step", "descent", f) for f in TBPTT_TRIVIAL]
           + [("step_size_errors", "tradeoff", f) for f in STEPS_TRIVIAL])


@pytest.mark.parametrize("name, check, func", TRIVIAL, ids=[f.__name__ for _, _, f in TRIVIAL])
@pytest.mark.parametrize("seed", SEEDS)
def test_trivial_answers_get_nothing(name, check, func, seed):
    messages = failures(name, check, func, seed)
    assert messages, f"{func.__name__} passes {name}'s {check} check on seed {seed}"
    assert all(name in m for m in messages)
