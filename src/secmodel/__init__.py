"""secmodel: Hydra-configured experiments for security-tuned chat models."""

__version__ = "0.1.0"
