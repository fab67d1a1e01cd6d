"""`--dataset SPEC` to a Corpus without the network: KIND:PATH where it lies, a registered NAME from its folder.

``--dataset aeb`` reads the folder `datasets get aeb` filled and stamped;
when the folder is missing or incomplete the message is the one command that
fetches it. ``--dataset bundled`` is the bundled corpus. Nothing here
downloads.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from benchmark.corpus.datasets import KINDS, DatasetError, load_dataset
from benchmark.records import Corpus


def load_dataset_spec(spec: str, data_dir: Path | None = None) -> Corpus:
    """KIND:PATH, a registered set's name (or one of its readings), or "bundled"; DatasetError says what to do."""
    if ":" in spec:
        return load_dataset(spec)
    if spec == "bundled":
        from benchmark.corpus.bundled import bundled_root, load_corpus

        root = bundled_root()
        if root is None:
            raise DatasetError("no bundled corpus beside this installation: give --dataset bundled:DIR")
        return load_corpus(root, name="bundled")
    from benchmark.registry.catalog import RegistryError, find_set, registered_sets
    from benchmark.registry.store import is_complete, set_folder

    try:
        registry = registered_sets()
    except RegistryError as exc:
        raise DatasetError(str(exc)) from None
    found = find_set(spec, registry)
    if found is None:
        raise DatasetError(f"dataset {spec!r}: give a registered name ({', '.join(registry)}), bundled, or KIND:PATH "
                           f"with KIND one of {', '.join(KINDS)}")
    registered, kind = found
    folder = set_folder(registered, data_dir)
    if not is_complete(registered, folder):
        accept = " --accept-licence" if registered.restricted else ""
        state = "is incomplete" if folder.exists() else "is not downloaded"
        raise DatasetError(f"dataset {registered.name} {state} in {folder}: run `boilerbench datasets get "
                           f"{registered.name}{accept}` (it downloads; runs never do)")
    corpus = load_dataset(f"{kind}:{folder / registered.root}")
    if kind == registered.kind:  # the set's own reading: the registry says best what it is
        languages_from = corpus.provenance.languages_from if corpus.provenance else registered.provenance.languages_from
        corpus = dataclasses.replace(corpus, name=registered.name, provenance=dataclasses.replace(
            registered.provenance, languages_from=languages_from))  # the importer knows how it labelled them
    return corpus
