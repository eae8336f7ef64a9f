"""Structured-config schemas for every config group; `register_configs()` puts them in Hydra's ConfigStore."""

from secmodel.config.schema import register_configs

__all__ = ["register_configs"]
