#!/usr/bin/env python3
"""Print the gold Report JSON that sits beside a text file.

Usage: python3 print_gold.py PATH/NNN_name.txt
Used as a stand-in parser to check the gold against itself:
  python3 /work/shared/eval/score.py --gold /work/notes/heldout26 \
          --cmd "python3 /work/notes/heldout26/print_gold.py"
"""
import json, os, sys

def main():
    if len(sys.argv) != 2:
        sys.exit('usage: print_gold.py TEXT.txt')
    path = sys.argv[1]
    gold = os.path.splitext(path)[0] + '.json'
    if not os.path.exists(gold):
        sys.exit(f'no gold beside {path}: {gold}')
    with open(gold, encoding='utf-8') as f:
        data = json.load(f)
    print(json.dumps(data, ensure_ascii=False, indent=1))

if __name__ == '__main__':
    main()
