"""Extractor adapters and their registry; adapters import their libraries lazily, inside workers.

`benchmark.extractors.registry` names every extractor (builtins, entry points,
`module:function` plugins, external commands); the adapter modules beside it
hold the `extract(page, **options) -> str` functions the registry points at.
"""
