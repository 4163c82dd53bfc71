"""Vanilla RNN, LSTM and GRU against the length of first-symbol recall (chapter 5).

Each kind (H = 16, K = 4 classes, 4 distractor symbols) learns the task at T = 10, 30 and 100 steps
with the chapter's set-up: Adam (step 0.01), clipping at global norm 1, one fresh batch of 32
sequences per update, at most 300 updates, stopped once the mean loss of the last 10 updates is
below 0.05. The LSTM starts with forget-gate bias 3 and the GRU with update-gate bias -3. Run k
draws its weights with seed 11 + 10k and its batches with seed 12 + 10k, the same for every kind;
the test set (1000 sequences) has seed 99.

Three additions at T = 100. A control: the GRU writes z = sigma(-3) = 0.047 of its candidate per
step at the start, while the LSTM's input gate starts at sigma(0) = 0.5; "lstm_i3" is the LSTM
with its input-gate bias also set to -3, so that it starts writing the same share. A longer
budget: "lstm_long" and "lstm_i3_long" train the LSTM and the control for at most 1000 updates,
with the same seeds (their first 300 updates are those of the 300-update runs). And the gradient
at initialisation of every RNN, LSTM, GRU and control run: the norm of dL/dC_1 (LSTMs) or dL/dh_1
(RNN, GRU) over the norm of dL/dh_T, where the loss enters, geometric mean over the first 64 test
sequences, as in the chapter.
"""

import numpy as np

import rnncourse as rc

DESCRIPTION = "RNN, LSTM, GRU on first-symbol recall at T = 10, 30, 100, 10 seeds; LSTM with b^i=-3, 1000 updates"
DEPENDS = [
    "rnncourse/sequence_tasks.py",
    "rnncourse/gated.py",
    "rnncourse/rnn.py",
    "rnncourse/bptt.py",
    "rnncourse/longterm.py",
    "rnncourse/optim.py",
    "rnncourse/data.py",
    "rnncourse/activations.py",
    "rnncourse/_validate.py",
]

K, N_DISTRACTORS, H = 4, 4, 16
FORGET_BIAS, INPUT_BIAS_CONTROL = 3.0, -3.0
LR, MAX_NORM, STOP_BELOW, SOLVED_AT = 0.01, 1.0, 0.05, 0.95
TEST_SEED = 99
FULL = {"lags": (10, 30, 100), "updates": 300, "long_updates": 1000, "batch": 32, "seeds": 10, "n_test": 1000,
        "n_flow": 64}
SMOKE = {"lags": (4, 6), "updates": 3, "long_updates": 5, "batch": 4, "seeds": 2, "n_test": 20, "n_flow": 4}


def last_state_gradient(params, h_T, y, T):
    """dL/dh_t of the mean cross-entropy of the readout o = c + V h_T: nonzero at t = T only."""
    N, H_ = h_T.shape
    do = rc.softmax(h_T @ params["V"].T + params["c"])
    do[np.arange(N), y] -= 1.0
    dHs = np.zeros((N, T, H_))
    dHs[:, -1] = do @ params["V"] / N
    return dHs


def gru_hidden_gradient_norms(dHs, X, h0, Hs, U, W, b):
    """Norms of the total dL/dh_t of a GRU, shape (N, T): the step backward pass, run back in time."""
    N, T, _ = X.shape
    norms = np.zeros((N, T))
    dh = dHs[:, -1].copy()
    for t in range(T - 1, -1, -1):
        norms[:, t] = np.linalg.norm(dh, axis=1)
        if t == 0:
            break
        h_prev = Hs[:, t - 1]
        dh = dHs[:, t - 1] + rc.gru_step_backward(dh, X[:, t], h_prev, U, W, b)[1]
    return norms


