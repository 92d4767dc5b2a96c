"""Evaluation and agreement (docs/metrics.md): alignment, metrics, inter-annotator agreement. No Textual here."""

from annotator.evaluation.agreement import AgreementResult, agreement
from annotator.evaluation.alpha import AlphaResult, krippendorff_alpha
from annotator.evaluation.metrics import (
    Counts,
    ErrorItem,
    EvaluationError,
    EvaluationResult,
    attribution_outcomes,
    evaluate,
)

__all__ = [
    "AgreementResult",
    "AlphaResult",
    "Counts",
    "ErrorItem",
    "EvaluationError",
    "EvaluationResult",
    "agreement",
    "attribution_outcomes",
    "evaluate",
    "krippendorff_alpha",
]
