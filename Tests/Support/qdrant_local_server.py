#!/usr/bin/env python3
"""A local server that speaks Qdrant's REST API, for aigov's tests (ARCHITECTURE.md section 6).

Usage: qdrant_local_server.py [--api-key KEY] [--port PORT]

Storage and search are qdrant-client's local mode (`QdrantClient(":memory:")`, Qdrant's own reference
semantics). Every request body is validated with `qdrant_client.http.models` (pydantic models that reject
unknown fields), and answers use Qdrant's envelopes: `{"result": ..., "status": "ok", "time": ...}` on
success, `{"status": {"error": "..."}, "time": ...}` on failure, plain text for 401/403.

Listens on 127.0.0.1 (a free port unless --port) and prints the port on the first line of stdout. Exits
when its stdin closes, so it dies with the test process that started it. Needs qdrant-client on
PYTHONPATH (scripts/qdrant-test-setup installs it into .deps/qdrant-test).

Routes served (the ones aigov's client uses):
  GET    /collections/{c}                     PUT /collections/{c}         DELETE /collections/{c}
  PUT    /collections/{c}/index               PUT /collections/{c}/points
  POST   /collections/{c}/points/delete       POST /collections/{c}/points/query
  POST   /collections/{c}/points/query/batch  POST /collections/{c}/points/count
  POST   /collections/{c}/points/scroll       GET /aliases     POST /collections/aliases
  POST   /collections/{c}/snapshots           GET /collections/{c}/snapshots
  GET    /collections/{c}/snapshots/{name}    DELETE /collections/{c}/snapshots/{name}
{c} may be an alias, as in Qdrant, except on the snapshot routes, which take the collection's own name (aigov
resolves the alias first, the one behaviour safe on every Qdrant version). A snapshot here is the collection's
configuration and points as JSON, not Qdrant's archive format: it exercises aigov's create, download (size and
SHA-256 checked against what the create answered) and delete, not restoring a snapshot into Qdrant. Collections have one unnamed vector or named dense vectors (multivectors
included) and sparse vectors with the IDF modifier, and keep their metadata.
Test controls (not Qdrant's):
  POST /__faults   {"faults": [FAULT, ...]}  queue faults for the next API requests, one per request, in
                   order; FAULT is {"status": 429|503|..., "retry_after": "1"} (an error answer),
                   {"delay": SECONDS} (answer normally after a pause) or {"drop": true} (close the
                   connection without answering); an optional "path" substring limits a fault to
                   matching requests.
  GET  /__requests  the API requests so far: method, path, query, api_key, bytes, points, at (epoch s),
                    fault (what was injected, if anything)
  POST /__reset     forget requests and queued faults
  POST /__outage    {"down": true|false}: while down, every API request has its connection closed without an
                    answer (Qdrant stopped, its data kept, as a real Qdrant restart keeps it)
"""

import argparse
import datetime
import hashlib
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pydantic
from qdrant_client import QdrantClient
from qdrant_client.http import models

STATE_LOCK = threading.Lock()  # local mode is not thread-safe
CONTROL_LOCK = threading.Lock()
CLIENT = QdrantClient(":memory:")
FAULTS = []
REQUESTS = []
API_KEY = None
OUTAGE = False
SNAPSHOTS = {}  # (collection, name) -> bytes


class Raw:
    """A result sent as bytes (a snapshot download), not in Qdrant's JSON envelope."""

    def __init__(self, data):
        self.data = data


class QdrantFailure(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def parse(model, body):
    """Validates `body` with a qdrant-client REST model, as Qdrant validates its JSON bodies."""
    try:
        return model.model_validate(body)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise QdrantFailure(400, f"Format error in JSON body: {first.get('msg')} at {where or 'body'}")


def resolve(name):
    """The collection an alias stands for, or the name itself."""
    for alias in CLIENT.get_aliases().aliases:
        if alias.alias_name == name:
            return alias.collection_name
    return name


def require_collection(name):
    if not CLIENT.collection_exists(resolve(name)):
        raise QdrantFailure(404, f"Not found: Collection `{name}` doesn't exist!")


def dump(value):
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list):
        return [dump(item) for item in value]
    return value


