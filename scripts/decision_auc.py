"""How well an adapter's first answer token separates malicious from benign prompts (no generation).

    HF_HUB_OFFLINE=1 .venv/bin/python scripts/decision_auc.py smollm2-135m,sec-v2-sft [--split val]

For each secbench prompt of the split, log P("Sorry" | prompt) at the answer's first position. The SFT data
opens every refusal with "Sorry" and every helpful answer with "Sure", so this one number is the model's
refuse-or-answer decision. Prints, per alias, the ROC AUC of that score (malicious vs benign) and how often
"Sorry" is the greedy first token on each class. It is a fast check of an adapter or checkpoint (a few
seconds per 100 prompts on CPU), not a replacement for the evaluation job, which reads the whole answers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def decision_scores(model: Any, tokenizer: Any, prompts: list[str]) -> list[tuple[float, bool]]:
    """(log P("Sorry") at the first answer position, whether "Sorry" is the greedy token) per prompt."""
    import torch

    sorry = tokenizer("Sorry", add_special_tokens=False)["input_ids"][0]
    out = []
    with torch.no_grad():
        for prompt in prompts:
            ids = tokenizer.apply_chat_template([{"role": "user", "content": prompt}], add_generation_prompt=True,
                                                return_tensors="pt", return_dict=True)
            logp = torch.log_softmax(model(**ids).logits[0, -1].float(), dim=-1)
            out.append((logp[sorry].item(), int(logp.argmax()) == sorry))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("aliases", help="comma-separated aliases: the base model's name or registered adapters")
    parser.add_argument("--split", default="val", choices=["train", "val", "test"], help="secbench split")
    args = parser.parse_args(argv)

    from hydra import compose, initialize_config_dir
    from sklearn.metrics import roc_auc_score

    from secmodel.cli import CONF_DIR
    from secmodel.config import register_configs
    from secmodel.data import load_prompts
    from secmodel.train.common import load_model

    register_configs()
    rows = load_prompts("pkg://secbench.jsonl", args.split).rows
    malicious = [r.label == "malicious" for r in rows]
    for alias in args.aliases.split(","):
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            overrides = ["trainer=sft"] + ([] if alias == "smollm2-135m" else [f"trainer.init_adapter={alias}"])
            cfg = compose(config_name="config", overrides=overrides)
        model, tokenizer, _ = load_model(cfg)
        scores = decision_scores(model.eval(), tokenizer, [r.prompt for r in rows])
        greedy = {label: sum(s[1] for s, m in zip(scores, malicious) if m == label) / malicious.count(label)
                  for label in (True, False)}
        auc = roc_auc_score(malicious, [s[0] for s in scores])
        print(f"{alias}: AUC {auc:.3f}; greedy 'Sorry' on malicious {greedy[True]:.2f}, on benign {greedy[False]:.2f}"
              f" (secbench {args.split}, n={len(rows)})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
