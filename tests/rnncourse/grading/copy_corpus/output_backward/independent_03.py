"""output_backward: flatten batch and time into rows; the weight gradient is one product."""
import numpy as np


def output_backward(dO, Hs, V):
    rows_o = dO.reshape(-1, V.shape[0])
    rows_h = Hs.reshape(-1, V.shape[1])
    grad_h = (rows_o @ V).reshape(Hs.shape)
    grad_V = rows_o.T @ rows_h
    grad_c = rows_o.sum(0)
    return grad_h, grad_V, grad_c
