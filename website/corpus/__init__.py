"""The benchmark corpus built by `manage.py seed_bench`: `words` (plain word lists), `prose`
(text and bodies, composed from blocks rendered once) and `corpus` (the database side)."""
