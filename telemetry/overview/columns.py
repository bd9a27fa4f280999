"""Table presets of the Executive summary: the top-5 tables, each row linking to its detail page."""

from telemetry.columns import count, link, pct, text, usd

TOP_APPS = {"app_name": text("App"), "users": count("Users"), "logins": count("Sign-ins"),
            "cost_usd": usd("Cost (USD)"), "details": link("Details", "Open")}
TOP_SPACES = {"title": text("Space"), "users": count("Users"), "messages": count("Messages"),
              "success_rate": pct("Success", help="Answered ÷ finished, of the fetched messages"),
              "details": link("Details", "Open")}
