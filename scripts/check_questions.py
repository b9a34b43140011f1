#!/usr/bin/env python3
"""Checks a learner question set (JSON Lines) against an ingested knowledge base.

Usage:
    scripts/check_questions.py --db DATA_DIR/aigov.sqlite fixtures/questions/learner.jsonl
    scripts/check_questions.py --db DATA_DIR/aigov.sqlite --stats fixtures/questions/learner.jsonl

Each line must be an object with
    id        non-empty string, unique in the file
    split     "tune", "heldout" or "fresh"
    question  non-empty string
    document  the id of a stored document (a file name in corpus/)
    provision non-empty string (Article 5(1)(f), Annex III point 4, GOVERN 1.2, Section 4.2, ...)
    expect    list of 1 or 2 non-empty strings
and every expect phrase, folded the way `aigov eval questions` folds it (PhraseMatcher.fold: NFKC,
lower case, every whitespace run to one space), must occur in at least one and at most three chunks of
the whole knowledge base, and in at least one chunk of the question's own document.

Prints each offending line and a summary; exits 1 on any violation. With --stats, also prints the count
of questions per document and split. Python 3 standard library only.
"""

import argparse
import collections
import json
import sqlite3
import sys
import unicodedata

REQUIRED = ("id", "split", "question", "document", "provision", "expect")
SPLITS = ("tune", "heldout", "fresh")
MAX_CHUNKS = 3


def fold(text):
    """PhraseMatcher.fold: NFKC, lower case, whitespace runs collapsed to one space."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def load_chunks(db_path):
    con = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
    try:
        documents = {row[0] for row in con.execute("SELECT id FROM documents")}
        chunks = [(doc, section, fold(text)) for doc, section, text in
                  con.execute("SELECT document_id, section, text FROM chunks ORDER BY document_id, ordinal")]
    finally:
        con.close()
    return documents, chunks


def check_line(number, raw, documents, chunks, seen_ids):
    """Returns (record or None, [problems], {phrase: [(doc, section)]})."""
    problems = []
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as error:
        return None, ["not JSON: %s" % error], {}
    if not isinstance(record, dict):
        return None, ["not a JSON object"], {}
    for key in REQUIRED:
        if key not in record:
            problems.append("missing %r" % key)
    extra = sorted(set(record) - set(REQUIRED))
    if extra:
        problems.append("unknown fields %s" % ", ".join(extra))
    for key in ("id", "question", "document", "provision"):
        if key in record and (not isinstance(record[key], str) or not record[key].strip()):
            problems.append("%r must be a non-empty string" % key)
    if isinstance(record.get("id"), str):
        if record["id"] in seen_ids:
            problems.append("duplicate id %r (first on line %d)" % (record["id"], seen_ids[record["id"]]))
        else:
            seen_ids[record["id"]] = number
    if "split" in record and record["split"] not in SPLITS:
        problems.append("split must be one of %s" % "/".join(SPLITS))
    if isinstance(record.get("document"), str) and record["document"] not in documents:
        problems.append("document %r is not stored in the knowledge base" % record["document"])
    hits = {}
    expect = record.get("expect")
    if "expect" in record:
        if (not isinstance(expect, list) or not 1 <= len(expect) <= 2
                or not all(isinstance(p, str) and fold(p) for p in expect)):
            problems.append("'expect' must be a list of 1 or 2 non-empty strings")
        else:
            for phrase in expect:
                wanted = fold(phrase)
                found = [(doc, section) for doc, section, text in chunks if wanted in text]
                hits[phrase] = found
                if not found:
                    problems.append("phrase %r occurs in no chunk" % phrase)
                elif len(found) > MAX_CHUNKS:
                    problems.append("phrase %r occurs in %d chunks (at most %d)" % (phrase, len(found), MAX_CHUNKS))
                if found and record.get("document") in documents and \
                        not any(doc == record["document"] for doc, _ in found):
                    problems.append("phrase %r does not occur in document %r" % (phrase, record["document"]))
    return record, problems, hits


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="path to aigov.sqlite of an ingested knowledge base")
    parser.add_argument("--stats", action="store_true", help="print the count per document and split")
    parser.add_argument("--verbose", action="store_true", help="print the chunks each phrase occurs in")
    parser.add_argument("questions", help="JSON Lines question file")
    args = parser.parse_args(argv)

    documents, chunks = load_chunks(args.db)
    seen_ids = {}
    records = []
    bad_lines = 0
    phrase_count = 0
    chunk_counts = collections.Counter()
    with open(args.questions, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            record, problems, hits = check_line(number, raw, documents, chunks, seen_ids)
            if record is not None:
                records.append(record)
            for phrase, found in hits.items():
                phrase_count += 1
                chunk_counts[len(found)] += 1
                if args.verbose:
                    print("line %d %r: %s" % (number, phrase, "; ".join("%s [%s]" % f for f in found)))
            if problems:
                bad_lines += 1
                label = record.get("id", "?") if isinstance(record, dict) else "?"
                print("line %d (%s):" % (number, label))
                for problem in problems:
                    print("  - %s" % problem)

    if args.stats:
        table = collections.defaultdict(collections.Counter)
        for record in records:
            table[record.get("document")][record.get("split")] += 1
        print("%-78s %5s %7s %5s" % ("document", "tune", "heldout", "all"))
        for document in sorted(table, key=lambda d: (-sum(table[d].values()), str(d))):
            row = table[document]
            print("%-78s %5d %7d %5d" % (document, row["tune"], row["heldout"], sum(row.values())))
        totals = collections.Counter()
        for row in table.values():
            totals.update(row)
        print("%-78s %5d %7d %5d" % ("total", totals["tune"], totals["heldout"], sum(totals.values())))
        missing = sorted(documents - set(table))
        if missing:
            print("stored documents without questions: %s" % ", ".join(missing))

    spread = ", ".join("%d chunk%s: %d" % (n, "" if n == 1 else "s", chunk_counts[n]) for n in sorted(chunk_counts))
    print("%d questions, %d phrases (%s), %d documents stored, %d chunks; %d line(s) with violations"
          % (len(records), phrase_count, spread or "none", len(documents), len(chunks), bad_lines))
    return 1 if bad_lines else 0


if __name__ == "__main__":
    sys.exit(main())
