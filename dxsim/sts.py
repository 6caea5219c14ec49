"""STS AssumeRole, enough for a gateway that acts as per-caller IAM roles.

Served on the simulator's endpoint beside Direct Connect: STS speaks the AWS query protocol (a
form-encoded `POST /` signed for service `sts`) and answers XML. AssumeRole hands out temporary
credentials for the role's account; requests signed with them (and their session token) act in
that account. Every role in every account may be assumed — the simulator checks no trust
policies.
"""

from __future__ import annotations

import re
import secrets
import string
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from dxsim.accounts import Caller, Credential, CredentialStore

XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/"
ROLE_ARN = re.compile(r"^arn:aws:iam::(\d{12}):role/([\w+=,.@/-]{1,512})$")
SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")
DEFAULT_DURATION, MIN_DURATION, MAX_DURATION = 3600, 900, 43200


@dataclass(frozen=True)
class StsError(Exception):
    """An STS refusal: `Sender` errors are the caller's (HTTP 400)."""

    code: str
    message: str
    status: int = 400


def _random(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def assume_role(credentials: CredentialStore, caller: Caller, body: bytes) -> str:
    """Runs AssumeRole for `caller` and returns the XML answer.

    Raises:
        StsError: unknown action, missing or malformed RoleArn / RoleSessionName / DurationSeconds.
    """
    params = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    action = params.get("Action")
    if action != "AssumeRole":
        raise StsError("InvalidAction", f"dxsim's STS implements AssumeRole only, not {action!r}.")
    role_arn = params.get("RoleArn", "")
    match = ROLE_ARN.match(role_arn)
    if match is None:
        raise StsError("ValidationError", f"RoleArn {role_arn!r} is not a valid IAM role ARN.")
    session = params.get("RoleSessionName", "")
    if not SESSION_NAME.match(session):
        raise StsError(
            "ValidationError",
            "RoleSessionName must be 2-64 characters of letters, digits and _+=,.@-",
        )
    try:
        duration = int(params.get("DurationSeconds", DEFAULT_DURATION))
    except ValueError:
        raise StsError("ValidationError", "DurationSeconds must be an integer.") from None
    if not MIN_DURATION <= duration <= MAX_DURATION:
        raise StsError(
            "ValidationError",
            f"DurationSeconds must be between {MIN_DURATION} and {MAX_DURATION}.",
        )
    account, role_name = match.groups()
    access_key = "ASIA" + _random(string.ascii_uppercase + string.digits, 16)
    secret = _random(string.ascii_letters + string.digits + "/+", 40)
    token = _random(string.ascii_letters + string.digits + "/+", 120)
    expires = time.time() + duration
    credentials.add_temporary(Credential(access_key, secret, account), token, expires)
    expiration = datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    role_id = "AROA" + _random(string.ascii_uppercase + string.digits, 17)
    return (
        f'<AssumeRoleResponse xmlns="{XMLNS}"><AssumeRoleResult>'
        f"<Credentials><AccessKeyId>{access_key}</AccessKeyId>"
        f"<SecretAccessKey>{escape(secret)}</SecretAccessKey>"
        f"<SessionToken>{escape(token)}</SessionToken>"
        f"<Expiration>{expiration}</Expiration></Credentials>"
        f"<AssumedRoleUser><AssumedRoleId>{role_id}:{escape(session)}</AssumedRoleId>"
        f"<Arn>arn:aws:sts::{account}:assumed-role/{escape(role_name)}/{escape(session)}</Arn>"
        f"</AssumedRoleUser></AssumeRoleResult>"
        f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
        f"</AssumeRoleResponse>"
    )


def error_xml(err: StsError) -> str:
    return (
        f'<ErrorResponse xmlns="{XMLNS}"><Error><Type>Sender</Type><Code>{err.code}</Code>'
        f"<Message>{escape(err.message)}</Message></Error>"
        f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    )
