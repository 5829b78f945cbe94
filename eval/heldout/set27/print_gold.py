#!/usr/bin/env python3
"""Print the gold answer that sits beside a text: `print_gold.py DIR/NNN_name.txt`
writes DIR/NNN_name.json to stdout (one JSON object), so it can be used as
`score.py --gold DIR --cmd "python3 DIR/print_gold.py"` to check that the gold
scores F1 1.000 against itself."""
import json, os, sys

def main():
    if len(sys.argv) != 2:
        sys.exit('usage: print_gold.py TEXT.txt')
    base, _ = os.path.splitext(sys.argv[1])
    with open(base + '.json', encoding='utf-8') as f:
        gold = json.load(f)
    json.dump(gold, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')

if __name__ == '__main__':
    main()