def check_vectors(name, points):
    """Qdrant's own checks of point vectors against the collection's configuration."""
    params = CLIENT.get_collection(resolve(name)).config.params
    for point in points:
        vector = point.vector
        if isinstance(params.vectors, models.VectorParams):
            size = params.vectors.size
            if not isinstance(vector, list) or len(vector) != size:
                got = len(vector) if isinstance(vector, list) else "named"
                raise QdrantFailure(400, f"Wrong input: Vector dimension error: expected dim: {size}, got {got}")
            continue
        if not isinstance(vector, dict):
            raise QdrantFailure(400, "Wrong input: Not existing vector name error: the collection has named vectors")
        dense = params.vectors or {}
        sparse = params.sparse_vectors or {}
        for key, value in vector.items():
            if key in dense:
                rows = value if dense[key].multivector_config is not None else [value]
                if not isinstance(value, list) or not rows or any(
                        not isinstance(row, list) or len(row) != dense[key].size for row in rows):
                    raise QdrantFailure(
                        400, f"Wrong input: Vector dimension error: expected dim: {dense[key].size} for {key}")
            elif key in sparse:
                if not isinstance(value, models.SparseVector) or len(set(value.indices)) != len(value.indices):
                    raise QdrantFailure(400, f"Wrong input: sparse vector {key} must have unique indices")
            else:
                raise QdrantFailure(400, f"Wrong input: Not existing vector name error: {key}")


def run_query(name, request):
    """One `QueryRequest`, as `points/query` and each search of `points/query/batch` answer it."""
    result = CLIENT.query_points(
        resolve(name), query=request.query, using=request.using, prefetch=request.prefetch,
        query_filter=request.filter, limit=request.limit or 10,
        with_payload=request.with_payload if request.with_payload is not None else False,
        with_vectors=request.with_vector if request.with_vector is not None else False)
    return {"points": dump(result.points)}


