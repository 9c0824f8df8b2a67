/* heapscan report: the page's script (embedded in the page at build time).
 * It reads the JSON documents of the data blocks (script elements of
 * type application/json) and adds what static HTML cannot: the treemap of the dominator
 * tree, the paths of the findings, sorting and filtering of the tables.
 * Strings from the dump are untrusted: they are shown with textContent
 * only, never as HTML. */
(function () {
	'use strict';

	function data(name) {
		var e = document.getElementById('data-' + name);
		try {
			return e ? JSON.parse(e.textContent) : null;
		} catch (x) {
			return null;
		}
	}

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined && text !== null)
			e.textContent = String(text);
		return e;
	}

	function bytes(n) {
		var u = ['B', 'KB', 'MB', 'GB', 'TB'], i = 0;
		n = Number(n) || 0;
		while (n >= 1024 && i < u.length - 1) {
			n /= 1024;
			i++;
		}
		return (i ? n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0) : String(n)) + ' ' + u[i];
	}

	function count(n) {
		return Number(n || 0).toLocaleString('en-US');
	}

	/* ---- findings: the path from the GC root and what accumulates ---- */

	function findings(sus) {
		var list = (sus && sus.suspects) || [];
		Array.prototype.forEach.call(document.querySelectorAll('article.card'), function (card) {
			var f = list[Number(card.getAttribute('data-n'))], more = card.querySelector('.more'), pre, det;
			if (!f || !more)
				return;
			if (f.steps && f.steps.length) {
				more.appendChild(el('h4', null, 'Path from the GC root'));
				var ol = el('ol', 'path');
				f.steps.forEach(function (s, i) {
					var li = el('li', i === f.steps.length - 1 ? 'acc' : null);
					if (i === 0 && s.root)
						li.appendChild(el('span', 'via', 'GC root (' + s.root + ') '));
					if (i > 0 && s.via)
						li.appendChild(el('span', 'via', s.via + ' \u2192 '));
					li.appendChild(document.createTextNode(s.class_object ? 'class ' + s.class_object : s.class));
					if (s.label)
						li.appendChild(el('span', 'via', ' ' + s.label));
					ol.appendChild(li);
				});
				more.appendChild(ol);
			}
			if (f.accumulates && f.accumulates.length) {
				more.appendChild(el('h4', null, 'What accumulates there'));
				more.appendChild(smallTable(['Objects', 'Class', 'Shallow'], f.accumulates.map(function (a) {
					return [count(a.count), a['class'], bytes(a.shallow)];
				})));
			}
			if (f.groups && f.groups.length) {
				more.appendChild(el('h4', null, 'The threads'));
				more.appendChild(smallTable(['Threads', 'Name', 'Retained', 'Shared frames'], f.groups.map(function (g) {
					return [count(g.count), g.pattern, bytes(g.retained), g.frames || ''];
				})));
			}
			/* the sentences stay, folded: the structure above says the same */
			pre = card.querySelector('pre.details');
			if (pre && more.childNodes.length) {
				det = el('details');
				det.appendChild(el('summary', null, 'As text'));
				pre.parentNode.replaceChild(det, pre);
				det.appendChild(pre);
			}
		});
	}

	function smallTable(heads, rows) {
		var t = el('table', 'small'), tr = el('tr');
		heads.forEach(function (h) { tr.appendChild(el('th', null, h)); });
		t.appendChild(el('thead')).appendChild(tr);
		var tb = el('tbody');
		rows.forEach(function (r) {
			var row = el('tr');
			r.forEach(function (c) { row.appendChild(el('td', null, c)); });
			tb.appendChild(row);
		});
		t.appendChild(tb);
		return t;
	}

	/* ---- the treemap of the dominator tree ---- */

	var PALETTE = ['#8dd3c7', '#ffffb3', '#bebada', '#fb8072', '#80b1d3', '#fdb462', '#b3de69', '#fccde5',
		'#bc80bd', '#ccebc5', '#ffed6f', '#a6cee3'];

	function className(n) {
		return n['class'] === null || n['class'] === undefined ? null : String(n['class']);
	}

	function packageOf(n) {
		var c = n.class_object_of || className(n);
		if (c === null)
			return null;
		c = c.replace(/^class /, '').replace(/(\[\])+$/, '');
		var i = c.lastIndexOf('.');
		return i < 0 ? '(no package)' : c.slice(0, i);
	}

	function nameOf(n) {
		var c = className(n);
		if (c === null)
			return count(n.count) + ' smaller objects';
		return c;
	}

	function simpleName(n) {
		var c = className(n);
		if (c === null)
			return 'other (' + count(n.count) + ')';
		var s = c.replace(/^class /, ''), i = s.lastIndexOf('.');
		return (c.indexOf('class ') === 0 ? 'class ' : '') + (i < 0 ? s : s.slice(i + 1));
	}

	/* Squarified treemap (Bruls, Huizing, van Wijk, 2000): lay items
	 * (biggest first, v their areas) in rows along the shorter side,
	 * adding to a row while its worst aspect ratio improves. */
	function worst(row, side) {
		var sum = 0, max = 0, min = Infinity;
		row.forEach(function (r) {
			sum += r.v;
			max = Math.max(max, r.v);
			min = Math.min(min, r.v);
		});
		var s2 = side * side, sum2 = sum * sum;
		return Math.max(s2 * max / sum2, sum2 / (s2 * min));
	}

	function squarify(items, x, y, w, h) {
		var out = [], rest = items.slice();
		while (rest.length && w > 0 && h > 0) {
			var side = Math.min(w, h), row = [], prev = Infinity, i = 0;
			while (i < rest.length) {
				var cand = row.concat([rest[i]]), wv = worst(cand, side);
				if (row.length && wv > prev)
					break;
				row = cand;
				prev = wv;
				i++;
			}
			rest = rest.slice(i);
			var sum = row.reduce(function (a, r) { return a + r.v; }, 0);
			if (w >= h) {
				var cw = sum / h, cy = y;
				row.forEach(function (r) {
					var rh = r.v / cw;
					out.push({ n: r.n, x: x, y: cy, w: cw, h: rh });
					cy += rh;
				});
				x += cw;
				w -= cw;
			} else {
				var rh = sum / w, cx = x;
				row.forEach(function (r) {
					var rw = r.v / rh;
					out.push({ n: r.n, x: cx, y: y, w: rw, h: rh });
					cx += rw;
				});
				y += rh;
				h -= rh;
			}
		}
		return out;
	}

	function treemap(dom, info) {
		var box = document.getElementById('treemap'), crumbs = document.getElementById('crumbs'),
			legend = document.getElementById('legend'), tip = document.getElementById('tip');
		if (!box || !dom || !dom.dominators)
			return;
		var total = dom.reachable_bytes || 1;
		var root = { 'class': 'All reachable objects', retained: dom.reachable_bytes, shallow: null,
			retained_objects: dom.reachable_objects, children: dom.dominators, top: true };
		var path = [root], colours = {};

		/* colours by package, the biggest packages of the whole tree first */
		(function () {
			var sums = {}, todo = [root], n, p;
			while (todo.length) {
				n = todo.pop();
				(n.children || []).forEach(function (c) {
					p = packageOf(c);
					if (p !== null && !c.children)
						sums[p] = (sums[p] || 0) + c.retained;
					else if (p !== null)
						sums[p] = (sums[p] || 0) + (c.shallow || 0);
					todo.push(c);
				});
			}
			Object.keys(sums).sort(function (a, b) { return sums[b] - sums[a]; }).forEach(function (k, i) {
				colours[k] = i < PALETTE.length ? PALETTE[i] : '#c9ced8';
			});
		})();

		function describe(n) {
			var lines = [nameOf(n)];
			if (n.label)
				lines.push(n.label);
			lines.push('retained ' + bytes(n.retained) + ' (' + (100 * n.retained / total).toFixed(1) + '% of the heap)');
			if (n.shallow !== null && n.shallow !== undefined)
				lines.push('shallow ' + bytes(n.shallow));
			lines.push(count(n.retained_objects) + ' retained objects');
			if (n.id)
				lines.push('id ' + n.id);
			return lines.join('\n');
		}

		function drawCrumbs() {
			crumbs.textContent = '';
			path.forEach(function (n, i) {
				if (i)
					crumbs.appendChild(el('span', 'sep', '\u203a'));
				var b = el('button', 'crumb', i ? simpleName(n) : 'All reachable objects');
				b.title = nameOf(n);
				if (i === path.length - 1)
					b.disabled = true;
				b.addEventListener('click', function () {
					path.length = i + 1;
					draw();
				});
				crumbs.appendChild(b);
			});
		}

		function drawLegend(tiles) {
			var seen = {};
			legend.textContent = '';
			tiles.forEach(function (t) {
				var p = packageOf(t.n);
				if (p === null || seen[p])
					return;
				seen[p] = 1;
				var s = el('span'), i = el('i');
				i.style.background = colours[p] || '#c9ced8';
				s.appendChild(i);
				s.appendChild(document.createTextNode(p));
				legend.appendChild(s);
			});
		}

		function draw() {
			var node = path[path.length - 1], W = box.clientWidth || 800, H = box.clientHeight || 520;
			var kids = (node.children || []).filter(function (c) { return c.retained > 0; });
			var sum = kids.reduce(function (a, c) { return a + c.retained; }, 0) || 1;
			kids.sort(function (a, b) { return b.retained - a.retained; });
			var tiles = squarify(kids.map(function (c) { return { n: c, v: c.retained / sum * W * H }; }), 0, 0, W, H);
			box.textContent = '';
			tiles.forEach(function (t) {
				var n = t.n, d = el('div', 'tile' + (n.children && n.children.length ? ' more' : '') +
					(className(n) === null ? ' other' : ''));
				d.style.left = t.x + 'px';
				d.style.top = t.y + 'px';
				d.style.width = Math.max(t.w, 1) + 'px';
				d.style.height = Math.max(t.h, 1) + 'px';
				if (className(n) !== null)
					d.style.background = colours[packageOf(n)] || '#c9ced8';
				if (t.w > 46 && t.h > 15) {
					d.appendChild(el('div', 'nm', simpleName(n)));
					if (t.h > 44 && n.label)
						d.appendChild(el('div', 'sz', n.label));
					if (t.h > 30)
						d.appendChild(el('div', 'sz', bytes(n.retained)));
				}
				d.title = describe(n);
				d.addEventListener('mousemove', function (e) {
					tip.textContent = describe(n);
					tip.hidden = false;
					tip.style.left = Math.min(e.clientX + 14, window.innerWidth - 300) + 'px';
					tip.style.top = (e.clientY + 14) + 'px';
				});
				d.addEventListener('mouseleave', function () { tip.hidden = true; });
				if (n.children && n.children.length)
					d.addEventListener('click', function () {
						tip.hidden = true;
						path.push(n);
						draw();
					});
				box.appendChild(d);
			});
			box.setAttribute('data-tiles', String(tiles.length));
			box.setAttribute('data-level', String(path.length - 1));
			drawCrumbs();
			drawLegend(tiles);
		}

		draw();
		var timer = null;
		window.addEventListener('resize', function () {
			clearTimeout(timer);
			timer = setTimeout(draw, 100);
		});
	}

	/* ---- tables: sort by a column, filter by text ---- */

	function tables() {
		Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (t) {
			var body = t.tBodies[0], input = el('input', 'filter');
			if (!body)
				return;
			input.type = 'search';
			input.placeholder = 'Filter ' + body.rows.length + ' rows';
			input.addEventListener('input', function () {
				var q = input.value.toLowerCase();
				Array.prototype.forEach.call(body.rows, function (r) {
					r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) < 0;
				});
			});
			t.parentNode.insertBefore(input, t);
			Array.prototype.forEach.call(t.tHead.rows[0].cells, function (th, col) {
				th.classList.add('sortable-on');
				th.title = 'Sort by this column';
				th.addEventListener('click', function () {
					var desc = th.getAttribute('aria-sort') !== 'descending', num = th.classList.contains('num');
					Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute('aria-sort'); });
					th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
					var rows = Array.prototype.slice.call(body.rows);
					rows.sort(function (a, b) {
						var x = a.cells[col], y = b.cells[col], r;
						if (num)
							r = Number(x.getAttribute('data-v')) - Number(y.getAttribute('data-v'));
						else
							r = x.textContent.localeCompare(y.textContent);
						return desc ? -r : r;
					});
					rows.forEach(function (r) { body.appendChild(r); });
				});
			});
		});
	}

	function start() {
		var info = data('info');
		findings(data('suspects'));
		tables();
		treemap(data('dominators'), info);
		/* for the end-to-end test: open the first tile that has children */
		if (location.hash === '#test=click-first-tile') {
			var t = document.querySelector('#treemap .tile.more');
			if (t)
				t.click();
			document.body.setAttribute('data-test', t ? 'clicked' : 'no-tile');
		}
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', start);
	else
		start();
})();
