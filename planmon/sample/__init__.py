"""Sample plans: the Qazvin sample (:mod:`.qazvin`) and synthetic plans of any size (:mod:`.synthetic`).

Both generators are pure and seeded: they return a :class:`planmon.core.schema.PlanTables` and
never touch the disk; :func:`planmon.io.plan_writer.write_plan` writes them out.
"""
