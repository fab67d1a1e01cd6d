"""Extractor adapters and their registry: names in, `ExtractorSpec`s out, for the run stage to execute.

`benchmark.extractors.registry` names every extractor (builtins, entry points,
`module:function` plugins, external commands); the adapter modules beside it
hold the `extract(page, **options) -> str` functions the registry points at,
and import their libraries lazily, inside workers, after
`environment.prepare_worker_environment` has made them offline and tidy;
`releases` says which releases of the required four the adapters speak.
"""
