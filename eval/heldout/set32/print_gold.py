#!/usr/bin/env python3
"""Print the gold answer (.json) that sits beside a given .txt path.

Used to self-check the held-out set with the scorer:
  python3 shared/eval/score.py --gold eval/heldout/set32 \
      --cmd "python3 eval/heldout/set32/print_gold.py"
which must print total F1 1.000.
"""
import json
import os
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: print_gold.py FILE.txt')
    path = sys.argv[1]
    gold = os.path.splitext(path)[0] + '.json'
    if not os.path.exists(gold):
        sys.exit('no gold beside %s' % path)
    with open(gold, encoding='utf-8') as f:
        data = json.load(f)
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
