"""Input checks shared by every public function.

Each check raises ``ValueError`` whose message names the argument, what it
got, and what was expected, so that a student who passes a transposed matrix
reads "U has shape (4, 3), expected (H, D) = (3, 4)" rather than a broadcasting
error three calls deeper.
"""

from __future__ import annotations

import numpy as np

__all__ = ["as_float_array", "as_index_array", "check_shape"]


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def as_float_array(value, name: str, ndim: int | tuple[int, ...]) -> np.ndarray:
    """Return ``value`` as a floating-point ndarray with ``ndim`` dimensions.

    Integer and boolean arrays are refused rather than silently converted:
    in this course they are indices or labels, and using them as activations
    is nearly always a bug.
    """
    if isinstance(value, np.ndarray):
        arr = value
    elif isinstance(value, (list, tuple, float, int, np.floating)):
        arr = np.asarray(value, dtype=float)
    else:
        raise ValueError(f"{name} must be a numpy array of floats, got {_describe(value)}")
    if not np.issubdtype(arr.dtype, np.floating):
        raise ValueError(
            f"{name} must have a floating-point dtype, got dtype {arr.dtype} "
            f"(convert with {name}.astype(float) if the values are real numbers)"
        )
    ndims = (ndim,) if isinstance(ndim, int) else ndim
    if arr.ndim not in ndims:
        if len(ndims) > 2 and ndims == tuple(range(ndims[0], ndims[-1] + 1)):
            want = f"at least {ndims[0]}"  # a range such as 1..32 reads "at least 1-dimensional"
        else:
            want = " or ".join(str(d) for d in ndims)
        raise ValueError(f"{name} must be {want}-dimensional, got shape {arr.shape}")
    return arr


def as_index_array(value, name: str, ndim: int, upper: int | None = None) -> np.ndarray:
    """Return ``value`` as an integer ndarray of class indices in ``[0, upper)``."""
    arr = np.asarray(value)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name} must hold integer class indices, got dtype {arr.dtype}")
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if upper is not None and arr.size and (arr.min() < 0 or arr.max() >= upper):
        raise ValueError(
            f"{name} must hold indices in [0, {upper}), got values from {arr.min()} to {arr.max()}"
        )
    return arr


def check_shape(arr: np.ndarray, name: str, expected: tuple, symbols: str) -> None:
    """Raise unless ``arr.shape == expected``; ``symbols`` spells the shape, e.g. ``"(H, D)"``."""
    if arr.shape != tuple(expected):
        raise ValueError(f"{name} has shape {arr.shape}, expected {symbols} = {tuple(expected)}")
