"""Numerical gradients by centred differences, and a relative error to compare them.

For a function ``f`` with array output and an upstream gradient ``df`` of the
same shape as that output, the scalar whose gradient we check is
``sum(f(x) * df)``. Its derivative with respect to ``x[i]`` is approximated by

    (sum(f(x + eps e_i) * df) - sum(f(x - eps e_i) * df)) / (2 eps),

whose error is O(eps^2) for smooth ``f``. ``step_size_errors`` measures that error,
and the O(eps) error of the one-sided difference, against a known gradient for
several steps: too large a step gives truncation error, too small a one rounding
error.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array

__all__ = ["numerical_gradient", "relative_error", "gradient_errors", "step_size_errors"]

# True while the grader calls a graded function (in its jail, or in a notebook's grade(...)): finite
# differences check a gradient there, they may not stand in for the backward pass being graded.
GRADED_CALL = [False]


def numerical_gradient(f, x, df=None, eps=1e-6):
    """Centred-difference gradient of ``sum(f(x) * df)`` with respect to ``x``.

    ``x`` is perturbed in place, one entry at a time, and restored afterwards,
    so ``f`` may close over ``x`` instead of taking it as an argument.

    Inputs:
    - f: a function called as ``f(x)``, returning a float or an array.
    - x: float array of any shape; the variable to differentiate with respect to.
    - df: upstream gradient with the shape of ``f``'s output, or None for a
      scalar ``f`` (then ``df = 1``).
    - eps: the step; 1e-6 suits float64 (the truncation error ~eps^2 and the
      rounding error ~1e-16/eps are then both near 1e-11).

    Returns:
    - grad: float array of the same shape as ``x``.

    Raises:
    - RuntimeError when called inside a function the grader is calling (``GRADED_CALL``).
    """
    if GRADED_CALL[0]:
        raise RuntimeError("numerical_gradient checks a gradient; it may not compute one inside a graded function "
                           "(derive the backward pass)")
    x = as_float_array(x, "x", tuple(range(0, 33)))
    if not callable(f):
        raise ValueError(f"f must be callable, got a {type(f).__name__}")
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps!r}")

    def scalar(value):
        out = np.asarray(value, dtype=float)
        if df is None:
            if out.size != 1:
                raise ValueError(
                    f"f returned an array of shape {out.shape}; pass df with that shape "
                    "(the upstream gradient) or make f return a scalar"
                )
            return float(out.reshape(()))
        upstream = np.asarray(df, dtype=float)
        if upstream.shape != out.shape:
            raise ValueError(f"df has shape {upstream.shape}, expected f's output shape {out.shape}")
        return float(np.sum(out * upstream))

    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        try:
            x[i] = old + eps
            plus = scalar(f(x))
            x[i] = old - eps
            minus = scalar(f(x))
        finally:  # restore x even when f or df raises
            x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """Relative distance between two arrays: the book's ``err(A, B) = ||A - B|| / (||A|| + ||B||)``.

    ``a`` and ``b`` hold the book's A and B (lower case here only because ``a`` and ``b``
    name arrays, not the pre-activation and the bias). Norms are Frobenius norms over all entries. The result is 0 when ``a`` and
    ``b`` are both exactly zero (instead of 0/0). Both are divided by their
    largest absolute entry first, so that tiny or huge values neither underflow
    nor overflow in the norms, and the function never divides by zero.

    Inputs:
    - a, b: float arrays of the same shape.

    Returns:
    - err: a float in [0, 1]; about 1e-9 or below (often 1e-10 to 1e-11) for a
      correct float64 backward pass checked with centred differences, eps = 1e-6.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}; expected the same shape")
    scale = max(np.abs(a).max(initial=0.0), np.abs(b).max(initial=0.0))
    if scale == 0.0:
        return 0.0
    if not np.isfinite(scale):
        return float("nan")  # inf or nan entries: no meaningful relative error
    a, b = a / scale, b / scale  # the largest entry is now 1: no underflow, no overflow
    num = np.linalg.norm(a - b)
    den = np.linalg.norm(a) + np.linalg.norm(b)  # >= 1
    return float(num / den)


