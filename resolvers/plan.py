"""Query planning: which upstream lists an operation will need, read from its document.

DataLoaders batch per level of the query, so a deep query would pay one round trip of latency per
level. The fields an operation selects tell which lists it will read whatever the data holds; the
gateway starts all of them at once, before resolving (`Loaders.prefetch`). Only lists the lazy
path would read too are planned, so planning never adds upstream calls for non-empty data.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLSchema,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    visit,
)

# (parent type or "*", field) → kinds read. Kinds: the regional lists of `loaders.REGIONAL`,
# "gateways" (global, paged), "associations"/"attachments" (one paged call per gateway).
FIELD_KINDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Query", "connections"): ("connections",),
    ("Query", "connection"): ("connections",),
    ("Query", "lags"): ("lags",),
    ("Query", "lag"): ("lags",),
    ("Query", "interconnects"): ("interconnects",),
    ("Query", "interconnect"): ("interconnects",),
    ("Query", "virtualInterfaces"): ("virtual_interfaces",),
    ("Query", "virtualInterface"): ("virtual_interfaces",),
    ("Query", "virtualGateways"): ("virtual_gateways",),
    ("Query", "virtualGateway"): ("virtual_gateways",),
    ("Query", "locations"): ("locations",),
    ("Query", "location"): ("locations",),
    ("Query", "directConnectGateways"): ("gateways",),
    ("Query", "directConnectGateway"): ("gateways",),
    ("Query", "directConnectGatewayAssociations"): ("gateways", "associations"),
    ("Query", "directConnectGatewayAttachments"): ("gateways", "attachments"),
    ("*", "location"): ("locations",),
    ("DxConnection", "lag"): ("lags",),
    ("Interconnect", "lag"): ("lags",),
    ("*", "virtualInterfaces"): ("virtual_interfaces",),
    ("DirectConnectGateway", "virtualInterfaces"): ("attachments", "virtual_interfaces"),
    ("*", "virtualGateway"): ("virtual_gateways",),
    ("*", "directConnectGateway"): ("gateways",),
    ("DirectConnectGateway", "virtualGateways"): ("associations", "virtual_gateways"),
    ("DirectConnectGateway", "associations"): ("associations",),
    ("DirectConnectGateway", "attachments"): ("attachments",),
    ("VirtualGateway", "associations"): ("gateways", "associations"),
    ("VirtualGateway", "directConnectGateways"): ("gateways", "associations"),
    ("Location", "connections"): ("connections",),
    ("Location", "lags"): ("lags",),
    ("Location", "interconnects"): ("interconnects",),
    ("DirectConnectGatewayAttachment", "virtualInterface"): ("virtual_interfaces",),
}

# GraphQL type → the kind whose ARNs its `tags` field reads.
TAGGED_KINDS = {
    "DxConnection": "connections",
    "Lag": "lags",
    "Interconnect": "interconnects",
    "VirtualInterface": "virtual_interfaces",
    "DirectConnectGateway": "gateways",
}


class Plan:
    """What an operation will read: list kinds, the kinds whose tags it reads, region narrowing."""

    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self.tag_kinds: set[str] = set()
        self.narrowed = False


_PLANS: OrderedDict[tuple[int, int], tuple[Any, Plan]] = OrderedDict()
_PLANS_KEPT = 256


def plan_operation(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
) -> Plan:
    """Walks the operation and its fragments with type information.

    Remembered per operation node (the gateway reuses parsed documents, `gql.documents`), so a
    repeated operation is planned once; a plan is never modified by its users.
    """
    key = (id(schema), id(operation))
    kept = _PLANS.get(key)
    if kept is not None and kept[0] is operation:
        _PLANS.move_to_end(key)
        return kept[1]
    plan = _walk(schema, operation, fragments)
    _PLANS[key] = (operation, plan)  # the node is kept, so its id cannot be reused meanwhile
    while len(_PLANS) > _PLANS_KEPT:
        _PLANS.popitem(last=False)
    return plan


def _walk(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
) -> Plan:
    type_info = TypeInfo(schema)
    plan = Plan()

    class Planner(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            parent = type_info.get_parent_type()
            if parent is None:
                return
            name = node.name.value
            if name == "tags" and parent.name in TAGGED_KINDS:
                plan.tag_kinds.add(TAGGED_KINDS[parent.name])
            kinds = FIELD_KINDS.get((parent.name, name)) or FIELD_KINDS.get(("*", name), ())
            if parent.name == "Query" and any(
                a.name.value == "region" for a in node.arguments or ()
            ):
                plan.narrowed = True
            plan.kinds.update(kinds)

    for root in (operation, *fragments.values()):
        visit(root, TypeInfoVisitor(type_info, Planner()))
    if plan.tag_kinds:
        plan.kinds.update(plan.tag_kinds)
    return plan
