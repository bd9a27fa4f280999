"""Table presets of the Genie pages (Summary, Spaces, Genie space, Quality, Adoption, Configuration):
what each column is called and how it is formatted. No preset names a prompt or SQL column."""

from telemetry.columns import Col, count, link, number, pct, text, usd, when

_SPACE = {"title": text("Space")}
_OPEN = {"details": link("Details", "Open space")}
_HIDDEN_ID = {"space_id": Col("Space id", hidden=True)}

SPACES = {**_SPACE, **_OPEN, "messages": count("Messages"), "users": count("Users"),
          "conversations": count("Conversations"),
          "messages_per_conversation": number("Messages / conversation", help="1 + the follow-up rate"),
          "conversations_per_user": number("Conversations / user"),
          "success_rate": pct("Success", help="Answered ÷ finished, of the fetched messages"),
          "failed": count("Failed"), "positive": count("Thumbs up"), "negative": count("Thumbs down"),
          "review_requests": count("Review requests"), "cost_usd": usd("Cost (USD)"),
          "genie_usd": usd("Genie cost (USD)", help="Genie's own billing rows (usage_metadata.genie.agent_id)"),
          "warehouse_usd": usd("Warehouse share (USD)", help="The space's share of its warehouse's compute"),
          "active_days": count("Active days"), "last_message": when("Last message (UTC)"),
          "workspace": text("Workspace"), "workspace_id": Col("Workspace id", hidden=True),
          **_HIDDEN_ID, "warehouse_id": Col("Warehouse", hidden=True), "finished": Col("Finished", hidden=True),
          "succeeded": Col("Succeeded", hidden=True), "failure_rate": Col("Failure rate", hidden=True)}
TOP_USERS = {"user_email": text("User"), "messages": count("Messages"), "conversations": count("Conversations"),
             "spaces": count("Spaces"), "active_days": count("Active days"), "failed": count("Failed"),
             "positive": count("Thumbs up given"), "negative": count("Thumbs down given"),
             "first_message": when("First message (UTC)"), "last_message": when("Last message (UTC)")}
ERROR_TYPES = {"error_type": text("Error type"), "messages": count("Failed messages"),
               "share": pct("Share of failures"), "spaces": count("Spaces"), "last_seen": when("Last seen (UTC)")}
FAILURE_SPIKES = {"flag": text("Flag"), **_SPACE, **_OPEN, "finished": count("Finished"), "failed": count("Failed"),
                  "failure_rate": pct("Failure rate (period)"), "flagged_days": count("Flagged days"),
                  "last_flagged": text("Last flagged"),
                  "day_rate": pct("Rate that day", help="On the last flagged day (else the space's worst day)"),
                  "baseline_rate": pct("7-day baseline", help="The space's failure rate over the 7 days before"),
                  **_HIDDEN_ID, "flagged": Col("Flagged", hidden=True)}
LATENCY_BY_SPACE = {**_SPACE, **_OPEN, "statements": count("Statements"),
                    "matched": count("Matched to messages", help="Joined to a fetched message by statement_id"),
                    "failed": count("Failed"), "p50_s": number("p50 (s)"), "p95_s": number("p95 (s)"),
                    "p99_s": number("p99 (s)"), "avg_queue_s": number("Avg queue (s)"),
                    "produced_rows": count("Rows produced"), **_HIDDEN_ID,
                    **{c: Col(c, hidden=True) for c in ("p50_ms", "p95_ms", "p99_ms", "avg_queue_ms")}}
FEEDBACK_BY_SPACE = {**_SPACE, **_OPEN, "positive": count("Thumbs up"), "negative": count("Thumbs down"),
                     "positive_rate": pct("Positive"), "review_requests": count("Review requests"),
                     "commented": count("Thumbs down with a comment"), **_HIDDEN_ID}
CONFIGURATION = {**_SPACE, **_OPEN, "state": text("State"), "messages": count("Messages (period)"),
                 "update_time": when("Last update (UTC)"), "table_count": count("Tables"),
                 "instruction_count": count("Instructions"), "sample_question_count": count("Sample questions"),
                 "example_sql_count": count("Example SQL"), "benchmark_count": count("Benchmarks"),
                 "warehouse_id": text("Warehouse"), "creator": text("Creator"), "workspace": text("Workspace"),
                 "last_message": when("Last message (UTC)"), "tables": text("Table names"),
                 "workspace_id": Col("Workspace id", hidden=True), **_HIDDEN_ID,
                 "space_version": Col("Version", hidden=True),
                 "deleted_time": Col("Trashed", hidden=True), "fetched_at": Col("Fetched", hidden=True)}
SPACE_ITEMS = {"kind": text("Kind"), "text": text("Configured")}
# On one space's page: the number of spaces is always 1.
SPACE_ERROR_TYPES = {k: v for k, v in ERROR_TYPES.items() if k != "spaces"} | {"spaces": Col("Spaces", hidden=True)}
SPACE_TOP_USERS = {k: v for k, v in TOP_USERS.items() if k != "spaces"} | {"spaces": Col("Spaces", hidden=True)}
