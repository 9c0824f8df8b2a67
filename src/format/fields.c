/*
 * fields.c - every field name a result may hold (result.h), once: its
 * kind, its heading in text output, and the line the manual's OUTPUT
 * section gives it.  A command that needs a new field adds one line
 * here (in alphabetical order: the lookup is a binary search, and a unit
 * test checks the order) and one in man/heapscan.1 (a test checks that
 * the two lists agree).
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/result.h"

static const hs_rfield fields[] = {
	{ "alignment", HS_K_BYTES, "Alignment", "object alignment of the dump's layout, in bytes" },
	{ "array_header", HS_K_BYTES, "Array header", "size of an array's header in the dump's layout, in bytes" },
	{ "base_instances", HS_K_COUNT, "Base instances", "instances in the baseline" },
	{ "base_retained", HS_K_BYTES, "Base retained", "retained bytes in the baseline" },
	{ "base_shallow", HS_K_BYTES, "Base shallow", "shallow bytes in the baseline" },
	{ "biggest_class", HS_K_TEXT, "Biggest object", "class of the biggest object a thread retains" },
	{ "biggest_retained", HS_K_BYTES, "Biggest retained", "retained bytes of that object" },
	{ "bytes", HS_K_BYTES, "Bytes", "a size in bytes: of the HPROF records read (info), of an index file (info's index)" },
	{ "children", HS_K_LIST, "Children", "rows below this one in a tree (same fields)" },
	{ "class", HS_K_TEXT, "Class", "a class name, as Java prints it (arrays as int[], java.lang.String[])" },
	{ "class_loader", HS_K_TEXT, "Class loader", "a class loader: its class and id, or <bootstrap>" },
	{ "class_object_of", HS_K_TEXT, "Class of", "for a class object (class java.lang.Class), the class it stands for; null for other objects" },
	{ "class_objects", HS_K_COUNT, "Classes", "number of classes in the dump (each a java.lang.Class object)" },
	{ "classes", HS_K_LIST, "Classes", "one row per class" },
	{ "classes_total", HS_K_COUNT, "Classes", "number of classes with instances" },
	{ "command", HS_K_TEXT, "Command", "the command that made the document" },
	{ "compressed_refs", HS_K_BOOL, "Compressed references", "whether the layout uses 4-byte references (compressed oops)" },
	{ "compression", HS_K_TEXT, "Compression", "how the dump file is compressed: none, gzip or zstd" },
	{ "count", HS_K_COUNT, "Count", "number of objects" },
	{ "delta_instances", HS_K_DELTA, "Δ instances", "instances now minus instances in the baseline" },
	{ "delta_retained", HS_K_DELTA, "Δ retained", "retained bytes now minus in the baseline" },
	{ "delta_shallow", HS_K_DELTA, "Δ shallow", "shallow bytes now minus in the baseline" },
	{ "depth", HS_K_INT, "Depth", "depth of a row in a tree (CSV), 0 for the top rows" },
	{ "dominators", HS_K_LIST, "Dominators", "the dominator tree: one row per object, biggest retained first, each with its children" },
	{ "dump", HS_K_TEXT, "Dump", "the heap dump analysed (file name as given)" },
	{ "duplicate_ids", HS_K_COUNT, "Duplicate ids", "records of an id already seen, left out" },
	{ "error", HS_K_TEXT, "Error", "why something failed (null when it did not)" },
	{ "file", HS_K_TEXT, "File", "a file's path" },
	{ "file_size", HS_K_BYTES, "File size", "size of the dump file as stored (compressed or not)" },
	{ "format", HS_K_TEXT, "Format", "the HPROF version string of the dump" },
	{ "from", HS_K_OBJECT, "From", "the object a tree starts at (dominators --from), with the fields of a row" },
	{ "gc_roots", HS_K_COUNT, "GC roots", "number of GC roots, repeated and null ones left out" },
	{ "gc_roots_by_kind", HS_K_LIST, "GC roots by kind", "one row per kind of GC root" },
	{ "gc_roots_duplicate", HS_K_COUNT, "Repeated GC roots", "GC root records repeating a root, left out" },
	{ "gc_roots_null", HS_K_COUNT, "Null GC roots", "GC root records with id 0, left out" },
	{ "header", HS_K_BYTES, "Header", "size of an object's header in the dump's layout, in bytes" },
	{ "heap_dump_analysed", HS_K_INT, "Heap dump analysed", "which heap dump of the file was analysed, 1 for the first" },
	{ "heap_dumps", HS_K_COUNT, "Heap dumps", "number of heap dumps in the file" },
	{ "id", HS_K_ID, "Id", "an object id as the dump gives it, hexadecimal" },
	{ "id_size", HS_K_INT, "Id size", "size of an object id in the dump, in bytes (4 or 8)" },
	{ "index", HS_K_OBJECT, "Index", "the index of the dump: its state (read, written, not written, off, none), file, bytes, error" },
	{ "instances", HS_K_COUNT, "Instances", "number of instances (for arrays: of arrays)" },
	{ "instances_total", HS_K_COUNT, "Instances", "number of objects in the dump" },
	{ "label", HS_K_TEXT, "Details", "what identifies an object: a String's value, a collection's size, a thread's name, a class's static field" },
	{ "layout", HS_K_OBJECT, "Object layout", "the JVM's object layout the sizes follow: name, compressed_refs, header, reference, array_header, alignment" },
	{ "loaders", HS_K_LIST, "Class loaders", "one row per class loader" },
	{ "name", HS_K_TEXT, "Name", "a name (a thread's, a class loader's, a package's)" },
	{ "new_instances", HS_K_COUNT, "New instances", "instances in the newer dump" },
	{ "new_retained", HS_K_BYTES, "New retained", "retained bytes in the newer dump" },
	{ "new_shallow", HS_K_BYTES, "New shallow", "shallow bytes in the newer dump" },
	{ "object_arrays", HS_K_COUNT, "Object arrays", "number of arrays of references" },
	{ "objects", HS_K_LIST, "Objects", "one row per object" },
	{ "package", HS_K_TEXT, "Package", "a Java package (<default> for the unnamed one)" },
	{ "packages", HS_K_LIST, "Packages", "one row per package" },
	{ "path", HS_K_INT, "Path", "number of a path, 1 for the first" },
	{ "paths", HS_K_LIST, "Paths", "paths from GC roots to the target, shortest first, each with its root and steps" },
	{ "primitive_arrays", HS_K_COUNT, "Primitive arrays", "number of arrays of primitives" },
	{ "reachable_bytes", HS_K_BYTES, "Reachable", "shallow bytes of the objects a GC root reaches" },
	{ "reachable_objects", HS_K_COUNT, "Reachable objects", "number of objects a GC root reaches" },
	{ "record", HS_K_TEXT, "Record", "an HPROF record tag (HEAP_DUMP_SEGMENT), or its number when unknown" },
	{ "records", HS_K_LIST, "Records", "one row per kind of HPROF record, with its count" },
	{ "reference", HS_K_BYTES, "Reference", "size of a reference in the dump's layout, in bytes" },
	{ "references", HS_K_COUNT, "References", "number of references (edges) in the object graph" },
	{ "retained", HS_K_BYTES, "Retained", "retained bytes: what would be freed with the object(s), each object counted once" },
	{ "retained_objects", HS_K_COUNT, "Objects", "number of objects in the retained set" },
	{ "retained_pct", HS_K_PCT, "Retained %", "retained bytes as a percentage of the reachable bytes" },
	{ "root", HS_K_TEXT, "GC root", "the kind of GC root (system class, thread, Java local, JNI global, ...)" },
	{ "schema", HS_K_INT, "Schema", "version of the document's shape (changes when a field is renamed or removed)" },
	{ "shallow", HS_K_BYTES, "Shallow", "shallow bytes: the object's own size in the JVM's layout" },
	{ "shallow_class_objects", HS_K_BYTES, "Shallow class objects", "shallow bytes of the class objects" },
	{ "shallow_heap", HS_K_BYTES, "Shallow heap", "shallow bytes of all objects, class objects included" },
	{ "shallow_objects", HS_K_BYTES, "Shallow objects", "shallow bytes of the objects that are not class objects" },
	{ "shallow_total", HS_K_BYTES, "Shallow", "shallow bytes of all objects" },
	{ "state", HS_K_TEXT, "State", "what became of something: for the index read, written, not written, off or none" },
	{ "step", HS_K_INT, "Step", "position of a step in its path, 0 for the GC root" },
	{ "steps", HS_K_LIST, "Steps", "the objects of a path, from the GC root to the target" },
	{ "superclass_loops", HS_K_COUNT, "Superclass loops", "loops in the superclass chains (in each, a class is taken to have no superclass)" },
	{ "target", HS_K_ID, "Target", "the object the paths lead to" },
	{ "thread", HS_K_TEXT, "Thread", "a thread's name" },
	{ "threads", HS_K_LIST, "Threads", "one row per thread" },
	{ "threads_total", HS_K_COUNT, "Threads", "number of threads" },
	{ "timestamp", HS_K_TEXT, "Written", "when the dump was written, UTC" },
	{ "timestamp_ms", HS_K_INT, "Timestamp", "when the dump was written, milliseconds since 1970 (UTC)" },
	{ "truncated", HS_K_BOOL, "Truncated", "whether the dump ends before its records do" },
	{ "truncated_at", HS_K_INT, "Truncated at", "offset of the record cut short (null when not truncated)" },
	{ "unknown_class_ids", HS_K_COUNT, "Unknown class ids", "class ids no record describes" },
	{ "unknown_class_objects", HS_K_COUNT, "Unknown class objects", "objects of those classes (counted as <unknown class>)" },
	{ "unreachable_bytes", HS_K_BYTES, "Unreachable", "shallow bytes of the objects no GC root reaches (garbage)" },
	{ "unreachable_objects", HS_K_COUNT, "Unreachable objects", "number of objects no GC root reaches" },
	{ "via", HS_K_TEXT, "Via", "how the previous step refers to this object: a field, an array index, a static field, a local; null for the root" },
};

static int cmp(const void *k, const void *f)
{
	return strcmp(k, ((const hs_rfield *)f)->key);
}

const hs_rfield *hs_rfield_find(const char *key)
{
	return key ? bsearch(key, fields, sizeof(fields) / sizeof(fields[0]), sizeof(fields[0]), cmp) : NULL;
}

const hs_rfield *hs_rfield_all(int *n)
{
	*n = (int)(sizeof(fields) / sizeof(fields[0]));
	return fields;
}
