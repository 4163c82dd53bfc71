"""The LSTM's initial forget-gate bias against learning a long lag (chapter 5).

An LSTM (H = 16) learns first-symbol recall with a lag of 50 steps from forget-gate biases 0, 1
and 3, with the chapter's training set-up: Adam (step 0.01), clipping at global norm 1, one fresh
batch of 32 sequences per update, at most 300 updates, stopped once the mean loss of the last 10
updates is below 0.05. Seed pair j draws the weights with seed 7 + 2j and the batches with seed
8 + 2j; for one pair the three biases share the weights and the batches, so only b^f differs.
Recorded per bias and seed: updates taken, whether training stopped early (solved), the mean
loss of the last 10 updates, and the learning curve (NaN after an early stop).
"""

import numpy as np

import rnncourse as rc

DESCRIPTION = "LSTM forget-gate bias 0, 1, 3 on first-symbol recall at lag 50, 12 seed pairs"
DEPENDS = [
    "rnncourse/sequence_tasks.py",
    "rnncourse/gated.py",
    "rnncourse/rnn.py",
    "rnncourse/bptt.py",
    "rnncourse/optim.py",
    "rnncourse/data.py",
    "rnncourse/activations.py",
    "rnncourse/_validate.py",
]

K, N_DISTRACTORS, H = 4, 4, 16
BIASES = (0.0, 1.0, 3.0)
FULL = {"T": 50, "updates": 300, "batch": 32, "pairs": 12}
SMOKE = {"T": 5, "updates": 3, "batch": 4, "pairs": 2}
LR, MAX_NORM, STOP_BELOW = 0.01, 1.0, 0.05


def run(smoke=False, progress=None):
    cfg = SMOKE if smoke else FULL
    progress = progress or (lambda it, desc="", total=None: it)
    D = K + N_DISTRACTORS
    pairs = [(7 + 2 * j, 8 + 2 * j) for j in range(cfg["pairs"])]

    def task(n, rng):
        return rc.first_symbol_recall(n, cfg["T"], K, N_DISTRACTORS, rng)

    data = {"biases": list(BIASES), "T": cfg["T"], "K": K, "H": H}
    curves = np.full((len(BIASES), len(pairs), cfg["updates"]), np.nan)
    jobs = [(ib, j) for ib in range(len(BIASES)) for j in range(len(pairs))]
    per_bias = {str(b): {"updates": [], "solved": [], "final_loss": []} for b in BIASES}
    for ib, j in progress(jobs, "forget bias x seed pair"):
        bias = BIASES[ib]
        weight_seed, batch_seed = pairs[j]
        p = rc.init_classifier_params("lstm", D, H, K, rng=np.random.default_rng(weight_seed),
                                      forget_bias=bias)
        losses = rc.train_classifier("lstm", p, task, cfg["updates"], cfg["batch"],
                                     np.random.default_rng(batch_seed), lr=LR, max_norm=MAX_NORM,
                                     stop_below=STOP_BELOW)
        curves[ib, j, : len(losses)] = losses
        entry = per_bias[str(bias)]
        entry["updates"].append(len(losses))
        # train_classifier stops early only when the last 10 losses average below STOP_BELOW.
        entry["solved"].append(bool(len(losses) < cfg["updates"]))
        entry["final_loss"].append(float(losses[-10:].mean()))
    data["runs"] = per_bias
    budget = {"max_updates": cfg["updates"], "batch_size": cfg["batch"], "lag_T": cfg["T"], "lr": LR,
              "max_norm": MAX_NORM, "stop_below": STOP_BELOW, "optimizer": "Adam (0.9, 0.999)"}
    seeds = [list(pair) for pair in pairs]
    return {"seeds": seeds, "budget": budget, "data": data, "arrays": {"curves": curves}}
