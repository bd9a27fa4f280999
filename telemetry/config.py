"""One typed settings object, read from the environment in one place.

The same variable names are set by `app.yaml` on Databricks Apps, so local runs and deployed runs
differ only in the environment. Table names are validated here, once, because they are the only
things that ever enter SQL text: a bad one stops start-up with a message naming the variable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# A Unity Catalog identifier part: letters, digits, underscores (backticks are not accepted: a
# name that needs quoting is almost always a paste error, and refusing it keeps SQL text safe).
_PART = r"[A-Za-z_][A-Za-z0-9_]*"
_TABLE_RE = re.compile(rf"^{_PART}(\.{_PART}){{1,2}}$")
_PREFIX_RE = re.compile(rf"^{_PART}\.{_PART}\.{_PART}$")


class ConfigError(ValueError):
    """Configuration that cannot work; the message names the variable and the fix."""


@dataclass(frozen=True)
class TableSpec:
    """One source table: its config key, environment variable, default and what reads it."""

    key: str
    label: str
    env: str
    default: str
    purpose: str
    stale_after_hours: float | None = None  # None: a dimension table, its age says nothing


def _own(name: str) -> str:
    """Default location of a table our own jobs write (catalog/schema set by TELEMETRY_SCHEMA)."""
    return f"{{schema}}.{name}"


# The registry of source tables. Order is the order `doctor` and the Overview page show them in.
TABLE_SPECS: tuple[TableSpec, ...] = (
    TableSpec("audit", "Audit log", "TELEMETRY_AUDIT_TABLE", "system.access.audit",
              "App logins, app lifecycle and ACL events, Genie audit events", 6),
    TableSpec("workspaces", "Workspaces", "TELEMETRY_WORKSPACES_TABLE", "system.access.workspaces_latest",
              "Workspace names"),
    TableSpec("billing_usage", "Billing usage", "TELEMETRY_BILLING_USAGE_TABLE", "system.billing.usage",
              "DBUs per app and per Genie space", 36),
    TableSpec("list_prices", "List prices", "TELEMETRY_LIST_PRICES_TABLE", "system.billing.list_prices",
              "List prices to turn DBUs into cost"),
    TableSpec("query_history", "Query history", "TELEMETRY_QUERY_HISTORY_TABLE", "system.query.history",
              "Genie-generated SQL statements", 6),
    TableSpec("job_run_timeline", "Job runs", "TELEMETRY_JOB_RUN_TIMELINE_TABLE",
              "system.lakeflow.job_run_timeline", "Ingestion job runs", 24),
    TableSpec("jobs", "Jobs", "TELEMETRY_JOBS_TABLE", "system.lakeflow.jobs", "Ingestion job names"),
    TableSpec("apps_inventory", "Apps inventory", "TELEMETRY_APPS_INVENTORY_TABLE", _own("apps_inventory"),
              "Apps with owners and OAuth client ids (filled from the Apps API)", 48),
    TableSpec("genie_messages_to_fetch", "Genie fetch queue", "TELEMETRY_GENIE_MESSAGES_TO_FETCH_TABLE",
              _own("genie_messages_to_fetch"), "Genie messages seen in audit, queued for the API", 36),
    TableSpec("genie_message_details", "Genie messages", "TELEMETRY_GENIE_MESSAGE_DETAILS_TABLE",
              _own("genie_message_details"), "Genie prompts, SQL, status (from the Genie API)", 36),
    TableSpec("genie_space_details", "Genie spaces", "TELEMETRY_GENIE_SPACE_DETAILS_TABLE",
              _own("genie_space_details"), "Genie space titles and settings (from the Genie API)"),
    TableSpec("genie_fetch_errors", "Genie fetch errors", "TELEMETRY_GENIE_FETCH_ERRORS_TABLE",
              _own("genie_fetch_errors"), "Genie API fetches that failed"),
    TableSpec("tracker", "Tracker events", "TELEMETRY_TRACKER_TABLE", _own("app_events"),
              "In-app events: timestamp, app_name, user, action", 6),
    TableSpec("app_logins_rollup", "App sign-ins rollup", "TELEMETRY_APP_LOGINS_ROLLUP_TABLE",
              _own("app_logins_hourly"), "Hourly app sign-ins per user (kept fresh by the rollup job)", 30),
    TableSpec("spans", "Trace spans", "TELEMETRY_SPANS_TABLE", _own("apps_otel_spans"),
              "OpenTelemetry spans emitted by apps and agents", 6),
)


@dataclass(frozen=True)
class AppsAuditConfig:
    """Audit action names for Databricks Apps. Partly unverified upstream, hence configurable."""

    login_actions: tuple[str, ...] = (
        "workspaceInHouseOAuthClientAuthentication", "mintOAuthToken", "mintOAuthAuthorizationCode")
    excluded_client_ids: tuple[str, ...] = ("databricks-cli",)
    service_name: str = "apps"
    acl_action: str = "changeAppsAcl"
    lifecycle_actions: tuple[str, ...] = (
        "createApp", "deployApp", "startApp", "stopApp", "updateApp", "deleteApp")


@dataclass(frozen=True)
class GenieConfig:
    """Genie's audit action names (partly unverified upstream, hence configurable) and page rules."""

    service_name: str = "aibiGenie"
    # The actions that create a message: UI chat, then the Conversation API (start and follow-up).
    message_actions: tuple[str, ...] = (
        "createConversationMessage", "genieStartConversationMessage", "genieCreateConversationMessage",
        "regenerateConversationMessage")
    feedback_action: str = "updateConversationMessageFeedback"
    comment_action: str = "createConversationMessageComment"
    # Who may read prompts and SQL: roles ("admin", "viewer") plus "space_owner" (the space's creator).
    content_roles: tuple[str, ...] = ("admin", "space_owner")
    failure_rate_threshold: float = 0.15  # Quality flags a space above this and ≥ 1.5× its 7-day baseline
    max_fetch_attempts: int = 5  # genie-messages gives up on a message after this many failed fetches


