"""Chapter 8, augmented recurrent networks: assignment 08_ntm.

The hidden cases include the edge cases of the addressing: uniform and one-hot weightings, a key
strength of 0 and a large one (1e4, which overflows a softmax that does not subtract its maximum),
zero-norm queries and empty slots, a memory of one slot, and sharpening of weights near 1e-200.
"""

from __future__ import annotations

import numpy as np

from ... import act, ntm, ntm_memory
from ._common import pick
from ..spec import Task


def _simplex(rng, N, S, floor=0.0):
    w = rng.dirichlet(np.ones(S), size=N)
    return (1.0 - floor * S) * w + floor if floor else w


def _one_hot(N, S, k):
    w = np.zeros((N, S))
    w[np.arange(N), np.asarray(k) % S] = 1.0
    return w


def _cases_content_addressing(rng):
    cases = []
    for N, S, M in [(1, 1, 3), (2, 5, 3), (3, 8, 4)]:
        label = f"N={N}, S={S}, M={M}" + (" (a memory of one slot)" if S == 1 else "")
        cases.append((label, {"memory": rng.normal(0, 1, (N, S, M)), "q": rng.normal(0, 1, (N, M)),
                              "beta": rng.uniform(0.5, 10.0, N)}))
    memory, q = rng.normal(0, 1, (2, 6, 4)), rng.normal(0, 1, (2, 4))
    cases.append(("N=2, S=6, M=4, beta = 0 (the uniform weighting)", {"memory": memory, "q": q, "beta": np.zeros(2)}))
    cases.append(("N=2, S=6, M=4, beta = 1e4 (exp(beta cos) overflows unless the maximum is subtracted)",
                  {"memory": memory, "q": q, "beta": np.full(2, 1e4)}))
    memory = rng.normal(0, 1, (2, 5, 3))
    memory[1, 3] = 0.0
    q = rng.normal(0, 1, (2, 3))
    q[0] = 0.0
    cases.append(("a zero query (example 0) and an empty slot (example 1, slot 3), beta = 3",
                  {"memory": memory, "q": q, "beta": np.full(2, 3.0)}))
    # No case with tiny but nonzero norms: there the usual guards (sqrt(||x||^2 + 1e-16),
    # max(||x||, 1e-8), a 1e-8 added to the product of the norms) differ measurably, and the
    # task accepts any of them.
    return cases


def _cases_interpolate_weights(rng):
    cases = []
    for N, S in [(1, 1), (2, 5), (4, 7)]:
        cases.append((f"N={N}, S={S}", {"w_c": _simplex(rng, N, S), "w_prev": _simplex(rng, N, S),
                                        "zeta": rng.uniform(0, 1, N)}))
    cases.append(("N=3, S=6, gates 0, 1 and 0.5, one-hot weightings",
                  {"w_c": _one_hot(3, 6, [1, 2, 3]), "w_prev": _one_hot(3, 6, [4, 4, 0]),
                   "zeta": np.array([0.0, 1.0, 0.5])}))
    return cases


def _cases_circular_shift(rng):
    cases = [("the worked example: w = (0.1, 0.6, 0.2, 0.0, 0.1), s = (0.2, 0.7, 0, 0, 0.1)",
              {"w_g": np.array([[0.1, 0.6, 0.2, 0.0, 0.1]]), "s": np.array([[0.2, 0.7, 0.0, 0.0, 0.1]])})]
    for N, S in [(2, 6), (3, 9)]:
        s = np.zeros((N, S))
        s[:, [S - 1, 0, 1]] = _simplex(rng, N, 3)
        cases.append((f"N={N}, S={S}, shifts -1, 0 and +1 only", {"w_g": _simplex(rng, N, S), "s": s}))
    cases.append(("N=2, S=7, weight on every shift", {"w_g": _simplex(rng, 2, 7), "s": _simplex(rng, 2, 7)}))
    cases.append(("one-hot shifts by +1, +2 and -1 (S=5) of one-hot weightings",
                  {"w_g": _one_hot(3, 5, [0, 4, 2]), "s": _one_hot(3, 5, [1, 2, 4])}))
    cases.append(("a uniform weighting (S=4)", {"w_g": np.full((2, 4), 0.25), "s": _simplex(rng, 2, 4)}))
    cases.append(("a memory of one slot (S=1)", {"w_g": np.ones((2, 1)), "s": np.ones((2, 1))}))
    return cases


