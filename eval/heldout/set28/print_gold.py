#!/usr/bin/env python3
"""Print the gold answer that sits beside a text: print_gold.py DIR/NNN_name.txt
prints DIR/NNN_name.json (one JSON object) to stdout. Used as --cmd for
score.py to check that the gold scores 1.000 against itself."""
import json, os, sys

if len(sys.argv) != 2:
    sys.exit('usage: print_gold.py PATH/TO/NNN_name.txt')
base, _ = os.path.splitext(sys.argv[1])
with open(base + '.json', encoding='utf-8') as f:
    gold = json.load(f)
print(json.dumps(gold, ensure_ascii=False))
