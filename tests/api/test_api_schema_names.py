"""Two response shapes with one class name would share one OpenAPI component: ninja keeps
the last, and the other operation's documented shape silently becomes wrong."""

import importlib
import inspect
import pkgutil
from collections import defaultdict

from ninja import Schema
from pydantic import BaseModel

import microsolidarity.api


def test_every_api_schema_class_has_its_own_name():
    seen = defaultdict(set)
    for info in pkgutil.iter_modules(microsolidarity.api.__path__):
        module = importlib.import_module(f"microsolidarity.api.{info.name}")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, (Schema, BaseModel))
                and value.__module__ == module.__name__
            ):
                seen[name].add(module.__name__)
    assert {name: mods for name, mods in seen.items() if len(mods) > 1} == {}
