"""`memwall validate`: check contributed rows before review, with the pipeline's own rules.

Modules, in the order a run uses them: `documents` (read bytes, size limit, encoding,
format), `markdown_rows` and `records` (contributed rows -> observations, the same records
the pipeline's normalize stage makes), `rowchecks` (the published tables' rules, dates),
`dataset` (conflicts and duplicates against the published dataset, consistency checks),
`run` (the whole run) and `problems` (what the contributor sees).
"""
