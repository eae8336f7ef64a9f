"""Refusal judge: did a model refuse? Layers: fast rules, a learned CPU classifier, an optional LLM judge.

Importing this package is cheap: torch/transformers load on the first learned-layer use.
"""

from __future__ import annotations

from .config import JudgeConfig
from .judge import RefusalJudge, get_judge
from .verdict import LABELS, Verdict, refusal_score

__all__ = ["LABELS", "JudgeConfig", "RefusalJudge", "Verdict", "get_judge", "refusal_score"]