def _cases_sharpen(rng):
    cases = []
    for N, S in [(1, 3), (2, 6), (4, 8)]:
        cases.append((f"N={N}, S={S}", {"w_tilde": _simplex(rng, N, S, floor=0.01), "xi": rng.uniform(1.0, 5.0, N)}))
    cases.append(("xi = 1 (only renormalises) on weights that do not sum to 1",
                  {"w_tilde": rng.uniform(0.1, 1.0, (2, 5)), "xi": np.ones(2)}))
    cases.append(("uniform and one-hot weightings, xi = 3",
                  {"w_tilde": np.vstack([np.full(5, 0.2), np.eye(5)[3]]), "xi": np.full(2, 3.0)}))
    tiny = _simplex(rng, 2, 5, floor=0.01) * 1e-200
    cases.append(("weights near 1e-200 (w ** xi underflows to 0), xi = 2.5 and 4",
                  {"w_tilde": tiny, "xi": np.array([2.5, 4.0])}))
    w = _simplex(rng, 2, 6, floor=0.02)
    w[:, [1, 4]] = 0.0
    # xi = 1 as well as 2: at an exact zero the two exponents behave differently.
    cases.append(("exact zeros in the weighting, xi = 1 and 2", {"w_tilde": w, "xi": np.array([1.0, 2.0])}))
    cases.append(("a memory of one slot (S=1)", {"w_tilde": np.ones((2, 1)), "xi": np.array([1.0, 3.0])}))
    return cases


def _cases_sharpen_backward(rng):
    cases = []
    for label, kw in _cases_sharpen(rng):
        cases.append((label, {"dw": rng.normal(0, 1, kw["w_tilde"].shape), **kw}))
    return cases


def _fd_sharpen_backward(kw, rng):
    # Differences move each input by 1e-6 either way: use weights well away from 0 and exponents
    # away from 1 (the reference refuses xi < 1).
    N, S = kw["w_tilde"].shape
    w_tilde = _simplex(rng, N, S, floor=0.05 / S)
    xi, dw = np.maximum(kw["xi"], 1.2), kw["dw"]
    f = lambda _: ntm.sharpen(w_tilde, xi)  # noqa: E731
    kw = {**kw, "w_tilde": w_tilde, "xi": xi}
    return kw, [("dw_tilde", pick(0), w_tilde, f, dw), ("dxi", pick(1), xi, f, dw)]


def _cases_memory_step(rng):
    cases = []
    for N, S, M in [(1, 1, 2), (2, 5, 3), (3, 6, 4)]:
        label = f"N={N}, S={S}, M={M}" + (" (a memory of one slot)" if S == 1 else "")
        cases.append((label, {"memory": rng.normal(0, 1, (N, S, M)), "w_write": _simplex(rng, N, S),
                              "u": rng.uniform(0, 1, (N, M)), "v": rng.normal(0, 1, (N, M)),
                              "w_read": _simplex(rng, N, S)}))
    # reading the slot just replaced gives v; reading another slot gives what was there before
    cases.append(("one-hot weightings with a full erase (slot replaced) and no erase (v added), read "
                  "elsewhere and at the slot written",
                  {"memory": rng.normal(0, 1, (2, 4, 3)), "w_write": _one_hot(2, 4, [1, 3]),
                   "u": np.vstack([np.ones(3), np.zeros(3)]), "v": rng.normal(0, 1, (2, 3)),
                   "w_read": _one_hot(2, 4, [1, 0])}))
    cases.append(("uniform weightings (S=5, M=2)",
                  {"memory": rng.normal(0, 1, (1, 5, 2)), "w_write": np.full((1, 5), 0.2),
                   "u": rng.uniform(0, 1, (1, 2)), "v": rng.normal(0, 1, (1, 2)),
                   "w_read": np.full((1, 5), 0.2)}))
    return cases


def _away_from_threshold(rng, N, nu_max, low, high, iota):
    """Halting units whose running sums stay at least 1e-6 from 1 - iota (no tie decides nu)."""
    while True:
        p = rng.uniform(low, high, (N, nu_max))
        if np.all(np.abs(np.cumsum(p, axis=1) - (1.0 - iota)) > 1e-6):
            return p


