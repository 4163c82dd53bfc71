import numpy as np


def _log_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def tbptt_step(params, inputs, targets, state, lstm, lr, max_norm):
    count = inputs.size
    K = len(params["c"])
    onehot = np.eye(K)
    Hs, Cs, backward = lstm(params, onehot[inputs], state[0], state[1])
    log_p = _log_softmax(Hs @ params["V"].T + params["c"])
    T_onehot = onehot[targets]
    loss = -(T_onehot * log_p).sum() / count
    dO = (np.exp(log_p) - T_onehot) / count
    grads = backward(dO @ params["V"])
    grads["V"] = np.tensordot(dO, Hs, axes=([0, 1], [0, 1]))
    grads["c"] = dO.sum(axis=(0, 1))
    global_norm = np.sqrt(np.sum([np.sum(np.square(g)) for g in grads.values()]))
    clip = np.minimum(1.0, max_norm / global_norm)
    new_params = {name: params[name] - lr * clip * grads[name] for name in params}
    last = (np.array(Hs[:, -1]), np.array(Cs[:, -1]))
    return new_params, float(loss), last
