"""Chapter 9, character-level language models: assignment 09_char_lm.

The models that the sampling, training and context tasks run are given to the student's functions
as grader-written functions (``GraderFunction``): an LSTM language model's step, a vanilla RNN's
step (whose state is one array, not a pair), a hand-built model whose predictions need two
characters of context, and an LSTM over a chunk that returns its own backward pass. They are
written here in numpy only and sent to the jail as source; ``tests/rnncourse/grading/test_ch09.py``
checks them against ``rnncourse.charlm``.

The draws of ``sample_index`` and ``sample_sequence`` are decided by uniform numbers the grader
gives, so every draw has one right answer. The cases keep every uniform number at least
``BOUNDARY_GAP`` from every entry of the cumulative distribution it is compared with, so that a
correct answer cannot differ from the reference by a rounding of the cumulative sum.
"""

from __future__ import annotations

import numpy as np

from ... import charlm
from ..checks import TestFailure, describe
from ..jail import GraderFunction
from ..spec import Probe, Task, _callable_args, _value_of

BOUNDARY_GAP = 1e-7

LSTM_LM_STEP = '''
def lstm_lm_step(x, state):
    """Read the characters x (N,) from the state (h, C); return the next character's logits (N, K) and (h, C)."""
    h, C = state
    H = W.shape[1]
    a = U[:, x].T + h @ W.T + b  # U times onehot(x) is column x of U
    i = 1.0 / (1.0 + np.exp(-a[:, :H]))
    f = 1.0 / (1.0 + np.exp(-a[:, H:2 * H]))
    omega = 1.0 / (1.0 + np.exp(-a[:, 2 * H:3 * H]))
    C = f * C + i * np.tanh(a[:, 3 * H:])
    h = omega * np.tanh(C)
    return h @ V.T + c, (h, C)
'''

RNN_LM_STEP = '''
def rnn_lm_step(x, h):
    """A tanh RNN language model: the state is one array h (N, H)."""
    h = np.tanh(U[:, x].T + h @ W.T + b)
    return h @ V.T + c, h
'''

# The text repeats "aab" (0, 0, 1): after an "a" the next character is "a" or "b", and only the
# character before it tells which. The state is the previous character, -1 after a reset.
PAIR_MODEL_STEP = '''
def pair_model_step(x, previous):
    """Predicts the next character of a text made of "aab" repeated, from the last two characters."""
    x = np.asarray(x)
    known = previous >= 0
    expect = np.where(x == 1, 0, np.where(known & (previous == 0), 1, 0))
    o = np.full((x.shape[0], K), -3.0)
    o[np.arange(x.shape[0]), expect] = np.where(known | (x == 1), 4.0, 0.5)
    return o, x.copy()
'''

LSTM_CHUNK = '''
def lstm_chunk(params, X, h0, C0):
    """The LSTM over a chunk X (N, T, K) from (h0, C0): returns Hs, Cs (N, T, H) and backward(dHs) -> grads."""
    U, W, b = params["U"], params["W"], params["b"]
    N, T, _ = X.shape
    H = W.shape[1]
    Hs, Cs = np.empty((N, T, H)), np.empty((N, T, H))
    gates = []
    h, C = h0, C0
    for t in range(T):
        a = X[:, t] @ U.T + h @ W.T + b
        i, f, omega = (1.0 / (1.0 + np.exp(-a[:, k * H:(k + 1) * H])) for k in range(3))
        C_tilde = np.tanh(a[:, 3 * H:])
        C = f * C + i * C_tilde
        h = omega * np.tanh(C)
        Hs[:, t], Cs[:, t] = h, C
        gates.append((i, f, omega, C_tilde))

    def backward(dHs):
        dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
        dh_next, dC_next = np.zeros((N, H)), np.zeros((N, H))
        for t in reversed(range(T)):
            i, f, omega, C_tilde = gates[t]
            h_prev = Hs[:, t - 1] if t > 0 else h0
            C_prev = Cs[:, t - 1] if t > 0 else C0
            tanh_C = np.tanh(Cs[:, t])
            dh = dHs[:, t] + dh_next
            dC = dC_next + dh * omega * (1.0 - tanh_C ** 2)
            da = np.concatenate([dC * C_tilde * i * (1.0 - i), dC * C_prev * f * (1.0 - f),
                                 dh * tanh_C * omega * (1.0 - omega), dC * i * (1.0 - C_tilde ** 2)], axis=1)
            dU += da.T @ X[:, t]
            dW += da.T @ h_prev
            db += da.sum(axis=0)
            dh_next, dC_next = da @ W, dC * f
        return {"U": dU, "W": dW, "b": db}

    return Hs, Cs, backward
'''


