"""Tests for rnncourse.data: one_hot, encode/decode, identical_halves, hello_example.

identical_halves is checked by comparing the two halves of every sequence here,
not by trusting the returned labels.
"""

import numpy as np
import pytest

from rnncourse import decode, encode, hello_example, identical_halves, one_hot

# ------------------------------------------------------------------ one_hot


def test_one_hot_matches_loop_for_any_shape():
    idx = np.array([[0, 2, 1], [2, 2, 0]])
    got = one_hot(idx, 3)
    assert got.shape == (2, 3, 3) and got.dtype == np.float64
    for i in range(2):
        for j in range(3):
            for k in range(3):
                assert got[i, j, k] == (1.0 if k == idx[i, j] else 0.0)


def test_one_hot_edge_cases():
    np.testing.assert_array_equal(one_hot(np.array([0, 0]), 1), [[1.0], [1.0]])  # K = 1
    np.testing.assert_array_equal(one_hot(np.array(1), 3), [0.0, 1.0, 0.0])  # a 0-d index
    np.testing.assert_array_equal(one_hot([1, 0], 2), [[0.0, 1.0], [1.0, 0.0]])  # a list
    assert one_hot(np.zeros(0, dtype=int), 4).shape == (0, 4)
    np.testing.assert_array_equal(one_hot(np.array([2], dtype=np.int8), np.int64(3)), [[0.0, 0.0, 1.0]])


def test_one_hot_bad_input():
    with pytest.raises(ValueError, match=r"K must be a positive int, got 0"):
        one_hot(np.array([0]), 0)
    with pytest.raises(ValueError, match=r"K must be a positive int, got 2.0"):
        one_hot(np.array([0]), 2.0)
    with pytest.raises(ValueError, match=r"indices must hold integer class indices, got dtype float64"):
        one_hot(np.array([0.0, 1.0]), 2)
    with pytest.raises(ValueError, match=r"indices must hold indices in \[0, 3\), got values from 0 to 3"):
        one_hot(np.array([0, 3]), 3)
    with pytest.raises(ValueError, match=r"indices must hold indices in \[0, 3\), got values from -1 to 0"):
        one_hot(np.array([-1, 0]), 3)


# ---------------------------------------------------------- encode / decode


def test_encode_gives_positions_in_vocab():
    # Positions in "helo": h=0, e=1, l=2, o=3.
    got = encode("hello", "helo")
    np.testing.assert_array_equal(got, [0, 1, 2, 2, 3])
    assert got.dtype == np.int64
    np.testing.assert_array_equal(encode("ba", ["a", "b"]), [1, 0])
    assert encode("", "ab").shape == (0,)


def test_decode_inverts_encode():
    vocab = list("abcdefgh")
    for text in ["", "a", "hedge", "badcafe"]:
        assert decode(encode(text, vocab), vocab) == text
    assert decode([3, 0], "xyzw") == "wx"


def test_encode_and_decode_bad_input():
    with pytest.raises(ValueError, match=r"text contains symbols not in vocab: \['x', 'z'\]"):
        encode("zax", "ab")
    with pytest.raises(ValueError, match=r"indices must hold indices in \[0, 2\), got values from 0 to 2"):
        decode(np.array([0, 2]), "ab")
    with pytest.raises(ValueError, match=r"indices must be 1-dimensional, got shape \(1, 2\)"):
        decode(np.array([[0, 1]]), "ab")
    with pytest.raises(ValueError, match=r"indices must hold integer class indices, got dtype float64"):
        decode(np.array([0.0]), "ab")


# ------------------------------------------------------------ hello_example


def test_hello_example_exact_indices():
    vocab, inputs, targets = hello_example()
    assert vocab == ["h", "e", "l", "o"]
    # "hell" with h=0, e=1, l=2 is [0, 1, 2, 2]; "ello" with o=3 is [1, 2, 2, 3].
    np.testing.assert_array_equal(inputs, [0, 1, 2, 2])
    np.testing.assert_array_equal(targets, [1, 2, 2, 3])
    assert inputs.shape == targets.shape == (4,)
    assert np.issubdtype(inputs.dtype, np.integer) and np.issubdtype(targets.dtype, np.integer)
    # The targets are the inputs shifted by one step: predict the next character.
    np.testing.assert_array_equal(targets[:-1], inputs[1:])
    assert decode(inputs, vocab) == "hell" and decode(targets, vocab) == "ello"


