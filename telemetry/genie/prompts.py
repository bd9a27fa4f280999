"""Prompts and SQL: the list's own filters turned into query parameters, its page window and rows.

Every prompt is a row: what the user asked, Genie's description and SQL, and the outcome (Genie's
status, the statement's status, duration and rows from the query history). The list is paged in
SQL (a stable order: newest first, then message id), and every page says which rows of how many
it shows, so nothing is cut silently. Text is restricted by `telemetry.genie.privacy` in the SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

import pandas as pd

from telemetry import queries
from telemetry.config import Settings
from telemetry.genie import filters as genie_filters
from telemetry.genie.filters import GenieFilters
from telemetry.genie.privacy import ContentScope
from telemetry.metrics.kpi import Kpi

VIEWS = ("All prompts", "Problem prompts")
PAGE_SIZE = 50
MAX_PAGE = 1_000_000  # a page number beyond this is nonsense; the SQL clamps to the last page anyway
REPHRASE_MINUTES = 5
MAX_SEARCH_CHARS = 16_384  # a 10 kB paste is searched for literally; more is refused with a message
MAX_EMAIL_CHARS = 320  # the longest e-mail address there is
PROBLEM_RULE = (f"A problem prompt failed (Genie's status FAILED), got a thumbs down, or is a rephrasing: "
                f"the next message of the same user in the same space within {REPHRASE_MINUTES} minutes "
                "after a failed or thumbs-down one.")
FEEDBACK = {"": "Any feedback", "POSITIVE": "Thumbs up", "NEGATIVE": "Thumbs down", "NONE": "No feedback"}
FILTER_QUERIES = {"workspaces_list": "app_usage/workspaces_list", "prompts_options": "genie/prompts_options"}
PAGE_QUERIES = ("prompts_page", "prompts_summary")
MESSAGE_PAGE = "genie-message"


@dataclass(frozen=True)
class PromptFilters:
    """The list's own filters (the section's period and workspace come from GenieFilters)."""

    search: str = ""
    status: str = ""
    space_id: str = ""
    user_email: str = ""
    feedback: str = ""
    problems_only: bool = False
    page: int = 1
    page_size: int = PAGE_SIZE

    def params(self) -> dict[str, Any]:
        return {"search": self.search, "status": self.status, "user_email": self.user_email,
                "feedback": self.feedback, "problems_only": self.problems_only, "page": self.page,
                "page_size": self.page_size, "rephrase_minutes": REPHRASE_MINUTES}

    def at_page(self, page: int) -> PromptFilters:
        return replace(self, page=page)

    @property
    def signature(self) -> tuple:
        """Everything but the page: when it changes, the list starts again at page 1."""
        return (self.search, self.status, self.space_id, self.user_email, self.feedback, self.problems_only)


def search_text(raw: str | None) -> tuple[str, str]:
    """The search text to bind (trimmed), and why it was refused ('' when it is used as typed)."""
    text = (raw or "").strip()
    if len(text) > MAX_SEARCH_CHARS:
        return "", (f"The search text has {len(text):,} characters; at most {MAX_SEARCH_CHARS:,} are searched. "
                    "Shorten it to search.")
    return text, ""


def user_text(raw: str | None) -> tuple[str, str]:
    """The user filter to bind (an e-mail or service principal id, matched in any case), and why
    `raw` was refused ('' when used)."""
    text = (raw or "").strip()
    if len(text) > MAX_EMAIL_CHARS:
        return "", f"The user filter has {len(text):,} characters; an e-mail address has at most {MAX_EMAIL_CHARS}."
    return text, ""


def page_number(raw: Any) -> int:
    """A requested page from the URL or a widget: a whole number from 1 to MAX_PAGE, anything else 1."""
    try:
        page = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(page, 1), MAX_PAGE)


def filter_requests() -> dict[str, queries.Request]:
    """The filter options (workspaces; spaces and statuses): no parameters, the filters wait."""
    return {name: queries.request(full, {}) for name, full in FILTER_QUERIES.items()}


def requests(f: GenieFilters, pf: PromptFilters, scope: ContentScope, settings: Settings
             ) -> dict[str, queries.Request]:
    """The page's queries (one page of rows and the counts); they start together."""
    scoped = f.for_space(pf.space_id) if pf.space_id else f
    return genie_filters.requests(PAGE_QUERIES, scoped, settings, **pf.params(), **scope.params())


