"""Table imports: the one reader (``tables``), the one result type (``result``) and the `import` command.

Each feature keeps its own importer (parse → validate → apply through its actions) built on these:
``dondoc.investment.importers`` (plans, disbursements) and ``dondoc.deadlines.importers`` (dossiers).
"""
