#!/usr/bin/env python3
"""Print every catalog code of 4+ characters in the knowledge base, one a line, sorted.

A code is a rich entry's `codes` (and `code`, where one is given) or a compact entry's `code`,
in every knowledge file: the providers (knowledge/*.toml) and the network layers
(knowledge/network/*.toml). Aliases are not codes. The list is the ripgrep reference of
bench/scan.sh beside `paydoctor kb codes`: it needs nothing but the repository.

usage: catalog_codes.py [KNOWLEDGE_DIR] > codes.txt
"""
import glob
import os
import sys
import tomllib

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "knowledge")
codes = set()
for path in sorted(glob.glob(os.path.join(root, "**", "*.toml"), recursive=True)):
    with open(path, "rb") as f:
        kb = tomllib.load(f)
    for e in kb.get("error", []):
        codes.update(str(c) for c in e.get("codes", []))
        if "code" in e:
            codes.add(str(e["code"]))
    for e in kb.get("compact", {}).get("entries", []):
        codes.add(str(e["code"]))
sys.stdout.write("".join(c + "\n" for c in sorted(codes) if len(c) >= 4))
