# Retained size of the set of classes matching the ERE re (whole name), from
# the dominator tree as `heapscan dominators --json` prints it: the sum over
# matching objects that have no matching ancestor in the tree.
/^ *"class": / {
	d = match($0, /[^ ]/) - 1
	c = $0; sub(/^ *"class": "/, "", c); sub(/",?$/, "", c)
	next
}
/^ *"retained": / && c != "" {
	r = $0; sub(/^ *"retained": /, "", r); sub(/,$/, "", r)
	anc = 0
	for (k in m) if (k + 0 < d && m[k]) anc = 1
	for (k in m) if (k + 0 >= d) delete m[k]
	hit = (c ~ ("^(" re ")$"))
	if (hit && !anc) sum += r
	m[d] = hit
	c = ""
}
END { printf "%d\n", sum }
