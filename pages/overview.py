"""Overview (executives, everyone): every data source at a glance — volume, latest event, freshness."""

import streamlit as st

from telemetry import ui
from telemetry.formatting import compact, hours

_BADGE = {"ok": ("green", "fresh"), "stale": ("orange", "stale"), "empty": ("gray", "empty"),
          "missing": ("red", "missing"), "error": ("red", "error")}

st.title("Overview")
st.caption("What the console reads, how much of it there is and how fresh it is.")

sources = ui.sources()
latest = max((s.latest_event for s in sources if s.latest_event), default=None)
ok = sum(s.status == "ok" for s in sources)

top = st.columns(4)
top[0].metric("Sources healthy", f"{ok} / {len(sources)}")
top[1].metric("Rows across sources", compact(sum(s.row_count for s in sources)))
top[2].metric("Rows in the last 24 h", compact(sum(s.rows_last_day for s in sources)))
top[3].metric("Newest event", ui.age_text(latest))
ui.freshness(data_as_of=latest)

for start in range(0, len(sources), 4):
    for col, src in zip(st.columns(4), sources[start:start + 4], strict=False):
        with col.container(border=True, height=190):
            color, label = _BADGE[src.status]
            name = src.spec.label
            st.markdown(f"**{name}** :{color}-badge[{label}]", help=f"`{src.table}` — {src.spec.purpose}")
            if src.status in ("missing", "error", "empty"):
                st.caption(src.message[:160])
                continue
            st.metric(name, compact(src.row_count), delta=f"{compact(src.rows_last_day)} in the last 24 h",
                      delta_color="off", delta_arrow="off", label_visibility="collapsed")
            st.caption(f"newest {src.latest_event:%b %d %H:%M} · {hours(src.age_hours)} ago"
                       if src.latest_event else "no timestamps")
