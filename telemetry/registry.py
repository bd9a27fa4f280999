"""The page registry: one list that builds the navigation menu and that the page tests walk.

Adding a page means adding one PageSpec here; navigation, role filtering, the AppTest smoke test
and the render benchmark all pick it up from this list.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTIONS: tuple[str, ...] = ("Overview", "App owners", "Genie", "Traces", "Admin")


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root
    title: str
    icon: str
    section: str
    url_path: str
    admin_only: bool = False
    default: bool = False
    help: str = ""
    hidden: bool = False  # routable (deep links) but not in the menu


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", "Overview", "overview",
             default=True, help="Every data source at a glance: volume and freshness"),
    PageSpec("pages/app_usage.py", "App usage", ":material/apps:", "App owners", "app-usage",
             help="Adoption, activity, retention, errors and sharing of every Databricks App"),
    PageSpec("pages/app_detail.py", "App detail", ":material/web_asset:", "App owners", "app-detail",
             hidden=True, help="One app: users, lifecycle, in-app actions and requests"),
    PageSpec("pages/admin_health.py", "Data health", ":material/health_and_safety:", "Admin",
             "data-health", admin_only=True, help="Source tables, their columns and the configuration"),
)


def visible_pages(is_admin: bool) -> dict[str, list[PageSpec]]:
    """Pages a user may open, grouped by section in menu order (empty sections dropped)."""
    grouped: dict[str, list[PageSpec]] = {section: [] for section in SECTIONS}
    for page in PAGES:
        if is_admin or not page.admin_only:
            grouped[page.section].append(page)
    return {section: pages for section, pages in grouped.items() if pages}