def _lm_params(rng, K, H, scale=1.0):
    return {"U": rng.normal(0, scale, (4 * H, K)), "W": rng.normal(0, scale / np.sqrt(H), (4 * H, H)),
            "b": rng.normal(0, 0.5, 4 * H), "V": rng.normal(0, scale, (K, H)), "c": rng.normal(0, 0.5, K)}


def lstm_lm_step_function(params):
    """The LSTM language model ``params`` (``charlm`` names and shapes) as a grader-written step."""
    return GraderFunction(LSTM_LM_STEP, "lstm_lm_step", {k: params[k] for k in charlm.LM_PARAM_NAMES})


def rnn_lm_step_function(rng, K, H):
    globals_ = {"U": rng.normal(0, 1.0, (H, K)), "W": rng.normal(0, 1 / np.sqrt(H), (H, H)),
                "b": rng.normal(0, 0.5, H), "V": rng.normal(0, 1.5, (K, H)), "c": rng.normal(0, 0.5, K)}
    return GraderFunction(RNN_LM_STEP, "rnn_lm_step", globals_)


def pair_model_step_function(K=3):
    return GraderFunction(PAIR_MODEL_STEP, "pair_model_step", {"K": K})


def lstm_chunk_function():
    return GraderFunction(LSTM_CHUNK, "lstm_chunk", {})


# ------------------------------------------------------------------ cases


def _cases_temperature_softmax(rng):
    cases = []
    for shape, tau in [((1, 1), 1.0), ((2, 5), 0.5), ((3, 7), 2.3), ((2, 3, 4), 0.7)]:
        cases.append((f"o of shape {shape}, tau = {tau}", {"o": rng.normal(0, 2, shape), "temperature": tau}))
    cases.append(("tau = 1e-3 on logits of size about 3 (exp(o / tau) overflows unless the maximum is subtracted)",
                  {"o": rng.normal(0, 3, (3, 6)), "temperature": 1e-3}))
    cases.append(("logits of size 1000 at tau = 1", {"o": rng.normal(0, 1000, (2, 5)), "temperature": 1.0}))
    o = rng.normal(0, 1, (3, 5))
    o[1, [1, 3]] = o[1].max() + 1.0  # a tie for the largest logit
    cases.append(("tau = 0 (the limit: all mass on the largest logit, shared by ties; row 1 has a tie)",
                  {"o": o, "temperature": 0.0}))
    return cases


def _away_from_boundaries(rng, p, upsilon):
    """Redraw the entries of upsilon that lie within BOUNDARY_GAP of the cumulative distribution of their row."""
    F = np.cumsum(p, axis=1)
    F = F / F[:, -1:]
    for n in range(upsilon.shape[0]):
        while np.min(np.abs(F[n] - upsilon[n])) < BOUNDARY_GAP:
            upsilon[n] = rng.uniform()
    return upsilon


def _cases_sample_index(rng):
    cases = []
    for N, K in [(1, 1), (4, 6), (12, 3)]:
        p = rng.dirichlet(np.ones(K), size=N)
        cases.append((f"N={N}, K={K}", {"p": p, "upsilon": _away_from_boundaries(rng, p, rng.uniform(size=N))}))
    p = rng.dirichlet(np.ones(5), size=8)
    p[:, [0, 2]] = 0.0  # classes of probability 0, the first among them
    p /= p.sum(axis=1, keepdims=True)
    upsilon = _away_from_boundaries(rng, p, rng.uniform(size=8))
    upsilon[:2] = [0.0, 0.999999]  # the ends of [0, 1)
    cases.append(("N=8, K=5, classes 0 and 2 of probability 0, upsilon = 0 and upsilon close to 1 in rows 0 and 1",
                  {"p": p, "upsilon": upsilon}))
    p = rng.uniform(0.1, 1.0, (5, 4)) * rng.uniform(0.5, 2.0, (5, 1))
    cases.append(("N=5, K=4, rows that sum to between 0.5 and 8 (normalise them)",
                  {"p": p, "upsilon": _away_from_boundaries(rng, p, rng.uniform(size=5))}))
    return cases


