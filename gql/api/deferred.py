"""`Deferred`: a type of another module of the graph, imported when first used.

The graph links both ways (a LAG lists its VIFs, a VIF names its LAG), so its types refer to each
other; importing each other at module level would make import cycles. Annotations use
strawberry's `lazy` for the same reason; `Deferred` is its counterpart for code (the mappings a
link field builds its objects with): the module is imported on first use, once the graph is
loaded.
"""

from __future__ import annotations

import importlib
from typing import Any


class Deferred:
    """Stands for class `name` of `module`; attribute access goes to the class."""

    __slots__ = ("_module", "_name", "_resolved")

    def __init__(self, module: str, name: str) -> None:
        self._module = module
        self._name = name
        self._resolved: Any = None

    def __getattr__(self, attribute: str) -> Any:
        resolved = self._resolved
        if resolved is None:
            resolved = getattr(importlib.import_module(self._module), self._name)
            self._resolved = resolved
        return getattr(resolved, attribute)
