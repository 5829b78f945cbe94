#!/usr/bin/env python3
"""Print the gold answer that sits beside a text: print_gold.py DIR/NNN_name.txt -> DIR/NNN_name.json"""
import sys, json
p = sys.argv[1]
print(json.dumps(json.load(open(p[:-4] + '.json', encoding='utf-8')), ensure_ascii=False))