def handle_api(method, path, query, body):
    parts = [urllib.parse.unquote(part) for part in path.strip("/").split("/")]
    wait = query.get("wait", ["false"])[0] == "true"
    if parts == ["aliases"] and method == "GET":
        return {"aliases": dump(CLIENT.get_aliases().aliases)}
    if parts == ["collections", "aliases"] and method == "POST":
        request = parse(models.ChangeAliasesOperation, body)
        for action in request.actions:
            target = getattr(action, "create_alias", None)
            if target is not None and not CLIENT.collection_exists(target.collection_name):
                raise QdrantFailure(404, f"Not found: Collection `{target.collection_name}` doesn't exist!")
        CLIENT.update_collection_aliases(change_aliases_operations=request.actions)
        return True
    if len(parts) < 2 or parts[0] != "collections":
        raise QdrantFailure(404, f"Not found: {path}")
    name = parts[1]
    rest = parts[2:]
    status = "completed" if wait else "acknowledged"
    if rest == [] and method == "GET":
        require_collection(name)
        return dump(CLIENT.get_collection(resolve(name)))
    if rest == [] and method == "PUT":
        request = parse(models.CreateCollection, body)
        if CLIENT.collection_exists(name) or resolve(name) != name:
            raise QdrantFailure(409, f"Wrong input: Collection `{name}` already exists!")
        CLIENT.create_collection(
            name, vectors_config=request.vectors, sparse_vectors_config=request.sparse_vectors,
            metadata=request.metadata)
        return True
    if rest == [] and method == "DELETE":
        # Qdrant deletes collections by their own name only, never through an alias.
        if not CLIENT.collection_exists(name):
            raise QdrantFailure(404, f"Not found: Collection `{name}` doesn't exist!")
        CLIENT.delete_collection(name)
        for alias in CLIENT.get_aliases().aliases:
            if alias.collection_name == name:
                CLIENT.update_collection_aliases(change_aliases_operations=[
                    models.DeleteAliasOperation(delete_alias=models.DeleteAlias(alias_name=alias.alias_name))])
        return True
    if rest == ["index"] and method == "PUT":
        request = parse(models.CreateFieldIndex, body)
        require_collection(name)
        # Local mode keeps no payload indexes; the request is still validated and answered like Qdrant.
        return {"operation_id": 0, "status": status}
    if rest == ["points"] and method == "PUT":
        request = parse(models.PointsList, body)
        require_collection(name)
        check_vectors(name, request.points)
        CLIENT.upsert(resolve(name), points=request.points, wait=True)
        return {"operation_id": 0, "status": status}
    if rest == ["points", "delete"] and method == "POST":
        if isinstance(body, dict) and "filter" in body:
            selector = parse(models.FilterSelector, body)
        else:
            selector = parse(models.PointIdsList, body)
        require_collection(name)
        CLIENT.delete(resolve(name), points_selector=selector, wait=True)
        return {"operation_id": 0, "status": status}
    if rest == ["points", "query"] and method == "POST":
        request = parse(models.QueryRequest, body)
        require_collection(name)
        return run_query(name, request)
    if rest == ["points", "query", "batch"] and method == "POST":
        request = parse(models.QueryRequestBatch, body)
        require_collection(name)
        return [run_query(name, search) for search in request.searches]
    if rest == ["points", "count"] and method == "POST":
        request = parse(models.CountRequest, body)
        require_collection(name)
        result = CLIENT.count(resolve(name), count_filter=request.filter, exact=request.exact is not False)
        return dump(result)
    if rest and rest[0] == "snapshots":
        if not CLIENT.collection_exists(name):
            raise QdrantFailure(404, f"Not found: Collection `{name}` doesn't exist!")
        if rest == ["snapshots"] and method == "POST":
            records, offset, points = None, None, []
            while True:
                records, offset = CLIENT.scroll(name, limit=256, offset=offset, with_payload=True, with_vectors=True)
                points += dump(records)
                if offset is None:
                    break
            data = json.dumps({"collection": dump(CLIENT.get_collection(name)), "points": points}).encode()
            now = datetime.datetime.now(datetime.timezone.utc)
            snapshot = f"{name}-{now.strftime('%Y-%m-%d-%H-%M-%S-%f')}.snapshot"
            SNAPSHOTS[(name, snapshot)] = data
            return describe_snapshot(snapshot, data, now)
        if rest == ["snapshots"] and method == "GET":
            return [describe_snapshot(key[1], data, None) for key, data in SNAPSHOTS.items() if key[0] == name]
        if len(rest) == 2 and (name, rest[1]) in SNAPSHOTS:
            if method == "GET":
                return Raw(SNAPSHOTS[(name, rest[1])])
            if method == "DELETE":
                del SNAPSHOTS[(name, rest[1])]
                return True
        raise QdrantFailure(404, f"Not found: Snapshot {'/'.join(rest[1:])} of {name}")
    if rest == ["points", "scroll"] and method == "POST":
        request = parse(models.ScrollRequest, body)
        require_collection(name)
        records, offset = CLIENT.scroll(
            resolve(name), scroll_filter=request.filter, limit=request.limit or 10, offset=request.offset,
            with_payload=request.with_payload if request.with_payload is not None else True,
            with_vectors=request.with_vector if request.with_vector is not None else False)
        return {"points": dump(records), "next_page_offset": offset}
    raise QdrantFailure(404, f"Not found: {method} {path}")


