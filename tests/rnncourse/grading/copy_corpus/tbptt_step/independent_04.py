import numpy as np


def tbptt_step(params, inputs, targets, state, lstm, lr, max_norm):
    names = ["U", "W", "b", "V", "c"]
    N, T = inputs.shape
    K = params["V"].shape[0]
    X = (inputs[..., None] == np.arange(K)).astype(params["W"].dtype)
    Hs, Cs, backward = lstm(params, X, *state)
    O = np.einsum("nth,kh->ntk", Hs, params["V"]) + params["c"]
    log_Z = np.logaddexp.reduce(O, axis=-1, keepdims=True)
    P = np.exp(O - log_Z)
    Y = (targets[..., None] == np.arange(K)).astype(O.dtype)
    loss = float(np.mean(np.sum(Y * (log_Z - O), axis=-1)))
    dO = (P - Y) / (N * T)
    lstm_grads = backward(np.einsum("ntk,kh->nth", dO, params["V"]))
    grads = {"V": np.einsum("ntk,nth->kh", dO, Hs), "c": np.einsum("ntk->k", dO), **lstm_grads}
    # clip all five together: one vector of every entry
    flat = np.concatenate([grads[k].ravel() for k in names])
    g_norm = np.linalg.norm(flat)
    if g_norm > max_norm:
        flat = flat * (max_norm / g_norm)
    new_params, offset = {}, 0
    for k in names:
        size = params[k].size
        new_params[k] = params[k] - lr * flat[offset:offset + size].reshape(params[k].shape)
        offset += size
    return new_params, loss, (Hs[:, -1, :].copy(), Cs[:, -1, :].copy())
