"""Letters of Authorization (LOA-CFA) for connections, interconnects and LAGs."""

from __future__ import annotations

import base64
from typing import Any

import strawberry

from gql.api.enums import LoaContentType, parse_enum

__all__ = ["Loa"]


@strawberry.type(
    description=(
        "A Letter of Authorization - Connecting Facility Assignment (LOA-CFA): the document the "
        "colocation provider needs to establish the cross connect."
    )
)
class Loa:
    loa_content: str = strawberry.field(
        description="The binary contents of the LOA-CFA document, base64-encoded."
    )
    loa_content_type: LoaContentType | None = strawberry.field(
        description="The content type. The only supported value is application/pdf."
    )
    download_url: str = strawberry.field(
        description="A path on this gateway that downloads the document as a file."
    )

    @classmethod
    def from_aws(cls, data: dict[str, Any], download_url: str) -> Loa:
        content = data.get("loaContent") or b""
        if isinstance(content, bytes):
            content = base64.b64encode(content).decode("ascii")
        return cls(
            loa_content=str(content),
            loa_content_type=parse_enum(LoaContentType, data.get("loaContentType")),
            download_url=download_url,
        )
