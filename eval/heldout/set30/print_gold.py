#!/usr/bin/env python3
"""Print the gold .json that sits beside a given .txt (self-check for score.py)."""
import os, sys

txt = sys.argv[1]
gold = os.path.splitext(txt)[0] + '.json'
if not os.path.exists(gold):
    gold = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        os.path.splitext(os.path.basename(txt))[0] + '.json')
with open(gold, encoding='utf-8') as f:
    sys.stdout.write(f.read())
