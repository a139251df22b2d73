"""The comprehensive evaluation and its sections."""
