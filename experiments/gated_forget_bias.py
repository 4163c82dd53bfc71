"""The LSTM's initial forget-gate bias against learning a long lag (chapter 5).

An LSTM (H = 16) learns first-symbol recall with a lag of 50 steps from forget-gate biases 0, 1
and 3, with the chapter's training set-up: Adam (step 0.01), clipping at global norm 1, one fresh
batch of 32 sequences per update, at most 300 updates, stopped once the mean loss of the last 10
updates is below 0.05. Seed pair j draws the weights with seed 7 + 2j and the batches with seed
8 + 2j; for one pair the three biases share the weights and the batches, so only b^f differs.
Recorded per bias and seed: updates taken, whether training stopped early (solved), the mean
loss of the last 10 updates, and the learning curve (NaN after an early stop).

Before training, on 64 probe sequences (seed 99) at the same lag, each run also records two
things that the bias sets at once, so that the chapter can correlate them with success:
- the gradient at the first step: ||dL/dC_1|| over ||dL/dh_T|| (the loss reads h_T only),
  geometric mean over the sequences, as in the chapter's gradient figure;
- the forward trace of the first symbol: each probe sequence is run with each of the K class
  symbols first; the spread (standard deviation over the K versions) of h_T, norm over units,
  mean over sequences. It is what the readout could see of the answer before any learning.
After training, on the same probes: each unit's learned forget-gate bias and its forget gate
averaged over the sequences and the steps 2..T.
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
FULL = {"T": 50, "updates": 300, "batch": 32, "pairs": 12, "n_probe": 64}
SMOKE = {"T": 5, "updates": 3, "batch": 4, "pairs": 2, "n_probe": 4}
LR, MAX_NORM, STOP_BELOW = 0.01, 1.0, 0.05
PROBE_SEED = 99


def gates(p, X, Hs):
    """The forget gates of every step, recomputed from the stored hidden states: (N, T, H)."""
    H_prev = np.concatenate([np.zeros_like(Hs[:, :1]), Hs[:, :-1]], axis=1)
    a = X @ p["U"].T + H_prev @ p["W"].T + p["b"]
    return rc.sigmoid(a[..., H:2 * H])


def first_step_gradient(p, X, y):
    """||dL/dC_1|| / ||dL/dh_T|| of the mean cross-entropy, geometric mean over the sequences."""
    N, T, _ = X.shape
    zeros = np.zeros((N, H))
    Hs, Cs = rc.lstm_forward(X, zeros, zeros, p["U"], p["W"], p["b"])
    do = rc.softmax(Hs[:, -1] @ p["V"].T + p["c"])
    do[np.arange(N), y] -= 1.0
    dHs = np.zeros((N, T, H))
    dHs[:, -1] = do @ p["V"] / N
    h_norms, C_norms = rc.lstm_gradient_norms_through_time(dHs, X, zeros, zeros, Hs, Cs, p["U"], p["W"],
                                                           p["b"])
    return float(np.exp(np.mean(np.log(C_norms[:, 0] / h_norms[:, -1]))))


def first_symbol_trace(p, X):
    """Spread of h_T over the K choices of the first symbol, the rest of each sequence fixed."""
    N = X.shape[0]
    zeros = np.zeros((N, H))
    last = []
    for k in range(K):
        Xk = X.copy()
        Xk[:, 0] = 0.0
        Xk[:, 0, k] = 1.0
        last.append(rc.lstm_forward(Xk, zeros, zeros, p["U"], p["W"], p["b"])[0][:, -1])
    return float(np.mean(np.linalg.norm(np.std(np.stack(last), axis=0), axis=1)))


def run(smoke=False, progress=None):
    cfg = SMOKE if smoke else FULL
    progress = progress or (lambda it, desc="", total=None: it)
    D = K + N_DISTRACTORS
    pairs = [(7 + 2 * j, 8 + 2 * j) for j in range(cfg["pairs"])]

    def task(n, rng):
        return rc.first_symbol_recall(n, cfg["T"], K, N_DISTRACTORS, rng)

    X_probe, y_probe = task(cfg["n_probe"], np.random.default_rng(PROBE_SEED))
    data = {"biases": list(BIASES), "T": cfg["T"], "K": K, "n_distractors": N_DISTRACTORS, "D": D, "H": H,
            "n_probe": cfg["n_probe"], "probe_seed": PROBE_SEED}
    curves = np.full((len(BIASES), len(pairs), cfg["updates"]), np.nan)
    trained_bf = np.zeros((len(BIASES), len(pairs), H))
    trained_f = np.zeros((len(BIASES), len(pairs), H))
    jobs = [(ib, j) for ib in range(len(BIASES)) for j in range(len(pairs))]
    per_bias = {str(b): {"updates": [], "solved": [], "final_loss": [], "first_step_gradient": [],
                         "first_symbol_trace": []} for b in BIASES}
    for ib, j in progress(jobs, "forget bias x seed pair"):
        bias = BIASES[ib]
        weight_seed, batch_seed = pairs[j]
        p = rc.init_classifier_params("lstm", D, H, K, rng=np.random.default_rng(weight_seed),
                                      forget_bias=bias)
        entry = per_bias[str(bias)]
        entry["first_step_gradient"].append(first_step_gradient(p, X_probe, y_probe))
        entry["first_symbol_trace"].append(first_symbol_trace(p, X_probe))
        losses = rc.train_classifier("lstm", p, task, cfg["updates"], cfg["batch"],
                                     np.random.default_rng(batch_seed), lr=LR, max_norm=MAX_NORM,
                                     stop_below=STOP_BELOW)
        curves[ib, j, : len(losses)] = losses
        entry["updates"].append(len(losses))
        # train_classifier stops early only when the last 10 losses average below STOP_BELOW.
        entry["solved"].append(bool(len(losses) < cfg["updates"]))
        entry["final_loss"].append(float(losses[-10:].mean()))
        zeros = np.zeros((cfg["n_probe"], H))
        Hs, _ = rc.lstm_forward(X_probe, zeros, zeros, p["U"], p["W"], p["b"])
        trained_bf[ib, j] = p["b"][H:2 * H]
        trained_f[ib, j] = gates(p, X_probe, Hs)[:, 1:].mean(axis=(0, 1))
    data["runs"] = per_bias
    budget = {"max_updates": cfg["updates"], "batch_size": cfg["batch"], "lag_T": cfg["T"], "lr": LR,
              "max_norm": MAX_NORM, "stop_below": STOP_BELOW, "optimizer": "Adam (0.9, 0.999)"}
    seeds = [list(pair) for pair in pairs]
    arrays = {"curves": curves, "trained_forget_bias": trained_bf, "trained_forget_gate": trained_f}
    return {"seeds": seeds, "budget": budget, "data": data, "arrays": arrays}
