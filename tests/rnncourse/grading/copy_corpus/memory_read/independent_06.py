import numpy as np


def memory_read(memory, w):
    read_vectors = [weights @ slots for weights, slots in zip(w, memory)]
    return np.array(read_vectors)
