#!/usr/bin/env python3
"""hnswlib side of `aigov bench ann`: same files, parameters and JSON shape.

    python3 scripts/bench_hnswlib.py --base B.fvecs --query Q.fvecs --groundtruth G.ivecs \
        [--metric cosine|l2] [--k 10] [--m 16] [--ef-construction 200] [--ef 10,20,40,80,160,320] [--threads 1] [--build-threads 1]

The build uses --build-threads threads (add_items' num_threads, default 1), the queries --threads. `qps` and the latencies come from one
`knn_query` call per query, like the Swift side; since that includes Python call overhead (a few
microseconds), `qps_batch` also reports one `knn_query` call over all queries (num_threads=1), which is
hnswlib's best case and the figure to compare against.
"""
import argparse
import json
import os
import resource
import tempfile
import time

import hnswlib
import numpy as np


def read_fvecs(path):
    raw = np.fromfile(path, dtype=np.int32)
    dim = raw[0]
    return raw.reshape(-1, dim + 1)[:, 1:].view(np.float32).copy()


def read_ivecs(path):
    raw = np.fromfile(path, dtype=np.int32)
    dim = raw[0]
    return raw.reshape(-1, dim + 1)[:, 1:].copy()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--query", required=True)
    p.add_argument("--groundtruth", required=True)
    p.add_argument("--metric", default="cosine", choices=["cosine", "l2"])
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--ef-construction", type=int, default=200)
    p.add_argument("--ef", default="10,20,40,80,160,320")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--build-threads", type=int, default=1)
    a = p.parse_args()

    base = read_fvecs(a.base)
    queries = read_fvecs(a.query)
    truth = read_ivecs(a.groundtruth)[:, : a.k]
    n, dim = base.shape

    index = hnswlib.Index(space=a.metric, dim=dim)
    index.init_index(max_elements=n, M=a.m, ef_construction=a.ef_construction, random_seed=100)
    index.set_num_threads(1)
    t0 = time.monotonic()
    index.add_items(base, np.arange(n), num_threads=a.build_threads)
    build_seconds = time.monotonic() - t0
    del base

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "index.bin")
        index.save_index(path)
        index_bytes = os.path.getsize(path)

    runs = []
    for ef in [int(x) for x in a.ef.split(",")]:
        index.set_ef(ef)
        latencies = []
        labels = np.empty((len(queries), a.k), dtype=np.int64)
        t_all = time.monotonic()
        for i in range(len(queries)):
            t = time.monotonic()
            found, _ = index.knn_query(queries[i : i + 1], k=a.k, num_threads=a.threads)
            latencies.append(time.monotonic() - t)
            labels[i] = found[0]
        wall = time.monotonic() - t_all
        t_batch = time.monotonic()
        index.knn_query(queries, k=a.k, num_threads=a.threads)
        batch_wall = time.monotonic() - t_batch
        hits = sum(len(set(labels[i]) & set(truth[i])) for i in range(len(queries)))
        lat = np.sort(np.array(latencies))
        runs.append(
            {
                "ef": ef,
                "recall": hits / (a.k * len(queries)),
                "qps": len(queries) / wall,
                "qps_batch": len(queries) / batch_wall,
                "p50_us": float(lat[len(lat) // 2] * 1e6),
                "p99_us": float(lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1e6),
            }
        )
    print(
        json.dumps(
            {
                "implementation": f"hnswlib-{getattr(hnswlib, '__version__', 'pypi')}",
                "rows": n,
                "dim": dim,
                "metric": a.metric,
                "k": a.k,
                "m": a.m,
                "ef_construction": a.ef_construction,
                "threads": a.threads,
                "build_threads": a.build_threads,
                "build_seconds": build_seconds,
                "index_bytes": index_bytes,
                "raw_vector_bytes": n * dim * 4,
                "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                "runs": runs,
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    main()
