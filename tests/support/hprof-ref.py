#!/usr/bin/env python3
"""A brute-force reference for the CLI tests: reads an HPROF dump with no
code of heapscan's and answers from the definitions, slowly and plainly.

  hprof-ref.py [options] DUMP COMMAND [ARG...]

COMMAND:
  records          the count of every record tag, then per heap dump (a
                   HEAP_DUMP, or HEAP_DUMP_SEGMENTs up to HEAP_DUMP_END)
                   the count of each kind of object sub-record
  reachable        "OBJECTS BYTES CLASSES": what the GC roots reach: the
                   objects that are not class objects, their bytes, and
                   the class objects
  live CLASS...    "CLASS COUNT BYTES" per class (the JVM's spelling):
                   its reachable objects
  threads          the reachable instances of java.lang.Thread and of its
                   subclasses (named or not, with a thread root or not)
  retained WHO...  "OBJECTS BYTES" the objects reach that nothing else
                   does: what is left unreachable when they are taken out
                   of the graph (the retained size of the set, by its
                   definition rather than by a dominator tree); WHO is an
                   object id (0x...) or thread:GLOB, every thread whose
                   name matches the shell pattern GLOB, or class:RE,
                   every instance and array whose class name (the JVM's
                   spelling: [B, [Ljava.lang.String;) matches RE whole
  retained-each WHO...  the same, for each object alone (threads in the
                   order of their ids)
  thread-names     the name of every Thread instance, one a line
  classes          the name of every class the heap dump has a class
                   object for (CLASS_DUMP), one a line
  counts           "NAME COUNT": the instances (INSTANCE_DUMP) and arrays
                   of each class (java.lang.Class: with the CLASS_DUMPs), in the JVM's spelling ([B, [Ljava.lang.
                   String;), in the order of the first one seen

Sizes: an instance's is its class's in the JVM's own histogram (--histo,
jcmd GC.class_histogram: bytes / instances, the same for every instance of
a class), an array's its header plus its elements, aligned (--array-header,
--ref, --align: the layout the samples' README gives per dump).  The
arrays are checked against the histogram: every array class with the
histogram's count must have its bytes, else the layout is wrong (exit 1).
A class object's size depends on its static fields, laid out as only the
JVM knows (the dump also has the mirrors of the primitive types, as
instances of java.lang.Class: class objects too), so class objects are
counted apart and not sized: `retained` fails when the set retains one.

The object graph is the one heapscan's manual defines (OBJECT GRAPH): an
instance refers to its class and its non-null reference fields, an object
array to its class and its elements, a primitive array to its class, a
class to its superclass, loader, signers, protection domain and static
reference fields, a thread object to what the roots of its stack hold
(Java frames, JNI locals, native stack, thread block); every other root
hangs from a virtual root.  Ids not in the dump are dropped.
"""
import argparse
import fnmatch
import re
import gzip
import struct
import subprocess
import sys
from collections import Counter, deque

PRIM = {4: ('Z', 1), 5: ('C', 2), 6: ('F', 4), 7: ('D', 8), 8: ('B', 1), 9: ('S', 2), 10: ('I', 4), 11: ('J', 8)}


def die(msg):
    sys.stderr.write('hprof-ref: %s\n' % msg)
    sys.exit(1)


def read_dump(path):
    if path.endswith('.zst'):
        return subprocess.run(['zstd', '-q', '-d', '-c', path], check=True, stdout=subprocess.PIPE).stdout
    if path.endswith('.gz'):
        with gzip.open(path, 'rb') as f:
            return f.read()
    with open(path, 'rb') as f:
        return f.read()


