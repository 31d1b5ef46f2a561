"""Load-test the site as production runs it, on loopback, and report ratios to two baselines.

What it builds: a fresh PostgreSQL database (BENCH_DATABASE_URL, default portal_bench on
127.0.0.1), Redis as the cache (BENCH_CACHE_URL), production settings, collectstatic, the
shipped content plus generated volume (resources, 500 case studies, 100,000 enquiries), and
gunicorn with a fixed number of workers. Then wrk runs against each page for a few seconds.

Absolute numbers depend on the machine, so every figure is a ratio to a minimal Django view
(portal/bench/baseline.py: no database, no middleware) served by the same gunicorn settings
in the same run; a static file served by whitenoise is reported beside it. Results print as a
table and are written as JSON under bench-results/ with the commit id.

`manage.py benchmark` (make bench) runs it. No module here touches settings when imported.
"""
