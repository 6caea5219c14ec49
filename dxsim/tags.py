"""Tags, keyed by resource ARN: 50 per resource, upsert on an existing key.

Taggable resources are connections and interconnects (`dxcon`), LAGs (`dxlag`), VIFs (`dxvif`),
all regional (`arn:aws:directconnect:<region>:<account>:dxcon/dxcon-…`), Direct Connect
gateways, which are global (`arn:aws:directconnect::<account>:dx-gateway/<uuid>`), and resiliency
groups (`arn:aws:directconnect::<account>:dx-resiliency-group/dxrg-…`), whose ARN has no Region
but which are regional all the same. An ARN must name a resource of the caller that describe
calls still return, and a regional one must be in the Region the caller signs for. Keys are
1–128 and values 0–256 characters of Unicode letters, digits, spaces and `_ . : / = + - @`
(AWS's `^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$`).
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.exceptions import (
    DirectConnectClientException,
    DuplicateTagKeysException,
    NotFound,
    TooManyTagsException,
)
from dxsim.records import TagSet
from dxsim.resource import Resource
from dxsim.tag_rules import (
    MAX_DESCRIBE_TAGS_ARNS,
    MAX_TAGS_PER_RESOURCE,
    check_tag,
)

_ARN_FORMS = (
    "arn:aws:directconnect:<region>:<account>:dxcon|dxlag|dxvif/<id>, "
    "arn:aws:directconnect::<account>:dx-gateway/<id> or "
    "arn:aws:directconnect::<account>:dx-resiliency-group/<id>"
)


class TagOperations(BackendBase):
    """TagResource, UntagResource and DescribeTags; composed into `DirectConnectBackend`."""

    def tag_resource(
        self, caller: Caller, *, resource_arn: str, tags: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """TagResource: adds tags, updating the value of a key the resource already has (T2).

        Refuses a key given twice in the request (DuplicateTagKeysException) and a result of
        more than 50 tags (TooManyTagsException, T1); either way nothing changes.
        """
        self._resolve(caller, resource_arn)
        seen: set[str] = set()
        for tag in tags:
            check_tag(tag)
            if tag["key"] in seen:
                raise DuplicateTagKeysException(
                    f"Tag key {tag['key']!r} appears more than once in the request; give each "
                    f"key once."
                )
            seen.add(tag["key"])
        tag_set = self.tag_sets.get(resource_arn)
        current = list(tag_set.tags) if tag_set is not None else []
        for tag in tags:
            entry = {"key": tag["key"]}
            if tag.get("value") is not None:
                entry["value"] = tag["value"]
            index = next((i for i, t in enumerate(current) if t["key"] == tag["key"]), None)
            if index is None:
                current.append(entry)
            else:
                current[index] = entry
        if len(current) > MAX_TAGS_PER_RESOURCE:
            raise TooManyTagsException(
                f"Resource {resource_arn} would have {len(current)} tags; each resource can "
                f"have a maximum of {MAX_TAGS_PER_RESOURCE} tags."
            )
        if tag_set is None:
            self.add(TagSet(id=resource_arn, tags=current))
        else:
            tag_set.tags = current
        return {}

    def untag_resource(
        self, caller: Caller, *, resource_arn: str, tag_keys: list[str]
    ) -> dict[str, Any]:
        """UntagResource: removes the tags with these keys; keys the resource lacks are ignored."""
        self._resolve(caller, resource_arn)
        tag_set = self.tag_sets.get(resource_arn)
        if tag_set is None:
            return {}
        drop = set(tag_keys)
        remaining = [t for t in tag_set.tags if t["key"] not in drop]
        if not remaining:
            self.remove(tag_set)
        elif len(remaining) != len(tag_set.tags):
            tag_set.tags = remaining
        return {}

    def describe_tags(self, caller: Caller, *, resource_arns: list[str]) -> dict[str, Any]:
        """DescribeTags: one `resourceTags` entry per ARN, in request order (`tags: []` if none).

        Takes 1 to `MAX_DESCRIBE_TAGS_ARNS` ARNs; one unknown ARN fails the whole request.
        """
        if not 1 <= len(resource_arns) <= MAX_DESCRIBE_TAGS_ARNS:
            raise DirectConnectClientException(
                f"resourceArns has {len(resource_arns)} ARNs: DescribeTags takes 1 to "
                f"{MAX_DESCRIBE_TAGS_ARNS} ARNs per call."
            )
        for arn in resource_arns:
            self._resolve(caller, arn)
        result = []
        for arn in resource_arns:
            tag_set = self.tag_sets.get(arn)
            tags = [dict(t) for t in tag_set.tags] if tag_set is not None else []
            result.append({"resourceArn": arn, "tags": tags})
        return {"resourceTags": result}

    def _resolve(self, caller: Caller, arn: str) -> Resource:
        """The caller's resource that `arn` names, or a DirectConnectClientException."""
        parts = arn.split(":", 5)
        kind, _, resource_id = parts[-1].partition("/")
        if len(parts) != 6 or parts[:3] != ["arn", "aws", "directconnect"] or not resource_id:
            raise DirectConnectClientException(
                f"resourceArn {arn!r} is not a Direct Connect resource ARN; expected {_ARN_FORMS}."
            )
        region, account = parts[3], parts[4]
        tables: tuple[dict[str, Any], ...]
        if kind == "dx-gateway" and not region:
            tables = (self.gateways,)
        elif kind == "dx-resiliency-group" and not region:
            tables = (self.resiliency_groups,)
        elif kind in ("dxcon", "dxlag", "dxvif") and region:
            if region != caller.region:
                raise DirectConnectClientException(
                    f"Resource {arn} is in Region {region}, but the request is signed for "
                    f"{caller.region}; tag a regional resource from its own Region."
                )
            tables = {
                "dxcon": (self.connections, self.interconnects),
                "dxlag": (self.lags,),
                "dxvif": (self.virtual_interfaces,),
            }[kind]
        else:
            raise DirectConnectClientException(
                f"resourceArn {arn!r} is not a Direct Connect resource ARN; expected {_ARN_FORMS}."
            )
        if account != caller.account:
            raise DirectConnectClientException(
                f"Resource {arn} belongs to account {account}; account {caller.account} can "
                f"only tag its own resources."
            )
        for table in tables:
            resource = table.get(resource_id)
            if (
                resource is not None
                and resource.owner_account == caller.account
                and self.arn_of(resource) == arn
                and getattr(resource, "region", caller.region) == caller.region
            ):
                found: Resource = resource
                return found
        orphan = self.tag_sets.get(arn)
        if orphan is not None:
            self.remove(orphan)
        raise NotFound(f"Resource {arn} does not exist")
