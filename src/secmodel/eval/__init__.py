"""Evaluation: endpoints (local transformers, OpenAI-compatible, vLLM), the Weave evaluation, the response
cache, metrics with confidence intervals, and the multirun leaderboard.

Importing this package is cheap; torch, transformers, openai and weave are imported where they are used.
Entry point: `secmodel.eval.job.evaluate(cfg, run)`.
"""
