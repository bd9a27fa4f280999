"""Charts and tables of the Executive summary (pure functions over the named queries' frames).

Builders return None when there is nothing to draw, so the page shows the panel's empty state;
every chart has labelled axes with units and tooltips.
"""

from __future__ import annotations

from urllib.parse import quote

import altair as alt
import pandas as pd

from telemetry import charts
from telemetry.genie import tables as genie_tables
from telemetry.overview import columns
from telemetry.overview.summary import Period

TOP_N = 5
TREND_SERIES = {"apps": "Databricks Apps (signed-in users)", "genie": "Genie (users who asked)"}
PRODUCTS = {"apps_usd": "Apps compute", "genie_usd": "Genie", "warehouse_usd": "Genie's SQL warehouse share"}
PRODUCT_COLOURS = [charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[3]]


def trend(apps_daily: pd.DataFrame, genie_daily: pd.DataFrame) -> pd.DataFrame:
    """Daily active users of apps and of Genie as long data (day, series, users)."""
    apps = apps_daily[["day", "dau"]].rename(columns={"dau": "users"}).assign(series=TREND_SERIES["apps"])
    genie = genie_daily[["day", "users"]].assign(series=TREND_SERIES["genie"])
    long = pd.concat([apps, genie], ignore_index=True)
    return long.assign(day=pd.to_datetime(long["day"]), users=long["users"].astype("int64"))


def trend_chart(apps_daily: pd.DataFrame, genie_daily: pd.DataFrame) -> alt.Chart | None:
    """One line per product: distinct users per day (UTC)."""
    long = trend(apps_daily, genie_daily)
    if long.empty or long["users"].sum() == 0:
        return None
    names = list(TREND_SERIES.values())
    chart = alt.Chart(long).mark_line(point=alt.OverlayMarkDef(size=22)).encode(
        x=alt.X("day:T", title="Day (UTC)", axis=alt.Axis(format="%b %d")),
        y=alt.Y("users:Q", title="Active users per day", axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("series:N", sort=names, scale=alt.Scale(domain=names, range=charts.PALETTE[:2])),
        tooltip=[alt.Tooltip("day:T", title="Day", format="%a %b %d"), alt.Tooltip("series:N", title="Product"),
                 alt.Tooltip("users:Q", title="Active users", format=",d")])
    return charts.style(chart)


def cost_by_product(apps_cost: pd.DataFrame, genie_cost: pd.DataFrame, p: Period) -> pd.DataFrame:
    """Cost per product in the previous and the current period (long: period, product, cost_usd)."""
    labels = {"previous": f"Previous · {p.previous_label}", "current": f"This period · {p.short_label}"}
    rows = []
    for period, label in labels.items():
        apps = apps_cost.loc[apps_cost["period"] == period, "cost_usd"]
        genie = genie_cost[genie_cost["period"] == period]
        values = {"apps_usd": apps.sum(), "genie_usd": genie["genie_usd"].sum(),
                  "warehouse_usd": genie["warehouse_usd"].sum()}
        rows += [{"period": label, "product": PRODUCTS[k], "order": i, "cost_usd": float(v or 0.0)}
                 for i, (k, v) in enumerate(values.items())]
    return pd.DataFrame(rows)


def cost_chart(apps_cost: pd.DataFrame, genie_cost: pd.DataFrame, p: Period) -> alt.Chart | None:
    """Stacked cost bars, the previous period next to this one, coloured by product (USD at list price)."""
    frame = cost_by_product(apps_cost, genie_cost, p)
    if frame["cost_usd"].sum() == 0:
        return None
    names = list(PRODUCTS.values())
    chart = alt.Chart(frame).mark_bar(width=alt.RelativeBandSize(0.55)).encode(
        x=alt.X("period:N", title=None, sort=list(dict.fromkeys(frame["period"])),
                axis=alt.Axis(labelAngle=0, labelLimit=260, labelFontSize=11)),
        y=alt.Y("cost_usd:Q", title="Cost (USD, list price)", stack=True, axis=alt.Axis(format="$,.0f")),
        color=alt.Color("product:N", sort=names, scale=alt.Scale(domain=names, range=PRODUCT_COLOURS),
                        legend=alt.Legend(columns=3, labelLimit=200)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("period:N", title="Period"), alt.Tooltip("product:N", title="Product"),
                 alt.Tooltip("cost_usd:Q", title="Cost (USD)", format="$,.2f")])
    return charts.style(chart)


def cost_drivers(apps_cost: pd.DataFrame, spaces: pd.DataFrame, n: int = TOP_N) -> pd.DataFrame:
    """The `n` apps and `n` Genie spaces that cost most in the period (label, product, cost_usd)."""
    apps = apps_cost.assign(label="App · " + apps_cost["app_name"].astype(str), product="Apps compute")
    space = spaces.assign(label="Genie · " + genie_tables.space_labels(spaces), product="Genie")
    both = pd.concat([part[["label", "product", "cost_usd"]].astype({"cost_usd": "float64"})
                      .sort_values(["cost_usd", "label"], ascending=[False, True]).head(n)
                      for part in (apps, space)], ignore_index=True)
    return both[both["cost_usd"] > 0].sort_values(["cost_usd", "label"], ascending=[False, True])


def cost_drivers_chart(apps_cost: pd.DataFrame, spaces: pd.DataFrame) -> alt.Chart | None:
    top = cost_drivers(apps_cost, spaces)
    if top.empty:
        return None
    chart = alt.Chart(top).mark_bar(cornerRadiusEnd=2).encode(
        x=alt.X("cost_usd:Q", title="Cost in the period (USD, list price)", axis=alt.Axis(format="$,.0f")),
        y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)),
        color=alt.Color("product:N", scale=alt.Scale(domain=["Apps compute", "Genie"], range=charts.PALETTE[:2])),
        tooltip=[alt.Tooltip("label:N", title="App or space"), alt.Tooltip("product:N", title="Product"),
                 alt.Tooltip("cost_usd:Q", title="Cost (USD)", format="$,.2f")])
    return charts.style(chart, height=max(charts.HEIGHT, charts.RANK_ROW_PX * len(top) + 60))


