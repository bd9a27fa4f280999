"""Table presets of the Tracked events and Tracked user pages: labels and formats per column."""

from telemetry.columns import Col, count, link, number, pct, text, when
from telemetry.tracker.analytics.assistant import RATES

LIVE_APPS = {"app_name": text("App"), "users": count("Users"), "events": count("Events"),
             "latest_event": when("Latest event (UTC)")}
POPULAR_ACTIONS = {"action": text("Action"), "events": count("Events"), "users": count("Users"),
                   "user_share": pct("Share of users", "Users who did it ÷ active users (everyone with an event in the "
                                                       "period)"),
                   "apps": count("Apps"), "last_seen": when("Last seen (UTC)")}
TOP_USERS = {"user": text("User"), "events": count("Events"), "active_days": count("Active days"),
             "apps": count("Apps"), "actions": count("Distinct actions"), "errors": count("Errors"),
             "first_seen": when("First seen (UTC)"), "last_seen": when("Last seen (UTC)"),
             "details": link("Timeline", "Open")}
ERRORS_BY_KIND_APP = {"app_name": text("App"), "kind": text("Kind"), "errors": count("Errors"),
                      "users": count("Users affected"), "last_seen": when("Last seen (UTC)")}
ERROR_USERS = {"user": text("User"), "errors": count("Errors"), "events": count("All events"),
               "error_share": number("Errors (% of their events)", "%.1f%%"), "kinds": count("Kinds"),
               "apps": count("Apps with errors"), "last_error": when("Last error (UTC)"),
               "details": link("Timeline", "Open")}
ASSISTANT_BY_APP = {"app_name": text("App"), "users": count("Users"), "questions": count("Questions"),
                    **{r.key: number(r.short, "%.1f%%", f"{r.label}: {r.definition}") for r in RATES},
                    # the counts behind the rates: in the weekly chart's tooltips, not in the table (it would scroll)
                    **{c: Col(c, "int", hidden=True) for c in ("generated", "executed", "edited", "downloaded",
                                                                "suggested", "charts", "summaries", "sql_errors")}}
USER_TIMELINE = {"timestamp": Col("When (UTC)", "datetime", "YYYY-MM-DD HH:mm:ss"), "app_name": text("App"),
                 "action": text("Action")}
USER_APPS = {"app_name": text("App"), "events": count("Events"), "last_seen": when("Last seen (UTC)"),
             "details": link("App detail", "Open"), "actions": Col("Distinct actions", hidden=True)}
USER_ACTIONS = {"action": text("Action"), "events": count("Events"), "apps": count("Apps"),
                "last_seen": when("Last seen (UTC)")}
