"""Which release changed what: one extractor across its releases (and its dependencies'), in isolated venvs.

- `index`: the package index's version lists, and `PKG==A,B` arguments checked against them;
- `environments`: one venv per combination of pins under the user cache, built once and reused
  (uv when installed, pip otherwise); a venv that cannot be built is an outcome, not a crash;
- `matrix`: one run per combination through the harness's own workers in that venv;
- `analysis`: per combination mean F1 and chrome leak with intervals, paired deltas between
  neighbours, and the pages whose F1 moved more than the gate's per-page tolerance;
- `bisect`: the first release between a good and a bad one where the drop appears.

Only building environments and listing versions reach the package index, and they say so;
the runs themselves are offline like any other.
"""
