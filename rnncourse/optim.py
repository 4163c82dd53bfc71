"""Parameter updates: gradient-descent optimizers.

Convention, which every optimizer here follows so that a training loop can
swap one for another:

- parameters and gradients are dicts from a name (``"U"``, ``"W"``, ...) to a
  float array; ``grads`` has exactly the keys of ``params`` and the same shapes;
- an optimizer is a function ``<name>_step(params, grads, lr, ...)`` that
  updates the arrays of ``params`` **in place** (so that every reference to
  ``params["W"]`` sees the new values) and returns None;
- an optimizer with a memory (momentum, Adam's moment estimates) keeps it in a
  ``state`` dict that the caller creates empty and passes to every call.

Chapter 2 uses plain gradient descent; later chapters add Adam and clipping.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["sgd_step"]


def _check_params_and_grads(params, grads):
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict from names to arrays, got a {type(params).__name__}")
    if not isinstance(grads, dict):
        raise ValueError(f"grads must be a dict from names to arrays, got a {type(grads).__name__}")
    if set(grads) != set(params):
        raise ValueError(
            f"grads has keys {sorted(grads)} but params has keys {sorted(params)}; expected the same keys"
        )
    for name, p in params.items():
        if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
            raise ValueError(f"params[{name!r}] must be a float numpy array (updated in place), got {p!r:.60}")
        g = np.asarray(grads[name])
        if g.shape != p.shape:
            raise ValueError(f"grads[{name!r}] has shape {g.shape}, expected params[{name!r}]'s shape {p.shape}")


def sgd_step(params, grads, lr):
    """One step of gradient descent, ``theta <- theta - lr * dL/dtheta``, in place.

    Inputs:
    - params: dict from names to float arrays; each array is updated in place.
    - grads: dict with the same keys; ``grads[k]`` has the shape of ``params[k]``.
    - lr: the learning rate, a positive number.

    Returns:
    - None (``params`` holds the new values).
    """
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not lr > 0:
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    _check_params_and_grads(params, grads)
    for name, p in params.items():
        p -= lr * grads[name]
