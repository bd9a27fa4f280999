"""App usage: who uses which Databricks App, how often, what it costs, what fails.

`usage` holds the filters → parameters, KPIs and derived numbers; `views` the row and chart shaping
of each panel; `columns` the table presets; `rollups` the hourly sign-ins rollup the pages read.
"""
