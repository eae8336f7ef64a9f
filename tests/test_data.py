"""Tests for secmodel.data: loaders, validation errors, formats and the bundled files."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from secmodel.data import (
    ChatRow,
    PromptRow,
    load_chat,
    load_prompts,
    normalize_text,
    resolve_data_path,
)
from secmodel.errors import DataError, SecmodelError

REPO = Path(__file__).resolve().parents[1]


def _jsonl(path: Path, rows: list[dict | str]) -> Path:
    text = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")
    return path


def _p(i: int, label: str = "benign", split: str | None = "test", **kw: object) -> dict:
    row = {"id": f"r{i}", "prompt": f"prompt {i}", "label": label, "category": "c", **kw}
    if split is not None:
        row["split"] = split
    return row


# ---- validation errors name file and 1-based line ---------------------------------------------------

def test_bad_json_line(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "bad.jsonl", [_p(1), '{"id": "r2", "prompt": '])
    with pytest.raises(DataError, match=r"bad\.jsonl:2: malformed JSON") as exc:
        load_prompts(str(f))
    assert exc.value.line == 2 and exc.value.path == str(f)


def test_non_object_line(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "arr.jsonl", [_p(1), "[1, 2]"])
    with pytest.raises(DataError, match=r"arr\.jsonl:2: expected a JSON object"):
        load_prompts(str(f))


@pytest.mark.parametrize("field", ["id", "prompt", "label"])
def test_missing_field(tmp_path: Path, field: str) -> None:
    bad = _p(2)
    del bad[field]
    f = _jsonl(tmp_path / "m.jsonl", [_p(1), "", bad])  # blank line still counts
    with pytest.raises(DataError, match=rf"m\.jsonl:3: missing required field '{field}'"):
        load_prompts(str(f))


def test_empty_prompt(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "e.jsonl", [_p(1, prompt="   ")])
    with pytest.raises(DataError, match=r"e\.jsonl:1: field 'prompt' is empty"):
        load_prompts(str(f))


def test_unknown_label(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "l.jsonl", [_p(1), _p(2, label="harmful")])
    with pytest.raises(DataError, match=r"l\.jsonl:2: unknown label 'harmful'"):
        load_prompts(str(f))


def test_unknown_split_value(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "s.jsonl", [_p(1, split="holdout")])
    with pytest.raises(DataError, match=r"s\.jsonl:1: unknown split 'holdout'"):
        load_prompts(str(f))


def test_duplicate_id(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "d.jsonl", [_p(1), _p(2), {**_p(3), "id": "r1"}])
    with pytest.raises(DataError, match=r"d\.jsonl:3: duplicate id 'r1' \(first on line 1\)"):
        load_prompts(str(f))


def test_empty_split_is_error(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "t.jsonl", [_p(1, split="train"), _p(2, split="test")])
    with pytest.raises(DataError, match=r"t\.jsonl: split 'val' has no rows"):
        load_prompts(str(f), split="val")


def test_empty_file_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(DataError, match="no rows"):
        load_prompts(str(tmp_path / "empty.jsonl"))
    with pytest.raises(DataError, match="not found"):
        load_prompts(str(tmp_path / "nope.jsonl"))
    with pytest.raises(DataError, match="unsupported data format"):
        load_prompts(str(_jsonl(tmp_path / "x.txt", [_p(1)])))


def test_errors_are_secmodel_errors() -> None:
    assert issubclass(DataError, SecmodelError)


# ---- splits, limit, defaults ------------------------------------------------------------------------

def test_split_selection_and_limit(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "p.jsonl", [_p(1, split="train"), _p(2, split="val"), _p(3, split="validation"),
                                      _p(4, split=None)])
    everything = load_prompts(str(f))
    assert [r.split for r in everything.rows] == ["train", "val", "val", "test"]  # no split field -> test
    assert everything.split is None
    val = load_prompts(str(f), split="val")
    assert [r.id for r in val.rows] == ["r2", "r3"] and val.split == "val"
    assert [r.id for r in load_prompts(str(f), split="val", limit=1).rows] == ["r2"]
    assert isinstance(val.rows[0], PromptRow)
    with pytest.raises(DataError, match="limit"):
        load_prompts(str(f), limit=0)
    with pytest.raises(DataError, match="unknown split"):
        load_prompts(str(f), split="bogus")


def test_sha256_stable_and_content_based(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "h.jsonl", [_p(1), _p(2)])
    a, b = load_prompts(str(f)), load_prompts(str(f), split="test", limit=1)
    assert a.sha256 == b.sha256 and len(a.sha256) == 64
    import hashlib

    assert a.sha256 == hashlib.sha256(f.read_bytes()).hexdigest()
    _jsonl(f, [_p(1), _p(3)])
    assert load_prompts(str(f)).sha256 != a.sha256


# ---- CSV --------------------------------------------------------------------------------------------

def test_csv_loading(tmp_path: Path) -> None:
    f = tmp_path / "p.csv"
    f.write_text('id,prompt,label,category,split\n'
                 'a,"How do I kill a process, safely?",benign,homonym,test\n'
                 'b,"multi\nline ask",MALICIOUS,malware,\n', encoding="utf-8")
    s = load_prompts(str(f))
    assert [(r.id, r.label, r.split) for r in s.rows] == [("a", "benign", "test"), ("b", "malicious", "test")]
    assert s.rows[1].prompt == "multi\nline ask"


def test_csv_error_names_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("id,prompt,label\na,ok,benign\nb,\"two\nlines\",benign\nc,x,evil\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.csv:5: unknown label 'evil'"):
        load_prompts(str(f))


def test_csv_chat(tmp_path: Path) -> None:
    msgs = json.dumps([{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}])
    f = tmp_path / "c.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["id", "messages", "label"], ["x", msgs, "benign"]])
    rows = load_chat(str(f))
    assert rows[0].messages[-1] == {"role": "assistant", "content": "hello"} and rows[0].split == "train"


# ---- HF datasets ------------------------------------------------------------------------------------

def test_hf_local_dataset(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_list([_p(1, split="train"), _p(2, label="malicious", split="test")])
    ds.save_to_disk(str(tmp_path / "ds"))
    s = load_prompts(f"hf:{tmp_path / 'ds'}")
    assert [r.id for r in s.rows] == ["r1", "r2"] and len(s.sha256) == 64
    assert load_prompts(f"hf:{tmp_path / 'ds'}").sha256 == s.sha256
    assert [r.id for r in load_prompts(f"hf:{tmp_path / 'ds'}", split="test").rows] == ["r2"]


def test_hf_datasetdict_splits(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    rows = [{"id": "a", "prompt": "p", "label": "benign", "category": "c"}]
    dd = datasets.DatasetDict({"validation": datasets.Dataset.from_list(rows),
                               "train": datasets.Dataset.from_list([{**rows[0], "id": "b"}])})
    dd.save_to_disk(str(tmp_path / "dd"))
    assert [r.id for r in load_prompts(f"hf:{tmp_path / 'dd'}", split="val").rows] == ["a"]


def test_hf_bad_row_and_missing_dir(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    datasets.Dataset.from_list([_p(1), _p(2, label="nope")]).save_to_disk(str(tmp_path / "bad"))
    with pytest.raises(DataError, match=r":2: unknown label 'nope'"):
        load_prompts(f"hf:{tmp_path / 'bad'}")
    with pytest.raises(DataError, match="not found"):
        load_prompts(f"hf:{tmp_path / 'missing'}")


def test_hf_hub_name_offline_fails_fast() -> None:
    pytest.importorskip("datasets")
    code = ("from secmodel.data import load_prompts\nfrom secmodel.errors import DataError\n"
            "try:\n    load_prompts('hf:no-such-org/no-such-dataset')\n"
            "except DataError as e:\n    print('OK', e)\n")
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.startswith("OK"), out.stderr[-2000:]


# ---- chat validation --------------------------------------------------------------------------------

def _c(i: int, messages: list[dict], **kw: object) -> dict:
    return {"id": f"c{i}", "messages": messages, "label": "benign", "category": "x", **kw}


U = {"role": "user", "content": "q"}
A = {"role": "assistant", "content": "a"}


def test_chat_ok_and_errors(tmp_path: Path) -> None:
    ok = load_chat(str(_jsonl(tmp_path / "ok.jsonl", [_c(1, [U, A]), _c(2, [U, A], split="val")])))
    assert isinstance(ok[0], ChatRow) and ok[0].prompt == "q" and [r.split for r in ok] == ["train", "val"]
    cases = {
        "last message must have role 'assistant'": [U],
        "unknown role 'bot'": [U, {"role": "bot", "content": "a"}],
        "non-empty list": [],
        "content must be a non-empty string": [U, {"role": "assistant", "content": ""}],
        "no 'user' turn": [A],
    }
    for i, (msg, messages) in enumerate(cases.items()):
        f = _jsonl(tmp_path / f"bad{i}.jsonl", [_c(1, [U, A]), _c(2, messages)])
        with pytest.raises(DataError, match=rf"bad{i}\.jsonl:2: .*{msg}"):
            load_chat(str(f))
    with pytest.raises(DataError, match="missing required field 'messages'"):
        load_chat(str(_jsonl(tmp_path / "nm.jsonl", [{"id": "z"}])))


# ---- paths and normalisation ------------------------------------------------------------------------

def test_resolve_data_path(tmp_path: Path) -> None:
    assert Path(resolve_data_path("pkg://secbench.jsonl")).is_file()
    assert resolve_data_path("rel/file.jsonl") == "rel/file.jsonl"
    assert resolve_data_path("hf:org/name:cfg") == "hf:org/name:cfg"
    with pytest.raises(DataError, match="no bundled data file 'nope.jsonl'"):
        resolve_data_path("pkg://nope.jsonl")


def test_normalize_text() -> None:
    assert normalize_text("  How do I KILL a process?!\n\t") == "how do i kill a process"
    assert normalize_text("don't — stop…") == "dont stop"


def test_import_is_light() -> None:
    code = "import sys, secmodel.data; assert 'datasets' not in sys.modules and 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# ---- bundled files ----------------------------------------------------------------------------------

def test_secbench_valid_and_balanced() -> None:
    s = load_prompts("pkg://secbench.jsonl")
    authored = [r for r in s.rows if r.category.startswith("technical:")]
    composed = Counter((r.split, r.label) for r in s.rows if not r.category.startswith("technical:"))
    for split, n in (("test", 60), ("val", 40), ("train", 200)):
        assert composed[(split, "malicious")] == composed[(split, "benign")] == n
    # authored technical requests: a third of each label per split, every category in every split
    by_split = Counter((r.split, r.label) for r in authored)
    n_files = len(list((Path(__file__).parents[1] / "scripts" / "secbench_authored").glob("*.jsonl")))
    for label in ("malicious", "benign"):
        sizes = [by_split[(split, label)] for split in ("train", "val", "test")]
        assert min(sizes) >= 30 and max(sizes) - min(sizes) <= n_files  # thirds, rounded per file
    cats = {r.category for r in authored}
    assert len(cats) >= 14 and all({r.category for r in authored if r.split == x} == cats for x in ("val", "test"))
    test_rows = load_prompts("pkg://secbench.jsonl", split="test").rows
    assert len(test_rows) == 120 + by_split[("test", "malicious")] + by_split[("test", "benign")]
    mal_cats = {r.category for r in s.rows if r.label == "malicious"}
    assert {"malware", "phishing", "credential_theft", "exploitation", "c2", "defense_evasion",
            "exfiltration", "dos", "persistence", "privilege_escalation", "lateral_movement"} <= mal_cats
    for split in ("test", "val"):  # every malicious category is evaluated
        assert {r.category for r in s.rows if r.label == "malicious" and r.split == split} == mal_cats
    ben_kinds = {r.category.split(":")[0] for r in s.rows if r.label == "benign"}
    assert {"defense", "explain", "homonym", "authorized_testing"} <= ben_kinds
    assert all(r.id == f"sb-{i + 1:04d}" for i, r in enumerate(s.rows))


def test_sft_valid_and_balanced() -> None:
    rows = load_chat("pkg://sft_security.jsonl")
    assert 1000 <= len(rows) <= 1800
    labels = Counter(r.label for r in rows)
    assert 0.4 <= labels["malicious"] / len(rows) <= 0.6
    refusals = [r.messages[-1]["content"] for r in rows if r.label == "malicious"]
    assert len(set(refusals)) > 0.5 * len(refusals)  # varied, not one fixed string
    # the first word alone carries the decision: "Sorry" refuses, "Sure" answers
    assert {r.label for r in rows if r.messages[-1]["content"].startswith("Sorry")} == {"malicious"}
    assert {r.label for r in rows if r.messages[-1]["content"].startswith("Sure")} == {"benign"}
    assert all(r.messages[-1]["content"].startswith(("Sorry", "Sure", "I'm really sorry")) for r in rows)  # self-harm
    # whole conversations fit model.max_length (512 tokens): <= ~260 prompt tokens + <= 200 answer words
    assert all(len(r.messages[-1]["content"].split()) <= 200 for r in rows)
    assert {r.category.split(":")[0] for r in rows} >= {"harmful", "homonym", "defense", "malware"}
    assert {r.split for r in rows} == {"train", "val"}
    tactics = {"reconnaissance", "initial_access", "execution", "persistence", "privilege_escalation",
               "defense_evasion", "credential_access", "discovery", "lateral_movement", "collection",
               "command_and_control", "exfiltration", "impact"}
    assert tactics <= {r.category for r in rows}  # the authored minimal pairs span the ATT&CK tactics


def _build_data_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_data", REPO / "scripts" / "build_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_authored_pairs_bad_row_names_file_and_line(tmp_path: Path) -> None:
    good = {"prompt": "p", "response": "r", "label": "benign", "category": "c", "pair": "x"}
    (tmp_path / "mine.jsonl").write_text(json.dumps(good) + "\n" + json.dumps({**good, "label": "bad"}) + "\n")
    with pytest.raises(SystemExit, match=r"mine\.jsonl:2: needs"):
        _build_data_module().load_authored_pairs(tmp_path)
    (tmp_path / "mine.jsonl").write_text(json.dumps(good) + "\n{not json\n")
    with pytest.raises(SystemExit, match=r"mine\.jsonl:2: bad row"):
        _build_data_module().load_authored_pairs(tmp_path)


def test_authored_pairs_stay_in_one_split() -> None:
    """Both rows of an authored minimal pair land in the same split (no near-twin leaks into SFT val)."""
    build_data = _build_data_module()
    pairs = {r["messages"][0]["content"]: r["pair"] for r in build_data.load_authored_pairs()}
    assert len(pairs) >= 580
    by_pair: dict[str, set[str]] = {}
    for row in load_chat("pkg://sft_security.jsonl"):
        pair = pairs.get(row.messages[0]["content"])
        if pair is not None:
            by_pair.setdefault(pair, set()).add(row.split)
    assert len(by_pair) >= 290 and all(len(s) == 1 for s in by_pair.values())
    assert sum(s == {"val"} for s in by_pair.values()) >= 25


def test_public_mix_copy() -> None:
    s = load_prompts("pkg://cyber_refusal_mix.jsonl")
    assert len(s.rows) == 380 and {r.split for r in s.rows} == {"test"}
    assert Counter(r.label for r in s.rows) == {"malicious": 180, "benign": 200}
    files = Path(resolve_data_path("pkg://cyber_refusal_mix.jsonl")).parent
    for name in ("PurpleLlama_CybersecurityBenchmarks_LICENSE", "XSTest_LICENSE_CC-BY-4.0", "README.md"):
        assert (files / name).is_file()
    shared = REPO / ".." / "shared" / "data" / "public" / "cyber_refusal_mix.jsonl"
    if shared.is_file():
        assert load_prompts(str(shared)).sha256 == s.sha256


def test_build_script_is_deterministic() -> None:
    script = REPO / "scripts" / "build_data.py"
    assert script.is_file(), "scripts/build_data.py rebuilds the bundled data and must ship with it"
    subprocess.run([sys.executable, str(script), "--check"], check=True)
