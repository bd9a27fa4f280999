"""The page registry: one list that builds the navigation menu and that the tests and the benchmark walk.

Adding a page means adding one PageSpec here; navigation, role filtering, the AppTest sweep (every
page × view) and the render benchmark all pick it up from this list. Page files live in
`pages/<area>/`, never directly in `pages/`: Streamlit's legacy multipage mode runs any
`pages/*.py` on its own (no gate, no frame) until a session has called st.navigation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from telemetry.apps import usage as app_usage
from telemetry.genie import prompts as genie_prompts
from telemetry.genie import usage as genie_usage
from telemetry.traces import search as trace_search

SECTIONS: tuple[str, ...] = ("Overview", "App owners", "Genie", "Traces", "Admin")
VIEWER, ADMIN = "viewer", "admin"
EVERYONE = frozenset({VIEWER, ADMIN})
ADMINS = frozenset({ADMIN})


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root
    title: str
    icon: str
    section: str
    url_path: str
    roles: frozenset[str] = EVERYONE  # who may open it (the page re-checks on the server)
    default: bool = False
    help: str = ""
    hidden: bool = False  # routable (deep links) but not in the menu
    views: tuple[str, ...] = ()  # sections shown one at a time, bound to ?view=
    needs: tuple[str, ...] = field(default=())  # URL parameters the page needs to show data (e.g. app)

    def allows(self, roles: frozenset[str] | set[str]) -> bool:
        return bool(self.roles & set(roles))


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/home/overview.py", "Overview", ":material/dashboard:", "Overview", "overview",
             default=True, help="Every data source at a glance: volume and freshness"),
    PageSpec("pages/home/summary.py", "Executive summary", ":material/insights:", "Overview", "summary",
             help="Adoption, activity and cost of apps and Genie against the previous period"),
    PageSpec("pages/apps/usage.py", "App usage", ":material/apps:", "App owners", "app-usage",
             help="Adoption, activity, retention, errors and sharing of every Databricks App",
             views=app_usage.SECTIONS),
    PageSpec("pages/apps/detail.py", "App detail", ":material/web_asset:", "App owners", "app-detail",
             hidden=True, help="One app: users, lifecycle, in-app actions and requests", needs=("app",)),
    # Tracker (app owners): the events apps record with telemetry.tracker, in the tracker table.
    PageSpec("pages/tracker/events.py", "Tracked events", ":material/ads_click:", "App owners", "tracker",
             help="What users do inside the apps: live activity, actions, errors and assistant use",
             views=("Activity", "Errors", "Assistant")),
    PageSpec("pages/tracker/journeys.py", "User journeys", ":material/route:", "App owners", "journeys",
             help="Funnels, paths, sessions, stickiness, feature adoption and churn risk from tracked events",
             views=("Funnels", "Paths", "Sessions", "Stickiness", "Adoption", "Churn risk")),
    PageSpec("pages/tracker/user.py", "Tracked user", ":material/person_search:", "App owners", "tracker-user",
             hidden=True, help="One user's tracked events: timeline, apps and actions", needs=("user",)),
    # Genie (space owners, platform admins): one global workspace filter and period, all in the URL.
    PageSpec("pages/genie/summary.py", "Genie summary", ":material/auto_awesome:", "Genie", "genie-summary",
             help="Messages, users, success, feedback and cost of every Genie space"),
    PageSpec("pages/genie/spaces.py", "Genie spaces", ":material/workspaces:", "Genie", "genie-spaces",
             help="Activity, follow-ups and cost per space"),
    PageSpec("pages/genie/space.py", "Genie space", ":material/space_dashboard:", "Genie", "genie-space",
             hidden=True, help="One space: trends, users, failures, feedback, configuration", needs=("space",)),
    PageSpec("pages/genie/quality.py", "Genie quality", ":material/rule:", "Genie", "genie-quality",
             help="Status, error types, failure spikes and SQL latency", views=genie_usage.QUALITY_VIEW_NAMES),
    PageSpec("pages/genie/prompts.py", "Prompts and SQL", ":material/forum:", "Genie", "genie-prompts",
             help="Every prompt with Genie's SQL and its outcome; problem prompts", views=genie_prompts.VIEWS),
    PageSpec("pages/genie/message.py", "Genie message", ":material/chat:", "Genie", "genie-message",
             hidden=True, help="One message: prompt, thoughts, SQL, outcome, feedback", needs=("message",)),
    PageSpec("pages/genie/adoption.py", "Genie adoption", ":material/group_add:", "Genie", "genie-adoption",
             help="New and returning users, retention, top users, feedback and review requests",
             views=genie_usage.ADOPTION_VIEW_NAMES),
    PageSpec("pages/genie/configuration.py", "Space configuration", ":material/tune:", "Genie",
             "genie-configuration", help="Each space's warehouse, tables, instructions and sample questions"),
    PageSpec("pages/genie/pipeline.py", "Genie pipeline", ":material/conveyor_belt:", "Genie", "genie-pipeline",
             help="Audit events vs messages fetched: the ingestion gap, job runs and fetch errors"),
    # Traces (app and agent owners): OpenTelemetry spans from the span table, any layout.
    PageSpec("pages/traces/search.py", "Trace search", ":material/manage_search:", "Traces", "traces",
             help="Find traces by service, operation, status, duration and attributes; latency and tokens",
             views=trace_search.VIEWS),
    PageSpec("pages/traces/trace.py", "Trace", ":material/account_tree:", "Traces", "trace", hidden=True,
             help="One trace as a waterfall: spans, attributes, events, LLM calls; compare two traces",
             needs=("trace",)),
    PageSpec("pages/admin/health.py", "Data health", ":material/health_and_safety:", "Admin",
             "data-health", roles=ADMINS, help="Source tables, their columns and the configuration"),
    PageSpec("pages/admin/jobs.py", "Jobs", ":material/play_circle:", "Admin", "jobs", roles=ADMINS,
             help="Run the ingestion jobs and follow their runs; the admin audit trail",
             views=("Jobs", "Audit trail")),
)


def visible_pages(roles: frozenset[str] | set[str]) -> dict[str, list[PageSpec]]:
    """Pages a user with `roles` may open, grouped by section in menu order (empty sections dropped)."""
    grouped: dict[str, list[PageSpec]] = {section: [] for section in SECTIONS}
    for page in PAGES:
        if page.allows(roles):
            grouped[page.section].append(page)
    return {section: pages for section, pages in grouped.items() if pages}


# --- Personas: each a menu (sections) and a landing page; never a permission (roles are) -----------

@dataclass(frozen=True)
class Persona:
    key: str  # one of config.PERSONA_KEYS (TELEMETRY_PERSONA_<KEY> maps groups and e-mails to it)
    label: str
    landing: str  # url_path of the page a session opens on
    sections: tuple[str, ...]  # the menu, in SECTIONS order


# Order is landing priority: a user holding several lands on the first one's page.
PERSONAS: tuple[Persona, ...] = (
    Persona("platform_admin", "Platform admin", "overview", SECTIONS),  # the Admin section needs the role too
    Persona("executive", "Executive", "summary", ("Overview", "App owners", "Genie")),
    Persona("app_owner", "App owner", "app-usage", ("Overview", "App owners", "Traces")),
    Persona("genie_owner", "Genie space owner", "genie-spaces", ("Overview", "Genie")),
)


def persona(key: str) -> Persona:
    for entry in PERSONAS:
        if entry.key == key:
            return entry
    raise KeyError(f"{key} is not in telemetry.registry.PERSONAS")


def persona_labels(keys: tuple[str, ...]) -> str:
    """'App owner, Genie space owner' for the sidebar ('' for nobody mapped)."""
    return ", ".join(p.label for p in PERSONAS if p.key in keys)


@dataclass(frozen=True)
class Menu:
    """What the navigation shows: the persona's sections, the other pages the roles allow (routable
    for deep links and shared URLs, not listed unless the user asks for every page), the landing page."""

    sections: dict[str, list[PageSpec]]
    others: tuple[PageSpec, ...]
    landing: str  # url_path of the default page


def menu(roles: frozenset[str] | set[str], persona_keys: tuple[str, ...] = (), show_all: bool = False) -> Menu:
    """The menu of a user with `roles` and personas (none, or `show_all`: every page the roles allow)."""
    allowed = visible_pages(roles)
    held = [p for p in PERSONAS if p.key in persona_keys]
    default = next(p.url_path for p in PAGES if p.default)
    if not held:
        return Menu(allowed, (), default)
    wanted = {s for p in held for s in p.sections}
    shown = allowed if show_all else {s: pages for s, pages in allowed.items() if s in wanted}
    others = tuple(p for s, pages in allowed.items() if s not in shown for p in pages)
    routable = {p.url_path for pages in shown.values() for p in pages}
    landing = next((p.landing for p in held if p.landing in routable), default)
    return Menu(shown, others, landing)


def page(path: str) -> PageSpec:
    """The spec of the page at `path` (pages ask for their own views and roles through it)."""
    for spec in PAGES:
        if spec.path == path:
            return spec
    raise KeyError(f"{path} is not in telemetry.registry.PAGES")


@dataclass(frozen=True)
class Variant:
    """One page × view, with the widget state that opens it (what a deep link would select)."""

    spec: PageSpec
    view: str | None
    state: dict[str, str]

    @property
    def label(self) -> str:
        return self.spec.url_path + (f" [{self.view}]" if self.view else "")


def variants(samples: dict[str, str] | None = None) -> list[Variant]:
    """Every page and each of its views; `samples` gives values for what pages need (e.g. app)."""
    samples = samples or {}
    out = []
    for spec in PAGES:
        needed = {name: samples[name] for name in spec.needs if name in samples}
        for view in spec.views or (None,):
            out.append(Variant(spec, view, {**needed, **({"view": view} if view else {})}))
    return out
