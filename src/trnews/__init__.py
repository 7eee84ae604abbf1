"""trnews: Turkish news in English, side by side."""

__version__ = "0.1.0"
