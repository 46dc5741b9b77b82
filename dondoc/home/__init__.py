"""The composition package: the pieces of the product that know every feature, by plain imports.

- ``views.home`` with ``panels``: the home page and each feature's panel;
- ``context_processors.shell``: the navigation of every section;
- ``loaders`` with the ``load_reference`` and ``load_demo`` commands: every feature's reference and demo data.

Features never import this package; it imports them (with ``dondoc/access``, ``dondoc/urls.py`` and
``reporting/consolidated.py``, the only modules that reach across features).
"""
