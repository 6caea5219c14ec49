"""The tag mutations: TagResource and UntagResource, sent to the Region the ARN names.

Regional ARNs carry their Region, which the gateway must serve; a Direct Connect gateway's ARN
carries none (the gateway is global) and goes to the first served Region, where the tag reads of
gateways go too (`resolvers.loaders`), so the write invalidates what those reads cached. The
payload holds the resource's tags read afresh after the change.
"""

from __future__ import annotations

from gql.context import Info
from gql.inputs.tag import ResourceTagsPayload, TagResourceInput, UntagResourceInput, arn_region
from gql.types.tag import Tag
from gql.validation import FieldError, InvalidInput
from resolvers.writes import region_for, write


def region_of_arn(info: Info, arn: str) -> str:
    """The Region a tag call on `arn` goes to; a malformed ARN is left to the input's checks."""
    region = arn_region(arn)
    if region is None:
        return region_for(info, None)
    served = info.context.upstream.regions
    if region not in served:
        raise InvalidInput(
            [
                FieldError(
                    "input.resourceArn",
                    "NOT_SERVED",
                    f"names Region {region!r}, which this gateway does not serve "
                    f"({', '.join(served)})",
                )
            ]
        )
    return region


async def _fresh_tags(info: Info, arn: str) -> ResourceTagsPayload:
    raw = await info.context.loaders.tags.load(arn)
    return ResourceTagsPayload(resource_arn=arn, tags=[Tag.from_aws(t) for t in raw])


async def tag_resource(info: Info, input: TagResourceInput) -> ResourceTagsPayload:
    await write(info, input, "tag_resource", region_of_arn(info, input.resource_arn))
    return await _fresh_tags(info, input.resource_arn)


async def untag_resource(info: Info, input: UntagResourceInput) -> ResourceTagsPayload:
    await write(info, input, "untag_resource", region_of_arn(info, input.resource_arn))
    return await _fresh_tags(info, input.resource_arn)
