"""Tests for rnncourse.grading: the helpers that the assignments' test cells call.

check_against_reference must pass the reference functions and fail realistic
wrong implementations ("mutants") with a message that names the function, the
case and what differs, and nothing in grading may write to stderr (nbgrader
scores any stderr output as a failure).
"""

import numpy as np
import pytest

import rnncourse
from rnncourse import activations, grading, losses, rnn
from rnncourse.grading.chapters import TASKS
from rnncourse.grading import assert_close, assert_scalar_close, check_against_reference
from support import raises_message

CASES = {name: task.cases for name, task in TASKS.items()}

# --------------------------------------------------------- assert_close


def test_assert_close_passes_on_equal_and_nearly_equal_arrays():
    a = np.random.default_rng(0).normal(size=(3, 4))
    assert assert_close("a", a.copy(), a) is None
    assert_close("a", a + 1e-9, a)  # within atol=1e-8
    assert_close("a", a.astype(np.float32), a, rtol=1e-6, atol=1e-7)
    assert_close("list expected", np.array([0.5, 0.25]), [0.5, 0.25])


def test_assert_close_type_message():
    with raises_message(r"^h: expected a numpy array of shape \(2,\), got a list\.$"):
        assert_close("h", [1.0, 2.0], np.zeros(2))
    with raises_message(r"got a NoneType"):
        assert_close("h", None, np.zeros(2))
    with raises_message(r"got a MaskedArray"):
        assert_close("h", np.ma.zeros((1, 2)), np.zeros((1, 2)))


def test_assert_close_shape_message():
    with raises_message(r"^Hs: shape \(2, 3\), expected \(3, 2\)\.$"):
        assert_close("Hs", np.zeros((2, 3)), np.zeros((3, 2)))
    with raises_message(r"b: shape \(3,\), expected \(3, 1\)"):
        assert_close("b", np.zeros(3), np.zeros((3, 1)))


def test_assert_close_dtype_message():
    with raises_message(r"^y: dtype int64, expected a floating-point dtype\.$"):
        assert_close("y", np.zeros(2, dtype=np.int64), np.zeros(2))
    with raises_message(r"dtype bool, expected a floating-point dtype"):
        assert_close("y", np.zeros(2, dtype=bool), np.zeros(2))


def test_assert_close_non_finite_message():
    got = np.array([[0.0, np.nan], [np.inf, 1.0]])
    with raises_message(r"^p: 2 entries are inf or nan where finite values are expected, the first at index \(0, 1\) "
        r"\(got nan, expected 0.5\)\.$",
    ):
        assert_close("p", got, np.full((2, 2), 0.5))


def test_assert_close_value_message_names_largest_error_and_index():
    expected = np.zeros((2, 3))
    got = expected.copy()
    got[0, 0] = 0.1
    got[1, 2] = -0.5  # the largest error: 0.5 at index (1, 2)
    with raises_message(r"^o: 2 of 6 entries differ; the largest error is 0.5 at index \(1, 2\) "
        r"\(got -0.5, expected 0\)\.$",
    ):
        assert_close("o", got, expected)


def test_assert_close_appends_the_hint():
    with raises_message(r"expected \(3,\)\. Hint: use the last axis\.$"):
        assert_close("yhat", np.zeros(2), np.zeros(3), hint="use the last axis")


def test_assert_close_does_not_trust_a_lying_eq():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return True

        __ne__ = __eq__

    with raises_message(r"got a Liar"):
        assert_close("h", np.zeros(3).view(Liar), np.ones(3))


# --------------------------------------------------- assert_scalar_close


def test_assert_scalar_close_passes_on_numbers():
    assert assert_scalar_close("L", 1.5, 1.5) is None
    assert_scalar_close("L", np.float64(2.0), 2.0)
    assert_scalar_close("L", np.float32(2.0), 2.0)
    assert_scalar_close("L", np.array(3.0), 3.0)  # 0-d array
    assert_scalar_close("L", 3, 3.0)
    assert_scalar_close("L", 1.0 + 1e-9, 1.0)


