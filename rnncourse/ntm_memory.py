"""One step of the Neural Turing Machine's memory: the write, then the read of what was written.

``ntm`` has the two operations apart (``memory_write``, ``memory_read``) with their backward
passes; the NTM model applies them in this order at every step (``ntm_model``). Chapter 8's
assignment asks for the step as one function.
"""

from __future__ import annotations

from .ntm import memory_read, memory_write


def memory_step(memory, w_write, u, v, w_read):
    """One step of the NTM's memory: write (erase, then add), then read the memory just written.

    ``M_t = M_{t-1} * (1 1^T - w u^T) + w v^T`` with the write head's weighting ``w``, then
    ``m_t = M_t^T w`` with the read head's weighting.

    Inputs:
    - memory: the memory before the step, M_{t-1}, shape (N, S, M); it is not modified.
    - w_write: the write head's weighting, shape (N, S).
    - u: erase vectors, shape (N, M), entries in [0, 1].
    - v: add vectors, shape (N, M).
    - w_read: the read head's weighting, shape (N, S).

    Returns a tuple of:
    - memory_new: the memory after the write, M_t, shape (N, S, M).
    - m: the read vectors, shape (N, M), read from memory_new.
    """
    memory_new = memory_write(memory, w_write, u, v)
    return memory_new, memory_read(memory_new, w_read)
