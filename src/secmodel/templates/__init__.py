"""Chat templates shipped with secmodel (training templates with `{% generation %}` markers).

`model.chat_template` names a file in this folder (e.g. `smollm2_chat.jinja`) or a path to a Jinja file.
"""

from __future__ import annotations

from pathlib import Path

from secmodel.errors import ConfigError

TEMPLATES_DIR = Path(__file__).resolve().parent


def template_path(name: str) -> Path:
    """Resolve `name` (a file in this folder, or a path) to an existing template file.

    Raises:
        ConfigError: no such file (the message lists the shipped templates).
    """
    for candidate in (TEMPLATES_DIR / name, Path(name).expanduser()):
        if candidate.is_file():
            return candidate
    shipped = ", ".join(sorted(p.name for p in TEMPLATES_DIR.glob("*.jinja")))
    raise ConfigError(f"model.chat_template: {name!r} is neither a file in {TEMPLATES_DIR} ({shipped}) nor a path")


def load_template(name: str) -> str:
    """The text of template `name` (see `template_path`)."""
    return template_path(name).read_text(encoding="utf-8")