def test_assert_scalar_close_messages():
    with raises_message(r"^L: got 1.5, expected 1\.$"):
        assert_scalar_close("L", 1.5, 1.0)
    with raises_message(r"^L: expected a single number, got an array of shape \(1,\)\.$"):
        assert_scalar_close("L", np.array([1.0]), 1.0)
    with raises_message(r"expected a single number, got a bool"):
        assert_scalar_close("L", True, 1.0)
    with raises_message(r"expected a single number, got a NoneType"):
        assert_scalar_close("L", None, 1.0)
    with raises_message(r"expected a single number, got a str"):
        assert_scalar_close("L", "1.0", 1.0)
    with raises_message(r"^L: got nan, expected 2\.$"):
        assert_scalar_close("L", float("nan"), 2.0)
    with raises_message(r"^L: got inf, expected 2\. Hint: subtract the max\.$"):
        assert_scalar_close("L", np.inf, 2.0, hint="subtract the max")


# -------------------------------------------------- check_against_reference


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_functions_pass(name, seed):
    func = getattr(rnncourse, name)  # the public twin of every graded function
    assert check_against_reference(name, func, seed=seed) is None


def test_cases_cover_n_1_and_t_1_and_large_logits():
    rng = np.random.default_rng
    step_shapes = [kw["x"].shape for _, kw in CASES["rnn_step_forward"](rng(0))]
    assert any(s[0] == 1 for s in step_shapes)
    seq_shapes = [kw["X"].shape for _, kw in CASES["rnn_forward"](rng(0))]
    assert any(s[0] == 1 for s in seq_shapes) and any(s[1] == 1 for s in seq_shapes)
    assert any(kw["X"].shape[1] == 1 for _, kw in CASES["many_to_one_forward"](rng(0)))
    assert any(np.abs(kw["o"]).max() >= 999 for _, kw in CASES["softmax"](rng(0)))
    assert any(np.abs(kw["O"]).max() >= 800 for _, kw in CASES["sequence_cross_entropy"](rng(0)))
    # Random W are not symmetric (else W vs W.T would go unnoticed).
    assert all(
        not np.allclose(kw["W"], kw["W"].T) for _, kw in CASES["rnn_forward"](rng(0)) if kw["W"].shape[0] > 1
    )


def test_unknown_name_is_a_value_error():
    with pytest.raises(ValueError, match=r"name must be one of \[.*'softmax'.*\], got 'sofmax'"):
        check_against_reference("sofmax", rnncourse.softmax)


def test_not_callable_is_reported():
    with raises_message(r"softmax is not a function \(got a NoneType\); run the cell"):
        check_against_reference("softmax", None)


def test_reference_is_fixed_at_import(monkeypatch):
    # Rebinding the reference in the student's kernel must not change what is compared against.
    wrong = lambda o: np.zeros_like(o)  # noqa: E731
    monkeypatch.setattr(activations, "softmax", wrong)
    monkeypatch.setattr(rnncourse, "softmax", wrong)
    with pytest.raises(AssertionError):
        check_against_reference("softmax", wrong)


# The mutants: realistic wrong implementations, each with the function it imitates and the
# message fragments its failure must contain.


def softmax_wrong_axis(o):
    e = np.exp(o - o.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_no_max_subtraction(o):
    e = np.exp(o)  # overflows for logits near 1000: inf / inf = nan (and RuntimeWarnings)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_in_place(o):
    o -= o.max(axis=-1, keepdims=True)  # modifies the caller's array
    e = np.exp(o)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_as_list(o):
    return activations.softmax(o).tolist()


class LyingArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool).view(np.ndarray)

    def __ne__(self, other):
        return np.zeros(np.shape(self), dtype=bool).view(np.ndarray)


def softmax_lying_eq(o):
    return np.zeros_like(o).view(LyingArray)


def softmax_float32(o):
    return activations.softmax(o).astype(np.float32)


def softmax_wrong_shape(o):
    return activations.softmax(o).reshape(-1)


def softmax_not_implemented(o):
    raise NotImplementedError


def softmax_raises(o):
    return o.softmax()


