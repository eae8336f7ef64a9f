"""Rebuild the refusal judge's learned head: src/secmodel/judge/files/{train,dev}.jsonl and head.npz.

    HF_HUB_OFFLINE=1 .venv/bin/python scripts/train_judge_head.py

Same as `python -m secmodel.judge.train`. Deterministic: the data are generated with fixed seeds, the
encoder runs with 2 threads, and the logistic regression (lbfgs) has no randomness.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from secmodel.judge.train import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
