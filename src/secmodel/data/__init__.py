"""secmodel datasets: bundled security data and loaders for JSONL, CSV and Hugging Face datasets.

Importing this package is cheap: ``datasets`` is imported only when an ``hf:`` source is read.
Bundled files (``pkg://<name>``) are described in ``files/README.md``.
"""

from secmodel.data.loaders import load_chat, load_prompts
from secmodel.data.paths import bundled_dir, resolve_data_path
from secmodel.data.schema import LABELS, SPLITS, ChatRow, PromptRow, PromptSet, normalize_text

__all__ = [
    "LABELS",
    "SPLITS",
    "ChatRow",
    "PromptRow",
    "PromptSet",
    "bundled_dir",
    "load_chat",
    "load_prompts",
    "normalize_text",
    "resolve_data_path",
]