def ce_mean_over_time(O, Y):
    N, T, _ = O.shape
    return losses.sequence_cross_entropy(O, Y) / T


def ce_without_division_by_n(O, Y):
    return losses.sequence_cross_entropy(O, Y) * O.shape[0]


def ce_returns_array(O, Y):
    return np.array([losses.sequence_cross_entropy(O, Y)])


def step_w_not_transposed(x, h_prev, U, W, b):
    return np.tanh(b + h_prev @ W + x @ U.T)


def step_missing_bias(x, h_prev, U, W, b):
    return np.tanh(h_prev @ W.T + x @ U.T)


def step_sigmoid(x, h_prev, U, W, b):
    return 1 / (1 + np.exp(-(b + h_prev @ W.T + x @ U.T)))


def step_modifies_h_prev(x, h_prev, U, W, b):
    h_prev[:] = np.tanh(b + h_prev @ W.T + x @ U.T)
    return h_prev.copy()


def forward_h0_first(X, h0, U, W, b):
    # Off by one: Hs[:, 0] = h0, Hs[:, t] = h_t for t < T - 1.
    Hs = rnn.rnn_forward(X, h0, U, W, b)
    return np.concatenate([h0[:, None], Hs[:, :-1]], axis=1)


def forward_last_state_only(X, h0, U, W, b):
    return rnn.rnn_forward(X, h0, U, W, b)[:, -1]


def forward_float32_buffer(X, h0, U, W, b):
    N, T, _ = X.shape
    Hs = np.zeros((N, T, W.shape[0]), dtype=np.float32)  # silently rounds every state
    h = h0
    for t in range(T):
        h = np.tanh(b + h @ W.T + X[:, t] @ U.T)
        Hs[:, t] = h
    return Hs


def many_to_one_first_state(X, h0, U, W, b, V, c):
    return rnn.rnn_forward(X, h0, U, W, b)[:, 0] @ V.T + c


def many_to_one_without_c(X, h0, U, W, b, V, c):
    return rnn.rnn_forward(X, h0, U, W, b)[:, -1] @ V.T


MUTANTS = [
    # (name, mutant, fragments its message must contain)
    ("softmax", softmax_wrong_axis,
     ["softmax, case 2 of 5 (o of shape (1, 5))", "largest error", "at index"]),
    ("softmax", softmax_no_max_subtraction,
     ["case 5 of 5 (large logits (up to 1000))", "inf or nan",
      "It warned: RuntimeWarning: overflow encountered in exp"]),
    ("softmax", softmax_in_place, ["softmax, case 1 of 5", "modified its argument o"]),
    ("softmax", softmax_as_list,
     ["softmax, case 1 of 5", "expected a numpy array of shape (1, 1), got a list"]),
    ("softmax", softmax_lying_eq, ["softmax, case 1 of 5", "got a LyingArray"]),
    ("softmax", softmax_float32, ["softmax, case 1 of 5", "dtype float32, expected float64"]),
    ("softmax", softmax_wrong_shape, ["softmax, case 1 of 5", "shape (1,), expected (1, 1)"]),
    ("softmax", softmax_not_implemented, ["softmax is not implemented yet"]),
    ("softmax", softmax_raises, ["softmax, case 1 of 5", "raised AttributeError", "softmax"]),
    ("sequence_cross_entropy", ce_mean_over_time,
     ["sequence_cross_entropy, case 2 of 5 (N=1, T=4, K=3)", "expected"]),
    ("sequence_cross_entropy", ce_without_division_by_n,
     ["sequence_cross_entropy, case 3 of 5 (N=3, T=5, K=4)"]),
    ("sequence_cross_entropy", ce_returns_array,
     ["case 1 of 5", "expected a single number, got an array of shape (1,)"]),
    ("rnn_step_forward", step_w_not_transposed,
     ["rnn_step_forward, case 2 of 4 (N=1, D=3, H=2)", "largest error", "at index", "Hint: with the batch on the rows"]),
    ("rnn_step_forward", step_missing_bias,
     ["rnn_step_forward, case 1 of 4 (N=1, D=1, H=1)", "largest error"]),
    ("rnn_step_forward", step_sigmoid, ["rnn_step_forward, case 1 of 4", "largest error", "at index"]),
    ("rnn_step_forward", step_modifies_h_prev,
     ["rnn_step_forward, case 1 of 4", "modified its argument h_prev"]),
    ("rnn_forward", forward_h0_first,
     ["rnn_forward, case 1 of 4 (N=1, T=1, D=1, H=1)", "largest error", "at index (0, 0, 0)"]),
    ("rnn_forward", forward_last_state_only,
     ["rnn_forward, case 1 of 4", "shape (1, 1), expected (1, 1, 1)"]),
    ("rnn_forward", forward_float32_buffer, ["rnn_forward, case 1 of 4", "dtype float32, expected float64"]),
    ("many_to_one_forward", many_to_one_first_state,
     ["many_to_one_forward, case 3 of 4 (N=2, T=5, D=3, H=4, K=3)", "largest error", "at index"]),
    ("many_to_one_forward", many_to_one_without_c, ["many_to_one_forward, case 1 of 4", "largest error"]),
]


