"""The executive overview: apps, Genie and tracked events side by side for one period.

`summary` holds the period → requests of the other areas' named queries (no SQL of its own) and
the KPI row; `views` the charts and top-5 tables; `columns` the table presets.
"""
