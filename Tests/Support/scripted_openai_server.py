#!/usr/bin/env python3
"""A scripted OpenAI-compatible chat server for the Answering tests (Python 3 standard library only).

Usage: scripted_openai_server.py LOG_FILE

Listens on 127.0.0.1 on a free port and prints the port on the first line of stdout. Exits when its
stdin closes, so it dies with the test process that started it.

Each POST /v1/chat/completions plays the scenario named by the request's model, "SCENARIO" or
"SCENARIO#anything" (the suffix keeps concurrent tests apart: attempts are counted per full model
name; "replay=FILE#..." sends Tests/AnsweringTests/Fixtures/FILE byte for byte, as an event stream or,
for a .json file, as a JSON body). Every request is appended to LOG_FILE as one JSON line {model, attempt, path, headers, body};
a client that goes away mid-stream adds {model, event: "disconnected"}.
"""

import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG_LOCK = threading.Lock()
ATTEMPTS = {}
LOG_PATH = None
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "AnsweringTests", "Fixtures")

ANSWER_PIECES = [
    "Providers of high-risk AI systems must ",
    "establish a risk management system [1]. ",
    "Deployers must monitor the operation of the system [2][7].",
    "\n\nNon-compliance can lead to fines [9].",
]
SECRET_BODY = "upstream exploded; key=sk-live-SUPERSECRET-0000 and prompt echo"


def log(entry):
    with LOG_LOCK:
        with open(LOG_PATH, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


def groq_chunk(delta, finish=None, x_groq=None):
    chunk = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "openai/gpt-oss-20b",
        "system_fingerprint": "fp_test",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }
    if x_groq is not None:
        chunk["x_groq"] = x_groq
    return chunk


def event(payload):
    return ("data: " + json.dumps(payload, ensure_ascii=False) + "\n\n").encode("utf-8")


GROQ_USAGE = {
    "queue_time": 0.01, "prompt_tokens": 321, "prompt_time": 0.02, "completion_tokens": 42,
    "completion_time": 0.05, "total_tokens": 363, "total_time": 0.07,
}


def groq_stream_events():
    out = [event(groq_chunk({"role": "assistant", "content": None}, x_groq={"id": "req_test"}))]
    out.append(event(groq_chunk({"reasoning": "The user asks about obligations."})))
    out.append(b": keep-alive comment\n\n")
    for piece in ANSWER_PIECES:
        out.append(event(groq_chunk({"content": piece})))
    out.append(event(groq_chunk({}, finish="stop", x_groq={"id": "req_test", "usage": GROQ_USAGE})))
    out.append(b"data: [DONE]\n\n")
    return out


