"""Tests for rnncourse._validate, the input checks behind every public function."""

import numpy as np
import pytest

from rnncourse._validate import as_float_array, as_index_array, check_shape

# ---------------------------------------------------------- as_float_array


def test_float_arrays_are_returned_unchanged_without_a_copy():
    for dtype in (np.float16, np.float32, np.float64):
        a = np.zeros((2, 3), dtype=dtype)
        assert as_float_array(a, "a", 2) is a


def test_python_numbers_and_lists_become_float64_arrays():
    got = as_float_array([[1, 2], [3, 4]], "a", 2)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, [[1.0, 2.0], [3.0, 4.0]])
    assert as_float_array(3, "a", 0).dtype == np.float64
    assert as_float_array((1.0, 2.0), "a", 1).shape == (2,)
    assert as_float_array(np.float32(1.5), "a", 0).shape == ()


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, bool, np.complex128])
def test_non_float_arrays_are_refused_with_a_conversion_hint(dtype):
    with pytest.raises(ValueError, match=r"U must have a floating-point dtype, got .*U\.astype\(float\)"):
        as_float_array(np.zeros((2, 2), dtype=dtype), "U", 2)


@pytest.mark.parametrize("value,kind", [("abc", "str"), (None, "NoneType"), ({"a": 1}, "dict")])
def test_non_numeric_values_are_refused(value, kind):
    with pytest.raises(ValueError, match=rf"x must be a numpy array of floats, got a {kind}"):
        as_float_array(value, "x", 1)


def test_wrong_ndim_names_the_argument_and_the_shape():
    with pytest.raises(ValueError, match=r"X must be 3-dimensional, got shape \(2, 3\)"):
        as_float_array(np.zeros((2, 3)), "X", 3)
    with pytest.raises(ValueError, match=r"Hs must be 2 or 3-dimensional, got shape \(4,\)"):
        as_float_array(np.zeros(4), "Hs", (2, 3))
    with pytest.raises(ValueError, match=r"o must be at least 1-dimensional, got shape \(\)"):
        as_float_array(np.float64(1.0), "o", tuple(range(1, 33)))


# ---------------------------------------------------------- as_index_array


def test_integer_indices_are_accepted():
    got = as_index_array([0, 2, 1], "y", 1, upper=3)
    np.testing.assert_array_equal(got, [0, 2, 1])
    assert as_index_array(np.zeros(0, dtype=np.int8), "y", 1, upper=1).shape == (0,)
    assert as_index_array(np.array([[5]]), "Y", 2).shape == (1, 1)  # no upper bound


@pytest.mark.parametrize(
    "value,dtype", [(np.array([0.0, 1.0]), "float64"), (np.array([True, False]), "bool")]
)
def test_float_and_bool_indices_are_refused(value, dtype):
    with pytest.raises(ValueError, match=rf"y must hold integer class indices, got dtype {dtype}"):
        as_index_array(value, "y", 1, upper=2)


def test_index_ndim_and_range():
    with pytest.raises(ValueError, match=r"Y must be 2-dimensional, got shape \(3,\)"):
        as_index_array(np.array([0, 1, 2]), "Y", 2)
    with pytest.raises(ValueError, match=r"y must hold indices in \[0, 2\), got values from 0 to 2"):
        as_index_array(np.array([0, 2]), "y", 1, upper=2)
    with pytest.raises(ValueError, match=r"y must hold indices in \[0, 2\), got values from -3 to 1"):
        as_index_array(np.array([-3, 1]), "y", 1, upper=2)


# ------------------------------------------------------------- check_shape


def test_check_shape():
    check_shape(np.zeros((3, 4)), "U", (3, 4), "(H, D)")  # no error
    check_shape(np.zeros((3,)), "b", [3], "(H,)")  # a list is accepted for expected
    with pytest.raises(ValueError, match=r"U has shape \(4, 3\), expected \(H, D\) = \(3, 4\)"):
        check_shape(np.zeros((4, 3)), "U", (3, 4), "(H, D)")
