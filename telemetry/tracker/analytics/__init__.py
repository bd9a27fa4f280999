"""The tracker page's analyses (filters → bound parameters, derived numbers, charts). Not part of the
library: an app that imports `telemetry.tracker` never loads this subpackage, the console, or pandas."""