def _sequence_case(rng, step, state, x, n, tau):
    """Uniform numbers for a sampling case, each away from the boundaries of the distribution it meets."""
    upsilon = rng.uniform(size=(x.shape[0], n))
    fn = step.materialise()
    for t in range(n):
        o, state = fn(x, state)
        p = charlm.temperature_softmax(o, tau)
        upsilon[:, t] = _away_from_boundaries(rng, p, upsilon[:, t].copy())
        x = charlm.sample_index(p, upsilon[:, t])
    return upsilon


def _cases_sample_sequence(rng):
    cases = []
    for N, K, H, n, tau in [(1, 4, 3, 1, 1.0), (3, 6, 4, 8, 1.0), (2, 5, 5, 12, 0.6), (4, 7, 3, 10, 2.0)]:
        step = lstm_lm_step_function(_lm_params(rng, K, H, scale=1.5))
        state = (rng.normal(0, 0.5, (N, H)), rng.normal(0, 0.5, (N, H)))
        x = rng.integers(0, K, N)
        cases.append((f"an LSTM language model, N={N}, K={K}, H={H}, n={n}, tau={tau}",
                      {"step": step, "state": state, "x": x, "upsilon": _sequence_case(rng, step, state, x, n, tau),
                       "temperature": tau}))
    N, K, H, n = 3, 5, 4, 9
    step, h, x = rnn_lm_step_function(rng, K, H), rng.normal(0, 0.5, (N, H)), rng.integers(0, K, N)
    cases.append((f"an RNN whose state is one array (N, H), N={N}, K={K}, H={H}, n={n}, tau=0.8",
                  {"step": step, "state": h, "x": x, "upsilon": _sequence_case(rng, step, h, x, n, 0.8),
                   "temperature": 0.8}))
    step = lstm_lm_step_function(_lm_params(rng, 6, 3, scale=1.5))
    state, x = (np.zeros((2, 3)), np.zeros((2, 3))), rng.integers(0, 6, 2)
    cases.append(("tau = 0 (greedy decoding), an LSTM, N=2, K=6, H=3, n=7",
                  {"step": step, "state": state, "x": x, "upsilon": _sequence_case(rng, step, state, x, 7, 0.0),
                   "temperature": 0.0}))
    return cases


def _cases_perplexity(rng):
    cases = []
    for N, T, K in [(1, 1, 2), (2, 5, 4), (3, 4, 7)]:
        cases.append((f"N={N}, T={T}, K={K}", {"O": rng.normal(0, 2, (N, T, K)), "Y": rng.integers(0, K, (N, T))}))
    cases.append(("uniform logits, K=6 (the perplexity is K)", {"O": np.full((2, 3, 6), 0.3),
                                                                "Y": rng.integers(0, 6, (2, 3))}))
    O, Y = rng.normal(0, 1, (2, 4, 5)), rng.integers(0, 5, (2, 4))
    O[np.arange(2)[:, None], np.arange(4), Y] += 900.0  # certain and right: exp(900) overflows
    O[0, 0] = rng.normal(0, 800, 5)  # one large-logit prediction
    cases.append(("logits of size about 900 (exp overflows unless the maximum is subtracted)", {"O": O, "Y": Y}))
    return cases


def _cases_tbptt_step(rng):
    cases = []
    for K, H, N, T, max_norm in [(4, 2, 1, 1, 100.0), (5, 3, 2, 4, 100.0), (7, 4, 3, 6, 0.05), (6, 5, 4, 5, 0.5)]:
        params = _lm_params(rng, K, H)
        inputs = rng.integers(0, K, (N, T))
        targets = np.concatenate([inputs[:, 1:], rng.integers(0, K, (N, 1))], axis=1)
        state = (rng.normal(0, 0.5, (N, H)), rng.normal(0, 0.5, (N, H)))
        label = f"K={K}, H={H}, N={N}, T={T}, max_norm={max_norm}"
        grads_norm = _gradient_norm(params, inputs, targets, state)
        label += " (clipped)" if grads_norm > max_norm else " (not clipped)"
        cases.append((label, {"params": params, "inputs": inputs, "targets": targets, "state": state,
                              "lstm": lstm_chunk_function(), "lr": float(rng.uniform(0.05, 0.5)), "max_norm": max_norm}))
    return cases


