"""Training jobs: `sft.train(cfg, run)` and `grpo.train(cfg, run)` each return the registered alias.

Heavy libraries (torch, transformers, trl, peft, weave) are imported inside the functions.
"""
