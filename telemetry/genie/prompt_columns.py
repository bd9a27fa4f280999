"""Table presets of the Prompts and SQL, Genie message and Genie pipeline pages."""

from telemetry.columns import Col, count, link, number, text, when

# The outcome columns come right after the prompt, so a 1440 px screen shows what was asked and how it
# went without scrolling sideways; Genie's description and SQL (long text) follow.
PROMPTS = {
    "open": link("Message", "Open"), "created_timestamp": when("Asked (UTC)"), "content": text("Prompt"),
    "status": text("Status", "Genie's message status"),
    "problem": text("Problem", "failed, thumbs down, or rephrased within minutes of one"),
    "feedback_rating": text("Feedback"),
    "duration_s": number("Duration (s)", "%.1f", "total_duration_ms of the statement in the query history"),
    "read_rows": count("Rows read"), "produced_rows": count("Rows produced"), "space_title": text("Space"),
    "user_email": text("User"), "execution_status": text("Statement", "Status in the query history"),
    "error_type": text("Error type"), "query_description": text("Genie's description"),
    "generated_sql": text("SQL"),
}
# Fetched for links and paging, not shown.
for _name in ("message_id", "space_id", "readable", "total_duration_ms", "row_position", "total_rows", "page"):
    PROMPTS[_name] = Col(_name, hidden=True)

MESSAGE_EVENTS = {"event_time": when("When (UTC)"), "action_name": text("Action"), "user_email": text("By"),
                  "status_code": count("Status"), "feedback_rating": text("Rating")}

JOB_RUNS = {"job_name": text("Job"), "state": text("State"), "started": when("Started (UTC)"),
            "duration_seconds": number("Duration (s)", "%.0f"), "termination_code": text("Termination"),
            "trigger_type": text("Trigger"), "run_id": text("Run id"), "ended": Col("Ended", hidden=True)}
JOB_SUMMARY = {"job_name": text("Job"), "last_state": text("Last run"), "last_started": when("Last start (UTC)"),
               "last_duration_seconds": number("Last duration (s)", "%.0f"), "runs": count("Runs in period"),
               "failed": count("Not succeeded"), "median_duration_seconds": number("Median duration (s)", "%.0f")}
FETCH_ERRORS = {"error_code": text("Error"), "http_status": count("HTTP status"), "attempts": count("Attempts"),
                "messages": count("Messages"), "unresolved": count("Still not fetched"),
                "last_seen": when("Last seen (UTC)")}
STUCK = {"event_time": when("Asked (UTC)"), "space_title": text("Space"), "user_email": text("User"),
         "state": text("State"), "attempts": count("Attempts"), "last_attempt_at": when("Last attempt (UTC)"),
         "http_status": count("HTTP status"), "error_code": text("Error"), "error_message": text("Last error"),
         "open": link("Message", "Open")}
for _name in ("message_id", "space_id", "status", "gave_up"):
    STUCK[_name] = Col(_name, hidden=True)