SPAN_LAYOUTS = ("map", "variant", "collector")
# Example list prices (USD per million input / output tokens) for the demo's model endpoints: an
# illustration, not a quote. Set TELEMETRY_LLM_PRICES to your contract (model=input/output,...).
EXAMPLE_LLM_PRICES: tuple[tuple[str, float, float], ...] = (
    ("databricks-claude-sonnet-4", 3.0, 15.0),
    ("databricks-meta-llama-3-3-70b-instruct", 0.5, 1.5),
    ("databricks-gpt-oss-120b", 0.15, 0.6),
)


@dataclass(frozen=True)
class TrackerConfig:
    """The console tracking its own use (page views, filter changes, downloads) into the tracker table.

    `app_name` is how the console appears among the apps (Databricks Apps' own app name when it runs
    there). `spool_dir` holds events the sink could not take yet (a temporary folder by default)."""

    self_tracking: bool = True
    app_name: str = "ops-console"
    spool_dir: str = ""
    admin_audit: bool = True  # admin actions (job runs, cancels, cache clears) recorded, even with self-tracking off


@dataclass(frozen=True)
class TracesConfig:
    """How the span table is laid out and how the trace pages behave.

    `layout`: "map" (MLflow's `mlflow_experiment_trace_otel_spans`, OTel v1 with MAP attributes; the
    embedded mirror), "variant" (`<prefix>_otel_spans` with VARIANT attributes and time/date/service_name
    columns) or "collector" (the collector app's `<prefix>_spans`: MAP attributes, no resource column,
    resource attributes copied into the span's with a `resource.` prefix). `doctor` says which one the
    columns look like."""

    layout: str = "map"
    span_render_limit: int = 1000  # spans drawn at once in the waterfall; the rest on demand
    max_trace_spans: int = 50_000  # spans of one trace the Trace page loads (a notice says when more exist)
    page_size: int = 50  # trace search rows per page (50-100)
    search_limit: int = 10_000  # traces a search counts and pages through before saying it stopped
    llm_prices: tuple[tuple[str, float, float], ...] = EXAMPLE_LLM_PRICES  # model, $/1M in, $/1M out
    receiver_max_body_bytes: int = 16 * 1024 * 1024  # OTLP/HTTP bodies above this get 413


