"""Pure functions over small, already-aggregated frames (what SQL cannot say simply)."""
