import numpy as np


def temperature_softmax(o, temperature):
    shape = o.shape
    rows = o.reshape(-1, shape[-1])
    p = np.zeros_like(rows)
    for r in range(rows.shape[0]):
        row = rows[r]
        if temperature == 0:
            winners = np.flatnonzero(row == row.max())
            p[r, winners] = 1.0 / len(winners)
        else:
            z = (row - row.max()) / temperature     # shift first: the same softmax, no overflow
            e = np.exp(z)
            p[r] = e / e.sum()
    return p.reshape(shape)


def sample_index(p, upsilon):
    N, K = p.shape
    out = np.zeros(N, dtype=np.int64)
    for n in range(N):
        cum = np.cumsum(p[n])
        for k in range(K):
            if upsilon[n] < cum[k] / cum[-1]:
                out[n] = k
                break
    return out


def sample_sequence(step, state, x, upsilon, temperature):
    N, n = upsilon.shape
    ids = np.empty((N, n), dtype=np.int64)
    inp = np.asarray(x)
    for t in range(n):
        logits, state = step(inp, state)
        probs = temperature_softmax(logits, temperature)
        inp = sample_index(probs, upsilon[:, t])
        ids[:, t] = inp
    return ids
