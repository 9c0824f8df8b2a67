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
	{ "base_instances", HS_K_COUNT, "Base instances", "instances in the baseline" },
	{ "base_retained", HS_K_BYTES, "Base retained", "retained bytes in the baseline" },
	{ "base_shallow", HS_K_BYTES, "Base shallow", "shallow bytes in the baseline" },
	{ "biggest_class", HS_K_TEXT, "Biggest object", "class of the biggest object a thread retains" },
	{ "biggest_retained", HS_K_BYTES, "Biggest retained", "retained bytes of that object" },
	{ "children", HS_K_LIST, "Children", "rows below this one in a tree (same fields)" },
	{ "class", HS_K_TEXT, "Class", "a class name, as Java prints it (arrays as int[], java.lang.String[])" },
	{ "class_loader", HS_K_TEXT, "Class loader", "a class loader: its class and id, or <bootstrap>" },
	{ "class_object_of", HS_K_TEXT, "Class of", "for a class object (class java.lang.Class), the class it stands for; null for other objects" },
	{ "classes", HS_K_LIST, "Classes", "one row per class" },
	{ "classes_total", HS_K_COUNT, "Classes", "number of classes with instances" },
	{ "command", HS_K_TEXT, "Command", "the command that made the document" },
	{ "count", HS_K_COUNT, "Count", "number of objects" },
	{ "delta_instances", HS_K_DELTA, "Δ instances", "instances now minus instances in the baseline" },
	{ "delta_retained", HS_K_DELTA, "Δ retained", "retained bytes now minus in the baseline" },
	{ "delta_shallow", HS_K_DELTA, "Δ shallow", "shallow bytes now minus in the baseline" },
	{ "depth", HS_K_INT, "Depth", "depth of a row in a tree (CSV), 0 for the top rows" },
	{ "dominators", HS_K_LIST, "Dominators", "the dominator tree: one row per object, biggest retained first, each with its children" },
	{ "dump", HS_K_TEXT, "Dump", "the heap dump analysed (file name as given)" },
	{ "from", HS_K_OBJECT, "From", "the object a tree starts at (dominators --from), with the fields of a row" },
	{ "id", HS_K_ID, "Id", "an object id as the dump gives it, hexadecimal" },
	{ "instances", HS_K_COUNT, "Instances", "number of instances (for arrays: of arrays)" },
	{ "instances_total", HS_K_COUNT, "Instances", "number of objects in the dump" },
	{ "label", HS_K_TEXT, "Details", "what identifies an object: a String's value, a collection's size, a thread's name, a class's static field" },
	{ "loaders", HS_K_LIST, "Class loaders", "one row per class loader" },
	{ "name", HS_K_TEXT, "Name", "a name (a thread's, a class loader's, a package's)" },
	{ "new_instances", HS_K_COUNT, "New instances", "instances in the newer dump" },
	{ "new_retained", HS_K_BYTES, "New retained", "retained bytes in the newer dump" },
	{ "new_shallow", HS_K_BYTES, "New shallow", "shallow bytes in the newer dump" },
	{ "objects", HS_K_LIST, "Objects", "one row per object" },
	{ "package", HS_K_TEXT, "Package", "a Java package (<default> for the unnamed one)" },
	{ "packages", HS_K_LIST, "Packages", "one row per package" },
	{ "path", HS_K_INT, "Path", "number of a path, 1 for the first" },
	{ "paths", HS_K_LIST, "Paths", "paths from GC roots to the target, shortest first, each with its root and steps" },
	{ "reachable_bytes", HS_K_BYTES, "Reachable", "shallow bytes of the objects a GC root reaches" },
	{ "reachable_objects", HS_K_COUNT, "Reachable objects", "number of objects a GC root reaches" },
	{ "retained", HS_K_BYTES, "Retained", "retained bytes: what would be freed with the object(s), each object counted once" },
	{ "retained_objects", HS_K_COUNT, "Objects", "number of objects in the retained set" },
	{ "retained_pct", HS_K_PCT, "Retained %", "retained bytes as a percentage of the reachable bytes" },
	{ "root", HS_K_TEXT, "GC root", "the kind of GC root (system class, thread, Java local, JNI global, ...)" },
	{ "schema", HS_K_INT, "Schema", "version of the document's shape (changes when a field is renamed or removed)" },
	{ "shallow", HS_K_BYTES, "Shallow", "shallow bytes: the object's own size in the JVM's layout" },
	{ "shallow_total", HS_K_BYTES, "Shallow", "shallow bytes of all objects" },
	{ "step", HS_K_INT, "Step", "position of a step in its path, 0 for the GC root" },
	{ "steps", HS_K_LIST, "Steps", "the objects of a path, from the GC root to the target" },
	{ "target", HS_K_ID, "Target", "the object the paths lead to" },
	{ "thread", HS_K_TEXT, "Thread", "a thread's name" },
	{ "threads", HS_K_LIST, "Threads", "one row per thread" },
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