# --------------------------------------------------------- identical_halves


def halves_equal(X):
    half = X.shape[1] // 2
    return np.array([np.array_equal(row[:half], row[half:]) for row in X])


@pytest.mark.parametrize("n,length,vocab_size", [(1, 2, 2), (7, 4, 3), (100, 6, 10), (51, 10, 2)])
def test_identical_halves_labels_shapes_and_balance(n, length, vocab_size):
    X, y = identical_halves(n, length, vocab_size=vocab_size, rng=np.random.default_rng(n))
    assert X.shape == (n, length) and y.shape == (n,)
    assert np.issubdtype(X.dtype, np.integer) and np.issubdtype(y.dtype, np.integer)
    assert X.min() >= 0 and X.max() < vocab_size
    assert set(np.unique(y)) <= {0, 1}
    # The label is 1 exactly when the two halves are equal, checked by comparing them.
    np.testing.assert_array_equal(y, halves_equal(X).astype(int))
    # Half of the sequences are positive: ceil(n / 2) of them.
    assert y.sum() == (n + 1) // 2


def test_identical_halves_near_misses_differ_in_exactly_one_position():
    X, y = identical_halves(200, 8, vocab_size=5, rng=np.random.default_rng(1), near_miss=1.0)
    half = 4
    neg = X[y == 0]
    assert len(neg) == 100
    assert np.all(np.sum(neg[:, :half] != neg[:, half:], axis=1) == 1)


def test_identical_halves_without_near_misses_still_differ():
    X, y = identical_halves(200, 4, vocab_size=2, rng=np.random.default_rng(2), near_miss=0.0)
    # With vocab_size 2 and halves of 2 symbols, a random second half equals the first 1/4 of the
    # time; the generator must redraw those, so every negative still differs somewhere.
    assert np.all(np.any(X[y == 0, :2] != X[y == 0, 2:], axis=1))


def test_identical_halves_near_miss_fraction():
    # About near_miss of the negatives differ in one place; a fully random negative with halves of
    # 6 symbols over 10 differs in one place with probability 6 * 0.1^5 * 0.9, i.e. almost never.
    X, y = identical_halves(4000, 12, rng=np.random.default_rng(3), near_miss=0.3)
    neg = X[y == 0]
    one_diff = np.mean(np.sum(neg[:, :6] != neg[:, 6:], axis=1) == 1)
    assert 0.25 < one_diff < 0.35  # 2000 negatives: the sd of the fraction is about 0.01


def test_identical_halves_is_deterministic_for_a_seed():
    a, b = identical_halves(30, 6), identical_halves(30, 6)  # default generator: seed 0
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    c = identical_halves(30, 6, rng=np.random.default_rng(5))
    d = identical_halves(30, 6, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(c[0], d[0])
    np.testing.assert_array_equal(c[1], d[1])
    e = identical_halves(30, 6, rng=np.random.default_rng(6))
    assert not np.array_equal(c[0], e[0])


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"n": 4, "length": 5}, r"length must be an even int >= 2, got 5"),
        ({"n": 4, "length": 0}, r"length must be an even int >= 2, got 0"),
        ({"n": 4, "length": 4.0}, r"length must be an even int >= 2, got 4.0"),
        ({"n": 0, "length": 4}, r"n must be a positive int, got 0"),
        ({"n": 4, "length": 4, "vocab_size": 1}, r"vocab_size must be an int >= 2, got 1"),
        ({"n": 4, "length": 4, "near_miss": 1.5}, r"near_miss must be in \[0, 1\], got 1.5"),
        ({"n": 4, "length": 4, "near_miss": float("nan")}, r"near_miss must be in \[0, 1\], got nan"),
        ({"n": 4, "length": 4, "rng": 0}, r"rng must be a numpy.random.Generator"),
    ],
)
def test_identical_halves_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        identical_halves(**kwargs)
