"""PDF through LibreOffice, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, timeout: int = 120) -> bytes:
    """Convert .docx bytes to PDF bytes. Raises RuntimeError when LibreOffice is missing or fails."""
    exe = soffice()
    if not exe:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        result = subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", tmp,
             str(src)], capture_output=True, text=True, timeout=timeout,
        )
        pdf = Path(tmp) / "document.pdf"
        if result.returncode != 0 or not pdf.exists():
            raise RuntimeError(f"LibreOffice failed: {result.stderr.strip() or result.stdout.strip()}")
        return pdf.read_bytes()
