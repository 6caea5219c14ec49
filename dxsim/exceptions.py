"""Direct Connect error shapes as AWS sends them: a code, an HTTP status and a message.

Not-found and invalid-state errors are all `DirectConnectClientException` on the wire (dx-facts.md
§5.2); the subclasses exist only so the model reads clearly and tests can match them.
"""

from __future__ import annotations


class DXError(Exception):
    """An error the simulator returns to the caller as an AWS JSON 1.1 error body."""

    code = "DirectConnectClientException"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DirectConnectClientException(DXError):
    """The caller sent something Direct Connect refuses (HTTP 400)."""


class NotFound(DirectConnectClientException):
    """A resource the request names does not exist (or is not visible to the caller)."""


class InvalidState(DirectConnectClientException):
    """The resource exists but its state does not allow the operation."""


class DirectConnectServerException(DXError):
    """A server-side failure (HTTP 500); the simulator raises it only as an injected fault."""

    code = "DirectConnectServerException"
    status = 500


class DuplicateTagKeysException(DXError):
    """A tag key appears twice in one request."""

    code = "DuplicateTagKeysException"


class TooManyTagsException(DXError):
    """The request would leave a resource with more than 50 tags."""

    code = "TooManyTagsException"


class LimitExceededException(DXError):
    """A quota would be exceeded (the transit VIF operations declare this error)."""

    code = "LimitExceededException"


class ThrottlingException(DXError):
    """The account exceeded its request rate; botocore retries this code by itself."""

    code = "ThrottlingException"


class ValidationException(DXError):
    """The request does not match the operation's input shape (missing or mistyped members)."""

    code = "ValidationException"


class SerializationException(DXError):
    """The request body is not a JSON object."""

    code = "SerializationException"


class UnknownOperationException(DXError):
    """The X-Amz-Target names an operation the simulator does not implement."""

    code = "UnknownOperationException"


class UnrecognizedClientException(DXError):
    """The access key is not known to the simulator."""

    code = "UnrecognizedClientException"
    status = 403


class InvalidSignatureException(DXError):
    """The SigV4 signature does not match the request."""

    code = "InvalidSignatureException"
    status = 403


class MissingAuthenticationTokenException(DXError):
    """The request carries no SigV4 Authorization header."""

    code = "MissingAuthenticationTokenException"
    status = 403


class IncompleteSignatureException(DXError):
    """The Authorization header is present but malformed."""

    code = "IncompleteSignatureException"
    status = 403
