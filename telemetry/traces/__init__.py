"""Traces: OpenTelemetry spans from the span table (any of its three layouts), OTLP files and the
local OTLP/HTTP receiver that fill the embedded one, trace search and the waterfall of one trace."""