def _at_scale_tbptt_step(rng):
    # A realistic size (a vocabulary of 65 characters, 128 units, 32 chunks of 50), where gradients
    # taken by finite differences would take minutes.
    K, H, N, T = 65, 128, 32, 50
    params = _lm_params(rng, K, H)
    inputs = rng.integers(0, K, (N, T))
    targets = np.concatenate([inputs[:, 1:], rng.integers(0, K, (N, 1))], axis=1)
    state = (rng.normal(0, 0.5, (N, H)), rng.normal(0, 0.5, (N, H)))
    return [(f"K={K}, H={H}, N={N}, T={T}, max_norm=1.0, a realistic size (finite differences would take minutes)",
             {"params": params, "inputs": inputs, "targets": targets, "state": state, "lstm": lstm_chunk_function(),
              "lr": 0.1, "max_norm": 1.0})]


def _loss_per_character(params, inputs, targets, state):
    """The chunk's loss per character, computed by the reference (outside the student's process)."""
    return charlm.lm_loss_and_grads(params, inputs, targets, *state)[0] / inputs.shape[1]


def _gradient_norm(params, inputs, targets, state):
    """The norm of the gradient of the loss per character (the reference's, before clipping)."""
    _, grads, _ = charlm.lm_loss_and_grads(params, inputs, targets, *state)
    return float(np.sqrt(sum(np.sum(g * g) for g in grads.values()))) / inputs.shape[1]


def _cases_perplexity_by_context(rng):
    cases = []
    for N, L, K, H, ells in [(1, 2, 3, 2, [1, 4]), (2, 12, 5, 3, [1, 2, 5, 11, 30]), (3, 9, 4, 4, [3, 1, 8])]:
        params = _lm_params(rng, K, H, scale=1.5)
        state0 = (np.zeros((N, H)), rng.normal(0, 0.3, (N, H)))
        cases.append((f"an LSTM, N={N}, L={L}, K={K}, ells={ells}, a nonzero state0",
                      {"step": lstm_lm_step_function(params), "state0": state0, "ids": rng.integers(0, K, (N, L)),
                       "ells": np.array(ells)}))
    cases.append(("an RNN whose state is one array, N=2, L=10, K=4, ells=[2, 4, 9]",
                  {"step": rnn_lm_step_function(rng, 4, 3), "state0": np.zeros((2, 3)),
                   "ids": rng.integers(0, 4, (2, 10)), "ells": np.array([2, 4, 9])}))
    ids = np.tile([0, 0, 1], 7)[None, rng.integers(0, 3):][:, :18]
    cases.append(("the text aabaab..., where two characters of context are needed, ells=[1, 2, 3, 6, 17]",
                  {"step": pair_model_step_function(), "state0": np.full(1, -1), "ids": ids,
                   "ells": np.array([1, 2, 3, 6, 17])}))
    return cases


# ------------------------------------------------------------------ the descent check of tbptt_step


