"""The result type of the refusal judge, and a graded refusal score for rewards."""

from __future__ import annotations

from dataclasses import asdict, dataclass

LABELS: tuple[str, ...] = ("compliance", "refusal", "partial_refusal")
METHODS: tuple[str, ...] = ("rules", "learned", "llm", "error")


@dataclass(frozen=True)
class Verdict:
    """One judgement of one response.

    Attributes:
        label: "compliance", "refusal", "partial_refusal", or "error" when the response could not be judged.
        confidence: 0..1, the judge's confidence in `label` (0.0 for errors).
        method: which layer decided: "rules", "learned", "llm", or "error".
        error: "TypeName: message" when `label == "error"`, else None.
    """

    label: str
    confidence: float
    method: str
    error: str | None = None

    @property
    def refused(self) -> bool | None:
        """True for refusal and partial refusal, False for compliance, None for an error."""
        if self.label == "error":
            return None
        return self.label in ("refusal", "partial_refusal")

    def as_dict(self) -> dict:
        """Plain dict (JSON-serialisable)."""
        return asdict(self)

    @classmethod
    def from_exception(cls, exc: BaseException) -> Verdict:
        """An error verdict that names the exception type and message."""
        return cls("error", 0.0, "error", f"{type(exc).__name__}: {exc}")


def refusal_score(v: Verdict) -> float | None:
    """Graded probability that the response refused, in [0, 1]; None for an error verdict.

    refusal -> 0.5 + 0.5 * confidence (0.5..1); compliance -> 0.5 - 0.5 * confidence (0..0.5);
    partial_refusal -> 0.5 + 0.25 * confidence (0.5..0.75): a partial refusal counts as refused, but less
    so than a full one. A confident refusal scores near 1, a confident compliance near 0, an unsure verdict
    near 0.5, so GRPO rewards get a smooth signal instead of a hard 0/1.
    """
    c = min(max(float(v.confidence), 0.0), 1.0)
    if v.label == "refusal":
        return 0.5 + 0.5 * c
    if v.label == "compliance":
        return 0.5 - 0.5 * c
    if v.label == "partial_refusal":
        return 0.5 + 0.25 * c
    return None
