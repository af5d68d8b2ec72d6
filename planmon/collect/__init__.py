"""planmon.collect: the yearly collection loop with the departments.

``blank`` (a new plan, ``planmon init``) → ``templates`` (one workbook per department, with
hidden plan/year/department facts) → ``feedback`` (returned files judged and marked up,
``planmon check-return``) → ``ingest`` (guarded by ``guard``, staged and explained by
``incoming`` and ``explain``, committed through :mod:`planmon.io.journal`, recorded by
``audit``) → ``status`` (the collection board); ``audit`` also gives ``history`` and ``undo``.
"""
