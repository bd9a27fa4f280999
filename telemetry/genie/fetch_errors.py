"""What went wrong with one Genie API call, in the terms the fetch-errors table keeps.

The SDK raises a `DatabricksError` subclass chosen by HTTP status and `error_code` (§3.3), a
`TimeoutError` when its retries ran out (timeouts, connection errors, 429s whose `Retry-After`
waits used up `retry_timeout_seconds`; the last error is its cause), and a JSON decoding error for
a payload that is not JSON. Each becomes (HTTP status, error code, message, permanent?): a 404 or
400 is permanent (the message is gone or the ids are wrong: retrying cannot help); everything else
is retried on later runs up to the configured number of attempts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PERMANENT_STATUSES = frozenset({400, 404})
MAX_MESSAGE = 1000


@dataclass(frozen=True)
class FetchError:
    http_status: int | None
    code: str
    message: str
    permanent: bool = False


def _status_of(err: BaseException) -> int | None:
    """The HTTP status behind an SDK error class (its class, or the nearest base, in the SDK's map)."""
    from databricks.sdk.errors import platform

    by_class = {cls: status for status, cls in platform.STATUS_CODE_MAPPING.items()}
    return next((by_class[cls] for cls in type(err).__mro__ if cls in by_class), None)


def _message(err: BaseException) -> str:
    """The error's first line, without the SDK's "Config: host=…" suffix, at most MAX_MESSAGE chars."""
    text = (str(err) or type(err).__name__).split(". Config:")[0].split("\n")[0]
    return text[:MAX_MESSAGE]


def classify(err: BaseException) -> FetchError:
    """The fetch-errors view of an exception raised by a Genie API call."""
    import requests
    from databricks.sdk.errors import DatabricksError

    if isinstance(err, DatabricksError):
        status = _status_of(err)
        code = err.error_code or type(err).__name__
        return FetchError(status, code, _message(err), status in PERMANENT_STATUSES)
    if isinstance(err, TimeoutError | RuntimeError) and err.__cause__ is not None:
        cause = classify(err.__cause__)  # the SDK gave up retrying: record what it kept getting
        return FetchError(cause.http_status, cause.code, f"retries exhausted: {cause.message}"[:MAX_MESSAGE])
    if isinstance(err, requests.Timeout):
        return FetchError(None, "TIMEOUT", _message(err))
    if isinstance(err, requests.ConnectionError):
        return FetchError(None, "CONNECTION_ERROR", _message(err))
    if isinstance(err, ValueError):  # requests' JSONDecodeError: a body that is not JSON
        return FetchError(200, "MALFORMED_RESPONSE", f"the response is not JSON: {_message(err)}")
    return FetchError(None, type(err).__name__.upper(), _message(err))


def malformed(payload: Any) -> FetchError:
    """A 200 answer that is JSON but not a message object (a list, a string, an empty object)."""
    kind = type(payload).__name__ if payload != {} else "an empty object"
    return FetchError(200, "MALFORMED_RESPONSE", f"the response is not a Genie message ({kind})")
