"""The server refuses to start on a Rasa whose version or private names differ from what our patches expect."""

import sys

import pytest
import rasa
from rasa.core.lock_store import LockStore
from rasa.engine.runner.dask import DaskGraphRunner

from bot import rasa_internals, serve


def test_the_pinned_rasa_has_every_name_we_rely_on():
    assert rasa_internals.problems() == []


def test_another_rasa_version_is_refused(monkeypatch):
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(SystemExit, match=r"Rasa 3\.7\.0 is installed; this code is written against Rasa 3\.6\.21"):
        rasa_internals.require_known_rasa()


def test_a_missing_private_method_is_named(monkeypatch):
    monkeypatch.delattr(LockStore, "_acquire_lock")
    with pytest.raises(SystemExit, match=r"LockStore\._acquire_lock is missing \(bot/lock_store\.py"):
        rasa_internals.require_known_rasa()


def test_a_private_attribute_no_longer_set_is_named(monkeypatch):
    def renamed(self, graph_schema, model_storage, execution_context, hooks=None):
        self._schema = graph_schema

    monkeypatch.setattr(DaskGraphRunner, "__init__", renamed)
    problems = rasa_internals.problems()
    assert any(p.startswith("DaskGraphRunner()._graph_schema is no longer set") for p in problems)
    assert any(p.startswith("DaskGraphRunner()._instantiated_nodes is no longer set") for p in problems)


def test_serve_stops_before_rasa_runs(monkeypatch):
    import rasa.__main__

    started = []
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    monkeypatch.setattr(rasa.__main__, "main", lambda: started.append(True))
    monkeypatch.setattr(sys, "argv", ["serve", "run"])
    with pytest.raises(SystemExit, match="Refusing to start"):
        serve.main()
    assert started == []
