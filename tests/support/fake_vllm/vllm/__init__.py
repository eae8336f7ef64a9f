"""A fake `vllm` package for fast tests of secmodel.serve (see api_server.py); not the real vLLM."""
