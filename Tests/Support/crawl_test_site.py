#!/usr/bin/env python3
"""A web site on loopback built to test aigov's crawler (issue 17): the cases a regulator's site presents.

Usage: crawl_test_site.py [PDF]   prints its port on the first line; exits when stdin closes.

Routes:
  /robots.txt          disallows /private, asks a crawl delay of 0.2 s, names the sitemap index
  /                    links: relative, absolute, with tracking parameters, to /private, to the PDF, a <base>
  /guidance/base.html  a page whose links resolve against its <base href>
  /etag.html           ETag "v1" and Last-Modified; answers 304 to either validator
  /etag-hub.html       ETag "hub1" (304 to it), links to /changing.html
  /changing.html       its text changes at every request
  /redirect/N          a chain of N redirects ending at /
  /to-metadata         302 to http://169.254.169.254/latest/meta-data/
  /to-private          302 to /private/secret.html (disallowed by robots.txt)
  /no-location         302 without a Location
  /slow.html[?s=N]     answers after 3 s (N s)
  /large.html          a 3 MiB page
  /missing.html 404, /broken.html 500, /gone.html 410
  /act.pdf             the PDF given on the command line (application/pdf)
  /sitemap-index.xml   a sitemap index naming /sitemap-pages.xml.gz (gzip)
  /topics[?anything]   a hub for the topic filter and the priority queue: links, in this order, to
                       /topics/news/events.html, /topics/recipes.html (no policy words), /topics/ai-policy.html
  /live/*.html         pages the live web fallback reads (/live/sandbox.html: a made-up sandbox rule)
  /customsearch/v1     a Google Custom Search-compatible endpoint: items = /live/ pages (cx=slow: /slow.html?s=20
                       first); 403 unless key=test-key
  POST /v1/chat/completions
                       an OpenAI-compatible chat model that answers a JSON array of /live/ page URLs (401 unless
                       the bearer token is test-key)
  /__hits              how many times each path was requested (JSON)
"""

