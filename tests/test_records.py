"""benchmark.records is where every record is imported from, including those that live beside their one stage."""

from __future__ import annotations

import dataclasses
import importlib

import pytest

import benchmark.records as records

#: modules holding records only one stage uses; records.py re-exports them
STAGE_RECORD_MODULES = ("benchmark.corpus.weights", "benchmark.versions.combinations")


@pytest.mark.parametrize("module_name", STAGE_RECORD_MODULES)
def test_every_stage_record_is_importable_from_records(module_name):
    module = importlib.import_module(module_name)
    defined = [name for name, value in vars(module).items()
               if dataclasses.is_dataclass(value) and value.__module__ == module_name]
    assert defined, f"{module_name} defines no record"
    for name in defined:
        assert getattr(records, name) is getattr(module, name), f"benchmark.records.{name} is not {module_name}'s"
        assert name in records.__all__


def test_records_all_names_every_record_it_holds():
    held = {name for name, value in vars(records).items()
            if dataclasses.is_dataclass(value) and isinstance(value, type)}
    assert held <= set(records.__all__)
    assert all(hasattr(records, name) for name in records.__all__)


def test_stage_records_are_frozen_and_still_build():
    weight = records.WeightSummary(statistic="kb", n=3, median=40.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        weight.n = 4  # type: ignore[misc]
    combination = records.Combination((records.Pin("trafilatura", "2.0.0"), records.Pin("lxml", "5.4.0")))
    assert combination.slug == "trafilatura-2.0.0+lxml-5.4.0"
    assert records.CorpusWeight(name="x", kind="real", pages=()).problems == ()
