"""An LSTM large enough to fit the copy task's training lengths, and its error beyond them (chapter 8).

``ntm_copy``'s baseline LSTM has as many parameters as the NTM (H = 23) and never fits the
training lengths, so its error on longer sequences says nothing about generalisation. This
experiment trains an LSTM wide enough to fit them, on the same task, vector width, lengths
(1..L_TRAIN in training, 1..L_TEST at test), batches (the same data stream per seed), validation
and test sets, Adam and clipping as ``ntm_copy`` (the constants and functions are imported from
it). Only the width H, the step size and the stopping rule differ; the step size was chosen from
trials of 1500-2000 updates on seed 0 (recorded in ``data["trials"]`` as text, not rerun here).

Each seed trains until its validation error (wrong bits per sequence over the training lengths,
checked every ``eval_every`` updates) is at most ``fit_below``, or until ``max_updates``. Recorded
per seed: the learning curve, the update at which it fitted (or None), the bit error rate at every
length 1..L_TEST on ``ntm_copy``'s test sequences, and the seconds per update.
"""

import time

import numpy as np

import rnncourse as rc
from rnncourse import ntm_model as nm
from experiments.ntm_copy import BATCH, L_TEST, L_TRAIN, MAX_NORM, WIDTH
from experiments.ntm_copy import bits_wrong, error_by_length, valid_set

DESCRIPTION = "LSTM wide enough to fit copy on lengths 1..10: when it fits, and its error up to length 30"
DEPENDS = [
    "experiments/ntm_copy.py",
    "rnncourse/ntm_model.py",
    "rnncourse/gated.py",
    "rnncourse/rnn.py",
    "rnncourse/optim.py",
    "rnncourse/data.py",
    "rnncourse/_validate.py",
]

H = 128  # 70 406 parameters (23 times ntm_copy's LSTM); 3 times cheaper per update than H = 256
LR = 1e-2
SEEDS = [0, 1, 2]
FULL = {"max_updates": 8000, "eval_every": 100, "fit_below": 0.05, "n_valid": 8, "n_test": 32}
SMOKE = {"max_updates": 3, "eval_every": 2, "fit_below": 0.05, "n_valid": 1, "n_test": 2, "L_test": 4,
         "seeds": 2}
TRIALS = ("seed 0 only, wrong bits per sequence on the validation set after 2000 updates: H = 128 with "
          "lr 1e-3: 5.42, 3e-3: 1.84, 1e-2: 0.65; H = 256 with lr 3e-3 after 1500 updates: 1.31 (H = 128, "
          "lr 1e-2: 1.20 there) at 2.5 times the time per update. H = 128, lr 1e-2 run on: validation error "
          "0.05 after 4600 updates.")


def train(seed, budget, valid, progress, H=H, lr=LR):
    """Train one LSTM from one seed until it fits or the budget ends; returns params, forward, record."""
    params = nm.init_lstm_copy_params(WIDTH + 1, H, WIDTH, np.random.default_rng(1000 + seed))
    forward = lambda X: nm.lstm_copy_forward(X, params)[0]  # noqa: E731
    # ntm_copy's data stream for this seed: the same batches as its NTM and small LSTM, in order
    data_rng = np.random.default_rng(seed)
    state, curve, seen, skipped, clipped, fitted_at = {}, [], [], 0, 0, None
    train_seconds = 0.0
    for update in progress(range(budget["max_updates"] + 1), f"lstm H={H} seed {seed}"):
        if update % budget["eval_every"] == 0 or update == budget["max_updates"]:
            curve.append(bits_wrong(forward, valid))
            seen.append(update * BATCH)
            if curve[-1] <= budget["fit_below"]:
                fitted_at = update
                break
        if update == budget["max_updates"]:
            break
        start = time.perf_counter()
        L = int(data_rng.integers(1, L_TRAIN + 1))
        X, Y, mask = rc.copy_task(BATCH, L, WIDTH, data_rng)
        loss, grads, _ = nm.lstm_copy_loss_and_grads(X, Y, mask, params)
        if not (np.isfinite(loss) and all(np.all(np.isfinite(g)) for g in grads.values())):
            skipped += 1  # a non-finite gradient is never applied; the count is part of the result
            continue
        clipped += rc.global_norm(grads) > MAX_NORM
        rc.adam_step(params, rc.clip_by_norm(grads, MAX_NORM), state, lr=lr)
        train_seconds += time.perf_counter() - start
    updates = seen[-1] // BATCH
    record = {"curve": curve, "seen": seen, "fitted_at": fitted_at, "updates": updates,
              "skipped": skipped, "clipped": int(clipped),
              "seconds_per_update": train_seconds / max(updates, 1)}
    return params, forward, record


def run(smoke=False, progress=None):
    budget = dict(SMOKE if smoke else FULL)
    L_test = budget.pop("L_test", L_TEST)
    seeds = SEEDS[:budget.pop("seeds", len(SEEDS))]
    progress = progress or (lambda it, desc="", total=None: it)
    lengths = list(range(1, L_test + 1))
    valid = valid_set(budget["n_valid"])
    data = {"sizes": {"width": WIDTH, "L_train": L_TRAIN, "L_test": L_test, "H": H, "batch": BATCH,
                      "lr": LR, "max_norm": MAX_NORM},
            "trials": TRIALS, "lengths": lengths, "lstm": {}}
    for seed in seeds:
        start = time.perf_counter()
        params, forward, record = train(seed, budget, valid, progress)
        record["error_by_length"] = error_by_length(forward, lengths, budget["n_test"])
        record["seconds"] = round(time.perf_counter() - start, 1)
        data["lstm"][str(seed)] = record
        data["params"] = nm.count_params(params)
    budget.update(batch=BATCH, L_train=L_TRAIN)
    return {"seeds": seeds, "budget": budget, "data": data}
