"""rnn_step_backward with einsum and the sums over the batch in the subscripts."""
import numpy as np


def rnn_step_backward(dh, x, h_prev, h, U, W):
    g = dh * (1.0 - np.square(h))
    return (np.einsum("nh,hd->nd", g, U), np.einsum("nh,hk->nk", g, W), np.einsum("nh,nd->hd", g, x),
            np.einsum("nh,nk->hk", g, h_prev), np.einsum("nh->h", g))
