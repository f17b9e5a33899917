"""Startup checks of the settings opendata reads."""

import math

from django.conf import settings
from django.core.checks import Error, register

from .scoring import PART_KEYS


@register()
def score_weights(app_configs, **kwargs):
    """TRACKER_SCORE_WEIGHTS gives each of the five parts a non-negative number, together 100."""
    weights = getattr(settings, "TRACKER_SCORE_WEIGHTS", None)
    expected = ", ".join(PART_KEYS)
    hint = f"Weights in percent for {expected}, e.g. the default 30/30/20/10/10."
    if not isinstance(weights, dict):
        return [
            Error(
                "TRACKER_SCORE_WEIGHTS must be a dict of the five parts' weights.",
                hint=hint,
                id="opendata.E001",
            )
        ]
    errors = []
    if set(weights) != set(PART_KEYS):
        missing = ", ".join(key for key in PART_KEYS if key not in weights) or "none"
        unknown = ", ".join(sorted(set(weights) - set(PART_KEYS))) or "none"
        errors.append(
            Error(
                f"TRACKER_SCORE_WEIGHTS must name exactly the five parts "
                f"(missing: {missing}; unknown: {unknown}).",
                hint=hint,
                id="opendata.E002",
            )
        )
    bad = {
        key: value
        for key, value in weights.items()
        if isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    }
    if bad:
        errors.append(
            Error(
                f"TRACKER_SCORE_WEIGHTS must be non-negative numbers: {bad}.", hint=hint, id="opendata.E003"
            )
        )
    elif not math.isclose(sum(weights.values()), 100):
        errors.append(
            Error(
                f"TRACKER_SCORE_WEIGHTS must add up to 100 (percent); "
                f"they add up to {sum(weights.values()):g}.",
                hint=hint,
                id="opendata.E004",
            )
        )
    return errors
