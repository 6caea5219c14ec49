"""The base of every stored record: dirty tracking, (de)serialisation and the kind registry.

Resources are dataclasses: setting an attribute of one that a `World` holds marks it dirty, and
`World.commit()` writes the dirty ones to the store in one transaction. Rule for model code: never
mutate a list or dict attribute in place; assign a new value so the change is seen.

Nothing here knows a resource kind; the records (`dxsim.records`, `dxsim.gateway_records`)
subclass `Resource`, and defining a subclass with a `KIND` registers it in `RESOURCE_TYPES`, which
is how stored rows become objects again.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

RESOURCE_TYPES: dict[str, type[Resource]] = {}

# States after which a resource no longer takes part in anything (but may still be listed).
GONE_STATES = frozenset({"deleted", "rejected", "deleting"})

R = TypeVar("R", bound="Resource")


@dataclass(kw_only=True)
class Resource:
    """A stored resource; `KIND` names its table, `STATE_FIELD` what transitions set.

    `transitions` holds `[due_time, new_state]` pairs on the simulated clock, applied in order by
    the backend's `settle()`; keeping them on the resource makes them survive restarts with the
    rest. `gone_at` is when it reached a terminal state (deleted, rejected, …); it is purged a
    kind-specific retention later.
    """

    KIND: ClassVar[str] = ""
    STATE_FIELD: ClassVar[str] = ""

    id: str
    transitions: list[list[Any]] = field(default_factory=list)
    gone_at: float | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.KIND:
            RESOURCE_TYPES[cls.KIND] = cls

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        world = self.__dict__.get("_world")
        if world is not None:
            world.dirty[(self.KIND, self.id)] = self

    @property
    def state(self) -> str:
        return str(getattr(self, self.STATE_FIELD))

    def to_row(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_row(cls: type[R], row: dict[str, Any]) -> R:
        return cls(**row)
