"""Parameter updates: gradient-descent optimizers.

Convention, which every optimizer here follows so that a training loop can
swap one for another:

- parameters and gradients are dicts from a name (``"U"``, ``"W"``, ...) to a
  float array; ``grads`` has exactly the keys of ``params`` and the same shapes;
- an optimizer is a function ``<name>_step(params, grads, lr, ...)`` that
  updates the arrays of ``params`` **in place** (so that every reference to
  ``params["W"]`` sees the new values) and returns None;
- an optimizer with a memory (momentum, Adam's moment estimates) keeps it in a
  ``state`` dict that the caller creates empty and passes to every call; the
  optimizer updates that dict in place and also returns it, so that
  ``state = adam_step(params, grads, state)`` and ``adam_step(params, grads, state)``
  both work.

Chapter 2 uses plain gradient descent; chapter 9 adds Adam; chapter 3 clipping.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["sgd_step", "adam_step", "global_norm", "clip_by_norm", "clip_by_value"]


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


def adam_step(params, grads, state=None, lr=1e-3, kappa1=0.9, kappa2=0.999, offset=1e-8):
    """One step of Adam (Kingma & Ba, 2015), in place, in the book's notation.

    With g the gradient of one parameter theta and t the number of steps taken so far,
    including this one (t = 1 on the first call):

        g_mean  <- kappa1 * g_mean  + (1 - kappa1) * g          (running mean of g)
        g2_mean <- kappa2 * g2_mean + (1 - kappa2) * g * g      (running mean of g * g)
        g_hat   =  g_mean  / (1 - kappa1^t)                      (bias correction)
        g2_hat  =  g2_mean / (1 - kappa2^t)
        theta   <- theta - lr * g_hat / (sqrt(g2_hat) + offset)

    Both running means start at zero, so for small t they are pulled towards zero by the
    factors (1 - kappa^t); dividing by those factors removes that pull. On the first step
    ``g_hat = g`` and ``g2_hat = g * g``, so every entry moves by about ``lr`` (Adam's
    beta1, beta2, m, v and epsilon are kappa1, kappa2, g_mean, g2_mean and offset here).

    Inputs:
    - params: dict from names to float arrays; each array is updated in place.
    - grads: dict with the same keys; ``grads[k]`` has the shape of ``params[k]``.
    - state: the dict returned by the previous call, or an empty dict / None before the first.
    - lr: the step size eta, a positive number.
    - kappa1, kappa2: fractions kept per step by the two running means, in [0, 1).
    - offset: the small number added to the denominator (1e-8), >= 0.

    Returns:
    - state: dict with ``"g_mean"`` and ``"g2_mean"`` (dicts with the keys and shapes of
      ``params``) and ``"step"`` (the number of steps taken, an int); the same dict object
      when one was passed in.
    """
    _check_threshold(lr, "lr")
    for name, value in (("kappa1", kappa1), ("kappa2", kappa2)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
            raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    if isinstance(offset, bool) or not isinstance(offset, numbers.Real) or not offset >= 0:
        raise ValueError(f"offset must be a number >= 0, got {offset!r}")
    _check_params_and_grads(params, grads)
    if state is None:
        state = {}
    if not isinstance(state, dict):
        raise ValueError(f"state must be a dict (empty before the first step), got a {type(state).__name__}")
    if not state:
        state.update(
            g_mean={k: np.zeros_like(p) for k, p in params.items()},
            g2_mean={k: np.zeros_like(p) for k, p in params.items()},
            step=0,
        )
    elif set(state) != {"g_mean", "g2_mean", "step"} or set(state["g_mean"]) != set(params):
        raise ValueError(
            "state must be the dict a previous adam_step call returned for the same params "
            f"(keys g_mean, g2_mean, step), got keys {sorted(state)}"
        )
    state["step"] += 1
    t = state["step"]
    correction1 = 1 - kappa1**t
    correction2 = 1 - kappa2**t
    for name, p in params.items():
        g = grads[name]
        g_mean, g2_mean = state["g_mean"][name], state["g2_mean"][name]
        g_mean *= kappa1
        g_mean += (1 - kappa1) * g
        g2_mean *= kappa2
        g2_mean += (1 - kappa2) * (g * g)
        p -= lr * (g_mean / correction1) / (np.sqrt(g2_mean / correction2) + offset)
    return state


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
    - max_norm: the threshold g_max, a positive number.

    Returns:
    - clipped: a new dict with the same keys, shapes and dtypes.
    """
    _check_threshold(max_norm, "max_norm")
    norm = global_norm(grads)
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}


def clip_by_value(grads, clip_value):
    """Clip every gradient entry to ``[-clip_value, clip_value]`` (elementwise, or value, clipping).

    Unlike ``clip_by_norm``, this turns the gradient whenever some entries are clipped
    and others are not. It never flips a sign, so the result still has a positive inner
    product with the gradient (a descent direction to first order), but its length grows
    with the number of clipped entries, up to ``clip_value`` times the square root of the
    number of entries: the step length, not the direction, is what a too large threshold
    or learning rate gets wrong.

    Inputs:
    - grads: dict from names to float arrays; not modified.
    - clip_value: the threshold, a positive number.

    Returns:
    - clipped: a new dict with the same keys, shapes and dtypes.
    """
    _check_threshold(clip_value, "clip_value")
    _check_grads(grads)
    return {name: np.clip(g, -clip_value, clip_value) for name, g in grads.items()}
