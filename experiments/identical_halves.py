"""Identical halves (chapter 2): what a plain RNN classifier learns, over seeds, lengths, data and updates.

Chapter 2 trains the many-to-one classifier once per length and finds that the accuracy on new
sequences falls as the halves grow while the training sequences stay fitted. This experiment
repeats that run over eight seeds and asks which test sequences the network gets wrong: those
whose first half it never saw in training, or the near misses (negatives that differ from a
positive in one symbol), which a network that remembers only a few symbols of the first half
cannot reject. With 4 symbols a short test sequence is often also a training sequence, so it also
records the accuracy on the test sequences that are not in the training set.
It then varies two causes of the gap between training and test accuracy at the longer lengths:
four times more training sequences, and four times more updates.

The training loop is the chapter's (``train_halves`` there), copied here so that this script is
self-contained; the chapter checks that its own seed-0 run gives the numbers recorded here.

Run it with ``OPENBLAS_NUM_THREADS=1`` in the environment, as the chapter runs: the matrices are
24 x 24, a second BLAS thread gains nothing, and on a busy machine its waiting costs several times
the work (the runner imports numpy before this module, so the setting cannot be made here).
"""

import numpy as np

import rnncourse as rc

DESCRIPTION = "identical halves: train/test accuracy per length, seen vs new first halves, near misses"
DEPENDS = ["rnncourse/data.py", "rnncourse/rnn.py", "rnncourse/bptt.py", "rnncourse/losses.py",
           "rnncourse/activations.py", "rnncourse/_validate.py",
           "rnncourse/optim.py"]

LENGTHS = (2, 4, 6, 8, 10)
SEEDS = tuple(range(8))
# (name, training sequences, full-batch updates, lengths)
CONFIGS = (("base", 800, 400, LENGTHS), ("more_data", 3200, 400, (8, 10)),
           ("more_updates", 800, 1600, (8, 10)))
N_TEST, H_H, S_H, LR_H = 2000, 24, 4, 1.0


def halves_data(n, T_h, seed, offset):
    """Sequences and labels; ``offset`` separates the training draw (0) from the test draw (1)."""
    X_s, y = rc.identical_halves(n, T_h, vocab_size=S_H, rng=np.random.default_rng([seed, T_h, offset]))
    return X_s, y


def train_halves(T_h, seed, n_train=800, n_updates=400):
    """Train the chapter's classifier; return its parameters and the training and test data."""
    X_s, y_tr = halves_data(n_train, T_h, seed, 0)
    X_t, y_te = halves_data(N_TEST, T_h, seed, 1)
    X_tr = rc.one_hot(X_s, S_H)
    p = rc.init_rnn_params(S_H, H_H, 2, rng=np.random.default_rng([seed, 2]))
    h0_h = np.zeros((len(X_tr), H_H))
    for _ in range(n_updates):
        Hs_h = rc.rnn_forward(X_tr, h0_h, p["U"], p["W"], p["b"])
        o = rc.output_forward(Hs_h[:, -1], p["V"], p["c"])
        d_o = rc.sequence_cross_entropy_backward(o[:, None], y_tr[:, None])[:, 0]  # one step
        dh_T, dV_h, dc_h = rc.output_backward(d_o, Hs_h[:, -1], p["V"])
        dHs_h = np.zeros_like(Hs_h)
        dHs_h[:, -1] = dh_T  # the only output is at the last step
        _, _, dU_h, dW_h, db_h = rc.rnn_backward(dHs_h, X_tr, h0_h, Hs_h, p["U"], p["W"])
        rc.sgd_step(p, {"U": dU_h, "W": dW_h, "b": db_h, "V": dV_h, "c": dc_h}, LR_H)
    return p, (X_s, y_tr), (X_t, y_te)


def kinds(X_s, y):
    """'pos', 'near' (halves differ in one symbol) or 'rand' (a random negative), per sequence.

    A random negative that happens to differ in one symbol counts as a near miss: the two are the
    same sequences, and at T = 2 every negative is one.
    """
    half = X_s.shape[1] // 2
    n_diff = (X_s[:, :half] != X_s[:, half:]).sum(axis=1)
    return np.where(y == 1, "pos", np.where(n_diff == 1, "near", "rand"))


def measure(p, train, test):
    """Accuracies of a trained classifier, overall and per kind of sequence."""
    def correct(X_s, y):
        X = rc.one_hot(X_s, S_H)
        return rc.many_to_one_forward(X, np.zeros((len(X), H_H)), **p).argmax(axis=1) == y

    (X_s, y_tr), (X_t, y_te) = train, test
    def mean(ok):  # None where a kind does not occur (at T = 2 every negative differs in one symbol)
        return float(ok.mean()) if ok.size else None

    ok_tr, ok_te = correct(X_s, y_tr), correct(X_t, y_te)
    half = X_s.shape[1] // 2
    seen_halves = {tuple(r) for r in X_s[:, :half]}
    seen = np.array([tuple(r) in seen_halves for r in X_t[:, :half]])
    # With 4 symbols a short test sequence is often a training sequence too: "in_train" marks the
    # test sequences that also occur (whole) among the training ones, so that accuracy on the rest
    # measures what the network does with sequences it never saw.
    train_seqs = {tuple(r) for r in X_s}
    in_train = np.array([tuple(r) in train_seqs for r in X_t])
    k_tr, k_te = kinds(X_s, y_tr), kinds(X_t, y_te)
    out = {"train": ok_tr.mean(), "test": ok_te.mean(), "frac_seen": seen.mean(),
           "test_seen": ok_te[seen].mean(),
           "test_unseen": mean(ok_te[~seen]),
           "frac_in_train": in_train.mean(), "test_new": mean(ok_te[~in_train])}
    for kind in ("pos", "near", "rand"):
        out[f"train_{kind}"] = mean(ok_tr[k_tr == kind])
        out[f"test_{kind}"] = mean(ok_te[k_te == kind])
        out[f"test_new_{kind}"] = mean(ok_te[(k_te == kind) & ~in_train])
        out[f"frac_in_train_{kind}"] = mean(in_train[k_te == kind])
    return {k: None if v is None else float(v) for k, v in out.items()}


def run(smoke=False, progress=None):
    seeds = SEEDS[:2] if smoke else SEEDS
    configs = [("base", 80, 20, (2, 4)), ("more_data", 160, 20, (4,)), ("more_updates", 80, 40, (4,))] \
        if smoke else CONFIGS
    jobs = [(name, n, u, T_h, s) for name, n, u, lengths in configs for T_h in lengths for s in seeds]
    progress = progress or (lambda it, desc="", total=None: it)
    data = {name: {} for name, *_ in configs}
    for name, n, u, T_h, s in progress(jobs, "identical halves"):
        p, train, test = train_halves(T_h, s, n_train=n, n_updates=u)
        data[name].setdefault(str(T_h), []).append(measure(p, train, test))
    budget = {name: {"train_sequences": n, "updates": u, "lengths": list(lengths), "hidden": H_H,
                     "symbols": S_H, "learning_rate": LR_H, "test_sequences": N_TEST,
                     "optimiser": "full-batch gradient descent"}
              for name, n, u, lengths in configs}
    return {"seeds": list(seeds), "budget": budget, "data": data}
