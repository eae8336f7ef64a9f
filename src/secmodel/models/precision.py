"""Precision choices shared by evaluation, training and the judge."""

from __future__ import annotations


def cpu_has_fast_bf16() -> bool:
    """True on CPUs with AMX tiles or AVX512-BF16, where bf16 matmuls beat fp32 (about 1.8x here)."""
    import torch

    amx = getattr(torch.cpu, "_is_amx_tile_supported", lambda: False)
    avx = getattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)
    return bool(amx() or avx())


def inference_dtype(requested: str, accelerator: str, hardware_bf16: bool, model_dtype: str) -> str:
    """Resolve `endpoint.torch_dtype` for in-process generation.

    `auto` gives bfloat16 on GPUs whose preset trains in bf16 and on CPUs with fast bf16, else the model's
    own dtype (float32 for the default model). Any other value is used as it is.
    """
    if requested != "auto":
        return requested
    if accelerator == "cuda":
        return "bfloat16" if hardware_bf16 else model_dtype
    return "bfloat16" if cpu_has_fast_bf16() else model_dtype
