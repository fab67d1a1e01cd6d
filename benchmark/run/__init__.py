"""Stage 2, running extractors: `ExtractorSpec`s and `Page`s in, one `Extraction` per pair out.

Every extractor call runs in an isolated worker process with a deadline, a
memory cap and no network; each pair gets exactly one outcome, and finished
pairs are cached so an interrupted run resumes.

- `runner`: `Runner`, the dispatch loop over worker slots (the local executor);
- `slots`: one worker slot's process: spawn, pipes, captured output, kill;
- `specs`: what is known of each spec (version, digests, availability) and
  the `ExtractorRun` it becomes in run.json;
- `dask_executor`: the same work as tasks on a Dask distributed cluster;
- `worker`: the worker process itself (``python -m benchmark.run.worker``);
- `protocol`: the frames harness and worker exchange;
- `keeper`: the process standing over each worker (a child subreaper) that
  kills everything the worker started when it ends or the harness goes;
- `isolation`: what a worker does to itself (network namespace, socket guard, memory cap);
- `cache`: the SQLite cache of finished pairs;
- `interpreter`: another Python (a release's venv) that runs the same workers.
"""
