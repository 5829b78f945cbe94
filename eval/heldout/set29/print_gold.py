#!/usr/bin/env python3
"""Print the gold answer (the .json beside a given .txt) to stdout.

Self-check for this held-out set:
  python3 shared/eval/score.py --gold eval/heldout/set29 \
      --cmd "python3 eval/heldout/set29/print_gold.py"
must print total F1 1.000.
"""
import json, os, sys

def main():
    if len(sys.argv) != 2:
        sys.exit('usage: print_gold.py FILE.txt')
    path = os.path.splitext(sys.argv[1])[0] + '.json'
    with open(path, encoding='utf-8') as f:
        gold = json.load(f)
    json.dump(gold, sys.stdout, ensure_ascii=False)
    sys.stdout.write('\n')

if __name__ == '__main__':
    main()
