#!/usr/bin/env python3
"""Print the hand-made gold answer (NNN_name.json) that sits beside a given NNN_name.txt.

Self-check:  python3 shared/eval/score.py --gold eval/heldout/set31 \
                 --cmd "python3 eval/heldout/set31/print_gold.py"   -> total F1 1.000
"""
import os, sys

def main():
    if len(sys.argv) != 2:
        sys.exit('usage: print_gold.py PATH/NNN_name.txt')
    txt = sys.argv[1]
    gold = os.path.splitext(txt)[0] + '.json'
    if not os.path.exists(gold):
        sys.exit(f'no gold file beside {txt}')
    with open(gold, encoding='utf-8') as f:
        sys.stdout.write(f.read())

if __name__ == '__main__':
    main()
