"""Fakes for tests only: a Databricks REST server on 127.0.0.1 that the real databricks-sdk talks to."""
