"""Why does the plain encoder-decoder of chapter 6 fail on long digit strings at 600 updates?

Chapter 6 trains its models for 600 updates and finds that a bidirectional encoder-decoder, whose
decoder sees the source only through a summary m of 64 entries, reverses almost no 13-digit
string; chapter 7's attention model, trained the same way, reverses most. Two causes fit that
measurement: the fixed-size summary cannot carry 13 digits (a limit of *capacity*), or the plain
model only *learns more slowly*. Longer training (``budget``) separates the two; the bottleneck
arm shows how narrow a summary this training can work with, which both causes predict to hurt,
so it does not separate them. On the chapters' task and settings (``rc.train_transduction``:
fresh batches of 32 strings, Adam steps of 0.003, gradients clipped at global norm 1; a vanilla
bidirectional encoder of H = 32 units per direction):

- ``budget``: the plain model (decoder of 64 units started from m) and the attention model
  (chapter 7's: decoder of 32 units, additive scorer of H_a = 32) at T_x = 13, each evaluated at
  several checkpoints of one training run per seed;
- ``bottleneck``: the plain model with a linear bottleneck of width H_m between encoder and
  decoder, ``h^d_0 = W_up W_down m`` (``init_seq2seq_params(..., H_m=...)``): the encoder, the
  decoder and the optimiser's settings are those of the plain model, and the two projections' own
  parameters (2 * 64 * H_m of them) are the only ones added. The training is not exactly the
  same: a product W_up W_down trains differently from one matrix (Saxe et al. 2014), and the
  global-norm clip at 1 includes the projections' gradients;
- ``length``: the plain model at several source lengths T_x, at the same checkpoints.

Every run is scored by greedy decoding of the same ``cfg["n_test"]`` fresh strings (``rc.transduction_
accuracy``, its default test generator): the fraction of strings entirely right and of tokens
right. Seed s initialises the model from ``default_rng(s)`` and draws the batches from
``default_rng(1000 + s)``; the seeds are the same across models, so model and seed are crossed.
"""

import os

# One BLAS thread: the products are small, and the machine's other core is shared.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import rnncourse as rc  # noqa: E402

DESCRIPTION = (
    "digit reversal: plain encoder-decoder vs attention at several training budgets, "
    "a bottleneck of width H_m alone, and the source length, over seeds"
)
DEPENDS = [
    f"rnncourse/{m}.py"
    for m in (
        "transduction", "seq2seq", "attention", "_cells", "_validate", "activations",
        "bidirectional", "bptt", "data", "gated", "losses", "optim", "rnn",
    )
]

K = len(rc.TRANSDUCTION_VOCAB)
SETTINGS = dict(batch_size=32, lr=0.003, max_norm=1.0)  # the chapters' settings
CHUNK = 200  # updates between progress reports


def n_params(tree):
    return int(sum(n_params(v) if isinstance(v, dict) else v.size for v in tree.values()))


def _init(kind, H, H_a, seed):
    """kind: "plain", "attention" or an int H_m (the plain model with a bottleneck of that width)."""
    rng = np.random.default_rng(seed)
    if kind == "attention":
        return rc.init_attention_seq2seq_params(K, H, K, H_a, rng=rng)
    return rc.init_seq2seq_params(K, H, K, rng=rng, H_m=None if kind == "plain" else kind)


def train_with_checkpoints(kind, T_x, seed, budgets, cfg, progress, desc):
    """One training run; (strings right, tokens right) after each number of updates in budgets."""
    enc, dec = _init(kind, cfg["H"], cfg["H_a"], seed)
    attention = kind == "attention"
    rng, adam_state = np.random.default_rng(1000 + seed), {}
    # Train in chunks of CHUNK updates (and stop at every checkpoint): one run, since the batches'
    # generator and Adam's state carry over from chunk to chunk.
    stops = sorted(set(range(CHUNK, budgets[-1] + 1, CHUNK)) | set(budgets))
    done, seq, tok = 0, [], []
    for stop in progress(stops, desc):
        rc.train_transduction(enc, dec, T_x, stop - done, attention=attention, rng=rng,
                              adam_state=adam_state, **SETTINGS)
        done = stop
        if stop in budgets:
            s, t = rc.transduction_accuracy(enc, dec, T_x, n=cfg["n_test"], attention=attention)
            seq.append(s)
            tok.append(t)
    return seq, tok, n_params(enc) + n_params(dec)


