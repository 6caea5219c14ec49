"""MACsec over boto3: capable ports, keys on the simulated clock, encryption modes, LAG rules, and
the CAK never leaving the request it came in (responses, errors, logs, the state file)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from dxsim import DirectConnectBackend
from dxsim.accounts import Caller
from dxsim.backend import RETENTION
from tests.conftest import CUSTOMER, PARTNER, advance, error_of, set_delay
from tests.dxsim.shapes import RawCapture, boto_client, raw_call, start_simulator

CKN = "0123456789abcdef" * 4
CAK = "fedcba9876543210" * 4
OTHER_CKN = "a1" * 32
SECRET_ARN = re.compile(r"^arn:aws:secretsmanager:us-east-1:123456789012:secret:directconnect!\S+$")


def make_port(dx: Any, bandwidth: str = "10Gbps", **kwargs: Any) -> str:
    params = {"location": "EqDC2", "bandwidth": bandwidth, "connectionName": "m", **kwargs}
    return str(dx.create_connection(**params)["connectionId"])


def macsec_port(dx: Any) -> str:
    return make_port(dx, requestMACSec=True)


def conn_of(dx: Any, conn_id: str) -> Any:
    return dx.describe_connections(connectionId=conn_id)["connections"][0]


def associate(dx: Any, port_id: str, ckn: str = CKN, cak: str = CAK) -> Any:
    return dx.associate_mac_sec_key(connectionId=port_id, ckn=ckn, cak=cak)


def refusal(call: Any, **params: Any) -> str:
    with pytest.raises(ClientError) as exc:
        call(**params)
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert CAK not in message
    return message


def make_lag(dx: Any, n: int = 2, **kwargs: Any) -> Any:
    return dx.create_lag(
        numberOfConnections=n,
        location="EqDC2",
        connectionsBandwidth="10Gbps",
        lagName="l",
        **kwargs,
    )


# -- capable ports ------------------------------------------------------------------------------
def test_a_connection_requested_with_macsec_is_capable_and_starts_unencrypted(dx: Any) -> None:
    conn = conn_of(dx, macsec_port(dx))
    assert conn["macSecCapable"] is True
    assert conn["encryptionMode"] == "no_encrypt"
    assert conn["portEncryptionStatus"] == "Encryption Down"
    assert conn["macSecKeys"] == []


def test_a_connection_without_macsec_says_so_and_has_no_encryption_members(dx: Any) -> None:
    conn = conn_of(dx, make_port(dx))
    assert conn["macSecCapable"] is False
    assert "encryptionMode" not in conn
    assert "macSecKeys" not in conn


def test_macsec_needs_a_port_speed_the_location_offers_it_on(dx: Any) -> None:
    message = refusal(
        dx.create_connection,
        location="EqDC2",
        bandwidth="1Gbps",
        connectionName="m",
        requestMACSec=True,
    )
    assert "availableMacSecPortSpeeds are: 10Gbps, 100Gbps, 400Gbps" in message
    message = refusal(
        dx.create_connection,
        location="KIOQ1",
        bandwidth="10Gbps",
        connectionName="m",
        requestMACSec=True,
    )
    assert "MACsec is not available for 10Gbps ports at location KIOQ1" in message


# -- associating keys ---------------------------------------------------------------------------
def test_ckn_and_cak_are_stored_as_a_secret_whose_arn_comes_back(
    dx: Any, control: httpx.Client
) -> None:
    set_delay(control, 60)
    port = macsec_port(dx)
    advance(control, 120)
    answer = associate(dx, port)
    [key] = answer["macSecKeys"]
    assert answer["connectionId"] == port
    assert SECRET_ARN.match(key["secretARN"])
    assert (key["ckn"], key["state"]) == (CKN, "associating")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z", key["startOn"])
    assert conn_of(dx, port)["portEncryptionStatus"] == "Encryption Down"
    advance(control, 60)
    conn = conn_of(dx, port)
    assert conn["macSecKeys"][0]["state"] == "associated"
    assert conn["portEncryptionStatus"] == "Encryption Up"


def test_encryption_goes_down_with_the_link(dx: Any, control: httpx.Client) -> None:
    port = macsec_port(dx)
    associate(dx, port)
    assert conn_of(dx, port)["portEncryptionStatus"] == "Encryption Up"
    control.post(f"/connections/{port}/link", json={"status": "down"}).raise_for_status()
    assert conn_of(dx, port)["portEncryptionStatus"] == "Encryption Down"


def test_a_stored_secret_can_be_associated_by_its_arn(dx: Any) -> None:
    secret = associate(dx, macsec_port(dx))["macSecKeys"][0]["secretARN"]
    other = macsec_port(dx)
    [key] = dx.associate_mac_sec_key(connectionId=other, secretARN=secret)["macSecKeys"]
    assert (key["secretARN"], key["ckn"]) == (secret, CKN)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"secretARN": "x", "ckn": CKN, "cak": CAK}, "not both"),
        ({"ckn": CKN}, "ckn and cak go together"),
        ({"cak": CAK}, "ckn and cak go together"),
        ({}, "ckn and cak go together"),
        ({"ckn": "abc", "cak": CAK}, "ckn is not valid: it must be 64 hexadecimal"),
        ({"ckn": CKN, "cak": CAK[:-1]}, "cak is not valid: it must be 64 hexadecimal"),
        ({"ckn": CKN, "cak": CAK[:-1] + "g"}, "cak is not valid"),
    ],
)
def test_a_key_is_a_secret_arn_or_a_64_hex_ckn_cak_pair(
    dx: Any, params: dict[str, str], expected: str
) -> None:
    port = macsec_port(dx)
    message = refusal(dx.associate_mac_sec_key, connectionId=port, **params)
    assert expected in message
    assert CAK[:-1] not in message


def test_a_secret_arn_must_be_a_direct_connect_secret_of_the_caller(
    dx: Any, dx_partner: Any
) -> None:
    port = macsec_port(dx)
    assert "is not valid" in refusal(
        dx.associate_mac_sec_key,
        connectionId=port,
        secretARN="arn:aws:secretsmanager:us-east-1:123456789012:secret:mine",
    )
    unknown = "arn:aws:secretsmanager:us-east-1:123456789012:secret:directconnect!nope-AbCdEf"
    assert "does not exist" in refusal(
        dx.associate_mac_sec_key, connectionId=port, secretARN=unknown
    )
    theirs = associate(dx_partner, macsec_port(dx_partner))["macSecKeys"][0]["secretARN"]
    assert f"is not in account {CUSTOMER}" in refusal(
        dx.associate_mac_sec_key, connectionId=port, secretARN=theirs
    )


def test_the_same_ckn_twice_on_a_port_is_refused(dx: Any) -> None:
    port = macsec_port(dx)
    associate(dx, port)
    assert "already associated" in refusal(
        dx.associate_mac_sec_key, connectionId=port, ckn=CKN, cak=CAK
    )
    assert len(associate(dx, port, ckn=OTHER_CKN)["macSecKeys"]) == 2


@pytest.mark.aws_verified
def test_macsec_is_unavailable_on_hosted_connections(dx: Any, dx_partner: Any) -> None:
    ic = dx_partner.create_interconnect(
        interconnectName="ic", bandwidth="10Gbps", location="EqDC2", requestMACSec=True
    )["interconnectId"]
    hosted = dx_partner.allocate_hosted_connection(
        connectionId=ic, ownerAccount=CUSTOMER, bandwidth="500Mbps", connectionName="h", vlan=7
    )["connectionId"]
    message = refusal(dx.associate_mac_sec_key, connectionId=hosted, ckn=CKN, cak=CAK)
    assert message == "MACsec is unavailable on hosted connections."
    assert "unavailable on hosted" in refusal(
        dx.update_connection, connectionId=hosted, encryptionMode="must_encrypt"
    )
    assert conn_of(dx, hosted)["partnerInterconnectMacSecCapable"] is True


def test_a_port_created_without_macsec_takes_no_key(dx: Any) -> None:
    assert "is not MACsec capable" in refusal(
        dx.associate_mac_sec_key, connectionId=make_port(dx), ckn=CKN, cak=CAK
    )


def test_an_interconnect_requested_with_macsec_takes_keys(dx_partner: Any) -> None:
    ic = dx_partner.create_interconnect(
        interconnectName="ic", bandwidth="10Gbps", location="EqDC2", requestMACSec=True
    )
    assert (ic["macSecCapable"], ic["encryptionMode"]) == (True, "no_encrypt")
    associate(dx_partner, ic["interconnectId"])
    [seen] = dx_partner.describe_interconnects(interconnectId=ic["interconnectId"])["interconnects"]
    assert seen["macSecKeys"][0]["state"] == "associated"
    assert seen["portEncryptionStatus"] == "Encryption Up"


# -- disassociating -----------------------------------------------------------------------------
def test_a_disassociated_key_passes_disassociating_and_is_gone(
    dx: Any, control: httpx.Client
) -> None:
    port = macsec_port(dx)
    secret = associate(dx, port)["macSecKeys"][0]["secretARN"]
    set_delay(control, 60)
    [key] = dx.disassociate_mac_sec_key(connectionId=port, secretARN=secret)["macSecKeys"]
    assert key["state"] == "disassociating"
    advance(control, 60)
    assert conn_of(dx, port)["macSecKeys"] == []
    assert conn_of(dx, port)["portEncryptionStatus"] == "Encryption Down"
    assert "is not associated" in refusal(
        dx.disassociate_mac_sec_key, connectionId=port, secretARN=secret
    )


def test_removing_the_last_key_of_a_must_encrypt_port_makes_it_should_encrypt(dx: Any) -> None:
    port = macsec_port(dx)
    first = associate(dx, port)["macSecKeys"][0]["secretARN"]
    second = associate(dx, port, ckn=OTHER_CKN)["macSecKeys"][1]["secretARN"]
    dx.update_connection(connectionId=port, encryptionMode="must_encrypt")
    dx.disassociate_mac_sec_key(connectionId=port, secretARN=first)
    assert conn_of(dx, port)["encryptionMode"] == "must_encrypt"
    dx.disassociate_mac_sec_key(connectionId=port, secretARN=second)
    assert conn_of(dx, port)["encryptionMode"] == "should_encrypt"


# -- encryption modes ---------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["no_encrypt", "should_encrypt", "must_encrypt"])
def test_update_connection_sets_the_encryption_mode_of_a_capable_port(dx: Any, mode: str) -> None:
    port = macsec_port(dx)
    assert dx.update_connection(connectionId=port, encryptionMode=mode)["encryptionMode"] == mode
    assert conn_of(dx, port)["encryptionMode"] == mode


def test_update_connection_refuses_an_unknown_mode_and_an_incapable_port(dx: Any) -> None:
    assert "encryptionMode 'always' is not valid" in refusal(
        dx.update_connection, connectionId=macsec_port(dx), encryptionMode="always"
    )
    assert "is not MACsec capable" in refusal(
        dx.update_connection, connectionId=make_port(dx), encryptionMode="must_encrypt"
    )


# -- LAGs ---------------------------------------------------------------------------------------
def test_a_macsec_lag_and_all_its_members_are_capable(dx: Any) -> None:
    lag = make_lag(dx, requestMACSec=True)
    assert (lag["macSecCapable"], lag["encryptionMode"], lag["macSecKeys"]) == (
        True,
        "no_encrypt",
        [],
    )
    assert "portEncryptionStatus" not in lag
    assert all(c["macSecCapable"] for c in lag["connections"])


def test_a_lags_keys_apply_to_its_members_which_take_none_of_their_own(dx: Any) -> None:
    lag = make_lag(dx, requestMACSec=True)
    associate(dx, lag["lagId"])
    [seen] = dx.describe_lags(lagId=lag["lagId"])["lags"]
    assert seen["macSecKeys"][0]["ckn"] == CKN
    for member in seen["connections"]:
        assert member["macSecKeys"][0]["ckn"] == CKN
        assert member["portEncryptionStatus"] == "Encryption Up"
    member_id = seen["connections"][0]["connectionId"]
    assert "associate MACsec keys with the LAG" in refusal(
        dx.associate_mac_sec_key, connectionId=member_id, ckn=OTHER_CKN, cak=CAK
    )


def test_update_lag_encryption_mode_applies_to_every_member(dx: Any) -> None:
    lag_id = make_lag(dx, requestMACSec=True)["lagId"]
    updated = dx.update_lag(lagId=lag_id, encryptionMode="should_encrypt")
    assert updated["encryptionMode"] == "should_encrypt"
    assert {c["encryptionMode"] for c in updated["connections"]} == {"should_encrypt"}
    assert "is not MACsec capable" in refusal(
        dx.update_lag, lagId=make_lag(dx)["lagId"], encryptionMode="must_encrypt"
    )
    assert "is not valid" in refusal(dx.update_lag, lagId=lag_id, encryptionMode="on")


@pytest.mark.aws_verified
def test_a_lag_and_a_joining_connection_are_macsec_capable_together_or_not_at_all(
    dx: Any,
) -> None:
    plain_lag = make_lag(dx)["lagId"]
    capable = macsec_port(dx)
    message = refusal(dx.associate_connection_with_lag, connectionId=capable, lagId=plain_lag)
    assert message == f"Connection {capable} and lag should be requested MacSec at the same time"
    macsec_lag = make_lag(dx, requestMACSec=True)["lagId"]
    plain = make_port(dx)
    assert "should be requested MacSec at the same time" in refusal(
        dx.associate_connection_with_lag, connectionId=plain, lagId=macsec_lag
    )
    assert "should be requested MacSec at the same time" in refusal(
        dx.create_connection,
        location="EqDC2",
        bandwidth="10Gbps",
        connectionName="c",
        lagId=plain_lag,
        requestMACSec=True,
    )


def test_a_connection_joining_a_lag_drops_its_own_keys_for_the_lags(dx: Any) -> None:
    lag_id = make_lag(dx, requestMACSec=True)["lagId"]
    dx.update_lag(lagId=lag_id, encryptionMode="must_encrypt")
    associate(dx, lag_id, ckn=OTHER_CKN)
    port = macsec_port(dx)
    associate(dx, port)
    joined = dx.associate_connection_with_lag(connectionId=port, lagId=lag_id)
    assert [k["ckn"] for k in joined["macSecKeys"]] == [OTHER_CKN]
    assert joined["encryptionMode"] == "must_encrypt"


def test_create_lag_from_a_macsec_connection_makes_a_macsec_lag(dx: Any) -> None:
    port = macsec_port(dx)
    lag = make_lag(dx, connectionId=port)
    assert lag["macSecCapable"] is True
    assert "should be requested MacSec at the same time" in refusal(
        dx.create_lag,
        numberOfConnections=1,
        location="EqDC2",
        connectionsBandwidth="10Gbps",
        lagName="l",
        connectionId=make_port(dx),
        requestMACSec=True,
    )


# -- the CAK stays secret -----------------------------------------------------------------------
def test_the_cak_appears_in_no_response_and_no_error(dx: Any, dx_partner: Any, dx_url: str) -> None:
    capture = RawCapture(dx)
    port = macsec_port(dx)
    associate(dx, port)
    dx.describe_connections()
    lag = make_lag(dx, requestMACSec=True)["lagId"]
    associate(dx, lag)
    dx.describe_lags()
    assert all(CAK not in str(body) for body in capture.bodies.values())
    assert CAK.upper() not in str(capture.bodies)
    for params in (
        {"connectionId": port, "ckn": CKN, "cak": CAK},  # duplicate CKN
        {"connectionId": port, "ckn": "zz", "cak": CAK},
        {"connectionId": port, "cak": CAK},
        {"connectionId": port, "secretARN": "nope", "ckn": CKN, "cak": CAK},
        {"connectionId": make_port(dx), "ckn": OTHER_CKN, "cak": CAK},
        {"connectionId": "dxcon-fzzzzzzz", "ckn": OTHER_CKN, "cak": CAK},
    ):
        refusal(dx.associate_mac_sec_key, **params)
    for body in ({"connectionId": port, "ckn": CKN, "cak": [CAK]}, {"cak": {"x": CAK}}):
        answer = raw_call(dx_url, "AssociateMacSecKey", body)
        assert answer.status_code == 400
        assert CAK not in answer.text
        assert "(secret)" in answer.text or "Unknown" in answer.text


def test_the_cak_reaches_neither_the_log_nor_the_state_file(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    log = tmp_path / "dxsim.log"
    command = [sys.executable, "-m", "dxsim", "--port", "0", "--provisioning-delay", "0"]
    sim = start_simulator([*command, "--state", str(state)], log=log)
    try:
        dx = boto_client(sim.url)
        partner = boto_client(sim.url, access_key=PARTNER)
        port = make_port(dx, requestMACSec=True)
        associate(dx, port)
        for params in ({"ckn": CKN, "cak": CAK}, {"ckn": "0", "cak": CAK}):
            with pytest.raises(ClientError):
                dx.associate_mac_sec_key(connectionId=port, **params)
        with pytest.raises(ClientError):
            partner.associate_mac_sec_key(connectionId=port, ckn=OTHER_CKN, cak=CAK)
        raw_call(sim.url, "AssociateMacSecKey", {"connectionId": port, "cak": 7, "ckn": CAK})
        raw_call(sim.url, "AssociateMacSecKey", {"connectionId": port, "cak": [CAK]})
        dx.describe_connections()
    finally:
        sim.proc.terminate()
        sim.proc.wait(timeout=10)
    output = sim.read_output(quiet=0.1) + log.read_text()
    assert CAK not in output
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("state.sqlite3*"))
    assert CAK.encode() not in stored
    assert CKN.encode() in stored  # the state file does hold the key's CKN


def test_a_purged_ports_keys_are_forgotten_with_it() -> None:
    backend = DirectConnectBackend()
    caller = Caller(CUSTOMER, "us-east-1")
    port = backend.call(
        caller,
        "create_connection",
        {
            "location": "EqDC2",
            "bandwidth": "10Gbps",
            "connection_name": "m",
            "request_mac_sec": True,
        },
    )["connectionId"]
    backend.call(caller, "associate_mac_sec_key", {"connection_id": port, "ckn": CKN, "cak": CAK})
    backend.call(caller, "delete_connection", {"connection_id": port})
    backend.advance(1)
    assert backend.children("mac_sec_key", port) != []  # listed while the connection is
    backend.advance(RETENTION["connection"])
    assert port not in backend.connections
    assert backend.mac_sec_keys == {}
    assert all(CAK not in str(r.to_row()) for r in backend.all_resources())
