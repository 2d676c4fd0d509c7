"""Moscow, 1956: an educational role-play built from the Soviet record of the June 1956 talks."""