def _carry(url: str, p: Period) -> str:
    """`url` with the summary's period, when a preset says it (a custom range opens the default period)."""
    return f"{url}{'&' if '?' in url else '?'}{p.query}" if p.query else url


def links(p: Period) -> dict[str, dict[str, str]]:
    """The pages behind each top-5 table, in the same period."""
    return {"apps": {"Every app: App usage": _carry("app-usage?view=Top+apps", p)},
            "spaces": {"Every space: Genie spaces": _carry("genie-spaces", p)}}


def top_apps(top: pd.DataFrame, cost: pd.DataFrame, p: Period, n: int = TOP_N) -> pd.DataFrame:
    """The `n` apps with the most users (app_usage/top_apps, cost from app_usage/cost_by_app), each
    linking to its page in the same period."""
    ranked = top.sort_values(["users", "logins", "app_name"], ascending=[False, False, True]).head(n)
    costs = dict(zip(cost["app_name"], cost["cost_usd"].astype("float64"), strict=False))
    page = lambda app: _carry(f"app-detail?app={quote(str(app), safe='')}", p)  # noqa: E731
    linked = ranked.assign(cost_usd=ranked["app_name"].map(lambda a: costs.get(a, 0.0)).astype("float64"),
                           details=ranked["app_name"].map(page))
    return linked[list(columns.TOP_APPS)].reset_index(drop=True)


def top_spaces(spaces: pd.DataFrame, p: Period, n: int = TOP_N) -> pd.DataFrame:
    """The `n` Genie spaces with the most users (genie/spaces_activity), with success rate and links."""
    table = genie_tables.spaces_table(spaces[spaces["users"] > 0])
    table = table.assign(details=table["details"].map(lambda url: _carry(url, p)))
    ranked = table.sort_values(["users", "messages", "title", "space_id"], ascending=[False, False, True, True])
    return ranked.head(n)[list(columns.TOP_SPACES)].reset_index(drop=True)
