"""Tests for gradient clipping in rnncourse.optim: global norm, clip by norm, clip by value."""

import numpy as np
import pytest

from rnncourse import clip_by_norm, clip_by_value, global_norm


def test_global_norm_is_the_norm_of_the_concatenation():
    rng = np.random.default_rng(0)
    grads = {"W": rng.normal(size=(3, 3)), "b": rng.normal(size=3), "c": np.array([2.0])}
    flat = np.concatenate([g.ravel() for g in grads.values()])
    assert global_norm(grads) == pytest.approx(np.linalg.norm(flat), rel=1e-14)
    assert global_norm({"a": np.array([3.0]), "b": np.array([[4.0]])}) == 5.0
    assert global_norm({}) == 0.0
    assert isinstance(global_norm(grads), float)


def test_clip_by_norm_rescales_large_gradients_and_keeps_their_direction():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}  # global norm 5
    clipped = clip_by_norm(grads, 1.0)
    np.testing.assert_allclose(clipped["a"], [0.6, 0.0], rtol=1e-15)
    np.testing.assert_allclose(clipped["b"], [[0.8]], rtol=1e-15)
    assert global_norm(clipped) == pytest.approx(1.0, rel=1e-15)
    # the inputs are not modified, and new arrays are returned
    np.testing.assert_array_equal(grads["a"], [3.0, 0.0])
    assert clipped["a"] is not grads["a"]


def test_clip_by_norm_leaves_small_gradients_alone():
    rng = np.random.default_rng(1)
    grads = {"W": rng.normal(size=(2, 4)), "b": rng.normal(size=4).astype(np.float32)}
    n = global_norm(grads)
    same = clip_by_norm(grads, n * 1.01)
    for k in grads:
        np.testing.assert_array_equal(same[k], grads[k])
        assert same[k].dtype == grads[k].dtype and same[k] is not grads[k]
    assert clip_by_norm(grads, n / 2)["b"].dtype == np.float32


def test_clip_by_value_clips_entries_and_can_turn_the_direction():
    grads = {"a": np.array([10.0, 0.5, -3.0]), "b": np.array([[-0.2]])}
    clipped = clip_by_value(grads, 1.0)
    np.testing.assert_array_equal(clipped["a"], [1.0, 0.5, -1.0])
    np.testing.assert_array_equal(clipped["b"], [[-0.2]])
    np.testing.assert_array_equal(grads["a"], [10.0, 0.5, -3.0])
    g = np.array([10.0, 0.5])
    by_value = clip_by_value({"g": g}, 1.0)["g"]
    by_norm = clip_by_norm({"g": g}, 1.0)["g"]
    cos = lambda u, v: u @ v / np.linalg.norm(u) / np.linalg.norm(v)  # noqa: E731
    assert cos(by_norm, g) == pytest.approx(1.0, rel=1e-15)
    # (1, 0.5) points elsewhere than (10, 0.5): the angle between them is about 24 degrees
    assert cos(by_value, g) == pytest.approx(10.25 / np.sqrt(1.25 * 100.25), rel=1e-14)


def test_clipping_bad_input():
    g = {"w": np.ones(2)}
    with pytest.raises(ValueError, match=r"^max_norm must be a positive number, got 0"):
        clip_by_norm(g, 0)
    with pytest.raises(ValueError, match=r"^clip_value must be a positive number, got -1.0"):
        clip_by_value(g, -1.0)
    with pytest.raises(ValueError, match=r"^max_norm must be a positive number, got True"):
        clip_by_norm(g, True)
    with pytest.raises(ValueError, match=r"^grads must be a dict from names to arrays, got a list"):
        global_norm([np.ones(2)])
    with pytest.raises(ValueError, match=r"^grads\['w'\] must be a float numpy array"):
        clip_by_norm({"w": [1.0, 2.0]}, 1.0)