def gradient_errors(f, params, grads, eps=1e-6):
    """Check a dict of analytic gradients against centred differences, one parameter at a time.

    For every key k of ``grads``, the numerical gradient of the scalar ``f(params)``
    with respect to ``params[k]`` is computed with ``numerical_gradient`` (which
    perturbs ``params[k]`` in place and restores it, so ``f`` sees the change through
    the dict) and compared with ``grads[k]`` by ``relative_error``.

    Inputs:
    - f: a function called as ``f(params)`` that returns the loss, a float.
    - params: dict from names to float arrays, the point at which to check.
    - grads: dict from some or all of those names to the analytic gradients, each of
      the shape of its parameter.
    - eps: the step of the centred differences.

    Returns:
    - errors: dict with the keys of ``grads``; ``errors[k]`` is the relative error of
      ``grads[k]``, a float (below 1e-7 for a correct float64 gradient).
    """
    if not callable(f):
        raise ValueError(f"f must be callable, got a {type(f).__name__}")
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict from names to arrays, got a {type(params).__name__}")
    if not isinstance(grads, dict):
        raise ValueError(f"grads must be a dict from names to arrays, got a {type(grads).__name__}")
    unknown = sorted(set(grads) - set(params))
    if unknown:
        raise ValueError(f"grads has keys {unknown} that params does not have (params has {sorted(params)})")
    errors = {}
    for name, g in grads.items():
        g = np.asarray(g)
        if g.shape != np.shape(params[name]):
            raise ValueError(f"grads[{name!r}] has shape {g.shape}, expected params[{name!r}]'s shape {np.shape(params[name])}")
        num = numerical_gradient(lambda _: f(params), params[name], eps=eps)
        errors[name] = relative_error(g, num)
    return errors


def step_size_errors(f, x, grad, epsilons):
    """Errors of the centred and the one-sided difference gradients of ``f`` at ``x``, for several steps.

    For each step ``eps``, the centred difference ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``
    and the one-sided difference ``(f(x + eps e_i) - f(x)) / eps`` are taken for every
    entry i of x, and each gradient so obtained is compared with ``grad`` by
    ``relative_error``.

    Inputs:
    - f: a function called as ``f(z)`` with a float array z of the shape of x, returning a float.
    - x: float array of any shape, the point; it is not modified.
    - grad: the gradient to compare with, the shape of x.
    - epsilons: the steps, shape (E,), each > 0.

    Returns a tuple of:
    - centred: shape (E,); ``centred[j]`` is the relative error of the centred-difference
      gradient with step ``epsilons[j]``.
    - one_sided: shape (E,), the same for the one-sided difference.
    """
    if not callable(f):
        raise ValueError(f"f must be callable, got a {type(f).__name__}")
    x = as_float_array(x, "x", tuple(range(0, 33)))
    grad = as_float_array(grad, "grad", tuple(range(0, 33)))
    if grad.shape != x.shape:
        raise ValueError(f"grad has shape {grad.shape}, expected the shape of x {x.shape}")
    epsilons = as_float_array(epsilons, "epsilons", 1)
    if not np.all(epsilons > 0):
        raise ValueError(f"every step in epsilons must be positive, got {epsilons}")
    f0 = float(f(x.copy()))
    centred, one_sided = np.zeros(epsilons.shape[0]), np.zeros(epsilons.shape[0])
    for j, eps in enumerate(epsilons):
        d_centred, d_one_sided = np.zeros_like(x), np.zeros_like(x)
        for i in np.ndindex(x.shape):
            plus, minus = x.copy(), x.copy()
            plus[i] = x[i] + eps
            minus[i] = x[i] - eps
            f_plus = float(f(plus))
            d_centred[i] = (f_plus - float(f(minus))) / (2 * eps)
            d_one_sided[i] = (f_plus - f0) / eps
        centred[j] = relative_error(d_centred, grad)
        one_sided[j] = relative_error(d_one_sided, grad)
    return centred, one_sided