@pytest.mark.parametrize("name,mutant,fragments", MUTANTS, ids=[m[1].__name__ for m in MUTANTS])
def test_mutant_fails_with_a_specific_message_and_no_stderr(name, mutant, fragments, capfd):
    with pytest.raises(AssertionError) as info:
        check_against_reference(name, mutant)
    message = str(info.value).replace("\n", " ")
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    out, err = capfd.readouterr()
    assert err == ""  # nbgrader scores any stderr output as a failure
    assert out == ""


def test_mutant_failures_do_not_chain_the_students_traceback():
    # "from None": the feedback shows the message, not the internals of the grader.
    with pytest.raises(AssertionError) as info:
        check_against_reference("softmax", softmax_raises)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_a_correct_function_that_warns_still_passes_without_stderr(capfd):
    # A correct softmax whose only flaw is a harmless warning must not lose its points
    # to stderr: the warning is recorded, not printed.
    import warnings

    def softmax_with_warning(o):
        warnings.warn("harmless", RuntimeWarning)
        return activations.softmax(o)

    check_against_reference("softmax", softmax_with_warning)
    assert capfd.readouterr().err == ""


def test_float32_mutant_has_small_value_errors_only():
    # The float32 mutant is caught by its dtype, not by its values, which are within tolerance:
    # this documents why the dtype check exists.
    for label, kwargs in CASES["rnn_forward"](np.random.default_rng(0)):
        expected = rnn.rnn_forward(**kwargs)
        np.testing.assert_allclose(forward_float32_buffer(**kwargs), expected, rtol=1e-6, atol=1e-7)


def test_grading_reports_to_the_student_only_through_exceptions(capfd):
    # Passing and failing checks, and both assert helpers, write nothing to stdout or stderr.
    check_against_reference("rnn_forward", rnncourse.rnn_forward)
    for call in (
        lambda: assert_close("x", np.zeros(2), np.ones(2)),
        lambda: assert_scalar_close("x", 0.0, 1.0),
        lambda: check_against_reference("rnn_forward", forward_h0_first),
    ):
        with pytest.raises(AssertionError):
            call()
    assert capfd.readouterr() == ("", "")


def test_grading_module_exports():
    assert set(grading.__all__) == {
        "TestFailure", "assert_close", "assert_scalar_close", "compare", "grade", "examples_of", "forget_test_cell_names",
        "check_against_reference", "check_gradients_numerically", "check_forecast_error",
    }


def _notebook_namespace(step_source, forward_source):
    """A notebook's namespace: a student's rnn_step_forward, then an rnn_forward that may call it."""
    namespace = {"np": np}
    exec(step_source, namespace)
    exec(forward_source, namespace)
    return namespace


