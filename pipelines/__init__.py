"""Turn Vietnamese provincial socio-economic reports into open, validated data."""

__version__ = "0.1.0"