def run(smoke=False, progress=None):
    progress = progress or (lambda it, desc="", total=None: it)
    if smoke:
        cfg = dict(T_x=4, H=8, H_a=8, n_test=50, seeds=[0, 1], budgets=[20, 40, 60],
                   attention_budgets=[20, 40], widths=[1, 16], lengths=[3, 5],
                   length_budgets=[20, 40])
    else:
        # Sized from a pilot (one seed, about 3 s per 1000 updates of the plain model at
        # T_x = 13 and twice that with attention, on a shared core): the attention model is right
        # on nearly every string by 2000 updates, so 8000 suffice for it.
        cfg = dict(T_x=13, H=32, H_a=32, n_test=1000, seeds=[0, 1, 2],
                   budgets=[300, 600, 1000, 2000, 4000, 8000, 16000],
                   attention_budgets=[300, 600, 1000, 2000, 4000, 8000],
                   widths=[1, 4, 16, 64], lengths=[5, 9, 17], length_budgets=[600, 2000, 8000])
    seeds, budgets, T_x = cfg["seeds"], cfg["budgets"], cfg["T_x"]
    assert set(cfg["length_budgets"]) <= set(budgets)  # T_x itself comes from the budget runs

    def sweep(kinds, lengths, budgets_here, label):
        """{(kind, T_x): (seq (seeds, budgets), tok (seeds, budgets), parameters)}."""
        out = {}
        for kind in kinds:
            for T in lengths:
                seq, tok = [], []
                for seed in seeds:
                    s, t, n = train_with_checkpoints(kind, T, seed, budgets_here, cfg, progress,
                                                     f"{label} {kind} T_x={T} seed {seed}")
                    seq.append(s)
                    tok.append(t)
                out[kind, T] = (seq, tok, n)
        return out

    budget_runs = sweep(["plain"], [T_x], budgets, "budget")
    budget_runs.update(sweep(["attention"], [T_x], cfg["attention_budgets"], "budget"))
    width_runs = sweep(cfg["widths"], [T_x], budgets, "bottleneck")
    length_runs = sweep(["plain"], cfg["lengths"], cfg["length_budgets"], "length")
    # The plain model at T_x is the budget sweep's run (same seeds, same batches): reuse its
    # checkpoints rather than train it again.
    at = [budgets.index(b) for b in cfg["length_budgets"]]
    seq, tok, n = budget_runs["plain", T_x]
    length_runs["plain", T_x] = ([[r[i] for i in at] for r in seq], [[r[i] for i in at] for r in tok], n)
    lengths = sorted(cfg["lengths"] + [T_x])

    data = {
        "T_x": T_x, "H": cfg["H"], "H_a": cfg["H_a"], "n_test": cfg["n_test"], "settings": SETTINGS,
        # seq_acc[seed][checkpoint] after budgets[kind][checkpoint] updates, tok_acc likewise;
        # params: the model's parameter count
        "models": {
            kind: {"budgets": b, "seq_acc": budget_runs[kind, T_x][0], "tok_acc": budget_runs[kind, T_x][1],
                   "params": budget_runs[kind, T_x][2]}
            for kind, b in (("plain", budgets), ("attention", cfg["attention_budgets"]))
        },
        # seq_acc[width][seed][checkpoint]
        "bottleneck": {
            "H_m": cfg["widths"], "budgets": budgets,
            "seq_acc": [width_runs[w, T_x][0] for w in cfg["widths"]],
            "tok_acc": [width_runs[w, T_x][1] for w in cfg["widths"]],
            "params": [width_runs[w, T_x][2] for w in cfg["widths"]],
        },
        # seq_acc[length][seed][checkpoint]
        "length": {
            "T_x": lengths, "budgets": cfg["length_budgets"],
            "seq_acc": [length_runs["plain", T][0] for T in lengths],
            "tok_acc": [length_runs["plain", T][1] for T in lengths],
        },
    }
    budget = {
        "updates": budgets, "attention_updates": cfg["attention_budgets"],
        "length_updates": cfg["length_budgets"],
        "batch_size": SETTINGS["batch_size"], "test_strings": cfg["n_test"],
        "training_runs": len(seeds) * (2 + len(cfg["widths"]) + len(cfg["lengths"])),
    }
    return {"seeds": seeds, "budget": budget, "data": data}
