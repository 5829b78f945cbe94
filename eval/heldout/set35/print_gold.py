#!/usr/bin/env python3
"""Print the hand-made gold answer that sits beside a held-out text.

Usage: python3 print_gold.py path/to/NNN_name.txt
Prints NNN_name.json (same directory) to stdout, so that
  score.py --gold DIR --cmd "python3 print_gold.py"
must report total F1 1.000 (a self-check of the gold files and the scorer).
"""
import json, os, sys

def main():
    if len(sys.argv) != 2:
        sys.exit('usage: print_gold.py FILE.txt')
    txt = sys.argv[1]
    base, _ = os.path.splitext(txt)
    gold = base + '.json'
    if not os.path.exists(gold):
        # the text may have been given from another directory: look beside this script
        gold = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            os.path.basename(base) + '.json')
    with open(gold, encoding='utf-8') as f:
        data = json.load(f)
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')

if __name__ == '__main__':
    main()
