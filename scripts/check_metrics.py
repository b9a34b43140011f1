#!/usr/bin/env python3
"""Prints the reference metrics for a TREC run and qrels, per query and averaged, as the Swift tests
(Tests/EvaluationTests/RankingMetricsTests.swift) expect them in fixtures/eval/expected.json.

Usage: pip install pytrec-eval-terrier
       scripts/check_metrics.py fixtures/eval/qrels.txt fixtures/eval/run.txt > fixtures/eval/expected.json

Everything comes from pytrec_eval (what BEIR calls), so ties rank as trec_eval ranks them (score, then
document id, descending). RR@k is trec_eval's `recip_rank` when the first relevant document is within the
first k (recip_rank >= 1/k), else 0. Not ir_measures' RR@k: it cuts the run with its own tie order (q1 here
scores 0.5 there, 1/3 in trec_eval), nor BEIR's `mrr`, which keeps ties in insertion order.
"""
import json
import sys

import pytrec_eval


def read(path, columns):
    table = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts:
                query, doc, value = parts[columns[0]], parts[columns[1]], parts[columns[2]]
                table.setdefault(query, {})[doc] = value
    return table


qrels = {q: {d: int(v) for d, v in docs.items()} for q, docs in read(sys.argv[1], (0, 2, 3)).items()}
run = {q: {d: float(v) for d, v in docs.items()} for q, docs in read(sys.argv[2], (0, 2, 4)).items()}

measures = {"ndcg_cut.3", "ndcg_cut.10", "recall.3", "recall.100", "recip_rank"}
per_query = pytrec_eval.RelevanceEvaluator(qrels, measures).evaluate(run)
for values in per_query.values():
    for k in (3, 10):
        values[f"rr_{k}"] = values["recip_rank"] if values["recip_rank"] >= 1 / k else 0.0
    del values["recip_rank"]
keys = ["ndcg_cut_3", "ndcg_cut_10", "recall_3", "recall_100", "rr_3", "rr_10"]
mean = {key: sum(values[key] for values in per_query.values()) / len(per_query) for key in keys}
print(json.dumps({"per_query": per_query, "mean": mean, "queries": len(per_query)}, indent=1, sort_keys=True))