def llamacpp_stream_events():
    def chunk(delta, finish=None, extra=None):
        payload = {
            "choices": [{"finish_reason": finish, "index": 0, "delta": delta}],
            "created": 1700000000, "id": "chatcmpl-llama", "model": "smollm2",
            "system_fingerprint": "b0000", "object": "chat.completion.chunk",
        }
        payload.update(extra or {})
        return ("data: " + json.dumps(payload) + "\r\n\r\n").encode("utf-8")

    out = [chunk({"role": "assistant", "content": None})]
    out.append(chunk({"reasoning_content": "thinking"}))
    for piece in ANSWER_PIECES:
        out.append(chunk({"content": piece}))
    out.append(chunk({}, finish="stop", extra={
        "usage": {"completion_tokens": 40, "prompt_tokens": 300, "total_tokens": 340},
        "timings": {"prompt_n": 300, "prompt_ms": 120.5, "predicted_n": 40, "predicted_ms": 800.1},
    }))
    out.append(b"data: [DONE]\r\n\r\n")
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    # Low-level writers -------------------------------------------------------------------------

    def start(self, status, content_type, extra_headers=None, chunked=True, length=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (extra_headers or {}).items():
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.flush()

    def chunk(self, data):
        self.wfile.write(b"%X\r\n" % len(data) + data + b"\r\n")
        self.wfile.flush()

    def end_chunks(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def whole(self, status, content_type, body, extra_headers=None):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.start(status, content_type, extra_headers, chunked=False, length=len(data))
        self.wfile.write(data)
        self.wfile.flush()

    def sse(self, events, pause=0.0, split=None):
        self.start(200, "text/event-stream", {"Cache-Control": "no-cache"})
        for data in events:
            pieces = [data[i:i + split] for i in range(0, len(data), split)] if split else [data]
            for piece in pieces:
                self.chunk(piece)
                if pause:
                    time.sleep(pause)
        self.end_chunks()

    def cut(self):
        """Drops the connection without finishing the chunked body."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def error_json(self, status, headers=None):
        body = json.dumps({"error": {"message": "scripted failure", "type": "server_error"}})
        self.whole(status, "application/json", body, headers)

    # Requests ----------------------------------------------------------------------------------

    def do_GET(self):
        """GET /v1/models, the listing health probes: the bearer key picks the answer ("sk-refused" gets 401
        with a secret-bearing body, "sk-busy" a 503, "sk-slow" a 200 after 60 s), logged as model "models"."""
        key = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        log({"model": "models", "attempt": 1, "path": self.path,
             "headers": {name.lower(): value for name, value in self.headers.items()}})
        if self.path.rstrip("/") != "/v1/models":
            self.error_json(404)
        elif key == "sk-refused":
            self.whole(401, "application/json", json.dumps({"error": {"message": SECRET_BODY}}))
        elif key == "sk-busy":
            self.error_json(503)
        else:
            if key == "sk-slow":
                time.sleep(60)
            listing = {"object": "list", "data": [{"id": "scripted", "object": "model", "owned_by": "aigov"}]}
            self.whole(200, "application/json", json.dumps(listing))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {"unparsed": raw.decode("utf-8", "replace")}
        model = str(body.get("model", ""))
        scenario = model.split("#", 1)[0]
        with LOG_LOCK:
            ATTEMPTS[model] = ATTEMPTS.get(model, 0) + 1
            attempt = ATTEMPTS[model]
        log({
            "model": model, "attempt": attempt, "path": self.path,
            "headers": {name.lower(): value for name, value in self.headers.items()}, "body": body,
        })
        try:
            self.play(scenario, attempt, body)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True
            log({"model": model, "event": "disconnected"})

    def play(self, scenario, attempt, body):
        streamed = bool(body.get("stream"))
        if scenario.startswith("replay="):
            name = os.path.basename(scenario[len("replay="):])
            with open(os.path.join(FIXTURES, name), "rb") as handle:
                data = handle.read()
            if name.endswith(".json"):
                self.whole(200, "application/json", data)
            else:
                self.sse([data], split=97)
        elif scenario == "groq_stream":
            self.sse(groq_stream_events())
        elif scenario == "llamacpp_stream":
            self.sse(llamacpp_stream_events())
        elif scenario == "fragmented":
            # Every 3 bytes in its own chunk, with pauses, so reads split CRLFs and UTF-8 sequences.
            events = [event(groq_chunk({"role": "assistant", "content": None}))]
            events.append(event(groq_chunk({"content": "Données — “quoted” 🤖 text [1]."})))
            events.append(event(groq_chunk({}, finish="stop")))
            events.append(b"data: [DONE]\n\n")
            self.sse(events, pause=0.001, split=3)
        elif scenario == "nonstream":
            completion = {
                "id": "chatcmpl-whole", "object": "chat.completion", "created": 1700000000, "model": "m",
                "choices": [{
                    "index": 0, "finish_reason": "stop",
                    "message": {"role": "assistant", "content": "".join(ANSWER_PIECES),
                                "reasoning_content": "hidden"},
                }],
                "usage": {"prompt_tokens": 300, "completion_tokens": 40, "total_tokens": 340},
            }
            self.whole(200, "application/json", json.dumps(completion))
        elif scenario == "rate_limited_once":
            if attempt == 1:
                self.error_json(429, {"Retry-After": "1"})
            else:
                self.reply_ok(streamed)
        elif scenario == "rate_limited_long":
            self.error_json(429, {"Retry-After": "120"})
        elif scenario == "unavailable_twice":
            if attempt <= 2:
                self.error_json(503)
            else:
                self.reply_ok(streamed)
        elif scenario == "server_error_always":
            self.error_json(500)
        elif scenario == "bad_gateway_secret":
            self.whole(502, "text/html", "<html><body>" + SECRET_BODY + "</body></html>")
        elif scenario == "unauthorized":
            self.whole(401, "application/json", json.dumps({"error": {"message": SECRET_BODY}}))
        elif scenario == "bad_request":
            self.whole(400, "application/json", json.dumps({"error": {"message": SECRET_BODY}}))
        elif scenario == "cut_mid_stream":
            self.start(200, "text/event-stream")
            self.chunk(event(groq_chunk({"role": "assistant", "content": None})))
            self.chunk(event(groq_chunk({"content": ANSWER_PIECES[0]})))
            self.chunk(event(groq_chunk({"content": ANSWER_PIECES[1]})))
            self.chunk(b"data: {\"choices\": [{\"delta\": {\"content\": \"Deployers mu")
            # async-http-client may drop body parts it has not handed out yet when the connection dies, and
            # then the client rightly retries; the pause lets the client read the output first.
            time.sleep(0.5)
            self.cut()
        elif scenario == "cut_before_content":
            if attempt == 1:
                self.start(200, "text/event-stream")
                self.chunk(event(groq_chunk({"role": "assistant", "content": None})))
                self.cut()
            else:
                self.reply_ok(streamed)
        elif scenario == "groq_error_mid_stream":
            self.start(200, "text/event-stream")
            self.chunk(event(groq_chunk({"role": "assistant", "content": None})))
            self.chunk(event(groq_chunk({"content": ANSWER_PIECES[0]})))
            self.chunk(event(groq_chunk({"content": ANSWER_PIECES[1]})))
            self.chunk(event({"x_groq": {"id": "req_test", "error": {
                "message": SECRET_BODY, "type": "internal_server_error", "code": "service_unavailable"}}}))
            self.end_chunks()
        elif scenario == "groq_error_first":
            if attempt == 1:
                self.start(200, "text/event-stream")
                self.chunk(event(groq_chunk({"role": "assistant", "content": None})))
                self.chunk(event({"error": {"message": SECRET_BODY, "type": "server_error"}}))
                self.end_chunks()
            else:
                self.reply_ok(streamed)
        elif scenario == "slow_first_byte":
            # Far past any first-byte timeout under test, so a client whose timer fires late on a loaded
            # machine still finds nothing arrived; the thread is a daemon and dies with the server.
            time.sleep(60)
            self.reply_ok(streamed)
        elif scenario == "slow_stream":
            # A first delta, then keep-alive comments every 50 ms for up to 60 s: a client that cancels
            # shows up as a failed write, however late a loaded machine gets round to cancelling.
            self.start(200, "text/event-stream")
            self.chunk(event(groq_chunk({"role": "assistant", "content": None})))
            self.chunk(event(groq_chunk({"content": "Providers must act [1]."})))
            for _ in range(1200):
                time.sleep(0.05)
                self.chunk(b": waiting\n\n")
            self.chunk(event(groq_chunk({}, finish="stop")))
            self.chunk(b"data: [DONE]\n\n")
            self.end_chunks()
        elif scenario == "empty_answer":
            self.sse([
                event(groq_chunk({"role": "assistant", "content": None})),
                event(groq_chunk({"reasoning": "only reasoning"})),
                event(groq_chunk({}, finish="length")),
                b"data: [DONE]\n\n",
            ])
        elif scenario == "ignores_stream":
            self.reply_ok(False)
        else:
            self.whole(404, "application/json", json.dumps({"error": {"message": "unknown scenario"}}))

    def reply_ok(self, streamed):
        if streamed:
            self.sse(groq_stream_events())
        else:
            self.play("nonstream", 1, {})


def main():
    global LOG_PATH
    LOG_PATH = sys.argv[1]
    open(LOG_PATH, "a").close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdout.write("%d\n" % server.server_address[1])
    sys.stdout.flush()
    # The parent holds our stdin open while it runs; EOF means it is gone.
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
