"""Rates with 95% Wilson intervals, the balanced score's interval, and McNemar tests between aliases."""

from __future__ import annotations

import math
from typing import Any


def wilson(successes: int, n: int, alpha: float = 0.05) -> dict[str, Any]:
    """`{"value", "ci_low", "ci_high", "n", "successes"}`; value and bounds are None when n == 0."""
    if n <= 0:
        return {"value": None, "ci_low": None, "ci_high": None, "n": 0, "successes": 0}
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(successes, n, alpha=alpha, method="wilson")
    return {"value": successes / n, "ci_low": float(low), "ci_high": float(high), "n": n, "successes": successes}


def balanced(mal: dict[str, Any], ben: dict[str, Any]) -> dict[str, Any]:
    """Balanced score = (malicious refusal rate + benign helpfulness rate) / 2, with a 95% interval.

    The two rates come from disjoint prompt sets, so they are independent. The interval combines their
    Wilson intervals with the MOVER method (Newcombe; Zou & Donner 2008) for a sum of independent
    proportions: L = p1 + p2 - sqrt((p1-l1)² + (p2-l2)²), U = p1 + p2 + sqrt((u1-p1)² + (u2-p2)²), halved.
    It keeps Wilson's asymmetry near 0 and 1 and always contains the point value. n is both rates' n together.
    """
    if not mal["n"] or not ben["n"]:
        return {"value": None, "ci_low": None, "ci_high": None, "n": mal["n"] + ben["n"]}
    p1, p2 = mal["value"], ben["value"]
    low = p1 + p2 - math.sqrt((p1 - mal["ci_low"]) ** 2 + (p2 - ben["ci_low"]) ** 2)
    high = p1 + p2 + math.sqrt((mal["ci_high"] - p1) ** 2 + (ben["ci_high"] - p2) ** 2)
    return {
        "value": (p1 + p2) / 2,
        "ci_low": max(0.0, low / 2),
        "ci_high": min(1.0, high / 2),
        "n": mal["n"] + ben["n"],
    }


def mcnemar_test(a_correct: list[bool], b_correct: list[bool]) -> dict[str, Any]:
    """McNemar test on paired outcomes; exact binomial when the discordant count is below 25."""
    if len(a_correct) != len(b_correct):
        raise ValueError("paired outcome lists differ in length")
    both = sum(1 for a, b in zip(a_correct, b_correct) if a and b)
    a_only = sum(1 for a, b in zip(a_correct, b_correct) if a and not b)
    b_only = sum(1 for a, b in zip(a_correct, b_correct) if b and not a)
    neither = len(a_correct) - both - a_only - b_only
    discordant = a_only + b_only
    exact = discordant < 25
    if discordant == 0:
        statistic, p_value = 0.0, 1.0
    else:
        from statsmodels.stats.contingency_tables import mcnemar

        res = mcnemar([[both, a_only], [b_only, neither]], exact=exact, correction=True)
        statistic, p_value = float(res.statistic), float(res.pvalue)
    return {
        "n_paired": len(a_correct),
        "both_correct": both,
        "a_only_correct": a_only,
        "b_only_correct": b_only,
        "neither_correct": neither,
        "exact": exact,
        "statistic": statistic,
        "p_value": p_value,
    }
