"""Score `smtpbot parse` against the Sisimai-labelled corpus: per-field rates and the misses.

Run: python3 benchmarks/parse_accuracy.py [--misses N] [--origin NAME] [--field reason]
Recipients are paired by address; a field counts as matched only on a paired recipient.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"
FIELDS = ("status", "reply_code", "reason", "hard_bounce")


def score(labels: list[dict], parse) -> dict:
    totals: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    misses: list[tuple[str, str, str, object, object]] = []
    for case in labels:
        origin = case["origin"]
        got = parse((CORPUS / case["source"]).read_bytes())
        by_addr = {(r.address or "").lower(): r for r in got.recipients}
        want_addrs = {r["address"].lower() for r in case["recipients"]}
        for bucket in ("ALL", origin):
            t = totals[bucket]
            t["files"][1] += 1
            if bool(got.recipients) == bool(case["recipients"]):
                t["files"][0] += 1
            extra = len(set(by_addr) - want_addrs)
            t["extra"][1] += len(by_addr)
            t["extra"][0] += extra
        if not case["recipients"] and got.recipients:
            misses.append((case["source"], "recipients", "-", "[]", sorted(by_addr)))
        for want in case["recipients"]:
            have = by_addr.get(want["address"].lower())
            for bucket in ("ALL", origin):
                totals[bucket]["recipients"][1] += 1
                totals[bucket]["recipients"][0] += have is not None
            if have is None:
                misses.append(
                    (
                        case["source"],
                        "recipients",
                        want["address"],
                        want["address"],
                        sorted(by_addr),
                    )
                )
                for bucket in ("ALL", origin):
                    for f in FIELDS:
                        totals[bucket][f][1] += 1
                continue
            for f in FIELDS:
                ok = getattr(have, f) == want[f]
                for bucket in ("ALL", origin):
                    totals[bucket][f][1] += 1
                    totals[bucket][f][0] += ok
                if not ok:
                    misses.append((case["source"], f, want["address"], want[f], getattr(have, f)))
    return {"totals": totals, "misses": misses}


def pct(pair: list[int]) -> str:
    return f"{100.0 * pair[0] / pair[1]:5.1f}%" if pair[1] else "   - "


def main() -> int:
    from bot.bounce import parse_bytes

    ap = argparse.ArgumentParser()
    ap.add_argument("--misses", type=int, default=60, help="how many misses to print")
    ap.add_argument("--field", default=None, help="only print misses of this field")
    ap.add_argument("--json", action="store_true", help="print the overall rates as JSON")
    args = ap.parse_args()
    if not (CORPUS / "labels.jsonl").exists():
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 1
    labels = [json.loads(line) for line in (CORPUS / "labels.jsonl").open(encoding="utf-8")]
    result = score(labels, parse_bytes)
    totals = result["totals"]
    if args.json:
        print(json.dumps({f: totals["ALL"][f] for f in ("recipients", *FIELDS)}))
        return 0
    cols = ("recipients", *FIELDS, "files", "extra")
    print(f"{'origin':26} {'n':>4} " + " ".join(f"{c[:10]:>10}" for c in cols))
    for bucket in ["ALL", *sorted(k for k in totals if k != "ALL")]:
        t = totals[bucket]
        n = t["recipients"][1]
        print(f"{bucket:26} {n:4d} " + " ".join(f"{pct(t[c]):>10}" for c in cols))
    shown = [m for m in result["misses"] if args.field in (None, m[1])]
    print(
        f"\n{len(shown)} misses" + (f" (showing {args.misses})" if len(shown) > args.misses else "")
    )
    for source, field, addr, want, got in shown[: args.misses]:
        print(f"  {source} [{field}] {addr}: want {want!r} got {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