# Personas that come from configuration (platform admins are the admins; app and space owners are also
# recognised from the apps inventory and the space details). Each maps to TELEMETRY_PERSONA_<KEY>.
PERSONA_KEYS = ("executive", "app_owner", "genie_owner", "platform_admin")
PERSONA_PREFIX = "TELEMETRY_PERSONA_"  # + the persona key upper-cased: TELEMETRY_PERSONA_APP_OWNER
JOB_ID_PREFIX = "TELEMETRY_JOB_ID_"  # + a registered job's name in upper snake case (bound by valueFrom)


@dataclass(frozen=True)
class Settings:
    """Everything the console reads from its environment."""

    engine: str  # "embedded" or "warehouse"
    tables: Mapping[str, str]
    own_schema: str
    embedded_path: Path
    # The served console owns the embedded file (read-write) and applies what other processes hand over
    # (telemetry/engine/inbox.py); `python -m telemetry serve` sets it. Readers (tests, doctor) leave it off.
    embedded_owner: bool = False
    warehouse_id: str | None = None
    http_path: str | None = None
    use_user_token: bool = False
    cache_ttl_seconds: int = 600
    health_ttl_seconds: int = 60
    row_cap: int = 5000
    query_timeout_seconds: int = 60
    apps: AppsAuditConfig = field(default_factory=AppsAuditConfig)
    genie: GenieConfig = field(default_factory=GenieConfig)
    traces: TracesConfig = field(default_factory=TracesConfig)
    tracker: TrackerConfig = field(default_factory=TrackerConfig)
    admins: tuple[str, ...] = ()
    admin_groups: tuple[str, ...] = ()  # workspace groups whose members are admins (read with the user's token)
    # persona key → the groups and e-mails that hold it (an entry with "@" is an e-mail)
    personas: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    groups_ttl_seconds: int = 300  # how long a user's group membership is cached
    # deployed job ids by the registered job's suffix (GENIE_MESSAGES → 123), from TELEMETRY_JOB_ID_*
    job_ids: Mapping[str, int] = field(default_factory=dict)
    local_user: str = "local.developer@example.com"
    auth_file: Path | None = None
    internal_accounts_regex: str = r"^(qa-bot|test[._-]|synthetic)"
    session_gap_minutes: int = 30
    max_concurrent_queries: int = 8
    # Forwarded identity headers (X-Forwarded-Email, -Access-Token) are believed only behind the
    # Databricks Apps proxy (detected from the runtime's environment) or when this says so.
    trust_proxy_headers: bool = False
    cookie_key: str = ""  # signs the self-hosted login cookie (from the auth file)

    def table(self, key: str) -> str:
        """The validated full name of a source table."""
        return self.tables[key]


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number; set it to e.g. {default}.") from None
    if value < minimum:
        raise ConfigError(f"{name}={value} must be at least {minimum}.")
    return value


def _list(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name)
    if raw is None:
        return default
    return tuple(p.strip() for p in raw.split(",") if p.strip())


def validate_table_name(name: str, variable: str) -> str:
    """Return `name` if it is a safe `schema.table` or `catalog.schema.table`, else raise."""
    if not _TABLE_RE.match(name or ""):
        raise ConfigError(
            f"{variable}={name!r} is not a table name. Use catalog.schema.table with letters, digits "
            f"and underscores only (for example main.ops_console.app_events), or unset {variable} "
            "to use the default.")
    return name


