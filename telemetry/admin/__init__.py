"""Platform admin: the health of every source (Overview, Data health, doctor) and, as they arrive,
the ingestion jobs and alerts."""
