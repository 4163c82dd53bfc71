"""memory_capacity: a target matrix of all delays, one solve for every readout at once."""
import numpy as np


def memory_capacity(x, states, max_delay, mu=1e-06):
    T = x.shape[0]
    t_all = np.arange(max_delay, T)
    half = len(t_all) // 2
    delays = np.arange(1, max_delay + 1)
    targets = x[t_all[:, None] - delays[None, :]]  # (steps, max_delay)
    Z = np.column_stack([states[t_all], np.ones(len(t_all))])
    H = states.shape[1]
    pen = mu * np.eye(H + 1)
    pen[H, H] = 0
    Ztr = Z[:half]
    W_out = np.linalg.solve(Ztr.T @ Ztr + pen, Ztr.T @ targets[:half])
    pred = Z[half:] @ W_out
    true = targets[half:]
    pc = pred - pred.mean(axis=0)
    tc = true - true.mean(axis=0)
    num = (pc * tc).sum(axis=0) ** 2
    den = (pc ** 2).sum(axis=0) * (tc ** 2).sum(axis=0)
    mc_k = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
    return float(np.sum(mc_k)), mc_k