def _own_schema(env: Mapping[str, str]) -> str:
    schema = env.get("TELEMETRY_SCHEMA", "main.ops_console")
    if not re.match(rf"^{_PART}\.{_PART}$", schema):
        raise ConfigError(
            f"TELEMETRY_SCHEMA={schema!r} must be catalog.schema (for example main.ops_console): "
            "it is where the console's own jobs write the Genie, apps and tracker tables.")
    return schema


def _tables(env: Mapping[str, str], own_schema: str) -> dict[str, str]:
    tables = {}
    for spec in TABLE_SPECS:
        name = env.get(spec.env) or spec.default.format(schema=own_schema)
        tables[spec.key] = validate_table_name(name, spec.env)
    return tables


def _engine(env: Mapping[str, str]) -> tuple[str, str | None, str | None]:
    wanted = env.get("TELEMETRY_ENGINE", "").strip().lower()
    warehouse_id = env.get("DATABRICKS_WAREHOUSE_ID") or None
    http_path = env.get("DATABRICKS_HTTP_PATH") or None
    if wanted not in ("", "embedded", "warehouse"):
        raise ConfigError(f"TELEMETRY_ENGINE={wanted!r}: use 'embedded' or 'warehouse'.")
    if wanted == "embedded" or (not wanted and not (warehouse_id or http_path)):
        return "embedded", warehouse_id, http_path
    if not (warehouse_id or http_path):
        raise ConfigError(
            "TELEMETRY_ENGINE=warehouse needs DATABRICKS_WAREHOUSE_ID (bind it in app.yaml with "
            "valueFrom: sql-warehouse) or DATABRICKS_HTTP_PATH (/sql/1.0/warehouses/<id>).")
    if warehouse_id and not re.match(r"^[A-Za-z0-9]+$", warehouse_id):
        raise ConfigError(f"DATABRICKS_WAREHOUSE_ID={warehouse_id!r} is not a warehouse id.")
    return "warehouse", warehouse_id, http_path


def _apps_config(env: Mapping[str, str]) -> AppsAuditConfig:
    base = AppsAuditConfig()
    return AppsAuditConfig(
        login_actions=_list(env, "TELEMETRY_APP_LOGIN_ACTIONS", base.login_actions),
        excluded_client_ids=_list(env, "TELEMETRY_APP_EXCLUDED_CLIENT_IDS", base.excluded_client_ids),
        service_name=env.get("TELEMETRY_APPS_SERVICE_NAME", base.service_name),
        acl_action=env.get("TELEMETRY_APPS_ACL_ACTION", base.acl_action),
        lifecycle_actions=_list(env, "TELEMETRY_APP_LIFECYCLE_ACTIONS", base.lifecycle_actions),
    )


def _float(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number; set it to e.g. {default}.") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={value:g} must be between {low:g} and {high:g}.")
    return value


def _genie_config(env: Mapping[str, str]) -> GenieConfig:
    base = GenieConfig()
    roles = _list(env, "TELEMETRY_GENIE_CONTENT_ROLES", base.content_roles)
    unknown = sorted(set(roles) - {"admin", "viewer", "space_owner"})
    if unknown:
        raise ConfigError(f"TELEMETRY_GENIE_CONTENT_ROLES has {', '.join(unknown)}: use admin, space_owner "
                          "and/or viewer (viewer shows prompts and SQL to everyone who signs in).")
    return GenieConfig(
        service_name=env.get("TELEMETRY_GENIE_SERVICE_NAME", base.service_name),
        message_actions=_list(env, "TELEMETRY_GENIE_MESSAGE_ACTIONS", base.message_actions),
        feedback_action=env.get("TELEMETRY_GENIE_FEEDBACK_ACTION", base.feedback_action),
        comment_action=env.get("TELEMETRY_GENIE_COMMENT_ACTION", base.comment_action),
        content_roles=roles,
        failure_rate_threshold=_float(env, "TELEMETRY_GENIE_FAILURE_THRESHOLD", base.failure_rate_threshold, 0, 1),
        max_fetch_attempts=_int(env, "TELEMETRY_GENIE_MAX_FETCH_ATTEMPTS", base.max_fetch_attempts, minimum=1),
    )


