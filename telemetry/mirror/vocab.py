"""Words the generator combines: people, business domains, app names, user agents, Genie prompts.

Kept as plain data so realism can be improved without touching the sampling code. Genie prompts,
SQL, titles and descriptions come from one small grid of (domain, template, measure, dimension,
period) combinations, built once; a message only draws a combination id.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# fmt: off
FIRST_NAMES = _words(
    "james mary robert patricia john jennifer michael linda david elizabeth william barbara richard susan "
    "joseph jessica thomas sarah charles karen christopher lisa daniel nancy matthew betty anthony sandra "
    "mark ashley donald kimberly steven emily andrew donna paul michelle joshua carol kenneth amanda kevin "
    "melissa brian deborah george stephanie timothy rebecca ronald laura jason sharon edward cynthia jeffrey "
    "kathleen ryan amy jacob angela gary helen nicholas anna eric brenda jonathan pamela stephen emma larry "
    "nicole justin samantha scott katherine brandon christine benjamin debra samuel rachel gregory carolyn "
    "alexander janet patrick maria frank olivia raymond heather jack diane dennis julie jerry joyce tyler "
    "victoria aaron kelly jose christina adam lauren nathan joan henry evelyn zachary judith douglas megan "
    "peter andrea kyle cheryl noah hannah ethan jacqueline jeremy martha walter gloria christian teresa "
    "priya arjun wei mei hiroshi yuki sofia lucas matteo giulia lena jonas elif omar fatima chen ana")
LAST_NAMES = _words(
    "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez "
    "wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark "
    "ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams "
    "nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker cruz "
    "edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz morgan cooper peterson "
    "bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood james bennett gray "
    "mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez powell jenkins "
    "perry russell sullivan bell coleman butler henderson barnes fisher vasquez simmons romero jordan "
    "schmidt muller schneider fischer weber rossi ferrari bianchi dubois moreau laurent sato suzuki tanaka")
# fmt: on
EMAIL_DOMAIN = "example.com"
TEST_ACCOUNTS = ("qa-bot", "test.user1", "test.user2", "loadtest.runner", "synthetic.monitor")

APP_NOUNS = _words("explorer dashboard assistant chatbot copilot portal tracker planner monitor insights "
                   "review advisor search analyzer hub")
APP_SUFFIXES = ("", "", "", "", "-dev", "-v2", "-prod", "-poc", "-staging")

_CHROME = "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
BROWSER_AGENTS = (
    f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {_CHROME}",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 "
    "Safari/605.1.15",
    f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {_CHROME} Edg/131.0.0.0",
    f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) {_CHROME}",
)
SDK_AGENTS = (
    "databricks-sdk-py/0.56.0 python/3.11.9 os/linux auth/oauth-m2m",
    "databricks-cli/0.240.0 databricks-sdk-go/0.58.1 go/1.23.4 os/darwin auth/databricks-cli",
    "Apache-HttpClient/4.5.14 (Java/17.0.12)",
    "dbt-databricks/1.9.1 databricks-sql-connector/3.7.0",
    "PowerBI/2.138 (DatabricksODBC 2.8.2)",
    "Tableau/2024.3 (Simba Spark ODBC 2.8.0)",
)


@dataclass(frozen=True)
class Domain:
    """A business area: where its tables live and what people ask about it."""

    name: str
    label: str
    table: str
    date_col: str
    measures: tuple[tuple[str, str, str], ...]  # (words, SQL aggregate, alias)
    dims: tuple[tuple[str, str, str], ...]  # (words, plural words, column)
    app_topics: tuple[str, ...]


def _dims(text: str) -> tuple[tuple[str, str, str], ...]:
    """'word/plural/column; …' → dimension triples."""
    return tuple(tuple(part.strip().split("/")) for part in text.split(";"))  # type: ignore[misc]


# fmt: off
DOMAINS: tuple[Domain, ...] = (
    Domain("sales", "Sales", "main.sales.orders", "order_date",
           (("revenue", "SUM(net_amount)", "revenue"), ("order count", "COUNT(DISTINCT order_id)", "orders"),
            ("units sold", "SUM(quantity)", "units"),
            ("average order value", "AVG(net_amount)", "avg_order_value")),
           _dims("region/regions/region; product category/product categories/product_category; "
                 "sales channel/sales channels/sales_channel; customer segment/customer segments/segment"),
           _words("pipeline quota deal pricing territory")),
    Domain("supply_chain", "Supply chain", "main.supply_chain.shipments", "ship_date",
           (("on-time delivery rate", "AVG(CASE WHEN delivered_on_time THEN 1 ELSE 0 END)", "on_time_rate"),
            ("shipment count", "COUNT(*)", "shipments"),
            ("freight cost", "SUM(freight_cost)", "freight_cost"),
            ("average lead time", "AVG(lead_time_days)", "avg_lead_time_days")),
           _dims("warehouse/warehouses/warehouse_name; carrier/carriers/carrier; "
                 "supplier/suppliers/supplier_name; "
                 "destination country/destination countries/dest_country"),
           _words("inventory logistics supplier demand warehouse")),
    Domain("finance", "Finance", "main.finance.gl_entries", "posting_date",
           (("operating expenses", "SUM(amount)", "opex"),
            ("invoice count", "COUNT(DISTINCT invoice_id)", "invoices"),
            ("days sales outstanding", "AVG(days_outstanding)", "dso"),
            ("budget variance", "SUM(amount - budget)", "variance")),
           _dims("cost center/cost centers/cost_center; GL account/GL accounts/gl_account; "
                 "business unit/business units/business_unit; vendor/vendors/vendor_name"),
           _words("budget expense invoice forecast close")),
    Domain("hr", "People", "main.hr.employees", "snapshot_date",
           (("headcount", "COUNT(DISTINCT employee_id)", "headcount"),
            ("attrition rate", "AVG(CAST(terminated AS INT))", "attrition"),
            ("open requisitions", "SUM(open_reqs)", "open_reqs"),
            ("average tenure", "AVG(tenure_years)", "avg_tenure")),
           _dims("department/departments/department; location/locations/location; "
                 "job level/job levels/job_level; "
                 "manager/managers/manager_name"),
           _words("headcount hiring talent onboarding benefits")),
    Domain("marketing", "Marketing", "main.marketing.campaign_events", "event_date",
           (("leads", "COUNT(DISTINCT lead_id)", "leads"), ("spend", "SUM(spend_usd)", "spend"),
            ("conversion rate", "AVG(CAST(converted AS DOUBLE))", "conversion_rate"),
            ("cost per lead", "SUM(spend_usd) / COUNT(DISTINCT lead_id)", "cpl")),
           _dims("campaign/campaigns/campaign_name; channel/channels/channel; country/countries/country; "
                 "audience/audiences/audience"),
           _words("campaign attribution lead brand web")),
    Domain("support", "Customer support", "main.support.tickets", "created_date",
           (("ticket volume", "COUNT(*)", "tickets"),
            ("average resolution time", "AVG(resolution_hours)", "avg_resolution_hours"),
            ("CSAT score", "AVG(csat)", "csat"),
            ("escalation rate", "AVG(CAST(escalated AS DOUBLE))", "escalation_rate")),
           _dims("product/products/product; priority/priorities/priority; support tier/support tiers/tier; "
                 "agent team/agent teams/team"),
           _words("ticket case knowledge csat escalation")),
    Domain("manufacturing", "Manufacturing", "main.manufacturing.production_runs", "run_date",
           (("yield", "AVG(good_units / total_units)", "yield_rate"),
            ("downtime hours", "SUM(downtime_hours)", "downtime"),
            ("scrap cost", "SUM(scrap_cost)", "scrap_cost"), ("OEE", "AVG(oee)", "oee")),
           _dims("plant/plants/plant; production line/production lines/line_id; shift/shifts/shift; "
                 "product family/product families/product_family"),
           _words("quality maintenance plant yield shopfloor")),
    Domain("product", "Product analytics", "main.product.usage_events", "event_date",
           (("daily active users", "COUNT(DISTINCT user_id)", "dau"),
            ("sessions", "COUNT(DISTINCT session_id)", "sessions"),
            ("feature adoption", "AVG(CAST(used_feature AS DOUBLE))", "adoption"),
            ("churned accounts", "COUNT(DISTINCT CASE WHEN churned THEN account_id END)", "churned")),
           _dims("plan/plans/plan_tier; platform/platforms/platform; feature/features/feature_name; "
                 "signup cohort/signup cohorts/cohort_month"),
           _words("usage feature growth retention experiment")),
)
PERIODS = (
    ("last month", "date_sub(current_date(), 30)"), ("in the last 7 days", "date_sub(current_date(), 7)"),
    ("this quarter", "date_trunc('QUARTER', current_date())"),
    ("year to date", "date_trunc('YEAR', current_date())"),
    ("over the last 90 days", "date_sub(current_date(), 90)"),
)
_AGG = "SELECT {col}, {agg} AS {alias}\n{base}GROUP BY {col}\n"
# (question, SQL, title, description); templates 0..4 open a conversation, 5..7 are follow-ups.
TEMPLATES = (
    ("What was the {mw} by {dw} {pw}?", _AGG + "ORDER BY {alias} DESC",
     "Total {mw} by {dw}", "Calculates the {mw} for each {dw} {pw}, sorted from highest to lowest."),
    ("Show me the top 10 {dplural} by {mw} {pw}", _AGG + "ORDER BY {alias} DESC\nLIMIT 10",
     "Top 10 {dplural} by {mw}", "Lists the ten {dplural} with the highest {mw} {pw}."),
    ("How did {mw} trend week over week {pw}?",
     "SELECT date_trunc('WEEK', {date_col}) AS week, {agg} AS {alias}\n{base}GROUP BY 1\nORDER BY 1",
     "Weekly {mw}", "Shows the weekly {mw} {pw} to reveal the trend."),
    ("Which {dw} had the lowest {mw} {pw}?", _AGG + "ORDER BY {alias} ASC\nLIMIT 5",
     "Lowest {mw} by {dw}", "Finds the {dplural} with the lowest {mw} {pw}."),
    ("Compare {mw} {pw} with the previous period for each {dw}",
     "WITH cur AS (\n" + _AGG + ")\nSELECT c.{col}, c.{alias}, c.{alias} - p.{alias} AS change\nFROM cur c\n"
     "LEFT JOIN {table}_prev_period p USING ({col})\nORDER BY change DESC",
     "{Mw} vs previous period by {dw}", "Compares the {mw} of each {dw} {pw} with the period before."),
    ("Break that down by {dw}", _AGG + "ORDER BY {alias} DESC",
     "{Mw} by {dw}", "Breaks the {mw} down by {dw} {pw}."),
    ("Can you show that as a percentage of the total?",
     "SELECT {col}, {agg} AS {alias},\n  ROUND(100 * {alias} / SUM({alias}) OVER (), 1) AS pct_of_total\n"
     "{base}GROUP BY {col}\nORDER BY pct_of_total DESC",
     "Share of {mw} by {dw}", "Shows each {dw}'s share of the total {mw} {pw} as a percentage."),
    ("Exclude the smallest {dplural} and sort by {mw}", _AGG + "HAVING COUNT(*) > 100\nORDER BY {alias} DESC",
     "{Mw} by {dw} (large only)", "Lists {dplural} with enough activity, sorted by {mw} {pw}."),
)
# fmt: on
FIRST_TEMPLATES = 5
N_TEMPLATES = len(TEMPLATES)


def _cell(domain: Domain, template: int, m: int, d: int, p: int) -> tuple[str, ...]:
    """(question, SQL, title, description) for one grid cell."""
    mw, agg, alias = domain.measures[m]
    dw, dplural, col = domain.dims[d]
    pw, pexpr = PERIODS[p]
    words = {"mw": mw, "Mw": mw[0].upper() + mw[1:], "agg": agg, "alias": alias, "dw": dw, "dplural": dplural,
             "col": col, "pw": pw, "date_col": domain.date_col, "table": domain.table,
             "base": f"FROM {domain.table}\nWHERE {domain.date_col} >= {pexpr}\n"}
    return tuple(text.format(**words) for text in TEMPLATES[template])


@lru_cache(maxsize=1)
def genie_grid() -> tuple[list[str], list[str], list[str], list[str]]:
    """All (question, sql, title, description) cells, indexed by `genie_cell`."""
    cells = [_cell(dom, t, m, d, p) for dom in DOMAINS for t in range(N_TEMPLATES)
             for m in range(4) for d in range(4) for p in range(len(PERIODS))]
    questions, sqls, titles, descriptions = (list(col) for col in zip(*cells, strict=True))
    return questions, sqls, titles, descriptions


def genie_cell(domain: np.ndarray | int, template: np.ndarray | int, measure: np.ndarray | int,
               dim: np.ndarray | int, period: np.ndarray | int) -> np.ndarray:
    """Vectorised cell id of grid coordinates (see genie_grid)."""
    return (((np.asarray(domain) * N_TEMPLATES + template) * 4 + measure) * 4 + dim) * len(PERIODS) + period
