"""The experiments layer: every committed result was produced by the code as it is now, every
experiment script still runs (a reduced run), and a stale result is refused by name."""

import json
import shutil

import numpy as np
import pytest

from experiments import runner
from rnncourse.results import RESULTS_DIR, ROOT, StaleResult, load_result, source_hash

NAMES = runner.names()


def test_there_are_experiments_and_each_has_a_committed_result():
    assert NAMES, "experiments/ defines no experiment"
    missing = [n for n in NAMES if not (RESULTS_DIR / f"{n}.json").is_file()]
    assert not missing, f"no committed result for {missing}: run `make experiments E=<name>`"
    orphans = sorted(p.stem for p in RESULTS_DIR.glob("*.json") if p.stem not in NAMES)
    assert not orphans, f"results without an experiment script: {orphans}"


@pytest.mark.parametrize("name", NAMES)
def test_committed_result_was_produced_by_todays_code(name):
    record = json.loads((RESULTS_DIR / f"{name}.json").read_text())
    assert not record["smoke"], f"{name}: the committed result is a smoke run"
    module = runner.load(name)
    assert record["depends"] == runner.depends_of(name, module), (
        f"{name}: the script's DEPENDS changed since its result was made: "
        f"run `make experiments E={name}`"
    )
    assert record["source_hash"] == source_hash(record["depends"]), (
        f"{name}: {', '.join(record['depends'])} changed since the result was made: "
        f"run `make experiments E={name}`"
    )
    assert len(record["seeds"]) >= 1 and record["budget"] and record["wall_time_s"] > 0
    load_result(name)  # what the chapters call: arrays readable, hash accepted


@pytest.mark.parametrize("name", NAMES)
def test_reduced_run_of_the_script_completes(name, tmp_path):
    record = runner.run_one(name, smoke=True, out_dir=tmp_path, quiet=True)
    assert record["smoke"] and record["source_hash"] == source_hash(record["depends"])
    loaded = load_result(name, results_dir=tmp_path)
    assert loaded["data"] == record["data"]
    assert sorted(loaded.arrays) == record["arrays"]


def test_a_result_whose_dependency_changed_is_refused_with_the_command_to_rerun(tmp_path):
    (tmp_path / "experiments").mkdir()
    script = tmp_path / "experiments" / "toy.py"
    script.write_text("x = 1\n")
    depends = ["experiments/toy.py"]
    record = {"depends": depends, "source_hash": source_hash(depends, tmp_path)}
    assert record["source_hash"] == source_hash(depends, tmp_path)
    script.write_text("x = 2\n")
    assert record["source_hash"] != source_hash(depends, tmp_path)
    # the same through load_result, on a copy of a real result with one byte of its hash changed
    name = NAMES[0]
    shutil.copy(RESULTS_DIR / f"{name}.json", tmp_path / f"{name}.json")
    stale = json.loads((tmp_path / f"{name}.json").read_text())
    stale["source_hash"] = ("0" if stale["source_hash"][0] != "0" else "1") + stale["source_hash"][1:]
    (tmp_path / f"{name}.json").write_text(json.dumps(stale))
    with pytest.raises(StaleResult, match=f"make experiments E={name}"):
        load_result(name, results_dir=tmp_path)
    with pytest.raises(StaleResult, match="no result for experiment 'absent'"):
        load_result("absent", results_dir=tmp_path)


def test_source_hash_names_a_missing_file_and_refuses_a_bare_string():
    with pytest.raises(FileNotFoundError, match="paths: no/such.py"):
        source_hash(["no/such.py"])
    with pytest.raises(TypeError, match="paths must be a list"):
        source_hash("rnncourse/ntm.py")
    assert source_hash(["rnncourse/ntm.py"]) != source_hash(["rnncourse/act.py"])


def test_smoke_without_out_is_refused_so_a_committed_result_is_never_replaced(capsys):
    with pytest.raises(SystemExit):
        runner.main(["--smoke", NAMES[0]])
    assert "--smoke needs --out" in capsys.readouterr().err


def test_json_writer_refuses_what_it_cannot_write_faithfully():
    assert runner._jsonable({"a": np.float64(1.5), "b": np.arange(2)}, "data") == {"a": 1.5, "b": [0, 1]}
    with pytest.raises(TypeError, match=r"data.c: set"):
        runner._jsonable({"c": {1}}, "data")
    assert ROOT.joinpath("experiments", "runner.py").is_file()


def test_list_names_every_experiment_with_its_recorded_wall_time(capsys):
    assert runner.main(["--list"]) == 0
    out = capsys.readouterr().out
    for name in NAMES:
        record = json.loads((RESULTS_DIR / f"{name}.json").read_text())
        assert f"{record['wall_time_s']:7.0f} s" in next(line for line in out.splitlines() if line.startswith(name))
    assert out.splitlines()[-1].startswith("all")


def test_hash_follows_the_code_not_its_comments_or_docstrings(tmp_path):
    script = tmp_path / "m.py"
    depends = ["m.py"]
    script.write_text('"""Module."""\n\ndef f(x):\n    """Doubles."""\n    return 2 * x  # why\n')
    before = source_hash(depends, tmp_path)
    script.write_text('"""Module, reworded."""\n\ndef f(x):\n    """Twice x."""\n    # a new comment\n'
                      '    return 2 * x\n')
    assert source_hash(depends, tmp_path) == before
    script.write_text('"""Module."""\n\ndef f(x):\n    """Doubles."""\n    return 3 * x\n')
    assert source_hash(depends, tmp_path) != before
    # a string that is not a docstring is code
    script.write_text('"""Module."""\n\ndef f(x):\n    """Doubles."""\n    "not first"\n    return 2 * x\n')
    assert source_hash(depends, tmp_path) != before


def test_readme_quotes_the_recorded_total_time_and_count_of_experiments():
    import re

    readme = (ROOT / "README.md").read_text()
    found = re.search(r"about (\d+) minutes for all\s+(\w+)", readme)
    assert found, "README's experiments section no longer says how long `make experiments` takes"
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
             "eleven", "twelve"]
    total_s = sum(json.loads((RESULTS_DIR / f"{n}.json").read_text())["wall_time_s"] for n in NAMES)
    assert int(found.group(1)) == round(total_s / 60), f"the results record {total_s / 60:.0f} minutes"
    assert found.group(2) == words[len(NAMES)], f"there are {len(NAMES)} experiments"