def _cases_act_halting_distribution(rng):
    cases = [("the four rows of the chapter, iota = 0.01",
              {"p_tilde": np.array([[0.3, 0.5, 0.4, 0.1], [0.995, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.1],
                                    [0.5, 0.489, 0.2, 0.0]]), "iota": 0.01})]
    for N, nu_max, iota in [(3, 5, 0.01), (6, 8, 0.05), (4, 12, 0.0)]:
        cases.append((f"N={N}, nu_max={nu_max}, iota={iota}",
                      {"p_tilde": _away_from_threshold(rng, N, nu_max, 0.02, 0.5, iota), "iota": iota}))
    cases.append(("nu_max = 1 (one step, whatever the halting unit says)",
                  {"p_tilde": rng.uniform(0, 1, (3, 1)), "iota": 0.01}))
    cases.append(("halting units too small to reach the threshold: every row stops at the cap",
                  {"p_tilde": rng.uniform(0.0, 0.1, (2, 6)), "iota": 0.01}))
    return cases


def _at_scale_sharpen_backward(rng):
    # A realistic size, where a gradient by finite differences would take minutes. Differences taken one
    # column at a time for every row at once cost a pair of forward passes over N x S entries per column,
    # so N S^2: wide rows, not many of them (at N = 256, S = 2048 that was 20 s against a call's 10 s,
    # where the reference takes 0.03 s).
    N, S = 256, 2048
    return [(f"N={N}, S={S}, a realistic size (finite differences would take minutes)",
             {"dw": rng.normal(0, 1, (N, S)), "w_tilde": _simplex(rng, N, S, floor=0.01 / S),
              "xi": rng.uniform(1.0, 5.0, N)})]

TASKS = [
    Task("content_addressing", 8, ntm.content_addressing, _cases_content_addressing,
         "compare the query with every slot by the cosine similarity, dividing by sqrt(||x||^2 + 1e-16) so that "
         "a zero vector gives 0; multiply by beta and take a softmax over the S slots of each example, after "
         "subtracting the largest score"),
    Task("interpolate_weights", 8, ntm.interpolate_weights, _cases_interpolate_weights,
         "zeta weighs the content weighting and 1 - zeta the previous weighting; zeta has one entry per example, "
         "so it multiplies whole rows"),
    Task("circular_shift", 8, ntm.circular_shift, _cases_circular_shift,
         "s[k] moves weight from slot j to slot (j + k) mod S, so w~(i) sums w(j) s((i - j) mod S) over j: "
         "a weight on k = 1 moves the focus to the next slot, and indices wrap around"),
    Task("sharpen", 8, ntm.sharpen, _cases_sharpen,
         "raise each weight to the power xi and renormalise each row; for weights near 1e-200 compute with "
         "logarithms (a softmax of xi log w~ over the slots), and keep zero weights at exactly 0 without taking "
         "the log of 0 (which warns)", quiet=True),
    Task("sharpen_backward", 8, ntm.sharpen_backward, _cases_sharpen_backward,
         "go through the logits xi log w~: first the softmax's backward pass (every weight of a row depends on "
         "every logit of that row through the normalising sum), then the chain rule to xi, which every logit of "
         "its row contains, and to w~(i), which only logit i contains; where w~ is tiny or exactly 0, work with "
         "logarithms so that nothing underflows or becomes 0 times infinity; at an exact zero, your gradient must "
         "be what the forward pass implies",
         outputs=("dw_tilde", "dxi"), gradients=_fd_sharpen_backward, at_scale=_at_scale_sharpen_backward),
    Task("memory_step", 8, ntm_memory.memory_step, _cases_memory_step,
         "erase first, then add: slot i keeps (1 - w(i) u) of its entries and gains w(i) v, with the "
         "write head's weighting; then read the new memory (not the one given, which must not change) "
         "with the read head's weighting: the sum over slots of the weight times the slot, a vector of "
         "width M",
         outputs=("memory_new", "m")),
    Task("act_halting_distribution", 8, act.act_halting_distribution, _cases_act_halting_distribution,
         "nu is the first step at which the running sum of the halting units reaches 1 - iota (or nu_max if "
         "none does), R is 1 minus the sum of the units before step nu, and p holds those units, then R, "
         "then zeros", outputs=("p", "nu", "R")),
]