@dataclass(frozen=True)
class Options:
    spaces: dict[str, str]  # space_id → label (titles repeated across spaces get the id's start)
    statuses: list[str]


def options(frame: pd.DataFrame) -> Options:
    """The choices of the space and status filters from genie/prompts_options."""
    by_kind = {kind: rows for kind, rows in frame.groupby("kind", sort=False)} if not frame.empty else {}
    empty = pd.DataFrame(columns=["value", "label"])
    spaces = by_kind.get("space", empty)
    repeated = set(spaces["label"][spaces["label"].duplicated(keep=False)])
    labels = {v: (f"{label} ({v[:6]})" if label in repeated else label)
              for v, label in zip(spaces["value"], spaces["label"], strict=True)}
    return Options(labels, list(by_kind.get("status", empty)["value"]))


@dataclass(frozen=True)
class Window:
    """Which rows of how many one page shows (the page the SQL returned, after clamping)."""

    page: int
    pages: int
    total: int
    first: int
    last: int

    @property
    def text(self) -> str:
        if not self.total:
            return "No prompts match."
        return f"Showing {self.first:,}–{self.last:,} of {self.total:,} · page {self.page:,} of {self.pages:,}"


def window(frame: pd.DataFrame, page_size: int = PAGE_SIZE) -> Window:
    """The page window of a genie/prompts_page result (empty: no rows match)."""
    if frame.empty:
        return Window(1, 1, 0, 0, 0)
    total, page = int(frame["total_rows"].iloc[0]), int(frame["page"].iloc[0])
    pages = max(1, -(-total // page_size))
    return Window(page, pages, total, int(frame["row_position"].iloc[0]), int(frame["row_position"].iloc[-1]))


def message_link(message_id: Any) -> str:
    """The message page's URL for one message (URL-encoded)."""
    return f"{MESSAGE_PAGE}?message={quote(str(message_id), safe='')}"


def rows(frame: pd.DataFrame, scope: ContentScope) -> pd.DataFrame:
    """The page's rows as shown: a link per message, the hidden note where the viewer may not read
    the text, and the statement's duration in seconds."""
    if frame.empty:
        return frame
    hidden = ~frame["readable"].astype(bool)
    return frame.assign(
        open=frame["message_id"].map(message_link),
        content=frame["content"].where(~hidden, scope.hidden_note),
        query_description=frame["query_description"].where(~hidden, "hidden"),
        generated_sql=frame["generated_sql"].where(~hidden, "hidden"),
        feedback_rating=frame["feedback_rating"].map(lambda r: FEEDBACK.get(r, r) if isinstance(r, str) else ""),
        duration_s=pd.to_numeric(frame["total_duration_ms"], errors="coerce") / 1000.0,
    )


def kpis(summary: pd.DataFrame) -> list[Kpi]:
    """Counts over every matching prompt (visible to every viewer)."""
    row = summary.iloc[0].to_dict() if not summary.empty else {}
    return [
        Kpi("Prompts", row.get("prompts"), help="Messages that match the filters, in the period"),
        Kpi("Failed", row.get("failed"), help="Genie's status FAILED"),
        Kpi("Thumbs down", row.get("thumbs_down"), help="Feedback NEGATIVE"),
        Kpi("Rephrased", row.get("rephrased"), help=PROBLEM_RULE),
    ]


def hidden_count(summary: pd.DataFrame) -> int:
    """How many matching prompts the viewer may not read (their text is NULL in every result)."""
    if summary.empty:
        return 0
    return int(summary["prompts"].iloc[0]) - int(summary["readable"].iloc[0])
