"""A report in the text form rendered to the formats provinces publish (Word, PDF, web page, Excel).

The renderers read the text form into the document model and print that model again, so tests know
every value each rendering holds: extraction from a rendering must give what the text form gives.
"""
