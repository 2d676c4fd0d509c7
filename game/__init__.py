"""Moscow, 1956: an educational role-play built from the Soviet record of the June 1956 talks."""

__version__ = "0.1.0"  # keep in step with pyproject.toml; stored with every recorded session
