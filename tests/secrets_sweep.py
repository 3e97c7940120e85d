#!/usr/bin/env python3
"""After the whole suite: no token, password or key may appear in any log the tests produced.

Looks in build/test-runs/**: every *.log file is checked for
  - Tesla-shaped refresh tokens (NA_/EU_/CN_ + long hex) and JWTs (access/id tokens, login tokens),
  - the contents of every generated key file (jwt-secret.key, encryption.key) found next to the logs,
  - the admin passwords the tests use (read from the test sources: kPassword constants).
Prints one line per finding and a summary; exits 1 on any finding or when there was nothing to check."""
import pathlib, re, sys

root = pathlib.Path(__file__).resolve().parent.parent
runs = root / "build" / "test-runs"
logs = [p for p in runs.rglob("*.log")] if runs.exists() else []
if not logs:
    print("secrets sweep: no test logs found under build/test-runs (run the tests first)")
    sys.exit(1)

patterns = [
    ("refresh token", re.compile(r"\b(?:NA|EU|CN)_[0-9a-fA-F]{32,}\b")),
    ("JWT", re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")),
]
secrets = set()
for key in list(runs.rglob("jwt-secret.key")) + list(runs.rglob("encryption.key")):
    value = key.read_text().strip()
    if value:
        secrets.add(value)
for src in (root / "tests").rglob("*.cpp"):
    for m in re.finditer(r'k\w*Password\s*=\s*"([^"]{8,})"', src.read_text()):
        secrets.add(m.group(1))
    for m in re.finditer(r'const std::string password = "([^"]{8,})"', src.read_text()):
        secrets.add(m.group(1))

findings = 0
for log in logs:
    text = log.read_text(errors="replace")
    for name, rx in patterns:
        for m in rx.finditer(text):
            findings += 1
            print(f"{log.relative_to(root)}: {name} in the log: {m.group(0)[:12]}...")
    for s in secrets:
        if s in text:
            findings += 1
            print(f"{log.relative_to(root)}: a known secret ({s[:4]}...) in the log")
print(f"secrets sweep: {len(logs)} logs, {len(secrets)} known secrets checked, {findings} findings")
sys.exit(1 if findings else 0)
