"""Emails per second of `python3 -m bot.bounce.cli` vs Sisimai, on one core, start-up included.

Both tools run as whole commands over the same batches of 100 corpus files (each command's
start-up is counted, as a batch job would pay it), pinned to CPU 0 with `taskset` when it is
available. Peak RSS comes from the children's rusage. Sisimai (Debian's libsisimai-perl) is only
a yardstick here: it is skipped, with a message, when it is not installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "messages"
SISIMAI = "use Sisimai; for my $f (@ARGV) { my $j = Sisimai->dump($f); print $j, qq(\\n); }"


def batches(files: list[Path], size: int) -> list[list[str]]:
    return [[str(f) for f in files[i : i + size]] for i in range(0, len(files), size)]


def run_batch(command: list[str], group: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one whole command run over one batch."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*command, *group], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss


def smtpbot_command(install: str, scratch: Path) -> tuple[list[str], str]:
    """The `smtpbot parse` command to time, and how it is installed.

    "wheel" installs the project into a scratch venv as a user or the container would (a
    development checkout's editable install adds an import hook to every start-up); "dev"
    uses the `smtpbot` beside this interpreter.
    """
    if install == "wheel":
        venv = scratch / "venv"
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(venv / "bin" / "pip"), "install", "--quiet", "--no-deps", str(ROOT)],
            [str(venv / "bin" / "python"), "-m", "compileall", "-q", str(venv / "lib")],
        ]
        if all(subprocess.run(s, capture_output=True, check=False).returncode == 0 for s in steps):
            return [str(venv / "bin" / "smtpbot"), "parse"], "wheel install in a scratch venv"
        print("could not build a wheel install; timing the development install instead")
    subprocess.run([sys.executable, "-m", "compileall", "-q", "bot"], cwd=ROOT, check=False)
    script = Path(sys.executable).with_name("smtpbot")
    command = [str(script), "parse"] if script.exists() else [sys.executable, "-m", "bot", "parse"]
    return command, "development (editable) install"


def has_sisimai() -> bool:
    if shutil.which("perl") is None:
        return False
    probe = subprocess.run(["perl", "-MSisimai", "-e", "1"], capture_output=True, check=False)
    return probe.returncode == 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--install", choices=("wheel", "dev"), default="wheel")
    args = ap.parse_args()
    files = sorted(CORPUS.glob("*/*.eml"))
    if not files:
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 1
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    groups = batches(files, args.batch)
    scratch = Path(tempfile.mkdtemp(prefix="smtpbot-bench-"))
    command, how = smtpbot_command(args.install, scratch)
    print(f"smtpbot: {how}")
    tools = {"smtpbot parse": [*pin, *command]}
    if has_sisimai():
        tools["Sisimai (perl)"] = [*pin, "perl", "-e", SISIMAI]
    print(
        f"{len(files)} files, batches of {args.batch}, {args.repeat} passes, "
        f"{'pinned to CPU 0' if pin else 'taskset not available: not pinned'}"
    )
    # Bytecode was compiled above (a dev checkout may run with PYTHONDONTWRITEBYTECODE); one
    # untimed pass each warms the OS file cache and smtpbot's caches, as any second run has.
    for command in tools.values():
        for group in groups:
            run_batch(command, group)
    seconds = dict.fromkeys(tools, 0.0)
    peak = dict.fromkeys(tools, 0)
    for _ in range(args.repeat):
        for group in groups:  # interleaved, so that drift in machine load hits both alike
            for name, command in tools.items():
                elapsed, rss = run_batch(command, group)
                seconds[name] += elapsed
                peak[name] = max(peak[name], rss)
    n = len(files) * args.repeat
    for name in tools:
        print(
            f"{name:15}: {n / seconds[name]:8.1f} emails/s  ({seconds[name]:.2f} s)  "
            f"peak RSS {peak[name] / 1024:.1f} MiB"
        )
    if "Sisimai (perl)" not in tools:
        print("Sisimai: not installed (apt-get install libsisimai-perl) - skipped")
        return 0
    ratio = seconds["Sisimai (perl)"] / seconds["smtpbot parse"]
    print(f"ratio          : {ratio:8.2f}x Sisimai's emails/s")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
