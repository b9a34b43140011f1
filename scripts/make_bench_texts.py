#!/usr/bin/env python3
"""Writes benchmark inputs for `aigov bench embed` as JSONL {"text"} lines.

  scripts/make_bench_texts.py passages BEIR_DIR OUT.jsonl [--count 1000] [--words 200]
      The first COUNT corpus documents of a BEIR folder (title + text) that have at least WORDS words,
      cut to WORDS words. With ../shared/data/beir/scifact this is "1,000 SciFact abstracts cut to 200 words".
  scripts/make_bench_texts.py queries BEIR_DIR OUT.jsonl [--count 200]
      The first COUNT queries: short questions, for per-query latency.

SciFact is not redistributed with aigov (non-commercial licence); point this at your own copy.
"""
import argparse
import json
import os

parser = argparse.ArgumentParser()
parser.add_argument("kind", choices=["passages", "queries"])
parser.add_argument("beir_dir")
parser.add_argument("out")
parser.add_argument("--count", type=int, default=None)
parser.add_argument("--words", type=int, default=200)
args = parser.parse_args()

texts = []
if args.kind == "passages":
    count = args.count or 1000
    with open(os.path.join(args.beir_dir, "corpus.jsonl"), encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            words = (doc.get("title", "") + " " + doc.get("text", "")).split()
            if len(words) >= args.words:
                texts.append(" ".join(words[: args.words]))
            if len(texts) == count:
                break
else:
    count = args.count or 200
    with open(os.path.join(args.beir_dir, "queries.jsonl"), encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            if len(texts) == count:
                break

with open(args.out, "w", encoding="utf-8") as f:
    for t in texts:
        f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
print(f"wrote {len(texts)} texts to {args.out}")
