"""Operations console for Databricks: the data layer, importable without Streamlit."""