def _prices(env: Mapping[str, str]) -> tuple[tuple[str, float, float], ...]:
    raw = env.get("TELEMETRY_LLM_PRICES")
    if raw is None:
        return EXAMPLE_LLM_PRICES
    prices = []
    for item in (p.strip() for p in raw.split(",") if p.strip()):
        model, _, pair = item.partition("=")
        try:
            inp, out = (float(x) for x in pair.split("/"))
        except ValueError:
            raise ConfigError(f"TELEMETRY_LLM_PRICES has {item!r}: write model=input/output in USD per "
                              "million tokens, e.g. databricks-claude-sonnet-4=3/15") from None
        if not model.strip() or inp < 0 or out < 0:
            raise ConfigError(f"TELEMETRY_LLM_PRICES has {item!r}: a model name and two prices >= 0 are needed.")
        prices.append((model.strip(), inp, out))
    return tuple(prices)


def _traces_config(env: Mapping[str, str]) -> TracesConfig:
    base = TracesConfig()
    layout = env.get("TELEMETRY_SPANS_LAYOUT", base.layout).strip().lower()
    if layout not in SPAN_LAYOUTS:
        raise ConfigError(f"TELEMETRY_SPANS_LAYOUT={layout!r}: use map (MLflow's otel_spans with MAP attributes), "
                          "variant (<prefix>_otel_spans with VARIANT attributes) or collector (<prefix>_spans). "
                          "`python -m telemetry doctor` tells which one your table has.")
    page_size = _int(env, "TELEMETRY_TRACE_PAGE_SIZE", base.page_size, minimum=50)
    if page_size > 100:
        raise ConfigError(f"TELEMETRY_TRACE_PAGE_SIZE={page_size} must be between 50 and 100.")
    return TracesConfig(
        layout=layout,
        span_render_limit=_int(env, "TELEMETRY_TRACE_SPAN_LIMIT", base.span_render_limit, minimum=50),
        max_trace_spans=_int(env, "TELEMETRY_TRACE_MAX_SPANS", base.max_trace_spans, minimum=100),
        page_size=page_size,
        search_limit=_int(env, "TELEMETRY_TRACE_SEARCH_LIMIT", base.search_limit, minimum=100),
        llm_prices=_prices(env),
        receiver_max_body_bytes=_int(env, "TELEMETRY_OTLP_MAX_BODY_BYTES", base.receiver_max_body_bytes,
                                     minimum=1024),
    )


