#!/usr/bin/env python3
"""Print the gold JSON that sits beside a held-out text (self-check for score.py)."""
import os, sys
path = sys.argv[1]
gold = os.path.splitext(path)[0] + '.json'
with open(gold, encoding='utf-8') as f:
    sys.stdout.write(f.read())
