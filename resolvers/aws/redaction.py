"""The gateway's one notion of a secret in text, for whatever leaves the process as text: every
log record (masked by `gql.http`), GraphQL error messages (`gql.engine.extensions`), readiness
answers.

`redact(text)` masks, wherever they appear:

* values of secret-named keys, as header, JSON/Python key, query parameter, `key=value` or XML
  element: API keys, `Authorization` (after its scheme: `Basic …`), AWS secret keys, session
  and security tokens, signatures, passwords, client secrets, the JWT verification key, and BGP
  auth keys (`authKey`, `auth_key`, `bgp_auth_key`, `authentication-key`);
* router configuration lines (`authentication-key <key>`, as in `customerRouterConfig`);
* `Bearer <token>` (16+ characters, so that prose such as "the bearer token" stays readable);
* JWTs (`eyJ….….…`) and Amazon-generated BGP keys (`0x` and 20+ letters or digits);
* URL passwords (`scheme://user:<password>@host`).

It lives here, beneath the engine and the HTTP layer, because the secrets are Direct Connect's
(BGP keys) and AWS's (credentials), and both of those layers must mask the same ones.
"""

from __future__ import annotations

import re

__all__ = ["MASK", "redact"]

MASK = "********"
"""What a secret is replaced with (also what the schema shows for a BGP key it withholds)."""

_SECRET_NAMES = (
    r"x-api-key|api[-_]?key|"
    r"(?:bgp[-_]?)?auth[-_]?key|authentication[-_]key|"
    r"(?:aws[-_]?)?secret[-_]?access[-_]?key|(?:aws[-_]?)?session[-_]?token|"
    r"(?:x-amz-)?security[-_]?token|x-amz-signature|signature|"
    r"authorization|password|passwd|client[-_]?secret|jwt[-_]?public[-_]?key"
)
# Quotes as written, escaped once to three times (JSON inside a repr inside a log line), or
# URL-encoded.
_QUOTE = r"(?:\\{0,3}[\"']|%22|%27)"
_KEYED = re.compile(
    rf"(?P<key>(?<![\w-])[\w-]*?(?:{_SECRET_NAMES}))"
    rf"(?P<sep>{_QUOTE}?\s*(?:=>|[:=]|%3A|%3D)\s*)"
    rf"(?:b?(?P<q>{_QUOTE})(?:\\.|[^\\])*?(?P=q)"
    rf"|(?P<scheme>(?:basic|bearer|digest|negotiate)\s+)?[^\s\"',;&}}<>\])]+)",
    re.IGNORECASE,
)
# BGP auth keys once more, as the GraphQL error path has always masked them: a BGP key may hold
# `; & ) ] >`, so an unquoted one runs to a space, quote, comma, brace or `<`, and `authKey>`
# counts as a separator (but not in a closing tag, `</authKey>`).
_AUTH_KEY = re.compile(
    r"""(?P<key>(?<![\w-])(?<!</)[\w-]*?(?:bgp[-_]?)?auth[-_]?key)"""
    r"""(?P<sep>['"]?\s*(?:=>|[:=>])\s*)(?P<q>['"]?)[^'",}\s<]+""",
    re.IGNORECASE,
)
_XML = re.compile(
    rf"(?P<open><(?P<tag>[\w:.-]*?(?:{_SECRET_NAMES}))>)[^<]*(?P<close></)", re.IGNORECASE
)
_SCHEME_TOKEN = re.compile(r"\b(?P<scheme>bearer)\s+[A-Za-z0-9\-._~+/]{16,}=*", re.IGNORECASE)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_BGP_KEY = re.compile(r"\b0x[A-Za-z0-9]{20,}\b")
_CONFIG_KEY = re.compile(
    r'(?P<key>authentication-key\s+)(?:(?P<q>")[^"\n]*"|[^"\s;]+)', re.IGNORECASE
)
_URL_PASSWORD = re.compile(r"(?P<head>://[^/@\s:]*:)[^/@\s]+(?P<at>@)")
# Text without any of these cannot match a pattern above: most log lines skip the rest.
_MAYBE_SECRET = re.compile(
    r"key|bearer|basic|secret|token|authori|signature|passw|eyJ|0x|://", re.IGNORECASE
)


def _keyed(match: re.Match[str]) -> str:
    quote, scheme = match.group("q") or "", match.group("scheme") or ""
    return f"{match.group('key')}{match.group('sep')}{quote}{scheme}{MASK}{quote}"


def _config_key(match: re.Match[str]) -> str:
    quote = match.group("q") or ""
    return f"{match.group('key')}{quote}{MASK}{quote}"


def redact(text: str) -> str:
    """`text` with every secret it carries replaced by `MASK` (see the module doc for what
    counts); the rest of the text, quotes and separators included, is left as it was."""
    if not _MAYBE_SECRET.search(text):
        return text
    text = _SCHEME_TOKEN.sub(lambda m: f"{m.group('scheme')} {MASK}", text)
    text = _JWT.sub(MASK, text)
    text = _XML.sub(lambda m: f"{m.group('open')}{MASK}{m.group('close')}", text)
    text = _KEYED.sub(_keyed, text)
    text = _AUTH_KEY.sub(lambda m: f"{m.group('key')}{m.group('sep')}{m.group('q')}{MASK}", text)
    text = _CONFIG_KEY.sub(_config_key, text)
    text = _URL_PASSWORD.sub(lambda m: f"{m.group('head')}{MASK}{m.group('at')}", text)
    return _BGP_KEY.sub(MASK, text)
