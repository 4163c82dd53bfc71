"""A trained NTM against an LSTM of about the same size on the copy task (chapter 8).

Both models see the same stream of batches: sequences of random binary vectors whose length is
drawn uniformly from 1..L_TRAIN, one length per batch (``rnncourse.copy_task``). Both train with
Adam and clipping of the gradient's global norm, for the same number of updates, from several
seeds. Recorded per seed: the learning curve (wrong bits per sequence on a fixed validation set
of the training lengths, against sequences seen), the bit error rate on every length from 1 to
L_TEST (longer than any training sequence, within the S slots of memory), and the trained
weights, which the chapter loads to draw the heads' weightings.
"""

import time

import numpy as np

import rnncourse as rc
from rnncourse import ntm_model as nm

DESCRIPTION = "NTM vs LSTM on copy: learning curves and bit error on longer sequences, per seed"
DEPENDS = [
    "rnncourse/ntm_model.py",
    "rnncourse/ntm.py",
    "rnncourse/gated.py",
    "rnncourse/rnn.py",
    "rnncourse/optim.py",
    "rnncourse/data.py",
    "rnncourse/_validate.py",
]

WIDTH = 6  # bits per vector; the input has one more channel, the delimiter
L_TRAIN = 10  # training lengths 1..L_TRAIN
L_TEST = 30  # generalisation lengths 1..L_TEST
S, M, H_NTM = 32, 8, 16  # memory slots and width, controller units
H_LSTM = 23  # chosen so that the baseline has about as many parameters as the NTM (2996 against 2946)
BATCH = 32
LR, MAX_NORM = 3e-3, 10.0
SEEDS = [0, 1, 2, 3, 4]
FULL = {"updates": 3000, "eval_every": 100, "n_valid": 8, "n_test": 32}
SMOKE = {"updates": 3, "eval_every": 2, "n_valid": 1, "n_test": 2, "L_test": 4, "seeds": 2}


def valid_set(n_valid):
    """A fixed validation set: ``n_valid`` sequences of each training length."""
    rng = np.random.default_rng(12345)
    return [rc.copy_task(n_valid, L, WIDTH, rng) for L in range(1, L_TRAIN + 1)]


def bits_wrong(forward, batches):
    """Wrong bits per sequence, averaged over every sequence of the batches."""
    errors = np.concatenate([nm.copy_bit_errors(forward(X), Y, mask) for X, Y, mask in batches])
    return float(errors.mean())


def error_by_length(forward, lengths, n_test):
    """Bit error rate (wrong bits / scored bits) at each length, on sequences no model trained on."""
    rng = np.random.default_rng(777)
    rates = []
    for L in lengths:
        X, Y, mask = rc.copy_task(n_test, int(L), WIDTH, rng)
        rates.append(float(nm.copy_bit_errors(forward(X), Y, mask).sum() / (n_test * L * WIDTH)))
    return rates


def train(model, seed, budget, valid, progress):
    """Train one model from one seed; returns its parameters, learning curve and counters."""
    init_rng = np.random.default_rng(1000 + seed)
    if model == "ntm":
        params = nm.init_ntm_params(WIDTH + 1, H_NTM, S, M, WIDTH, init_rng)
        loss_and_grads = lambda X, Y, mask: nm.ntm_loss_and_grads(X, Y, mask, params, S)  # noqa: E731
        forward = lambda X: nm.ntm_forward(X, params, S)[0]  # noqa: E731
    else:
        params = nm.init_lstm_copy_params(WIDTH + 1, H_LSTM, WIDTH, init_rng)
        loss_and_grads = lambda X, Y, mask: nm.lstm_copy_loss_and_grads(X, Y, mask, params)  # noqa: E731
        forward = lambda X: nm.lstm_copy_forward(X, params)[0]  # noqa: E731
    # The data stream depends on the seed only, so the NTM and the LSTM of one seed see the same batches.
    data_rng = np.random.default_rng(seed)
    state, curve, seen, skipped, clipped = {}, [], [], 0, 0
    for update in progress(range(budget["updates"]), f"{model} seed {seed}"):
        if update % budget["eval_every"] == 0:
            curve.append(bits_wrong(forward, valid))
            seen.append(update * BATCH)
        L = int(data_rng.integers(1, L_TRAIN + 1))
        X, Y, mask = rc.copy_task(BATCH, L, WIDTH, data_rng)
        loss, grads, _ = loss_and_grads(X, Y, mask)
        if not (np.isfinite(loss) and all(np.all(np.isfinite(g)) for g in grads.values())):
            skipped += 1  # a non-finite gradient is never applied; the count is part of the result
            continue
        clipped += rc.global_norm(grads) > MAX_NORM
        rc.adam_step(params, rc.clip_by_norm(grads, MAX_NORM), state, lr=LR)
    curve.append(bits_wrong(forward, valid))
    seen.append(budget["updates"] * BATCH)
    return params, forward, {"curve": curve, "seen": seen, "skipped": skipped, "clipped": int(clipped)}


def run(smoke=False, progress=None):
    budget = dict(SMOKE if smoke else FULL)
    L_test = budget.pop("L_test", L_TEST)
    seeds = SEEDS[:budget.pop("seeds", len(SEEDS))]
    progress = progress or (lambda it, desc="", total=None: it)
    lengths = list(range(1, L_test + 1))
    valid = valid_set(budget["n_valid"])
    data = {"sizes": {"width": WIDTH, "L_train": L_TRAIN, "L_test": L_test, "S": S, "M": M,
                      "H_ntm": H_NTM, "H_lstm": H_LSTM, "batch": BATCH, "lr": LR, "max_norm": MAX_NORM},
            "lengths": lengths, "ntm": {}, "lstm": {}}
    arrays = {}
    for model in ("ntm", "lstm"):
        for seed in seeds:
            start = time.perf_counter()
            params, forward, record = train(model, seed, budget, valid, progress)
            record["error_by_length"] = error_by_length(forward, lengths, budget["n_test"])
            record["seconds"] = round(time.perf_counter() - start, 1)
            data[model][str(seed)] = record
            data[f"{model}_params"] = nm.count_params(params)
            for name, value in params.items():
                arrays[f"{model}_seed{seed}_{name}"] = value
    budget.update(batch=BATCH, L_train=L_TRAIN, sequences_per_seed=budget["updates"] * BATCH)
    return {"seeds": seeds, "budget": budget, "data": data, "arrays": arrays}
