"""Agreement with Sisimai's labels on the shared corpus, held at floors a few points under
what the engine reaches (see benchmarks/parse_accuracy.py for the figures and the misses)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.bounce import parse_bytes

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
pytestmark = pytest.mark.skipif(
    not (CORPUS / "labels.jsonl").exists(), reason=f"bounce corpus not found at {CORPUS}"
)
FLOORS = {
    "recipients": 96.0,
    "status": 95.0,
    "reply_code": 95.0,
    "reason": 95.0,
    "hard_bounce": 95.0,
}


def _rates() -> dict[str, float]:
    hits = dict.fromkeys(FLOORS, 0)
    total = 0
    for line in (CORPUS / "labels.jsonl").open(encoding="utf-8"):
        case = json.loads(line)
        got = parse_bytes((CORPUS / case["source"]).read_bytes())
        by_addr = {(r.address or "").lower(): r for r in got.recipients}
        for want in case["recipients"]:
            total += 1
            have = by_addr.get(want["address"].lower())
            if have is None:
                continue
            hits["recipients"] += 1
            for field in ("status", "reply_code", "reason", "hard_bounce"):
                hits[field] += getattr(have, field) == want[field]
    return {k: 100.0 * v / total for k, v in hits.items()}


def test_corpus_agreement_floors() -> None:
    rates = _rates()
    low = {k: round(v, 1) for k, v in rates.items() if v < FLOORS[k]}
    assert not low, f"below floor: {low} (floors {FLOORS})"


def test_non_bounces_stay_empty() -> None:
    for name in (
        "bounce-email-rb/non_bounce-tt_1234210666.eml",
        "rjbs-bounceparser/spam-with-image.eml",
        "exim-testsuite/0021.CALLER-01.eml",
        "exim-testsuite/0536.user1-01.eml",
        "mimekit/delivery-status-multiple-blank-lines.eml",
    ):
        path = CORPUS / "messages" / name
        if path.exists():
            report = parse_bytes(path.read_bytes())
            assert all(r.reason in ("vacation", "feedback") for r in report.recipients), name
