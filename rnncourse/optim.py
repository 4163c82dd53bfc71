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

__all__ = ["sgd_step", "global_norm", "clip_by_norm", "clip_by_value"]


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


def _check_grads(grads):
    if not isinstance(grads, dict):
        raise ValueError(f"grads must be a dict from names to arrays, got a {type(grads).__name__}")
    for name, g in grads.items():
        if not isinstance(g, np.ndarray) or not np.issubdtype(g.dtype, np.floating):
            raise ValueError(f"grads[{name!r}] must be a float numpy array, got {g!r:.60}")


def _check_threshold(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")


def global_norm(grads):
    """The Euclidean norm of all gradients together, as if they were one long vector.

    Inputs:
    - grads: dict from names to float arrays.

    Returns:
    - norm: sqrt of the sum over every key and entry of the squared gradients, a Python float.
    """
    _check_grads(grads)
    return float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))


def clip_by_norm(grads, max_norm):
    """Clip gradients by their global norm: ``g <- max_norm * g / ||g||`` when ``||g|| > max_norm``.

    Every array is scaled by the same factor, so the direction of the whole gradient is
    kept; gradients whose global norm is at most ``max_norm`` are returned unchanged (as copies).

    Inputs:
    - grads: dict from names to float arrays; not modified.
    - max_norm: the threshold v, a positive number.

    Returns:
    - clipped: a new dict with the same keys, shapes and dtypes.
    """
    _check_threshold(max_norm, "max_norm")
    norm = global_norm(grads)
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}


def clip_by_value(grads, clip_value):
    """Clip every gradient entry to ``[-clip_value, clip_value]`` (elementwise, or value, clipping).

    Unlike ``clip_by_norm``, this changes the direction of the gradient whenever
    some entries are clipped and others are not.

    Inputs:
    - grads: dict from names to float arrays; not modified.
    - clip_value: the threshold, a positive number.

    Returns:
    - clipped: a new dict with the same keys, shapes and dtypes.
    """
    _check_threshold(clip_value, "clip_value")
    _check_grads(grads)
    return {name: np.clip(g, -clip_value, clip_value) for name, g in grads.items()}