def _personas(env: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    return {key: _list(env, PERSONA_PREFIX + key.upper(), ()) for key in PERSONA_KEYS}


def _job_ids(env: Mapping[str, str]) -> dict[str, int]:
    """Deployed job ids (Databricks Apps resolves `valueFrom: <job resource>` to the job's id)."""
    ids = {}
    for name, raw in env.items():
        if not name.startswith(JOB_ID_PREFIX) or not raw.strip():
            continue
        if not raw.strip().isdigit():
            raise ConfigError(f"{name}={raw!r} is not a job id. Bind it in app.yaml with `valueFrom: <the app's "
                              "job resource>` (databricks.yml declares one per job), or unset it.")
        ids[name.removeprefix(JOB_ID_PREFIX)] = int(raw)
    return ids


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate every setting. Raises ConfigError with a fix on the first bad value."""
    env = os.environ if env is None else env
    engine, warehouse_id, http_path = _engine(env)
    own_schema = _own_schema(env)
    embedded = Path(env.get("TELEMETRY_EMBEDDED_PATH") or PROJECT_ROOT / "data" / "demo.duckdb")
    auth_file = _auth_file(env)
    return Settings(
        engine=engine,
        tables=_tables(env, own_schema),
        own_schema=own_schema,
        embedded_path=embedded,
        embedded_owner=env.get("TELEMETRY_EMBEDDED_OWNER", "").lower() in _TRUTHY,
        warehouse_id=warehouse_id,
        http_path=http_path,
        use_user_token=env.get("TELEMETRY_USE_USER_TOKEN", "").lower() in ("1", "true", "yes"),
        cache_ttl_seconds=_int(env, "TELEMETRY_CACHE_TTL_SECONDS", 600),
        health_ttl_seconds=_int(env, "TELEMETRY_HEALTH_TTL_SECONDS", 60),
        row_cap=_int(env, "TELEMETRY_ROW_CAP", 5000, minimum=1),
        query_timeout_seconds=_int(env, "TELEMETRY_QUERY_TIMEOUT_SECONDS", 60, minimum=1),
        apps=_apps_config(env),
        genie=_genie_config(env),
        traces=_traces_config(env),
        tracker=TrackerConfig(
            self_tracking=env.get("TELEMETRY_SELF_TRACKING", "on").strip().lower() not in _FALSY,
            app_name=env.get("TELEMETRY_SELF_TRACKING_APP") or env.get("DATABRICKS_APP_NAME") or "ops-console",
            spool_dir=env.get("TELEMETRY_TRACKER_SPOOL", ""),
            admin_audit=env.get("TELEMETRY_ADMIN_AUDIT", "on").strip().lower() not in _FALSY),
        admins=_list(env, "TELEMETRY_ADMINS", ()),
        admin_groups=_list(env, "TELEMETRY_ADMIN_GROUPS", ()),
        personas=_personas(env),
        groups_ttl_seconds=_int(env, "TELEMETRY_GROUPS_TTL_SECONDS", 300),
        job_ids=_job_ids(env),
        local_user=env.get("TELEMETRY_LOCAL_USER", "local.developer@example.com"),
        auth_file=auth_file,
        internal_accounts_regex=_regex(env, "TELEMETRY_INTERNAL_ACCOUNTS_REGEX",
                                       Settings.internal_accounts_regex),
        session_gap_minutes=_int(env, "TELEMETRY_SESSION_GAP_MINUTES", 30, minimum=1),
        max_concurrent_queries=_int(env, "TELEMETRY_MAX_CONCURRENT_QUERIES", 8, minimum=1),
        trust_proxy_headers=_trust_proxy(env),
        cookie_key=_cookie_key(auth_file),
    )


# Set by the Databricks Apps runtime for every app process (docs: "Databricks Apps system environment").
APPS_RUNTIME_VARIABLES = ("DATABRICKS_APP_NAME", "DATABRICKS_APP_PORT")
_TRUTHY, _FALSY = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def trust_proxy_headers(env: Mapping[str, str]) -> bool:
    """The trust rule, for code that has no Settings (the tracker library inside any Streamlit app)."""
    return _trust_proxy(env)


def _trust_proxy(env: Mapping[str, str]) -> bool:
    """Trust identity headers only where the Apps proxy sets them (or where an admin says so)."""
    raw = env.get("TELEMETRY_TRUST_PROXY_HEADERS", "auto").strip().lower()
    if raw in ("", "auto"):
        return all(env.get(name) for name in APPS_RUNTIME_VARIABLES)
    if raw in _TRUTHY:
        return True
    if raw in _FALSY:
        return False
    raise ConfigError(f"TELEMETRY_TRUST_PROXY_HEADERS={raw!r}: use auto (trust them only inside Databricks "
                      "Apps), true (a proxy you run sets X-Forwarded-Email and strips it from clients) or false.")


def _regex(env: Mapping[str, str], name: str, default: str) -> str:
    """A regular expression setting, checked for the engines that run it.

    It is bound as a parameter (only its syntax matters) but runs as a Java regex on Databricks
    (RLIKE) and as RE2 on DuckDB: it must compile in RE2 (checked by DuckDB itself) and use no
    Python-only syntax. RE2's syntax is otherwise a subset of Java's (tests check examples on Spark).
    """
    raw = env.get(name, default)
    if "(?P" in raw:
        raise ConfigError(f"{name}={raw!r} uses Python's (?P…) group syntax, which Databricks (Java regex) "
                          "rejects: write (?<name>…) or a plain group.")
    problem = _re2_problem(raw)
    if problem:
        raise ConfigError(f"{name}={raw!r} is not a regular expression both engines accept ({problem}). "
                          "Lookarounds and backreferences are not supported; keep to plain RE2 syntax.")
    return raw


def _re2_problem(pattern: str) -> str:
    """Why RE2 (DuckDB's regex engine) rejects `pattern`, or ''."""
    import duckdb

    try:
        duckdb.connect(":memory:").execute("SELECT regexp_matches('', ?)", [pattern]).fetchone()
    except duckdb.Error as err:
        return str(err).splitlines()[0]
    return ""


def _auth_file(env: Mapping[str, str]) -> Path | None:
    raw = env.get("TELEMETRY_AUTH_FILE")
    if not raw:
        return None
    path = Path(raw)
    if not path.is_file():
        raise ConfigError(f"TELEMETRY_AUTH_FILE={raw!r} does not exist. Point it at a "
                          "streamlit-authenticator credentials YAML, or unset it to disable the login.")
    if path.stat().st_mode & 0o077:
        raise ConfigError(f"TELEMETRY_AUTH_FILE={raw!r} can be read by other users of this machine (it holds "
                          f"password hashes and the cookie key): run `chmod 600 {raw}`.")
    return path


MIN_COOKIE_KEY_CHARS = 32


def _cookie_key(path: Path | None) -> str:
    """The login cookie's signing key from the auth file: refuse to start without a real one.

    An empty key would let anyone forge the cookie streamlit-authenticator trusts for re-login."""
    if path is None:
        return ""
    import yaml

    try:
        cfg = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as err:
        raise ConfigError(f"TELEMETRY_AUTH_FILE={str(path)!r} is not valid YAML ({err}).") from None
    if not isinstance(cfg, dict) or not isinstance(cfg.get("credentials"), dict):
        raise ConfigError(f"TELEMETRY_AUTH_FILE={str(path)!r} has no `credentials:` section "
                          "(streamlit-authenticator's format: credentials → usernames → name, email, password).")
    key = str((cfg.get("cookie") or {}).get("key") or "")
    if len(key) < MIN_COOKIE_KEY_CHARS:
        raise ConfigError(
            f"TELEMETRY_AUTH_FILE={str(path)!r} needs `cookie: key:` set to a random secret of at least "
            f"{MIN_COOKIE_KEY_CHARS} characters (it signs the login cookie). Generate one with "
            "`python -c \"import secrets; print(secrets.token_urlsafe(32))\"`.")
    return key


def _text(value: object) -> str:
    if isinstance(value, tuple):  # a list setting; the LLM prices are (model, input, output) triples
        return ",".join(f"{v[0]}={v[1]:g}/{v[2]:g}" if isinstance(v, tuple) else str(v) for v in value)
    return str(value)


def describe(settings: Settings) -> list[tuple[str, str]]:
    """(setting, value) pairs for the Admin config page and `doctor`: never a secret."""
    rows = [("engine", settings.engine)]
    rows += [(f.name, "" if getattr(settings, f.name) is None else str(getattr(settings, f.name)))
             for f in fields(settings)
             if f.name not in ("engine", "tables", "apps", "genie", "traces", "tracker", "cookie_key", "personas")]
    rows += [(f"persona.{k}", ",".join(v)) for k, v in settings.personas.items()]
    for group in ("apps", "genie", "traces", "tracker"):
        section = getattr(settings, group)
        rows += [(f"{group}.{f.name}", _text(getattr(section, f.name))) for f in fields(section)]
    rows += [(f"table.{k}", v) for k, v in settings.tables.items()]
    return rows