import gzip
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PDF = open(sys.argv[1], "rb").read() if len(sys.argv) > 1 else b"%PDF-1.4\n%%EOF\n"
HITS = {}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=None):
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if status != 304 and self.command != "HEAD":
            self.wfile.write(body)

    def page(self, title, body):
        return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>".encode()

    def do_GET(self):
        path = self.path
        with LOCK:
            HITS[path] = HITS.get(path, 0) + 1
            count = HITS[path]
        host = self.headers.get("Host", "127.0.0.1")
        if path == "/__hits":
            with LOCK:
                self.send(200, json.dumps(HITS).encode(), "application/json")
            return
        if path == "/robots.txt":
            text = ("User-agent: *\nDisallow: /private\nCrawl-delay: 0.2\n"
                    f"Sitemap: http://{host}/sitemap-index.xml\n")
            self.send(200, text.encode(), "text/plain")
        elif path == "/":
            self.send(200, self.page("Regulator home", (
                '<h1>AI regulation guidance</h1><p>The regulator publishes guidance on high-risk AI systems.</p>'
                '<a href="/guidance/base.html">Guidance</a> <a href="etag.html?utm_source=news">Etag</a> '
                f'<a href="http://{host}/changing.html#part">Changing</a> <a href="/private/secret.html">Private</a> '
                '<a href="/act.pdf">The act</a> <a href="mailto:info@example.org">Mail</a>')))
        elif path == "/guidance/base.html":
            self.send(200, (
                f'<!doctype html><html><head><base href="http://{host}/guidance/deep/"><title>Guidance</title>'
                '</head><body><p>Guidance on transparency.</p><a href="note.html">Note</a></body></html>').encode())
        elif path == "/etag.html":
            if self.headers.get("If-None-Match") == '"v1"' or self.headers.get("If-Modified-Since"):
                self.send(304, headers={"ETag": '"v1"'})
            else:
                self.send(200, self.page("Stable", "<p>This page never changes.</p>"),
                          headers={"ETag": '"v1"', "Last-Modified": "Mon, 02 Dec 2024 10:00:00 GMT"})
        elif path == "/etag-hub.html":
            if self.headers.get("If-None-Match") == '"hub1"':
                self.send(304, headers={"ETag": '"hub1"'})
            else:
                self.send(200, self.page("Hub", '<p>Guidance hub.</p><a href="/changing.html">Changing</a>'),
                          headers={"ETag": '"hub1"'})
        elif path == "/changing.html":
            self.send(200, self.page("Changing", f"<p>Revision {count} of the changing page.</p>"))
        elif path.startswith("/redirect/"):
            remaining = int(path.rsplit("/", 1)[1])
            target = "/" if remaining <= 1 else f"/redirect/{remaining - 1}"
            self.send(302, headers={"Location": target})
        elif path == "/to-metadata":
            self.send(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        elif path == "/to-private":
            self.send(302, headers={"Location": "/private/secret.html"})
        elif path == "/no-location":
            self.send(302)
        elif path.split("?")[0] == "/slow.html":
            time.sleep(float(path.split("?s=")[1]) if "?s=" in path else 3)
            self.send(200, self.page("Slow", "<p>Late.</p>"))
        elif path == "/large.html":
            self.send(200, b"<p>" + b"x" * (3 << 20) + b"</p>")
        elif path == "/missing.html":
            self.send(404, self.page("Not found", "<p>No.</p>"))
        elif path == "/broken.html":
            self.send(500, self.page("Error", "<p>Broken.</p>"))
        elif path == "/gone.html":
            self.send(410, self.page("Gone", "<p>Gone.</p>"))
        elif path == "/act.pdf":
            self.send(200, PDF, "application/pdf")
        elif path.split("?")[0].rstrip("/") == "/topics":
            self.send(200, self.page("Topics", (
                '<p>Topics.</p><a href="/topics/news/events.html">Events</a> '
                '<a href="/topics/recipes.html">Recipes</a> <a href="/topics/ai-policy.html">AI policy</a>')))
        elif path == "/topics/news/events.html":
            self.send(200, self.page("Events", "<p>Upcoming events and an open day for the public.</p>"))
        elif path == "/topics/recipes.html":
            self.send(200, self.page("Recipes", (
                "<p>Slow-cooked lentil soup: soften onions, add lentils and stock, simmer for forty minutes and "
                "season to taste. Serve with bread.</p>")))
        elif path == "/topics/ai-policy.html":
            self.send(200, self.page("AI policy", (
                "<p>Our artificial intelligence policy: a risk management framework for high-risk AI systems, "
                "transparency obligations, human oversight and accountability under the AI Act regulation.</p>")))
        elif path == "/live/sandbox.html":
            self.send(200, self.page("Quantum widget sandbox rule", (
                "<h1>Quantum widget sandbox</h1><p>Operators of quantum widget sandboxes must file a "
                "zephyr register entry within fourteen days of opening the sandbox to testers.</p>"
                "<p>The regulator publishes the zephyr register every quarter.</p>")))
        elif path == "/live/other.html":
            self.send(200, self.page("Unrelated notice", "<p>The office is closed on public holidays.</p>"))
        elif path.startswith("/customsearch/v1"):
            from urllib.parse import parse_qs, urlparse
            query = parse_qs(urlparse(path).query)
            if query.get("key") != ["test-key"] or not query.get("q") or not query.get("cx"):
                self.send(403, b'{"error": "forbidden"}', "application/json")
                return
            items = [{"link": f"http://{host}/live/sandbox.html"}, {"link": f"http://{host}/live/other.html"},
                     {"link": "http://169.254.169.254/latest/meta-data/"}]
            if query.get("cx") == ["slow"]:
                items = [{"link": f"http://{host}/slow.html?s=20"}, {"link": f"http://{host}/live/sandbox.html"}]
            self.send(200, json.dumps({"items": items}).encode(), "application/json")
        elif path == "/sitemap-index.xml":
            self.send(200, (
                '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f'<sitemap><loc>http://{host}/sitemap-pages.xml.gz</loc></sitemap></sitemapindex>').encode(),
                "application/xml")
        elif path == "/sitemap-pages.xml.gz":
            xml = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   f'<url><loc>http://{host}/etag.html</loc></url><url><loc>http://{host}/act.pdf</loc></url>'
                   '</urlset>')
            self.send(200, gzip.compress(xml.encode()), "application/gzip")
        else:
            self.send(404, self.page("Not found", "<p>No such page.</p>"))


    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with LOCK:
            HITS["POST " + self.path] = HITS.get("POST " + self.path, 0) + 1
        host = self.headers.get("Host", "127.0.0.1")
        if self.path != "/v1/chat/completions":
            self.send(404, b"{}", "application/json")
            return
        if self.headers.get("Authorization") != "Bearer test-key":
            self.send(401, b'{"error": "bad key"}', "application/json")
            return
        request = json.loads(body or b"{}")
        urls = [f"http://{host}/live/sandbox.html", f"http://{host}/live/other.html"]
        content = "```json\n" + json.dumps(urls) + "\n```" if request.get("model") == "fenced" else json.dumps(urls)
        reply = {"id": "x", "object": "chat.completion", "model": request.get("model"),
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                              "finish_reason": "stop"}]}
        self.send(200, json.dumps(reply).encode(), "application/json")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
