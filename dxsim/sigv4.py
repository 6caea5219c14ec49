"""AWS Signature Version 4 verification, as Direct Connect's front end does it.

Recomputes the signature from the method, path, query, signed headers and the hash of the body
actually received (a declared `x-amz-content-sha256` must match it), with the secret the credential
store holds for the access key, and compares in constant time. The credential scope must name the
`directconnect` service and the X-Amz-Date's day; its region is the caller's region.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote

from dxsim.accounts import Caller, CredentialStore
from dxsim.exceptions import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)

ALGORITHM = "AWS4-HMAC-SHA256"
SERVICE = "directconnect"
MAX_SKEW_SECONDS = 15 * 60
_AUTH = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+),\s*"
    r"SignedHeaders=(?P<signed>[^,\s]+),\s*Signature=(?P<signature>[0-9a-f]{64})\s*$"
)


@dataclass(frozen=True)
class SignedRequest:
    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes


def _sign(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def _canonical_query(query: str) -> str:
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in pairs)


def verify(
    request: SignedRequest,
    credentials: CredentialStore,
    now: datetime | None = None,
    expected_service: str = SERVICE,
) -> Caller:
    """Checks the request's SigV4 signature and returns who signed it and for which region.

    Temporary credentials (from STS AssumeRole) must come with their session token.

    Raises:
        MissingAuthenticationTokenException: no Authorization header.
        IncompleteSignatureException: the header is not a SigV4 header.
        UnrecognizedClientException: the access key is unknown.
        InvalidSignatureException: the signature is wrong or expired.
    """
    auth = request.headers.get("authorization")
    if not auth:
        raise MissingAuthenticationTokenException("Missing Authentication Token")
    match = _AUTH.match(auth)
    if not match:
        raise IncompleteSignatureException(
            "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' "
            f"parameters of the {ALGORITHM} algorithm."
        )
    parts = match["credential"].split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        raise IncompleteSignatureException(
            "Credential should be scoped to a valid region, service and 'aws4_request'."
        )
    access_key, date, region, service, _ = parts
    credential = credentials.lookup(access_key)
    if credential is None:
        raise UnrecognizedClientException("The security token included in the request is invalid.")
    token = credentials.session_token_of(access_key)
    if token is not None and not hmac.compare_digest(
        request.headers.get("x-amz-security-token", ""), token
    ):
        raise UnrecognizedClientException("The security token included in the request is invalid.")
    if service != expected_service:
        raise InvalidSignatureException(
            f"Credential should be scoped to correct service: '{expected_service}'."
        )
    amz_date = request.headers.get("x-amz-date", "")
    try:
        signed_at = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise IncompleteSignatureException("Missing or malformed X-Amz-Date header.") from None
    if date != amz_date[:8]:
        raise InvalidSignatureException(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            f"from HTTP: '{date}' != '{amz_date[:8]}', from '{amz_date}'."
        )
    current = now or datetime.now(UTC)
    skew = (current - signed_at).total_seconds()
    stamp = current.strftime("%Y%m%dT%H%M%SZ")
    if skew > MAX_SKEW_SECONDS:
        earliest = (current - timedelta(seconds=MAX_SKEW_SECONDS)).strftime("%Y%m%dT%H%M%SZ")
        raise InvalidSignatureException(
            f"Signature expired: {amz_date} is now earlier than {earliest} ({stamp} - 15 min.)"
        )
    if skew < -MAX_SKEW_SECONDS:
        latest = (current + timedelta(seconds=MAX_SKEW_SECONDS)).strftime("%Y%m%dT%H%M%SZ")
        raise InvalidSignatureException(
            f"Signature not yet current: {amz_date} is still later than {latest} "
            f"({stamp} + 15 min.)"
        )
    signed_headers = match["signed"].split(";")
    if "host" not in signed_headers:
        raise InvalidSignatureException("'Host' must be a signed header.")
    canonical_headers = "".join(
        f"{name}:{' '.join(request.headers.get(name, '').split())}\n" for name in signed_headers
    )
    payload_hash = hashlib.sha256(request.body).hexdigest()
    declared_hash = request.headers.get("x-amz-content-sha256")
    if declared_hash is not None and declared_hash != payload_hash:
        raise InvalidSignatureException(
            "The provided 'x-amz-content-sha256' header does not match what was computed."
        )
    canonical_request = "\n".join(
        [
            request.method,
            quote(request.path or "/", safe="/~"),
            _canonical_query(request.query),
            canonical_headers,
            match["signed"],
            payload_hash,
        ]
    )
    scope = f"{date}/{region}/{service}/aws4_request"
    string_to_sign = "\n".join(
        [ALGORITHM, amz_date, scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
    )
    key = _sign(("AWS4" + credential.secret_key).encode(), date)
    for part in (region, service, "aws4_request"):
        key = _sign(key, part)
    expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, match["signature"]):
        raise InvalidSignatureException(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method."
        )
    return Caller(account=credential.account, region=region)
