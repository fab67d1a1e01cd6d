"""Public datasets by name: the registry of pinned sets, their download, and the folders they land in.

Takes a set's name, gives a verified folder an importer can read (`--dataset
NAME`). Downloading happens only here, only in `boilerbench datasets get`;
a benchmark run reads what is already on disk.

- `entries`: the records (a registered set, a manifest file);
- `catalog`: the shipped manifests (sets/<name>.json) joined with sets/catalog.toml;
- `store`: the data folder, file checks (size, sha256 or git blob id), the completion stamp;
- `http_fetch`: one URL into a resumable .part file, with clear one-line errors;
- `methods`: git fetch, commit archive, per-file fetch and a copy on disk, each placing only checked files;
- `lfs`: Git LFS pointers, and the content pin a pointer gives where the manifest pins only the pointer;
- `get`: the order the methods are tried in, and the stamp when every file matches.
"""
