"""Table presets of the app-usage pages: what each column is called and how it is formatted."""

from telemetry.columns import Col, count, link, text, usd, when

TOP_APPS = {"app_name": text("App"), "workspace": text("Workspace"), "users": count("Users"),
            "logins": count("Logins"), "active_days": count("Active days"), "cost_usd": usd("Cost (USD)"),
            "last_login": when("Last login (UTC)"), "details": link("Details", "Open")}
ERROR_MESSAGES = {"last_seen": when("Last seen (UTC)"), "app_name": text("App"), "kind": text("Kind"),
                  "action_name": text("Action"), "status_code": count("Status"), "message": text("Message"),
                  "occurrences": count("Occurrences")}
PERMISSION_CHANGES = {"event_time": when("When (UTC)"), "app_name": text("App"), "changed_by": text("Changed by"),
                      "principal": text("Granted to"), "principal_type": text("Type"),
                      "permission_level": text("Permission")}
TOP_USERS = {"user_email": text("User"), "logins": count("Logins"), "active_days": count("Active days"),
             "first_login": when("First login (UTC)"), "last_login": when("Last login (UTC)")}
LIFECYCLE = {"event_time": when("When (UTC)"), "action": text("Action"), "user_email": text("By"),
             "status_code": count("Status"), "error_message": text("Error")}
OWNED_APPS = {"app_name": text("App"), "workspace": text("Workspace"), "app_state": text("State"),
              "creator": text("Creator"), "owners": text("Owners"), "update_time": when("Updated (UTC)"),
              "details": link("Details", "Open"), "workspace_id": Col("Workspace id", hidden=True)}