def first_step_ratio(kind, params, X, y):
    """Gradient norm on the first state over the norm on h_T, geometric mean over sequences.

    The first state is the cell C_1 for the LSTMs and h_1 for the others. Every kind is divided by
    ||dL/dh_T||, the gradient where the loss enters, so that the LSTM's factor
    omega_T * (1 - tanh^2 C_T) between h_T and C_T counts against it as it does in training.
    """
    N, T, _ = X.shape
    zeros = np.zeros((N, params["W"].shape[1]))
    if kind == "lstm":
        Hs, Cs = rc.lstm_forward(X, zeros, zeros, params["U"], params["W"], params["b"])
        dHs = last_state_gradient(params, Hs[:, -1], y, T)
        _, C_norms = rc.lstm_gradient_norms_through_time(dHs, X, zeros, zeros, Hs, Cs, params["U"],
                                                         params["W"], params["b"])
        first = C_norms[:, 0]
    elif kind == "gru":
        Hs = rc.gru_forward(X, zeros, params["U"], params["W"], params["b"])
        dHs = last_state_gradient(params, Hs[:, -1], y, T)
        first = gru_hidden_gradient_norms(dHs, X, zeros, Hs, params["U"], params["W"], params["b"])[:, 0]
    else:
        Hs = rc.rnn_forward(X, zeros, params["U"], params["W"], params["b"])
        dHs = last_state_gradient(params, Hs[:, -1], y, T)
        first = rc.gradient_norms_through_time(dHs, X, zeros, Hs, params["U"], params["W"])[:, 0]
    return float(np.exp(np.mean(np.log(first / np.linalg.norm(dHs[:, -1], axis=1)))))


def run(smoke=False, progress=None):
    cfg = SMOKE if smoke else FULL
    progress = progress or (lambda it, desc="", total=None: it)
    D = K + N_DISTRACTORS
    seeds = [(11 + 10 * k, 12 + 10 * k) for k in range(cfg["seeds"])]
    T_long = cfg["lags"][-1]
    configs = [(kind, T) for T in cfg["lags"] for kind in ("rnn", "lstm", "gru")]
    configs += [(kind, T_long) for kind in ("lstm_i3", "lstm_long", "lstm_i3_long")]
    tests = {
        T: rc.first_symbol_recall(cfg["n_test"], T, K, N_DISTRACTORS, np.random.default_rng(TEST_SEED))
        for T in cfg["lags"]
    }
    runs = {f"{kind}_{T}": {"accuracy": [], "updates": [], "final_loss": []} for kind, T in configs}
    flow = {"rnn": [], "lstm": [], "gru": [], "lstm_i3": []}
    jobs = [(kind, T, k) for kind, T in configs for k in range(len(seeds))]
    for kind, T, k in progress(jobs, "kind x lag x seed"):
        weight_seed, batch_seed = seeds[k]
        net = "lstm" if kind.startswith("lstm") else kind
        n_updates = cfg["long_updates"] if kind.endswith("_long") else cfg["updates"]
        p = rc.init_classifier_params(net, D, H, K, rng=np.random.default_rng(weight_seed),
                                      forget_bias=FORGET_BIAS)
        if kind.startswith("lstm_i3"):
            p["b"][:H] = INPUT_BIAS_CONTROL  # the input gate's rows come first in (i, f, omega, C~)
        X_test, y_test = tests[T]
        if T == T_long and kind in flow:
            n = cfg["n_flow"]
            flow[kind].append(first_step_ratio(net, p, X_test[:n], y_test[:n]))

        def task(n, rng, T=T):
            return rc.first_symbol_recall(n, T, K, N_DISTRACTORS, rng)

        losses = rc.train_classifier(net, p, task, n_updates, cfg["batch"],
                                     np.random.default_rng(batch_seed), lr=LR, max_norm=MAX_NORM,
                                     stop_below=STOP_BELOW)
        entry = runs[f"{kind}_{T}"]
        entry["accuracy"].append(float(rc.classifier_accuracy(net, p, X_test, y_test)))
        entry["updates"].append(len(losses))
        entry["final_loss"].append(float(losses[-10:].mean()))
    data = {"lags": list(cfg["lags"]), "kinds": ["rnn", "lstm", "gru"], "K": K, "n_distractors": N_DISTRACTORS,
            "D": D, "H": H,
            "forget_bias": FORGET_BIAS, "input_bias_control": INPUT_BIAS_CONTROL, "solved_at": SOLVED_AT,
            "n_test": cfg["n_test"], "test_seed": TEST_SEED, "n_flow": cfg["n_flow"], "runs": runs,
            "flow_first_step": flow}
    budget = {"max_updates": cfg["updates"], "long_max_updates": cfg["long_updates"], "batch_size": cfg["batch"],
              "lr": LR, "max_norm": MAX_NORM,
              "stop_below": STOP_BELOW, "optimizer": "Adam (0.9, 0.999)"}
    return {"seeds": [list(s) for s in seeds], "budget": budget, "data": data}
