"""The conformance lane (`make test-keras`, tests/keras_conformance/run.py) judges as it says.

The lane itself runs Keras' own tests; here its comparison is checked on made-up outcomes,
and its list of departures against docs/STRICTER.md and the catalogs.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from cbteach import i18n

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location(
    "keras_conformance_run", ROOT / "tests" / "keras_conformance" / "run.py"
)
lane = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = lane  # dataclasses look their module up while the class is made
_SPEC.loader.exec_module(lane)

TEST = "early_stopping_test.py::EarlyStoppingTest::test_early_stopping"
DEPARTING = lane.Departure(TEST, "Case 1", "is not a mode Keras knows", "a reason")


def test_a_test_that_passes_plain_and_fails_swapped_is_a_problem():
    problems, _ = lane.compare({TEST: ("passed", "")}, {TEST: ("failed", "AssertionError")}, ())
    assert problems == [f"{TEST}: passes on plain Keras, failed with cbteach: AssertionError"]


def test_a_listed_departure_is_accepted_only_when_its_refusal_is_the_cause():
    refused = "ValueError: EarlyStopping: mode='x' is not a mode Keras knows ..."
    problems, notes = lane.compare(
        {TEST: ("passed", "")}, {TEST: ("failed", refused)}, (DEPARTING,)
    )
    assert problems == [] and notes == [f"{TEST}: departs as listed: Case 1"]
    problems, _ = lane.compare(
        {TEST: ("passed", "")}, {TEST: ("failed", "KeyError: 'val_loss'")}, (DEPARTING,)
    )
    assert len(problems) == 1 and "KeyError" in problems[0]


def test_a_departure_that_no_longer_fails_is_reported():
    problems, _ = lane.compare({TEST: ("passed", "")}, {TEST: ("passed", "")}, (DEPARTING,))
    assert problems == [f"{TEST}: listed as a departure (Case 1) but passes"]


def test_a_test_missing_from_the_swapped_run_is_a_problem():
    problems, _ = lane.compare({TEST: ("passed", "")}, {}, ())
    assert problems and "missing" in problems[0]


def test_a_swap_that_built_nothing_fails_the_lane():
    built = {"ModelCheckpoint": 2, "ReduceLROnPlateau": 1, "EarlyStopping": 3}
    counts = {"plain": built, "strict": built, "lenient": built}
    assert lane.check_counts(counts) == []
    problems = lane.check_counts({**counts, "strict": {**built, "EarlyStopping": 0}})
    assert problems == ["strict: no EarlyStopping of cbteach's was built: the swap failed"]
    assert lane.check_counts({**counts, "lenient": {**built, "ModelCheckpoint": 1}})


def test_junit_outcomes_are_read_per_test(tmp_path):
    junit = tmp_path / "run.xml"
    junit.write_text(
        '<testsuites><testsuite><testcase classname="early_stopping_test.EarlyStoppingTest"'
        ' name="test_early_stopping"/><testcase classname="model_checkpoint_test.'
        'ModelCheckpointTest" name="test_model_checkpoint_options"><failure message="boom">'
        "trace</failure></testcase></testsuite></testsuites>"
    )
    found = lane.outcomes(junit)
    assert found[TEST] == ("passed", "")
    failed = "model_checkpoint_test.py::ModelCheckpointTest::test_model_checkpoint_options"
    assert found[failed] == ("failed", "boom\ntrace")


@pytest.mark.parametrize("doc", ["STRICTER.md", "STRICTER.ko.md"])
def test_every_departure_is_in_the_table_of_both_languages(doc):
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    for departure in lane.DEPARTURES:
        assert departure.test in text, (doc, departure.test)


def test_each_departure_is_recognised_by_a_sentence_cbteach_really_says():
    english = " ".join(i18n.catalog("en").values())
    for departure in lane.DEPARTURES:
        assert departure.refusal in english, departure.refusal
