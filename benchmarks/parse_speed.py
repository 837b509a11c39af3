"""Emails per second of `python3 -m bot.bounce.cli` vs Sisimai, on one core, start-up included.

Both tools run as whole commands over the same batches of 100 corpus files (each command's
start-up is counted, as a batch job would pay it), pinned to CPU 0 with `taskset` when it is
available. Peak RSS comes from the children's rusage. Sisimai (Debian's libsisimai-perl) is only
a yardstick here: it is skipped, with a message, when it is not installed.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "messages"
SISIMAI = "use Sisimai; for my $f (@ARGV) { my $j = Sisimai->dump($f); print $j, qq(\\n); }"


def batches(files: list[Path], size: int) -> list[list[str]]:
    return [[str(f) for f in files[i : i + size]] for i in range(0, len(files), size)]


def run_all(prefix: list[str], groups: list[list[str]], repeat: int) -> tuple[float, int]:
    """Seconds for `repeat` passes over all batches, and the peak RSS (KiB) of any child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    for _ in range(repeat):
        for group in groups:
            subprocess.run(
                [*prefix, *group],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def has_sisimai() -> bool:
    if shutil.which("perl") is None:
        return False
    probe = subprocess.run(["perl", "-MSisimai", "-e", "1"], capture_output=True, check=False)
    return probe.returncode == 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    files = sorted(CORPUS.glob("*/*.eml"))
    if not files:
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 1
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    groups = batches(files, args.batch)
    n = len(files) * args.repeat
    print(
        f"{len(files)} files, batches of {args.batch}, {args.repeat} passes, "
        f"{'pinned to CPU 0' if pin else 'taskset not available: not pinned'}"
    )
    # ru_maxrss of RUSAGE_CHILDREN is a high-water mark over all children so far, so the
    # smtpbot run (the lighter process) goes first and is reported before Sisimai's.
    ours, ours_rss = run_all([*pin, sys.executable, "-m", "bot.bounce.cli"], groups, args.repeat)
    print(
        f"smtpbot parse : {n / ours:8.1f} emails/s  ({ours:.2f} s)  "
        f"peak RSS {ours_rss / 1024:.1f} MiB"
    )
    if not has_sisimai():
        print("Sisimai: not installed (apt-get install libsisimai-perl) - skipped")
        return 0
    theirs, theirs_rss = run_all([*pin, "perl", "-e", SISIMAI], groups, args.repeat)
    print(
        f"Sisimai (perl): {n / theirs:8.1f} emails/s  ({theirs:.2f} s)  "
        f"peak RSS {theirs_rss / 1024:.1f} MiB (high-water mark incl. the run above)"
    )
    print(f"ratio         : {theirs / ours:8.2f}x Sisimai's emails/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
