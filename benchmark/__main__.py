"""`python -m benchmark` is the same CLI as `boilerbench`."""

from benchmark.cli import entry_point

if __name__ == "__main__":
    entry_point()