_STEP_TRANSPOSED = "def rnn_step_forward(x, h_prev, U, W, b):\n    return np.tanh(b + h_prev @ W + x @ U.T)\n"
_STEP_RIGHT = "def rnn_step_forward(x, h_prev, U, W, b):\n    return np.tanh(b + h_prev @ W.T + x @ U.T)\n"
_FORWARD_CALLING = """
def rnn_forward(X, h0, U, W, b):
    Hs, h = [], h0
    for t in range(X.shape[1]):
        h = rnn_step_forward(X[:, t], h, U, W, b)
        Hs.append(h)
    return np.stack(Hs, axis=1)
"""


def test_a_visible_cell_names_the_failing_function_it_calls_first():
    # As the grader does (verify._add_root_causes): the failure of rnn_forward follows from its step.
    ns = _notebook_namespace(_STEP_TRANSPOSED, _FORWARD_CALLING)
    with raises_message(r"^rnn_forward usually calls rnn_step_forward, which fails its own visible tests: fix "
                        r"that first(.|\n)*rnn_forward, case \d of \d"):
        grading.grade("rnn_forward_visible", ns["rnn_forward"])


def test_a_visible_cell_blames_no_callee_when_the_function_passes_or_the_callee_is_right(capsys):
    # rnn_forward written without the broken step passes: its verdict does not depend on the step's.
    inline = _FORWARD_CALLING.replace("rnn_step_forward(X[:, t], h, U, W, b)", "np.tanh(b + h @ W.T + X[:, t] @ U.T)")
    grading.grade("rnn_forward_visible", _notebook_namespace(_STEP_TRANSPOSED, inline)["rnn_forward"])
    assert "the grader's 4 public cases passed" in capsys.readouterr().out
    # A wrong rnn_forward over a right step: the message is the function's own.
    wrong = _FORWARD_CALLING.replace("Hs.append(h)", "Hs.append(h * 1.0001)")
    with pytest.raises(AssertionError) as failure:
        grading.grade("rnn_forward_visible", _notebook_namespace(_STEP_RIGHT, wrong)["rnn_forward"])
    assert str(failure.value).startswith("rnn_forward, case ")


def test_forgetting_test_cell_names_needs_ipython_and_does_nothing_elsewhere():
    # Outside IPython (the grader's jail runs cells with exec) there is nothing to forget.
    assert grading.forget_test_cell_names() is None


def _warns_then_doubles(x):
    np.log(np.zeros(1))  # divide by zero: a RuntimeWarning, the result unused
    return 2 * x


@pytest.mark.parametrize("quiet", [True, False])
def test_a_quiet_task_fails_a_call_that_warns_and_others_only_mention_it(quiet):
    from rnncourse.grading import spec

    task = spec.Task("double", 0, lambda x: 2 * x, lambda rng: [("x of shape (3,)", {"x": rng.normal(size=3)})],
                     "double it", quiet=quiet)
    (probe,) = spec.plan(task, "visible", 0)
    message = spec.judge_outcome(probe, spec.run_in_process(_warns_then_doubles, probe, ["x"]))
    if quiet:
        assert " ".join(message.split()).startswith("double, case 1 of 1 (x of shape (3,)): the call warned (RuntimeWarning: divide "
                                  "by zero encountered in log); this task asks for a result computed without warnings")
    else:
        assert message is None
    assert spec.judge_outcome(probe, spec.run_in_process(lambda x: 2 * x, probe, ["x"])) is None


def test_a_failing_example_is_reported_without_failing_the_cell(capsys):
    # The public cases decided already; an example explains. What runs after the failure is skipped.
    with grading.examples_of("softmax"):
        assert_close("softmax of zeros", np.zeros(2), np.full(2, 0.5))
        print("softmax: visible tests passed")
    out = capsys.readouterr().out
    assert out.startswith("softmax: the grader's public cases pass, so this cell gets its points when graded, "
                          "but an example of this cell fails:\nsoftmax of zeros: 2 of 2 entries differ")
    assert "visible tests passed" not in out
    with grading.examples_of("softmax"):
        print("softmax: visible tests passed")
    assert capsys.readouterr().out == "softmax: visible tests passed\n"
    with pytest.raises(KeyboardInterrupt), grading.examples_of("softmax"):
        raise KeyboardInterrupt
