"""The environment extractor libraries run in: called first in every worker, before any extractor import.

Libraries put their scratch files in a harness-owned private directory
(never straight into a shared ``$TMPDIR``), and the ones that would fetch
something (a public suffix list, a model) are told to stay offline.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def scratch_dir() -> Path:
    """The harness-owned directory where libraries put their scratch files, created private (0700)."""
    configured = os.environ.get("BOILERBENCH_SCRATCH")
    root = Path(configured) if configured else Path(tempfile.gettempdir()) / f"boilerbench-{_uid()}"
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = root.lstat()
        if not configured and (stat.S_ISLNK(info.st_mode) or (hasattr(os, "getuid")
                                                               and info.st_uid != os.getuid())):
            raise PermissionError(f"{root} is not ours")
    except OSError:
        root = Path(tempfile.mkdtemp(prefix="boilerbench-"))
    return root


def _uid() -> str:
    """The user id, or the login name where there is no getuid (Windows)."""
    if hasattr(os, "getuid"):
        return str(os.getuid())
    import getpass

    return getpass.getuser()


def prepare_worker_environment() -> None:
    """Make extractor libraries offline and tidy; called first in a worker, before any extractor import.

    - ``$TMPDIR`` and ``tempfile.tempdir`` point into the harness scratch dir:
      newspaper3k creates ``.newspaper_scraper/`` there at import, jieba its
      dictionary cache, goose3 its ``goose/`` storage;
    - tldextract (used by newspaper3k and goose3 through the module-level
      ``tldextract.extract``) never fetches the public suffix list:
      ``TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=""`` gives the import-time
      ``TLDExtract()`` no URLs (tldextract >= 5.3 reads it), so it uses its
      bundled snapshot; ``TLDEXTRACT_CACHE`` keeps its cache in the scratch
      dir; older tldextract versions are patched after import by
      ``adapters.offline_tldextract()``;
    - NLTK downloads only when ``nltk.download`` is called, which no adapter
      does (newspaper3k's ``nlp()`` is never called);
    - Hugging Face libraries, for model-based plugins, are told to stay offline.
    """
    root = scratch_dir()
    os.environ["BOILERBENCH_SCRATCH"] = str(root)
    tmp = root / "tmp"
    tmp.mkdir(mode=0o700, exist_ok=True)
    os.environ["TMPDIR"] = str(tmp)
    tempfile.tempdir = str(tmp)
    os.environ["TLDEXTRACT_CACHE"] = str(root / "tldextract")
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    os.environ.setdefault("TLDEXTRACT_DEFAULT_FETCH_TIMEOUT", "1")
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[var] = "1"
