"""Importing trainers from a spreadsheet (CSV or XLSX), all or nothing.

- `reading`: bytes → rows of text (format, encoding, delimiter and header names detected);
- `checks`: every problem by row and column, and what each row would do (create, update, unchanged);
- `runs`: the one-transaction import (`sheet_import`), and an upload's life in the admin
  (`trainer_import_upload`, `trainer_import_confirm`, `trainer_import_run` for the Celery task).

Import the submodules directly; this package imports nothing, so that the models can load first.
"""
