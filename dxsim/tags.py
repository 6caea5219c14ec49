"""Tags, keyed by resource ARN: 50 per resource, upsert on an existing key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from dxsim.base import BackendBase
from dxsim.world import Resource


@dataclass(kw_only=True)
class TagSet(Resource):
    """The tags of one resource; `id` is the resource ARN. Order of first insertion is kept."""

    KIND: ClassVar[str] = "tag_set"

    tags: list[dict[str, str]] = field(default_factory=list)


class TagOperations(BackendBase):
    """Operations on this resource kind; composed into `DirectConnectBackend`."""
