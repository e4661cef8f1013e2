#!/usr/bin/env python3
"""Goal: README.md's results schema documents exactly the tables and columns a fresh
database has. Method: run a short scenario, read every table's columns with PRAGMA
table_info, parse the README's "Results database" section (per-table column tables and the
per-window breakdowns table), and compare both ways. Usage: schema_doc_test.py ROUTELAB SOURCE_DIR"""
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

routelab, src = sys.argv[1], sys.argv[2]
readme = open(os.path.join(src, "README.md"), encoding="utf-8").read()
section = readme.split("## Results database", 1)[1].split("\n## ", 1)[0]

documented = {}
table = None
in_breakdowns = False
for line in section.splitlines():
    m = re.match(r"### `(\w+)`", line)
    if m:
        table, in_breakdowns = m.group(1), False
        documented.setdefault(table, set())
        continue
    if line.startswith("### "):
        table, in_breakdowns = None, "breakdowns" in line
        continue
    if not line.startswith("| `"):
        continue
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if in_breakdowns:   # | `table` | `col`, `col`, ... | meaning |
        name = cells[0].strip("`")
        documented[name] = set(re.findall(r"`(\w+)`", cells[1]))
    elif table is not None:   # | `col`, `col2` | type | meaning |
        documented[table].update(re.findall(r"`(\w+)`", cells[0]))

with tempfile.TemporaryDirectory() as work:
    scenario = os.path.join(work, "short.toml")
    text = open(os.path.join(src, "scenarios", "quickstart.toml"), encoding="utf-8").read()
    open(scenario, "w", encoding="utf-8").write(re.sub(r"(?m)^duration_s = .*$", "duration_s = 1", text))
    subprocess.run([routelab, "run", scenario, "--out", os.path.join(work, "out"), "-q"], check=True)
    db = sqlite3.connect(os.path.join(work, "out", "results.sqlite"))
    actual = {}
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        actual[name] = {row[1] for row in db.execute(f"PRAGMA table_info({name})")}
    db.close()

failures = []
for name in sorted(set(actual) | set(documented)):
    if name not in documented:
        failures.append(f"table {name} is not documented in README.md")
    elif name not in actual:
        failures.append(f"README.md documents table {name}, which a fresh database does not have")
    else:
        for col in sorted(actual[name] - documented[name]):
            failures.append(f"{name}.{col} is not documented in README.md")
        for col in sorted(documented[name] - actual[name]):
            failures.append(f"README.md documents {name}.{col}, which does not exist")
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"PASS: {len(actual)} tables, {sum(len(c) for c in actual.values())} columns documented")
