"""The configuration reference: every environment variable the settings read, as README's table.

One declarative list (variable, what it does, group, and where its default comes from). A default is
read from the settings object itself (`load_settings({})`, the attribute named by `setting`) unless
the entry says it in words (a default that depends on the machine or on another variable). The
source tables, the persona mapping and the deployed job ids are generated from TABLE_SPECS,
PERSONA_KEYS and the job catalog, so a new table, persona or job appears without editing this file.

    python -m telemetry.config_reference --write   # rewrite README's section between the markers
    python -m telemetry.config_reference --check   # exit 1 if README is out of date (tests do this)
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from telemetry import config

README = config.PROJECT_ROOT / "README.md"
START, END = "<!-- config-reference:start -->", "<!-- config-reference:end -->"


@dataclass(frozen=True)
class Var:
    """One environment variable: its default comes from `setting` (a dotted Settings path) or `default`."""

    name: str
    meaning: str
    group: str
    setting: str | None = None
    default: str | None = None


def _v(group: str, *rows: tuple[str, ...]) -> tuple[Var, ...]:
    """(name, meaning, setting[, default text]) rows of one group."""
    return tuple(Var(name, meaning, group, setting or None, *rest) for name, meaning, setting, *rest in rows)


ENGINE, ACCESS, LIMITS, APPS, GENIE, TRACES, TRACKING = (
    "Engine and connection", "Access, identity and personas", "Caching and limits", "App usage (audit names)",
    "Genie", "Traces", "Self-tracking and admin audit")
PERSONAS, JOBS, TABLES, PLATFORM = ("Personas", "Deployed jobs", "Source tables", "Set by Databricks Apps")

FIXED: tuple[Var, ...] = (
    *_v(ENGINE,
        ("TELEMETRY_ENGINE", "which engine answers queries: `embedded` (DuckDB demo) or `warehouse`", "",
         "embedded, or warehouse when a warehouse is set"),
        ("DATABRICKS_WAREHOUSE_ID", "the SQL warehouse (app.yaml binds it with `valueFrom: sql-warehouse`)",
         "warehouse_id"),
        ("DATABRICKS_HTTP_PATH", "the warehouse as an HTTP path (`/sql/1.0/warehouses/<id>`), instead of the id",
         "http_path"),
        ("TELEMETRY_SCHEMA", "catalog.schema of the console's own tables (keep equal to the bundle's `schema`)",
         "own_schema"),
        ("TELEMETRY_EMBEDDED_PATH", "the embedded database file (a file that is not a demo is never rebuilt)", "",
         "data/demo.duckdb"),
        ("TELEMETRY_EMBEDDED_OWNER", "the served console holds the embedded file read-write and applies what "
         "`traces load`/`receive` hand over; off lets several consoles read one file", "", "off (on under `serve`)"),
        ("TELEMETRY_USE_USER_TOKEN", "run queries as the signed-in user (forwarded token, `sql` scope; results "
         "cached per user)", "use_user_token")),
    *_v(ACCESS,
        ("TELEMETRY_ADMINS", "comma-separated admin e-mails; empty on a deployed app means no admins (fail closed)",
         "admins"),
        ("TELEMETRY_ADMIN_GROUPS", "workspace groups whose members are admins (read with the user's token: "
         "`iam.current-user:read`)", "admin_groups"),
        ("TELEMETRY_GROUPS_TTL_SECONDS", "how long a user's group membership is cached", "groups_ttl_seconds"),
        ("TELEMETRY_TRUST_PROXY_HEADERS", "believe `X-Forwarded-Email`/`-Access-Token`: `auto` = only inside "
         "Databricks Apps; `true` = a proxy of yours sets them; `false` = never", "", "auto"),
        ("TELEMETRY_AUTH_FILE", "self-hosted only: streamlit-authenticator credentials YAML (mode 600) to require "
         "a login; needs `cookie: key:` (32+ random characters)", "auth_file"),
        ("TELEMETRY_LOCAL_USER", "who the local embedded developer is (a labelled local admin, no login)",
         "local_user"),
        ("TELEMETRY_INTERNAL_ACCOUNTS_REGEX", "accounts the \"exclude internal/test accounts\" filter removes "
         "(RE2 and Java regex)", "internal_accounts_regex")),
    *_v(LIMITS,
        ("TELEMETRY_CACHE_TTL_SECONDS", "how long a query's result is cached", "cache_ttl_seconds"),
        ("TELEMETRY_HEALTH_TTL_SECONDS", "how long the health tiles are cached", "health_ttl_seconds"),
        ("TELEMETRY_ROW_CAP", "most rows a query returns (`truncated` beyond)", "row_cap"),
        ("TELEMETRY_QUERY_TIMEOUT_SECONDS", "per-query time limit (warehouse `STATEMENT_TIMEOUT`; DuckDB "
         "interrupt)", "query_timeout_seconds"),
        ("TELEMETRY_MAX_CONCURRENT_QUERIES", "queries (and warehouse connections) a console process runs at once",
         "max_concurrent_queries"),
        ("TELEMETRY_SESSION_GAP_MINUTES", "default inactivity gap that ends a session (changeable on the page)",
         "session_gap_minutes")),
    *_v(APPS,
        ("TELEMETRY_APP_LOGIN_ACTIONS", "audit actions that count as an app sign-in", "apps.login_actions"),
        ("TELEMETRY_APP_EXCLUDED_CLIENT_IDS", "OAuth clients that are not apps", "apps.excluded_client_ids"),
        ("TELEMETRY_APPS_SERVICE_NAME", "the Apps audit service (partly unverified upstream; `doctor` lists what "
         "your audit log has)", "apps.service_name"),
        ("TELEMETRY_APPS_ACL_ACTION", "the audit action of an app permission change", "apps.acl_action"),
        ("TELEMETRY_APP_LIFECYCLE_ACTIONS", "audit actions of an app's life cycle", "apps.lifecycle_actions")),
    *_v(GENIE,
        ("TELEMETRY_GENIE_SERVICE_NAME", "the audit service of Genie spaces (not `genie`, which is support "
         "access)", "genie.service_name"),
        ("TELEMETRY_GENIE_MESSAGE_ACTIONS", "audit actions that create a Genie message (queued for the API fetch)",
         "genie.message_actions"),
        ("TELEMETRY_GENIE_FEEDBACK_ACTION", "the feedback audit action", "genie.feedback_action"),
        ("TELEMETRY_GENIE_COMMENT_ACTION", "the review-request audit action", "genie.comment_action"),
        ("TELEMETRY_GENIE_CONTENT_ROLES", "who may read prompts and SQL: `admin`, `space_owner` (the space's "
         "creator), `viewer` (everyone)", "genie.content_roles"),
        ("TELEMETRY_GENIE_FAILURE_THRESHOLD", "failure rate above which (and ≥ 1.5× its baseline) a space's day is "
         "a spike", "genie.failure_rate_threshold"),
        ("TELEMETRY_GENIE_MAX_FETCH_ATTEMPTS", "failed Genie API fetches after which a message is given up",
         "genie.max_fetch_attempts")),
    *_v(TRACES,
        ("TELEMETRY_SPANS_LAYOUT", "the span table's layout: `map` (MLflow's `…_otel_spans`), `variant` "
         "(`<prefix>_otel_spans`, VARIANT attributes), `collector` (`<prefix>_spans`); `doctor` tells which",
         "traces.layout"),
        ("TELEMETRY_TRACE_PAGE_SIZE", "traces per search page (50–100)", "traces.page_size"),
        ("TELEMETRY_TRACE_SEARCH_LIMIT", "most traces a search counts and pages through (a notice says when it "
         "stops)", "traces.search_limit"),
        ("TELEMETRY_TRACE_SPAN_LIMIT", "spans the waterfall draws at once (the rest on demand)",
         "traces.span_render_limit"),
        ("TELEMETRY_TRACE_MAX_SPANS", "most spans of one trace the page loads (a notice says when more exist)",
         "traces.max_trace_spans"),
        ("TELEMETRY_LLM_PRICES", "`model=input/output,…` in USD per million tokens for LLM cost (example prices "
         "by default; a model without a price shows no cost)", "traces.llm_prices"),
        ("TELEMETRY_OTLP_MAX_BODY_BYTES", "`traces receive` answers 413 above this", "traces.receiver_max_body_bytes")),
    *_v(TRACKING,
        ("TELEMETRY_SELF_TRACKING", "the console records its own page views, filter changes and CSV downloads "
         "into the tracker table", "tracker.self_tracking"),
        ("TELEMETRY_SELF_TRACKING_APP", "the app name the console's own events carry", "",
         "DATABRICKS_APP_NAME, else ops-console"),
        ("TELEMETRY_TRACKER_SPOOL", "where the tracker library keeps batches its sink could not take yet", "",
         "a folder in the temporary directory"),
        ("TELEMETRY_ADMIN_AUDIT", "admin actions (job runs, cancels, repairs, cache clears) recorded into the "
         "tracker table, even with self-tracking off", "tracker.admin_audit")),
    *_v(PLATFORM,
        ("DATABRICKS_APP_NAME", "the app's name; with `DATABRICKS_APP_PORT` it tells the console it runs inside "
         "Databricks Apps (identity headers trusted under `auto`)", "", "set by the platform"),
        ("DATABRICKS_APP_PORT", "the port the app listens on", "", "set by the platform")),
)

_PERSONA_WORDS = {"executive": "executives", "app_owner": "app owners", "genie_owner": "Genie space owners",
                  "platform_admin": "platform admins"}


def generated() -> tuple[Var, ...]:
    """The entries that come from the registries: personas, deployed job ids, source tables."""
    from telemetry.jobs import deployed

    personas = tuple(Var(config.PERSONA_PREFIX + key.upper(), f"groups or e-mails (an entry with `@`) of "
                         f"{_PERSONA_WORDS.get(key, key)}: their landing page and menu sections", PERSONAS,
                         f"personas.{key}") for key in config.PERSONA_KEYS)
    jobs = tuple(Var(deployed.env_name(name), f"deployed job id that runs `jobs run {name}` (bundle task "
                     f"`{deployed.task_key(name)}`); app.yaml binds it with `valueFrom`; unset: the admin page "
                     "says how to deploy", JOBS, default="") for name in deployed.deployable())
    tables = tuple(Var(spec.env, f"{spec.label}: {spec.purpose}", TABLES,
                       default=spec.default.format(schema="<TELEMETRY_SCHEMA>")) for spec in config.TABLE_SPECS)
    return personas + jobs + tables


def variables() -> tuple[Var, ...]:
    return FIXED + generated()


def default_text(var: Var, settings: config.Settings) -> str:
    """The default as the table shows it: from the settings object, or the entry's words."""
    if var.default is not None:
        return var.default
    value: object = settings
    for part in (var.setting or "").split("."):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return config._text(value)


