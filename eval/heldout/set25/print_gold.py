#!/usr/bin/env python3
"""Print the gold JSON that sits beside a text: print_gold.py DIR/NNN_name.txt"""
import sys, os
p = sys.argv[1]
sys.stdout.write(open(os.path.splitext(p)[0] + '.json', encoding='utf-8').read())