class Dump:
    def __init__(self, data, which):
        self.data = data
        end = data.index(b'\0')
        self.idsize = struct.unpack_from('>I', data, end + 1)[0]
        self.idfmt = '>I' if self.idsize == 4 else '>Q'
        self.strings = {}
        self.class_names = {}      # class id -> name, JVM spelling
        self.records = Counter()
        self.dumps = []            # per heap dump: Counter of sub-record kinds
        self.classes = {}          # id -> (super, [refs of class], [(type) of instance fields])
        self.inst = {}             # id -> (class id, offset of its values, length)
        self.oarr = {}             # id -> (class id, [elements])
        self.parr = {}             # id -> (type, length, offset of its values)
        self.roots = []            # (kind, id, thread serial or None)
        self.thread_obj = {}       # thread serial -> thread object id
        self.which = which         # the heap dump to model (1-based)
        self._parse()

    def rid(self, off):
        return struct.unpack_from(self.idfmt, self.data, off)[0]

    def _parse(self):
        d, n = self.data, len(self.data)
        pos = self.data.index(b'\0') + 1 + 4 + 8
        ndump, open_segments = 0, False
        while pos + 9 <= n:
            tag, _, length = struct.unpack_from('>BII', d, pos)
            body = pos + 9
            if body + length > n:
                die('record at %d runs past the end' % pos)
            self.records[tag] += 1
            if tag == 0x01:
                self.strings[self.rid(body)] = d[body + self.idsize:body + length].decode('utf-8', 'replace')
            elif tag == 0x02:
                cid = self.rid(body + 4)
                self.class_names[cid] = self.rid(body + 8 + self.idsize)
            elif tag in (0x0C, 0x1C):
                if tag == 0x0C or not open_segments:
                    ndump += 1
                    self.dumps.append(Counter())
                open_segments = tag == 0x1C
                self._heap(body, body + length, ndump == self.which, self.dumps[-1])
            elif tag == 0x2C:
                open_segments = False
            pos = body + length
        self.class_names = {c: self.strings.get(s, '?').replace('/', '.') for c, s in self.class_names.items()}

    def _heap(self, pos, end, keep, kinds):
        d, I = self.data, self.idsize
        rid = self.rid
        simple = {0xFF: I, 0x01: 2 * I, 0x02: I + 8, 0x03: I + 8, 0x04: I + 4, 0x05: I, 0x06: I + 4, 0x07: I, 0x08: I + 8}
        while pos < end:
            sub = d[pos]
            pos += 1
            if sub in simple:
                kinds['root'] += 1
                if keep:
                    obj = rid(pos)
                    if sub == 0x08:
                        self.thread_obj[struct.unpack_from('>I', d, pos + I)[0]] = obj
                        self.roots.append((sub, obj, None))
                    elif sub in (0x02, 0x03, 0x04, 0x06):
                        self.roots.append((sub, obj, struct.unpack_from('>I', d, pos + I)[0]))
                    else:
                        self.roots.append((sub, obj, None))
                pos += simple[sub]
            elif sub == 0x20:
                kinds['class'] += 1
                cid, sup = rid(pos), rid(pos + I + 4)
                refs = [sup, rid(pos + 2 * I + 4), rid(pos + 3 * I + 4), rid(pos + 4 * I + 4)]
                pos += 7 * I + 4 + 4
                ncp = struct.unpack_from('>H', d, pos)[0]
                pos += 2
                for _ in range(ncp):
                    t = d[pos + 2]
                    pos += 3 + (I if t == 2 else PRIM[t][1])
                nst = struct.unpack_from('>H', d, pos)[0]
                pos += 2
                for _ in range(nst):
                    t = d[pos + I]
                    if t == 2:
                        refs.append(rid(pos + I + 1))
                    pos += I + 1 + (I if t == 2 else PRIM[t][1])
                nif = struct.unpack_from('>H', d, pos)[0]
                pos += 2
                fields = []
                for _ in range(nif):
                    fields.append((rid(pos), d[pos + I]))
                    pos += I + 1
                if keep:
                    self.classes[cid] = (sup, refs, fields)
            elif sub == 0x21:
                kinds['instance'] += 1
                oid, cid = rid(pos), rid(pos + I + 4)
                length = struct.unpack_from('>I', d, pos + 2 * I + 4)[0]
                if keep:
                    self.inst[oid] = (cid, pos + 2 * I + 8, length)
                pos += 2 * I + 8 + length
            elif sub == 0x22:
                kinds['object_array'] += 1
                oid = rid(pos)
                cnt = struct.unpack_from('>I', d, pos + I + 4)[0]
                cid = rid(pos + I + 8)
                if keep:
                    base = pos + 2 * I + 8
                    self.oarr[oid] = (cid, [rid(base + k * I) for k in range(cnt)])
                pos += 2 * I + 8 + cnt * I
            elif sub == 0x23:
                kinds['primitive_array'] += 1
                oid = rid(pos)
                cnt, t = struct.unpack_from('>IB', d, pos + I + 4)
                if keep:
                    self.parr[oid] = (t, cnt, pos + I + 9)
                pos += I + 9 + cnt * PRIM[t][1]
            else:
                die('unknown heap sub-record 0x%02x at %d' % (sub, pos - 1))

    # the fields of an instance, its class's first, then its superclasses'
    def layout(self, cid):
        out = []
        while cid in self.classes:
            out.extend(self.classes[cid][2])
            cid = self.classes[cid][0]
        return out

    def fields(self, oid):
        cid, off, _ = self.inst[oid]
        vals = {}
        for name, t in self.layout(cid):
            size = self.idsize if t == 2 else PRIM[t][1]
            nm = self.strings.get(name, '?')
            if nm not in vals:
                vals[nm] = (t, off)
            off += size
        return vals

    def graph(self):
        """Edges: id -> list of ids; the virtual root is 0."""
        I, d = self.idsize, self.data
        by_name = {}
        for c, nm in self.class_names.items():
            by_name.setdefault(nm, c)
        prim_class = {t: by_name.get('[' + PRIM[t][0]) for t in PRIM}
        ref_offsets = {}
        edges = {}
        for cid, (sup, refs, _) in self.classes.items():
            edges[cid] = list(refs)
        for oid, (cid, off, _) in self.inst.items():
            if cid not in ref_offsets:
                o, offs = 0, []
                for _, t in self.layout(cid):
                    if t == 2:
                        offs.append(o)
                    o += I if t == 2 else PRIM[t][1]
                ref_offsets[cid] = offs
            edges[oid] = [cid] + [self.rid(off + o) for o in ref_offsets[cid]]
        for oid, (cid, elems) in self.oarr.items():
            edges[oid] = [cid] + elems
        for oid, (t, _, _) in self.parr.items():
            edges[oid] = [prim_class[t]]
        top = []
        for kind, obj, serial in self.roots:
            th = self.thread_obj.get(serial) if serial is not None else None
            if th is not None and th in edges:
                edges[th].append(obj)
            else:
                top.append(obj)
        edges[0] = top
        return edges

    def reach(self, edges, without=()):
        seen = set(without)
        seen.add(0)
        todo = deque([0])
        while todo:
            for m in edges[todo.popleft()]:
                if m not in seen and m in edges:
                    seen.add(m)
                    todo.append(m)
        for w in without:
            seen.discard(w)
        seen.discard(0)
        return seen


