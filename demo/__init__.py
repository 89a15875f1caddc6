"""Deterministic demo data for PledgeWatch: test and demonstration ledgers, not ingestion.

    python -m demo --out data/demo                       # the story as messy bank files (default)
    python -m demo --out DIR --loans 100000 --format csv  # plain canonical CSV, any size

- demo/story.py: the story portfolio (~180 loans, 2022–2025) in canonical rows, and the
  ratio table it pins;
- demo/messy.py: writes the story as the messy files banks send (data/demo);
- demo/scale.py: canonical CSV portfolios of any size for the benchmark;
- demo/ids.py: enterprise names, credit codes and IP numbers that pass their checks;
- demo/check.py: the independent calculation of the story's figures (numpy, integer fen)
  that tests/test_demo.py compares with the story and with the risk engine.

Nothing here imports queries/ or dashboard/ (nor pipelines/): the demo data is written
without the code it tests.
"""
