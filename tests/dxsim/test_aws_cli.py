"""The AWS CLI (awscli v1, a client nobody here wrote) against dxsim: a representative subset.

Each test runs `aws directconnect …` in a subprocess with a clean environment, as a user would,
and reads its JSON output; the same flows run through boto3 in both protocols elsewhere. awscli
1.46 bundles its own botocore (1.43.62), whose Direct Connect model predates resiliency groups,
route listing and billing modes, so those are exercised through boto3 only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.conftest import CUSTOMER, PARTNER

AwsCli = Callable[..., Any]


class CliError(Exception):
    """The CLI exited non-zero; `stderr` says why."""

    def __init__(self, returncode: int, stderr: str) -> None:
        super().__init__(f"aws exited {returncode}: {stderr}")
        self.returncode = returncode
        self.stderr = stderr


@pytest.fixture
def aws(dx_url: str, tmp_path: Path) -> AwsCli:
    """`aws("create-connection", "--location", "EqDC2", account=…)` → the parsed JSON output."""
    base_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key != "PYTHONPATH"
    }
    binary = str(Path(sys.executable).parent / "aws")

    def run(*args: str, account: str = CUSTOMER, region: str = "us-east-1") -> Any:
        env = {
            **base_env,
            "AWS_ACCESS_KEY_ID": "test" if account == CUSTOMER else account,
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "HOME": str(tmp_path),
        }
        command = [binary, "directconnect", *args, "--endpoint-url", dx_url]
        result = subprocess.run(
            [*command, "--region", region, "--output", "json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise CliError(result.returncode, result.stderr)
        return json.loads(result.stdout) if result.stdout.strip() else {}

    return run


def test_cli_orders_tags_and_deletes_a_connection(aws: AwsCli) -> None:
    created = aws(
        "create-connection",
        "--location",
        "EqDC2",
        "--bandwidth",
        "10Gbps",
        "--connection-name",
        "cli-conn",
    )
    assert created["connectionState"] == "requested"
    conn_id = created["connectionId"]
    arn = f"arn:aws:directconnect:us-east-1:{CUSTOMER}:dxcon/{conn_id}"
    aws("tag-resource", "--resource-arn", arn, "--tags", "key=team,value=net")
    tags = aws("describe-tags", "--resource-arns", arn)["resourceTags"][0]["tags"]
    assert tags == [{"key": "team", "value": "net"}]
    listed = aws("describe-connections", "--connection-id", conn_id)["connections"]
    assert [c["connectionName"] for c in listed] == ["cli-conn"]
    assert aws("delete-connection", "--connection-id", conn_id)["connectionState"] == "deleting"


def test_cli_attaches_a_private_vif_to_a_direct_connect_gateway(aws: AwsCli) -> None:
    conn_id = aws(
        "create-connection", "--location", "EqDC2", "--bandwidth", "1Gbps", "--connection-name", "c"
    )["connectionId"]
    gateway = aws(
        "create-direct-connect-gateway",
        "--direct-connect-gateway-name",
        "cli-gw",
        "--amazon-side-asn",
        "64600",
    )["directConnectGateway"]
    vif = aws(
        "create-private-virtual-interface",
        "--connection-id",
        conn_id,
        "--new-private-virtual-interface",
        json.dumps(
            {
                "virtualInterfaceName": "cli-vif",
                "vlan": 101,
                "asn": 65001,
                "directConnectGatewayId": gateway["directConnectGatewayId"],
            }
        ),
    )
    assert (vif["virtualInterfaceType"], vif["vlan"]) == ("private", 101)
    attachments = aws(
        "describe-direct-connect-gateway-attachments",
        "--direct-connect-gateway-id",
        gateway["directConnectGatewayId"],
    )["directConnectGatewayAttachments"]
    assert [a["virtualInterfaceId"] for a in attachments] == [vif["virtualInterfaceId"]]


def test_cli_hosted_connection_flows_between_partner_and_customer(aws: AwsCli) -> None:
    interconnect = aws(
        "create-interconnect",
        "--interconnect-name",
        "ic",
        "--bandwidth",
        "10Gbps",
        "--location",
        "EqDC2",
        account=PARTNER,
    )
    hosted = aws(
        "allocate-hosted-connection",
        "--connection-id",
        interconnect["interconnectId"],
        "--owner-account",
        CUSTOMER,
        "--bandwidth",
        "500Mbps",
        "--connection-name",
        "hosted",
        "--vlan",
        "300",
        account=PARTNER,
    )
    assert hosted["connectionState"] == "ordering"
    confirmed = aws("confirm-connection", "--connection-id", hosted["connectionId"])
    assert confirmed == {"connectionState": "pending"}


def test_cli_reports_an_unknown_connection_as_a_client_exception(aws: AwsCli) -> None:
    with pytest.raises(CliError) as exc:
        aws("describe-connections", "--connection-id", "dxcon-fzzzzzzz")
    assert exc.value.returncode == 255  # awscli v1: a service error
    assert "DirectConnectClientException" in exc.value.stderr
    assert "Could not find Connection with ID dxcon-fzzzzzzz" in exc.value.stderr


# -- today's operations --------------------------------------------------------------------------
def transit_gateway_of(account: str, dx_url: str) -> str:
    """The account's first seeded Transit Gateway, as EC2's DescribeTransitGateways lists it."""
    ec2 = boto3.client(
        "ec2",
        region_name="us-east-1",
        endpoint_url=dx_url,
        aws_access_key_id="test" if account == CUSTOMER else account,
        aws_secret_access_key="test",
    )
    gateways = ec2.describe_transit_gateways()["TransitGateways"]
    return str(sorted(g["TransitGatewayId"] for g in gateways)[0])


def test_cli_runs_the_cross_account_transit_gateway_flow(aws: AwsCli, dx_url: str) -> None:
    gateway_id = aws("create-direct-connect-gateway", "--direct-connect-gateway-name", "hub")[
        "directConnectGateway"
    ]["directConnectGatewayId"]
    spoke_tgw = transit_gateway_of(PARTNER, dx_url)
    proposal = aws(
        "create-direct-connect-gateway-association-proposal",
        "--direct-connect-gateway-id",
        gateway_id,
        "--direct-connect-gateway-owner-account",
        CUSTOMER,
        "--gateway-id",
        spoke_tgw,
        "--add-allowed-prefixes-to-direct-connect-gateway",
        "cidr=10.50.0.0/16",
        account=PARTNER,
    )["directConnectGatewayAssociationProposal"]
    assert proposal["proposalState"] == "requested"
    listed = aws(
        "describe-direct-connect-gateway-association-proposals",
        "--direct-connect-gateway-id",
        gateway_id,
    )["directConnectGatewayAssociationProposals"]
    assert [p["proposalId"] for p in listed] == [proposal["proposalId"]]
    association = aws(
        "accept-direct-connect-gateway-association-proposal",
        "--direct-connect-gateway-id",
        gateway_id,
        "--proposal-id",
        proposal["proposalId"],
        "--associated-gateway-owner-account",
        PARTNER,
    )["directConnectGatewayAssociation"]
    assert association["associatedGateway"] == {
        "id": spoke_tgw,
        "type": "transitGateway",
        "ownerAccount": PARTNER,
        "region": "us-east-1",
    }
    assert association["allowedPrefixesToDirectConnectGateway"] == [{"cidr": "10.50.0.0/16"}]
    updated = aws(
        "update-direct-connect-gateway-association",
        "--association-id",
        association["associationId"],
        "--add-allowed-prefixes-to-direct-connect-gateway",
        "cidr=10.51.0.0/16",
    )["directConnectGatewayAssociation"]
    assert updated["associationState"] == "updating"


def test_cli_creates_a_transit_vif_and_runs_a_failover_test_on_it(aws: AwsCli) -> None:
    conn_id = aws(
        "create-connection",
        "--location",
        "EqDC2",
        "--bandwidth",
        "10Gbps",
        "--connection-name",
        "c",
    )["connectionId"]
    gateway_id = aws("create-direct-connect-gateway", "--direct-connect-gateway-name", "transit")[
        "directConnectGateway"
    ]["directConnectGatewayId"]
    vif = aws(
        "create-transit-virtual-interface",
        "--connection-id",
        conn_id,
        "--new-transit-virtual-interface",
        json.dumps(
            {
                "virtualInterfaceName": "transit-vif",
                "vlan": 400,
                "asn": 65001,
                "mtu": 8500,
                "directConnectGatewayId": gateway_id,
                "tags": [{"key": "env", "value": "prod"}],
            }
        ),
    )["virtualInterface"]
    assert (vif["virtualInterfaceType"], vif["mtu"]) == ("transit", 8500)
    vif_id = vif["virtualInterfaceId"]
    started = aws("start-bgp-failover-test", "--virtual-interface-id", vif_id)
    assert started["virtualInterfaceTest"]["status"] == "in-progress"
    state = aws("describe-virtual-interfaces", "--virtual-interface-id", vif_id)
    assert state["virtualInterfaces"][0]["virtualInterfaceState"] == "testing"
    aws("stop-bgp-failover-test", "--virtual-interface-id", vif_id)
    history = aws("list-virtual-interface-test-history", "--virtual-interface-id", vif_id)
    assert [t["status"] for t in history["virtualInterfaceTestHistory"]] == ["cancelled"]


def test_cli_orders_a_macsec_port_and_associates_a_key(aws: AwsCli) -> None:
    conn = aws(
        "create-connection",
        "--location",
        "EqDC2",
        "--bandwidth",
        "100Gbps",
        "--connection-name",
        "macsec",
        "--request-mac-sec",
    )
    assert conn["macSecCapable"] is True
    cak = "ab" * 32
    keys = aws(
        "associate-mac-sec-key",
        "--connection-id",
        conn["connectionId"],
        "--ckn",
        "cd" * 32,
        "--cak",
        cak,
    )
    assert keys["macSecKeys"][0]["secretARN"].startswith("arn:aws:secretsmanager:us-east-1:")
    assert cak not in json.dumps(keys)
