"""Words the generator combines: people, business domains, app names, user agents, Genie prompts.

Kept as plain data so realism can be improved without touching the sampling code. Genie prompts,
SQL, titles and descriptions come from one small grid of (domain, template, measure, dimension,
period) combinations, built once; a message only draws a combination id.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

FIRST_NAMES = (
    "james mary robert patricia john jennifer michael linda david elizabeth william barbara richard susan "
    "joseph jessica thomas sarah charles karen christopher lisa daniel nancy matthew betty anthony sandra "
    "mark ashley donald kimberly steven emily andrew donna paul michelle joshua carol kenneth amanda kevin "
    "melissa brian deborah george stephanie timothy rebecca ronald laura jason sharon edward cynthia jeffrey "
    "kathleen ryan amy jacob angela gary helen nicholas anna eric brenda jonathan pamela stephen emma larry "
    "nicole justin samantha scott katherine brandon christine benjamin debra samuel rachel gregory carolyn "
    "alexander janet patrick maria frank olivia raymond heather jack diane dennis julie jerry joyce tyler "
    "victoria aaron kelly jose christina adam lauren nathan joan henry evelyn zachary judith douglas megan "
    "peter andrea kyle cheryl noah hannah ethan jacqueline jeremy martha walter gloria christian teresa "
    "priya arjun wei mei hiroshi yuki sofia lucas matteo giulia lena jonas elif omar fatima chen ana"
).split()
LAST_NAMES = (
    "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez "
    "wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark "
    "ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams "
    "nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker cruz "
    "edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz morgan cooper peterson "
    "bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood james bennett gray "
    "mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez powell jenkins "
    "perry russell sullivan bell coleman butler henderson barnes fisher vasquez simmons romero jordan "
    "schmidt muller schneider fischer weber rossi ferrari bianchi dubois moreau laurent sato suzuki tanaka"
).split()
EMAIL_DOMAIN = "example.com"

TEST_ACCOUNTS = ("qa-bot", "test.user1", "test.user2", "loadtest.runner", "synthetic.monitor")


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


DOMAINS: tuple[Domain, ...] = (
    Domain("sales", "Sales", "main.sales.orders", "order_date",
           (("revenue", "SUM(net_amount)", "revenue"), ("order count", "COUNT(DISTINCT order_id)", "orders"),
            ("units sold", "SUM(quantity)", "units"), ("average order value", "AVG(net_amount)", "avg_order_value")),
           (("region", "regions", "region"), ("product category", "product categories", "product_category"),
            ("sales channel", "sales channels", "sales_channel"), ("customer segment", "customer segments", "segment")),
           ("pipeline", "quota", "deal", "pricing", "territory")),
    Domain("supply_chain", "Supply chain", "main.supply_chain.shipments", "ship_date",
           (("on-time delivery rate", "AVG(CASE WHEN delivered_on_time THEN 1 ELSE 0 END)", "on_time_rate"),
            ("shipment count", "COUNT(*)", "shipments"), ("freight cost", "SUM(freight_cost)", "freight_cost"),
            ("average lead time", "AVG(lead_time_days)", "avg_lead_time_days")),
           (("warehouse", "warehouses", "warehouse_name"), ("carrier", "carriers", "carrier"),
            ("supplier", "suppliers", "supplier_name"), ("destination country", "destination countries", "dest_country")),
           ("inventory", "logistics", "supplier", "demand", "warehouse")),
    Domain("finance", "Finance", "main.finance.gl_entries", "posting_date",
           (("operating expenses", "SUM(amount)", "opex"), ("invoice count", "COUNT(DISTINCT invoice_id)", "invoices"),
            ("days sales outstanding", "AVG(days_outstanding)", "dso"), ("budget variance", "SUM(amount - budget)", "variance")),
           (("cost center", "cost centers", "cost_center"), ("GL account", "GL accounts", "gl_account"),
            ("business unit", "business units", "business_unit"), ("vendor", "vendors", "vendor_name")),
           ("budget", "expense", "invoice", "forecast", "close")),
    Domain("hr", "People", "main.hr.employees", "snapshot_date",
           (("headcount", "COUNT(DISTINCT employee_id)", "headcount"), ("attrition rate", "AVG(CAST(terminated AS INT))", "attrition"),
            ("open requisitions", "SUM(open_reqs)", "open_reqs"), ("average tenure", "AVG(tenure_years)", "avg_tenure")),
           (("department", "departments", "department"), ("location", "locations", "location"),
            ("job level", "job levels", "job_level"), ("manager", "managers", "manager_name")),
           ("headcount", "hiring", "talent", "onboarding", "benefits")),
    Domain("marketing", "Marketing", "main.marketing.campaign_events", "event_date",
           (("leads", "COUNT(DISTINCT lead_id)", "leads"), ("spend", "SUM(spend_usd)", "spend"),
            ("conversion rate", "AVG(CAST(converted AS DOUBLE))", "conversion_rate"), ("cost per lead", "SUM(spend_usd) / COUNT(DISTINCT lead_id)", "cpl")),
           (("campaign", "campaigns", "campaign_name"), ("channel", "channels", "channel"),
            ("country", "countries", "country"), ("audience", "audiences", "audience")),
           ("campaign", "attribution", "lead", "brand", "web")),
    Domain("support", "Customer support", "main.support.tickets", "created_date",
           (("ticket volume", "COUNT(*)", "tickets"), ("average resolution time", "AVG(resolution_hours)", "avg_resolution_hours"),
            ("CSAT score", "AVG(csat)", "csat"), ("escalation rate", "AVG(CAST(escalated AS DOUBLE))", "escalation_rate")),
           (("product", "products", "product"), ("priority", "priorities", "priority"),
            ("support tier", "support tiers", "tier"), ("agent team", "agent teams", "team")),
           ("ticket", "case", "knowledge", "csat", "escalation")),
    Domain("manufacturing", "Manufacturing", "main.manufacturing.production_runs", "run_date",
           (("yield", "AVG(good_units / total_units)", "yield_rate"), ("downtime hours", "SUM(downtime_hours)", "downtime"),
            ("scrap cost", "SUM(scrap_cost)", "scrap_cost"), ("OEE", "AVG(oee)", "oee")),
           (("plant", "plants", "plant"), ("production line", "production lines", "line_id"),
            ("shift", "shifts", "shift"), ("product family", "product families", "product_family")),
           ("quality", "maintenance", "plant", "yield", "shopfloor")),
    Domain("product", "Product analytics", "main.product.usage_events", "event_date",
           (("daily active users", "COUNT(DISTINCT user_id)", "dau"), ("sessions", "COUNT(DISTINCT session_id)", "sessions"),
            ("feature adoption", "AVG(CAST(used_feature AS DOUBLE))", "adoption"), ("churned accounts", "COUNT(DISTINCT CASE WHEN churned THEN account_id END)", "churned")),
           (("plan", "plans", "plan_tier"), ("platform", "platforms", "platform"),
            ("feature", "features", "feature_name"), ("signup cohort", "signup cohorts", "cohort_month")),
           ("usage", "feature", "growth", "retention", "experiment")),
)

PERIODS = (
    ("last month", "date_sub(current_date(), 30)"), ("in the last 7 days", "date_sub(current_date(), 7)"),
    ("this quarter", "date_trunc('QUARTER', current_date())"), ("year to date", "date_trunc('YEAR', current_date())"),
    ("over the last 90 days", "date_sub(current_date(), 90)"),
)
FIRST_TEMPLATES = 5  # templates 0..4 open a conversation; 5..7 are follow-ups
N_TEMPLATES = 8

APP_NOUNS = ("explorer", "dashboard", "assistant", "chatbot", "copilot", "portal", "tracker", "planner",
             "monitor", "insights", "review", "advisor", "search", "analyzer", "hub")
APP_SUFFIXES = ("", "", "", "", "-dev", "-v2", "-prod", "-poc", "-staging")

BROWSER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
)
SDK_AGENTS = (
    "databricks-sdk-py/0.56.0 python/3.11.9 os/linux auth/oauth-m2m",
    "databricks-cli/0.240.0 databricks-sdk-go/0.58.1 go/1.23.4 os/darwin auth/databricks-cli",
    "Apache-HttpClient/4.5.14 (Java/17.0.12)",
    "dbt-databricks/1.9.1 databricks-sql-connector/3.7.0",
    "PowerBI/2.138 (DatabricksODBC 2.8.2)",
    "Tableau/2024.3 (Simba Spark ODBC 2.8.0)",
)


def _sql(domain: Domain, template: int, m: int, d: int, p: int) -> tuple[str, str, str, str]:
    """(question, SQL, title, description) for one grid cell."""
    mw, agg, alias = domain.measures[m]
    dw, dplural, col = domain.dims[d]
    pw, pexpr = PERIODS[p]
    where = f"WHERE {domain.date_col} >= {pexpr}"
    base = f"FROM {domain.table}\n{where}\n"
    if template == 0:
        return (f"What was the total {mw} by {dw} {pw}?",
                f"SELECT {col}, {agg} AS {alias}\n{base}GROUP BY {col}\nORDER BY {alias} DESC",
                f"Total {mw} by {dw}", f"Calculates the {mw} for each {dw} {pw}, sorted from highest to lowest.")
    if template == 1:
        return (f"Show me the top 10 {dplural} by {mw} {pw}",
                f"SELECT {col}, {agg} AS {alias}\n{base}GROUP BY {col}\nORDER BY {alias} DESC\nLIMIT 10",
                f"Top 10 {dplural} by {mw}", f"Lists the ten {dplural} with the highest {mw} {pw}.")
    if template == 2:
        return (f"How did {mw} trend week over week {pw}?",
                f"SELECT date_trunc('WEEK', {domain.date_col}) AS week, {agg} AS {alias}\n{base}GROUP BY 1\nORDER BY 1",
                f"Weekly {mw}", f"Shows the weekly {mw} {pw} to reveal the trend.")
    if template == 3:
        return (f"Which {dw} had the lowest {mw} {pw}?",
                f"SELECT {col}, {agg} AS {alias}\n{base}GROUP BY {col}\nORDER BY {alias} ASC\nLIMIT 5",
                f"Lowest {mw} by {dw}", f"Finds the {dplural} with the lowest {mw} {pw}.")
    if template == 4:
        return (f"Compare {mw} {pw} with the previous period for each {dw}",
                f"WITH cur AS (\n  SELECT {col}, {agg} AS {alias}\n  {base.strip()}\n  GROUP BY {col}\n)\n"
                f"SELECT c.{col}, c.{alias}, c.{alias} - p.{alias} AS change\nFROM cur c\n"
                f"LEFT JOIN {domain.table}_prev_period p USING ({col})\nORDER BY change DESC",
                f"{mw.capitalize()} vs previous period by {dw}",
                f"Compares the {mw} of each {dw} {pw} with the period before and sorts by the change.")
    if template == 5:
        return (f"Break that down by {dw}",
                f"SELECT {col}, {agg} AS {alias}\n{base}GROUP BY {col}\nORDER BY {alias} DESC",
                f"{mw.capitalize()} by {dw}", f"Breaks the {mw} down by {dw} {pw}.")
    if template == 6:
        return ("Can you show that as a percentage of the total?",
                f"SELECT {col}, {agg} AS {alias},\n  ROUND(100 * {alias} / SUM({alias}) OVER (), 1) AS pct_of_total\n"
                f"{base}GROUP BY {col}\nORDER BY pct_of_total DESC",
                f"Share of {mw} by {dw}", f"Shows each {dw}'s share of the total {mw} {pw} as a percentage.")
    return (f"Exclude the smallest {dplural} and sort by {mw}",
            f"SELECT {col}, {agg} AS {alias}\n{base}GROUP BY {col}\nHAVING COUNT(*) > 100\nORDER BY {alias} DESC",
            f"{mw.capitalize()} by {dw} (large only)", f"Lists {dplural} with enough activity, sorted by {mw} {pw}.")


@lru_cache(maxsize=1)
def genie_grid() -> tuple[list[str], list[str], list[str], list[str]]:
    """All (question, sql, title, description) cells; a cell id = ((((dom*8+t)*4+m)*4+d)*5+p)."""
    cells = [_sql(dom, t, m, d, p) for dom in DOMAINS for t in range(N_TEMPLATES)
             for m in range(4) for d in range(4) for p in range(len(PERIODS))]
    return tuple(list(col) for col in zip(*cells))  # type: ignore[return-value]


def genie_cell(domain, template, measure, dim, period):  # noqa: ANN001, ANN201 - numpy arrays in, out
    """Vectorised cell id for arrays of grid coordinates (see genie_grid)."""
    return (((domain * N_TEMPLATES + template) * 4 + measure) * 4 + dim) * len(PERIODS) + period
