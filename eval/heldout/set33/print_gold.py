#!/usr/bin/env python3
"""Print the gold JSON that sits beside a held-out text: print_gold.py path/NNN_name.txt"""
import json, os, sys

path = sys.argv[1]
gold = os.path.splitext(path)[0] + '.json'
with open(gold, encoding='utf-8') as f:
    print(json.dumps(json.load(f), ensure_ascii=False, indent=1))
