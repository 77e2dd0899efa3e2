"""Demo partners (BPJS and Bank NTT) acting on the embedded SFTP server's folders."""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings


def partner_folder(settings: Settings, partner: str, which: str, root: Path | None = None) -> Path:
    """The local folder behind a partner's `download_dir` ("outbox") or `upload_dir` ("inbox").

    `root` is the folder the partner's SFTP user sees as `/` (default: the embedded
    server's `<root>/<username>`).
    """
    p = settings.partner(partner)
    base = root if root is not None else settings.embedded_sftp.root / p.sftp.username
    remote = p.download_dir if which == "outbox" else p.upload_dir
    return base / remote.strip("/")