def _cell(text: str, code: bool = False) -> str:
    if not text:
        return "–"
    text = text.replace("|", "\\|")
    return f"`{text}`" if code else text


def markdown() -> str:
    """The README section between the markers (without them)."""
    settings = config.load_settings({})
    out: list[str] = []
    by_group: dict[str, list[Var]] = {}
    for var in variables():
        by_group.setdefault(var.group, []).append(var)
    for group, rows in by_group.items():
        out += [f"**{group}**", "", "| Variable | Default | What it does |", "|---|---|---|"]
        for var in rows:
            default = default_text(var, settings)
            literal = var.default is None or var.group == TABLES
            out.append(f"| `{var.name}` | {_cell(default, code=literal)} | {var.meaning} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def readme_section(text: str) -> str:
    """What README holds between the markers (ValueError if they are missing)."""
    if START not in text or END not in text:
        raise ValueError(f"README.md needs the markers {START} and {END} around the configuration reference.")
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def rewrite(text: str) -> str:
    head, rest = text.split(START, 1)
    return f"{head}{START}\n{markdown()}{END}{rest.split(END, 1)[1]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m telemetry.config_reference", description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite README.md's configuration reference")
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md is out of date")
    args = parser.parse_args(argv)
    if not (args.write or args.check):
        print(markdown(), end="")
        return 0
    text = README.read_text()
    try:
        current = readme_section(text) == markdown()
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.write:
        if not current:
            README.write_text(rewrite(text))
        print("README.md configuration reference " + ("already up to date" if current else "rewritten"))
        return 0
    print("up to date" if current else "README.md is out of date: run python -m telemetry.config_reference --write")
    return 0 if current else 1

if __name__ == "__main__":
    sys.exit(main())
