"""wilson.py: the Wilson score interval the measurement scripts report
(imported by their embedded Python, with scripts/ on PYTHONPATH)."""
import math


def interval(k, n, z=1.96):
    """Returns the (low, high) Wilson score interval of k successes in n
    trials, within [0, 1]; (0.0, 0.0) when n is 0."""
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, c - h), min(1.0, c + h))
