# Retained size of the set of classes matching the ERE argv[1] (whole
# name), from the dominator tree of `heapscan dominators --json` on stdin:
# the sum over matching objects that have no matching ancestor in the
# tree.  A class object's class is java.lang.Class (its row's class reads
# "class NAME", with NAME in class_object_of).
import json, re, sys

pat = re.compile('(' + sys.argv[1] + ')$')
total = 0
stack = [(r, False) for r in reversed(json.load(sys.stdin)['dominators'])]
while stack:
    row, covered = stack.pop()
    cls = 'java.lang.Class' if row.get('class_object_of') is not None else row['class']
    hit = pat.match(cls) is not None
    if hit and not covered:
        total += row['retained']
    stack.extend((c, covered or hit) for c in reversed(row.get('children', [])))
print(total)
