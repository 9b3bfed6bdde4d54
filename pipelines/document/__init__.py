"""Reading published reports, whatever their format, into one document model (see ``model``).

This package depends on ``pipelines.common`` only: extractors consume its model, readers produce it.
"""