class Sizes:
    def __init__(self, dump, histo, header, ref, align):
        self.dump = dump
        self.header, self.ref, self.align = header, ref, align
        self.jvm = {}
        self.jvm_total = None
        for line in open(histo):
            f = line.split()
            if len(f) >= 4 and f[0].endswith(':'):
                name = f[3].replace('/0x', '+0x')
                c, b = self.jvm.get(name, (0, 0))
                self.jvm[name] = (c + int(f[1]), b + int(f[2]))
            elif f and f[0] == 'Total':
                self.jvm_total = (int(f[1]), int(f[2]))
        self.check_arrays()

    def of(self, oid):
        d = self.dump
        if oid in d.inst:
            name = d.class_names.get(d.inst[oid][0], '?')
            if name == 'java.lang.Class':
                return None   # the mirror of a primitive type: a class object
            if name not in self.jvm or self.jvm[name][0] == 0:
                die('%s (0x%x): not in the JVM histogram, no size' % (name, oid))
            c, b = self.jvm[name]
            if b % c:
                die('%s: %d bytes for %d instances: not one size' % (name, b, c))
            return b // c
        if oid in d.oarr:
            n = len(d.oarr[oid][1]) * self.ref
        elif oid in d.parr:
            t, cnt, _ = d.parr[oid]
            n = cnt * PRIM[t][1]
        else:
            return None   # a class object
        s = self.header + n
        return (s + self.align - 1) // self.align * self.align

    def class_of(self, oid):
        """The class name of an instance or array; None for a class object."""
        d = self.dump
        if oid in d.inst:
            nm = d.class_names.get(d.inst[oid][0], '?')
            return None if nm == 'java.lang.Class' else nm
        if oid in d.oarr or oid in d.parr:
            return self.array_name(oid)
        return None

    def array_name(self, oid):
        d = self.dump
        if oid in d.oarr:
            return d.class_names.get(d.oarr[oid][0], '?')
        return '[' + PRIM[d.parr[oid][0]][0]

    def check_arrays(self):
        count, size = Counter(), Counter()
        for oid in list(self.dump.oarr) + list(self.dump.parr):
            nm = self.array_name(oid)
            count[nm] += 1
            size[nm] += self.of(oid)
        checked = 0
        for nm in count:
            if nm in self.jvm and self.jvm[nm][0] == count[nm]:
                checked += 1
                if self.jvm[nm][1] != size[nm]:
                    die('%s: %d arrays of %d bytes by the layout given, %d in the JVM histogram' %
                        (nm, count[nm], size[nm], self.jvm[nm][1]))
        if checked == 0:
            die('no array class to check the layout with')

    def total(self, objs, what):
        b = 0
        classes = 0
        for o in objs:
            s = self.of(o)
            if s is None:
                classes += 1
            else:
                b += s
        return b, classes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--histo')
    ap.add_argument('--array-header', type=int, default=16)
    ap.add_argument('--ref', type=int, default=4)
    ap.add_argument('--align', type=int, default=8)
    ap.add_argument('--dump', type=int, default=1, help='the heap dump to model (1-based)')
    ap.add_argument('path')
    ap.add_argument('command')
    ap.add_argument('args', nargs='*')
    a = ap.parse_args()
    d = Dump(read_dump(a.path), a.dump)
    if a.command == 'records':
        for tag, c in sorted(d.records.items()):
            print('0x%02X %d' % (tag, c))
        for k, kinds in enumerate(d.dumps, 1):
            print('dump %d: %s' % (k, ' '.join('%s %d' % kv for kv in sorted(kinds.items()))))
        return
    if a.command == 'classes':
        for cid in d.classes:
            print(d.class_names.get(cid, '?'))
        return
    if a.command == 'counts':
        c = Counter()
        for cid, _, _ in d.inst.values():
            c[d.class_names.get(cid, '?')] += 1
        for cid, _ in d.oarr.values():
            c[d.class_names.get(cid, '?')] += 1
        for t, _, _ in d.parr.values():
            c['[' + PRIM[t][0]] += 1
        c['java.lang.Class'] += len(d.classes)   # class objects: CLASS_DUMPs
        for nm, n in c.items():
            print(nm, n)
        return
    if a.command == 'thread-names':
        for name in thread_names(d).values():
            print(name)
        return
    edges = d.graph()
    live = d.reach(edges)
    if a.command == 'threads':
        print(sum(1 for o in live if o in d.inst and is_thread(d, d.inst[o][0])))
        return
    if not a.histo:
        die('%s needs --histo' % a.command)
    sz = Sizes(d, a.histo, a.array_header, a.ref, a.align)
    if a.command == 'reachable':
        b, classes = sz.total(live, 'reachable')
        print(len(live) - classes, b, classes)
    elif a.command == 'live':
        count, size = Counter(), Counter()
        for o in live:
            if o in d.inst:
                nm = d.class_names.get(d.inst[o][0], '?')
            elif o in d.oarr or o in d.parr:
                nm = sz.array_name(o)
            else:
                nm = 'java.lang.Class'
            if nm in a.args:
                count[nm] += 1
                s = sz.of(o)
                if s is None:
                    die('java.lang.Class: no sizes')
                size[nm] += s
        for nm in a.args:
            print(nm, count[nm], size[nm])
    elif a.command in ('retained', 'retained-each'):
        who = []
        names = None
        for w in a.args:
            if w.startswith('thread:'):
                names = names or thread_names(d)
                hit = sorted(o for o, nm in names.items() if fnmatch.fnmatchcase(nm or '', w[7:]) and o in live)
                if not hit:
                    die('no live thread matches %s' % w[7:])
                who.extend(hit)
            elif w.startswith('class:'):
                rx = re.compile(w[6:])
                hit = sorted(o for o in live if rx.fullmatch(sz.class_of(o) or ''))
                if not hit:
                    die('no live object of a class matching %s' % w[6:])
                who.extend(hit)
            else:
                who.append(int(w, 16))
        for group in ([who] if a.command == 'retained' else [[o] for o in who]):
            gone = live - d.reach(edges, group)
            b, classes = sz.total(gone, 'retained')
            if classes:
                die('the set retains %d class objects: their sizes are unknown' % classes)
            print(len(gone), b)
    else:
        die('unknown command %s' % a.command)


def is_thread(d, cid):
    while cid in d.classes:
        if d.class_names.get(cid) == 'java.lang.Thread':
            return True
        cid = d.classes[cid][0]
    return False


def thread_names(d):
    out = {}
    for oid, (cid, _, _) in d.inst.items():
        if not is_thread(d, cid):
            continue
        f = d.fields(oid)
        s = d.rid(f['name'][1]) if 'name' in f else 0
        out[oid] = string_value(d, s)
    return out


def string_value(d, sid):
    if sid not in d.inst:
        return None
    f = d.fields(sid)
    arr = d.rid(f['value'][1])
    if arr not in d.parr:
        return None
    t, cnt, off = d.parr[arr]
    raw = d.data[off:off + cnt * PRIM[t][1]]
    if t == 5:   # char[] (JDK 8 and older)
        return raw.decode('utf-16-be')
    coder = d.data[f['coder'][1]] if 'coder' in f else 0
    return raw.decode('latin-1') if coder == 0 else raw.decode('utf-16-le')


if __name__ == '__main__':
    main()
