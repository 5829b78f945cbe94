#!/usr/bin/env python3
"""Print the gold JSON that sits beside a .txt file (self-check for score.py).

Usage: python3 print_gold.py eval/heldout/set34/003_songdoc_camau_township.txt
"""
import json, os, sys

def main():
    if len(sys.argv) != 2:
        sys.exit('usage: print_gold.py FILE.txt')
    base, _ = os.path.splitext(sys.argv[1])
    with open(base + '.json', encoding='utf-8') as f:
        gold = json.load(f)
    json.dump(gold, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')

if __name__ == '__main__':
    main()
