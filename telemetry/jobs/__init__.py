"""Ingestion jobs: one registry (`registry`), the registered jobs (`catalog`), one way to run them (`runner`).

`python -m telemetry jobs list/run`, the bundle's serverless tasks (telemetry/jobs_entry.py) and the
admin page all go through `runner.run`, so a job behaves the same whoever starts it.
"""


def error_line(err: BaseException) -> str:
    """An error as one line a person can act on: the first line of its message, without the
    configuration dump ("Config: host=…, auth_type=…") the Databricks SDK appends to some of them."""
    text = str(err).split(" Config: ")[0].strip()
    return text.splitlines()[0].rstrip(".") if text else type(err).__name__