def describe_snapshot(name, data, created):
    return {"name": name, "creation_time": created.strftime("%Y-%m-%dT%H:%M:%S") if created else None,
            "size": len(data), "checksum": hashlib.sha256(data).hexdigest()}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_json(self, status, payload, headers=None):
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def send_text(self, status, text):
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.guarded("GET")

    def do_PUT(self):
        self.guarded("PUT")

    def do_POST(self):
        self.guarded("POST")

    def do_DELETE(self):
        self.guarded("DELETE")

    def guarded(self, method):
        try:
            self.dispatch(method)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a timeout test): nothing to answer.
            self.close_connection = True

    def control(self, method, path, raw):
        if path == "/__faults" and method == "POST":
            faults = json.loads(raw or b"{}").get("faults", [])
            with CONTROL_LOCK:
                FAULTS.extend(faults)
            self.send_json(200, {"queued": len(faults)})
        elif path == "/__requests" and method == "GET":
            with CONTROL_LOCK:
                entries = list(REQUESTS)
            self.send_json(200, {"requests": entries})
        elif path == "/__outage" and method == "POST":
            global OUTAGE
            with CONTROL_LOCK:
                OUTAGE = bool(json.loads(raw or b"{}").get("down"))
            self.send_json(200, {"down": OUTAGE})
        elif path == "/__reset" and method == "POST":
            with CONTROL_LOCK:
                FAULTS.clear()
                REQUESTS.clear()
            self.send_json(200, {"reset": True})
        else:
            self.send_json(404, {"status": {"error": "unknown control route"}, "time": 0.0})

    def dispatch(self, method):
        started = time.time()
        url = urllib.parse.urlsplit(self.path)
        raw = self.read_body()
        if url.path.startswith("/__"):
            self.control(method, url.path, raw)
            return
        fault = None
        with CONTROL_LOCK:
            if OUTAGE:
                fault = {"drop": True, "outage": True}
            for index, candidate in enumerate(FAULTS if fault is None else []):
                if candidate.get("path") is None or candidate["path"] in url.path:
                    fault = FAULTS.pop(index)
                    break
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = "<invalid json>"
        entry = {
            "method": method, "path": url.path, "query": url.query, "api_key": self.headers.get("api-key"),
            "bytes": len(raw), "at": started, "fault": fault,
            "points": len(body["points"]) if isinstance(body, dict) and isinstance(body.get("points"), list) else None,
        }
        with CONTROL_LOCK:
            REQUESTS.append(entry)
        if fault and fault.get("drop"):
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass
            return
        if fault and "status" in fault:
            headers = {}
            if fault.get("retry_after") is not None:
                headers["Retry-After"] = str(fault["retry_after"])
            status = int(fault["status"])
            if status in (401, 403):
                self.send_text(status, "Invalid api-key")
            else:
                self.send_json(status, {"status": {"error": f"injected fault {status}"}, "time": 0.0}, headers)
            return
        if fault and "delay" in fault:
            time.sleep(float(fault["delay"]))
        if API_KEY is not None and self.headers.get("api-key") != API_KEY:
            self.send_text(401, "Must provide an API key or an Authorization bearer token")
            return
        if body == "<invalid json>":
            self.send_json(400, {"status": {"error": "Format error in JSON body: invalid JSON"}, "time": 0.0})
            return
        try:
            with STATE_LOCK:
                result = handle_api(method, url.path, urllib.parse.parse_qs(url.query), body)
            if isinstance(result, Raw):
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(result.data)))
                self.end_headers()
                self.wfile.write(result.data)
                return
            self.send_json(200, {"result": result, "status": "ok", "time": time.time() - started})
        except QdrantFailure as failure:
            self.send_json(failure.status, {"status": {"error": failure.message}, "time": time.time() - started})
        except (BrokenPipeError, ConnectionResetError):
            raise
        except (ValueError, AssertionError) as error:  # qdrant-client's own input checks
            self.send_json(400, {"status": {"error": f"Wrong input: {error}"}, "time": time.time() - started})
        except Exception as error:  # noqa: BLE001 - answer like Qdrant's 500, keep serving
            self.send_json(500, {"status": {"error": f"Service internal error: {error}"}, "time": 0.0})


def main():
    global API_KEY
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-key")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    API_KEY = args.api_key
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
