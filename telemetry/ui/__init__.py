"""The UI layer: the only Streamlit-aware code of the console.

Pages import this package and nothing below it but the areas: `ui.start` (a page's queries,
concurrently), `ui.panel` (a block that shows its own error), `ui.chart`, `ui.table`, `ui.kpi_row`,
`ui.freshness`, `ui.views.pick`, `ui.filters`, `ui.gate.require`. See README "How to write a page".
"""

from telemetry.ui import filters, gate, views
from telemetry.ui.data import Data, sources, start
from telemetry.ui.panels import captions, chart, download_all, empty_state, graph, kpi_row, panel, table, tiles
from telemetry.ui.session import current_user
from telemetry.ui.text import facts, freshness, links

__all__ = ["Data", "captions", "chart", "current_user", "download_all", "empty_state", "facts", "filters", "freshness",
           "graph", "gate", "kpi_row", "links", "panel", "sources", "start", "table", "tiles", "views"]
