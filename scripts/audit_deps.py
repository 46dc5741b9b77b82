"""Audit the installed (pinned) dependencies for known vulnerabilities with pip-audit; a step of `make test`.

Audits every distribution of the project's virtualenv (the pins of pyproject.toml and what they pull in) against
PyPI's vulnerability data, else OSV. Three outcomes, always said out loud:
- audited: prints the findings; exits 1 if any vulnerability is not allow-listed in ALLOWED below;
- the vulnerability data cannot be had (no network, a package mirror without PyPI's per-version JSON API, OSV
  unreachable, or too slow): prints "SKIPPED: vulnerability database unreachable (reason)" and exits 0 — never a
  silent "no known vulnerabilities" for packages that were not checked;
- some packages could not be audited: they are named, and the rest is judged as above.
Bounded: at most ~30 s in all (then the services not yet asked are reported as not tried). Usage: .venv/bin/python scripts/audit_deps.py
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from importlib import metadata

# Vulnerability id (PYSEC-…, GHSA-…, CVE-…) → why it does not apply to dondoc and until when. Review at each upgrade.
ALLOWED: dict[str, str] = {}

PROBE_SECONDS, BUDGET_SECONDS = 5, 30


def probe(service: str) -> str:
    """Why the service cannot answer (one cheap request with pip's own version), or "" if it can."""
    version = metadata.version("pip")
    if service == "pypi":  # pip-audit reads https://pypi.org/pypi/NAME/VERSION/json for each package
        request = urllib.request.Request(f"https://pypi.org/pypi/pip/{version}/json")
    else:
        body = {"package": {"name": "pip", "ecosystem": "PyPI"}, "version": version}
        request = urllib.request.Request("https://api.osv.dev/v1/query", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=PROBE_SECONDS) as response:
            json.load(response)
        return ""
    except urllib.error.HTTPError as exc:
        return f"{service}: {request.full_url} answered {exc.code}"
    except (OSError, ValueError) as exc:
        return f"{service}: {getattr(exc, 'reason', exc)}"


def audit(service: str, seconds: float) -> tuple[dict | None, str]:
    """pip-audit's JSON report, or None and why there is none."""
    command = [sys.executable, "-m", "pip_audit", "--local", "--skip-editable", "--format", "json",
               "--progress-spinner", "off", "--timeout", "8", "--vulnerability-service", service]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired:
        return None, f"{service}: pip-audit did not finish within {seconds:.0f} s"
    try:
        return json.loads(done.stdout), ""
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"{service}: {last[:200]}"


def main() -> int:
    if importlib.util.find_spec("pip_audit") is None:
        print("audit-deps: FAILED: pip-audit is not installed in this environment — run `make venv`")
        return 2
    reasons, deadline = [], time.monotonic() + BUDGET_SECONDS
    for service in ("pypi", "osv"):
        if deadline - time.monotonic() < PROBE_SECONDS:
            reasons.append(f"{service}: not tried, the {BUDGET_SECONDS} s budget is spent")
            continue
        why = probe(service)
        if why:
            reasons.append(why)
            continue
        report, why = audit(service, max(1.0, deadline - time.monotonic()))
        if report is None:
            reasons.append(why)
            continue
        deps = report.get("dependencies", [])
        audited = [d for d in deps if "skip_reason" not in d]
        skipped = [d for d in deps if "skip_reason" in d]
        if not audited:
            sample = skipped[0]["skip_reason"] if skipped else "no dependency found"
            reasons.append(f"{service}: none of {len(skipped)} packages could be audited, e.g. \"{sample}\"")
            continue
        return judge(service, audited, skipped)
    print(f"audit-deps: SKIPPED: vulnerability database unreachable ({'; '.join(reasons)})")
    return 0


def judge(service: str, audited: list[dict], skipped: list[dict]) -> int:
    findings, allowed = [], []
    for dep in audited:
        for vuln in dep.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            entry = (dep["name"], dep["version"], vuln["id"], ", ".join(vuln.get("fix_versions", [])) or "none")
            reason = next((ALLOWED[i] for i in ids if i in ALLOWED), None)
            (allowed if reason else findings).append((*entry, reason))
    print(f"audit-deps: {len(audited)} packages audited against {service}")
    for name, version, vid, fixes, reason in allowed:
        print(f"  allowed   {name} {version}: {vid} (fixed in {fixes}) — {reason}")
    for name, version, vid, fixes, _ in findings:
        print(f"  VULNERABLE {name} {version}: {vid} (fixed in {fixes})")
    if skipped:
        names = ", ".join(f"{d['name']} {d.get('version', '')}".strip() for d in skipped)
        print(f"  not audited ({len(skipped)}): {names}")
    if findings:
        print(f"audit-deps: FAILED: {len(findings)} known vulnerabilities; upgrade the pin, or allow-list the id in "
              f"scripts/audit_deps.py with the reason it does not apply")
        return 1
    print("audit-deps: no known vulnerability in the audited packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
