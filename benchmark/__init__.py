"""boilerbench: a benchmark and evaluation harness for main-content extraction."""

__version__ = "0.1.0"
