"""The report's means are `statistics.mean`'s, rounded once, whether each value is summed or counted first."""

from __future__ import annotations

import statistics

from hypothesis import given
from hypothesis import strategies as st

from game.results.totals import exact_mean, exact_weighted_mean

FLOATS = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False, allow_subnormal=True)
SHARES = st.builds(lambda m, n: m / n, st.integers(0, 40), st.integers(1, 40))


@given(st.lists(FLOATS, min_size=1, max_size=50))
def test_the_mean_is_the_mean_statistics_gives(values):
    assert exact_mean(values) == statistics.mean(values)


@given(st.lists(st.tuples(SHARES, st.integers(1, 5000)), min_size=1, max_size=30))
def test_values_counted_first_give_the_same_float_bit_for_bit(counted):
    expanded = [value for value, times in counted for _ in range(times)]
    assert exact_weighted_mean(counted) == exact_mean(expanded) == statistics.mean(expanded)


def test_no_values_have_no_mean():
    assert exact_mean([]) is None and exact_weighted_mean([]) is None
