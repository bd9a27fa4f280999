"""Table presets of the User journeys page: what each column is called and how it is formatted."""

from telemetry.columns import Col, count, link, number, pct, text, when

FUNNEL = {"app_name": text("App"), "label": text("Step"), "users": count("Users", "Journeys that reached the step"),
          "from_previous": pct("From previous step"), "from_first": pct("From first step"),
          "dropped": count("Dropped", "Journeys that reached the previous step but not this one"),
          "drop_off": pct("Drop-off"), "median_time": text("Median time from previous"),
          "median_total_time": text("Median time from first"),
          "step": Col("Step number", hidden=True), "action": Col("Action", hidden=True),
          "median_seconds": Col("", hidden=True), "median_total_seconds": Col("", hidden=True),
          "entered": Col("", hidden=True)}
FUNNEL_ALL = {**FUNNEL, "app_name": Col("App", hidden=True)}  # one funnel: no app column
FUNNEL_APPS = {"app_name": text("App"), "entered": count("Started"), "completed": count("Completed"),
               "conversion": pct("Conversion"), "median_total_time": text("Median time to complete")}
PATHS_AFTER = {"level": count("Level", "1 = right after the action, 2 = the step after that"),
               "from_action": text("From"), "to_action": text("To"), "transitions": count("Times"),
               "share": pct("Share of From"), "users": count("Users"), "direction": Col("", hidden=True)}
PATHS_BEFORE = {"from_action": text("Just before"), "transitions": count("Times"), "share": pct("Share"),
                "users": count("Users"), "direction": Col("", hidden=True), "level": Col("", hidden=True),
                "to_action": Col("", hidden=True)}
SESSION_APPS = {"app_name": text("App"), "sessions": count("Sessions"), "users": count("Users"),
                "sessions_per_user": number("Sessions per user"), "median_minutes": number("Median minutes"),
                "p90_minutes": number("p90 minutes"), "median_actions": number("Median actions")}
STICKINESS_APPS = {"app_name": text("App"), "users": count("MAU", "Users active in the 30 days to the period's end"),
                   "wau": count("WAU", "Users active in the last 7 days"), "avg_dau": number("Average DAU"),
                   "dau_mau": pct("DAU / MAU", "Average DAU ÷ MAU: how often a month's users come on a given day"),
                   "days_per_week": number("Days a week", help="A user's average active days per week in the app")}
ADOPTION = {"action": text("Feature (action)"), "users": count("Users"), "share": pct("Of active users"),
            "events": count("Events"), "events_per_user": number("Events per user"), "apps": count("Apps"),
            "active_users": Col("", hidden=True)}
CHURN = {"user": text("User"), "details": link("Timeline", "Open"), "main_app": text("Main app"),
         "baseline_per_week": number("Weekly baseline", help="Events per week over the baseline weeks"),
         "recent_events": count("Recent", "Events in the last 7 days"),
         "change": pct("Change", "Recent vs the weekly baseline"), "last_seen": when("Last seen (UTC)"),
         "baseline_days": count("Baseline days", "Active days in the baseline weeks"),
         "recent_days_active": count("Recent days", "Active days in the last 7 days"),
         "apps": Col("Apps", "int", hidden=True)}  # not shown: the table fits 1440 px