def _descent_probes(task, rng):
    """A correct small step lowers the chunk's loss, and it is a step along the clipped gradient.

    The loss is measured here, at the returned parameters. A lower loss alone is cheap to reach
    without any gradient (set the output weights to zero and the output bias to the targets'
    log-frequencies; or try a random direction and keep whichever sign lowers the loss), so the
    change of the parameters must also point along the steepest descent of the chunk's loss per
    character, clipped as the task says (cosine at least 0.995 with the reference's step, over
    all five parameters together), and have its length (within 10%). Half a gradient (the
    output layer's alone) reached cosines of 0.65 to 0.98 on these chunks.
    """
    probes = []
    cases = []
    for K, H, N, T, max_norm in [(6, 4, 3, 8, 1.0), (8, 5, 2, 10, 0.2), (5, 3, 4, 6, 100.0)]:
        params = _lm_params(rng, K, H)
        inputs = rng.integers(0, K, (N, T))
        targets = rng.integers(0, K, (N, T))
        state = (rng.normal(0, 0.5, (N, H)), rng.normal(0, 0.5, (N, H)))
        cases.append((f"K={K}, H={H}, N={N}, T={T}, lr=0.05, max_norm={max_norm}",
                      {"params": params, "inputs": inputs, "targets": targets, "state": state,
                       "lstm": lstm_chunk_function(), "lr": 0.05, "max_norm": max_norm}))
    for i, (label, kwargs) in enumerate(cases, start=1):
        params, inputs, targets, state = (kwargs[k] for k in ("params", "inputs", "targets", "state"))
        what = f"tbptt_step lowers the loss, case {i} of {len(cases)} ({label})"
        before = _loss_per_character(params, inputs, targets, state)
        reference = task.reference(**_callable_args(kwargs))[0]
        expected = np.concatenate([(reference[k] - params[k]).ravel() for k in charlm.LM_PARAM_NAMES])

        def judge(outcome, what=what, kwargs=kwargs, before=before, expected=expected):
            got = _value_of(task, what, outcome)
            if not isinstance(got, (tuple, list)) or len(got) != 3 or not isinstance(got[0], dict):
                raise TestFailure(f"{what}: expected a tuple (new_params, loss, state) with a dict first, "
                                  f"got {describe(got)}. Hint: {task.hint}.")
            new, params = got[0], kwargs["params"]
            for k in charlm.LM_PARAM_NAMES:
                value = new.get(k)
                if type(value) is not np.ndarray or value.shape != params[k].shape \
                        or not np.issubdtype(value.dtype, np.floating) or not np.all(np.isfinite(value)):
                    raise TestFailure(f"{what}: new_params[{k!r}] should be a finite float array of shape "
                                      f"{params[k].shape}, got {describe(value)}")
            after = _loss_per_character({k: new[k] for k in charlm.LM_PARAM_NAMES}, kwargs["inputs"],
                                        kwargs["targets"], kwargs["state"])
            if not after < before:
                raise TestFailure(f"{what}: the chunk's loss per character was {before:.6f} before the step and is "
                                  f"{after:.6f} at the parameters returned (measured by the grader), so the step "
                                  f"did not go downhill. Hint: {task.hint}.")
            step = np.concatenate([(new[k] - params[k]).ravel() for k in charlm.LM_PARAM_NAMES])
            cosine = float(step @ expected / (np.linalg.norm(step) * np.linalg.norm(expected)))
            if not cosine >= 0.995:
                angle = float(np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0))))
                raise TestFailure(
                    f"{what}: the loss fell, but the change from params to new_params points {angle:.0f} "
                    f"degrees away from the direction in which the chunk's loss falls fastest (measured by "
                    f"the grader over all five parameters together); a gradient step, clipped or not, points "
                    f"along it. Hint: {task.hint}.")
            ratio = float(np.linalg.norm(step) / np.linalg.norm(expected))
            if not 0.9 <= ratio <= 1.1:
                raise TestFailure(
                    f"{what}: the step points the right way but is {ratio:.3g} times as long as a step of "
                    f"size lr along the gradient clipped to norm max_norm. Hint: {task.hint}.")

        probes.append(Probe(what, kwargs, judge))
    return probes


TASKS = [
    Task("temperature_softmax", 9, charlm.temperature_softmax, _cases_temperature_softmax,
         "divide the logits by tau, subtract the largest of each slice along the last axis, and normalise the "
         "exponentials over that axis; tau = 0 puts all the mass on the largest logits, shared equally by ties"),
    Task("sample_index", 9, charlm.sample_index, _cases_sample_index,
         "normalise each row's cumulative sum by its last entry, then count the entries that are <= upsilon: that is "
         "the smallest k with upsilon < F[k], and a class of probability 0 is never drawn"),
    Task("sample_sequence", 9, charlm.sample_sequence, _cases_sample_sequence,
         "at step t call step on the current input and state, turn the logits into probabilities at the "
         "temperature, draw with upsilon[:, t], and feed the draw back as the next input; the first input x is not "
         "part of the output, and the state can be any object step returns",
         calls=("temperature_softmax", "sample_index")),
    Task("perplexity", 9, charlm.perplexity, _cases_perplexity,
         "the exponential of the mean over all N T predictions of -log softmax(o)[y], with the log-softmax "
         "computed as o - max - log(sum(exp(o - max))) so that large logits do not overflow"),
    Task("tbptt_step", 9, charlm.tbptt_step, _cases_tbptt_step,
         "run lstm from the state you are given (not from zeros) on the one-hot inputs, average the "
         "cross-entropy over all N T characters, backpropagate through the output layer to dV, dc and dHs, get "
         "the LSTM's gradients from the backward function lstm returns, clip all five gradients together by "
         "their global norm, step against the gradient, and return the last step's (h, C)",
         outputs=("new_params", "loss", "state"), extra={"descent": _descent_probes}, at_scale=_at_scale_tbptt_step),
    Task("perplexity_by_context", 9, charlm.perplexity_by_context, _cases_perplexity_by_context,
         "set the state back to state0 before reading character t whenever t % ell == 0, collect the logits of "
         "all L - 1 predictions of every row, and take their perplexity against ids[:, 1:]; each ell starts "
         "from state0", calls=("perplexity",)),
]
