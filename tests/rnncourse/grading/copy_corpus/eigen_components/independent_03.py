"""eigen_components from the general solver, sorted to ascending order and normalised."""
import numpy as np


def eigen_components(W, h0, t):
    values, vectors = np.linalg.eig(W)
    values, vectors = values.real, vectors.real
    order = np.argsort(values)
    values, vectors = values[order], vectors[:, order]
    vectors = vectors / np.linalg.norm(vectors, axis=0)
    projections = vectors.T.dot(h0)
    return np.power(values, t)[:, None] * projections[:, None] * vectors.T
