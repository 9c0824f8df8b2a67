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
	{ "base_reachable_bytes", HS_K_BYTES, "Base reachable", "reachable bytes in the baseline" },
	{ "base_reachable_objects", HS_K_COUNT, "Base reachable objects", "reachable objects in the baseline" },
	{ "base_retained", HS_K_BYTES, "Base retained", "retained bytes in the baseline" },
	{ "base_shallow", HS_K_BYTES, "Base shallow", "shallow bytes in the baseline" },
	{ "base_threads", HS_K_COUNT, "Base threads", "live threads in the baseline (of the row's name pattern, in a row)" },
	{ "baseline", HS_K_TEXT, "Baseline", "the dump or snapshot compared against (file name as given), null when none" },
	{ "biggest", HS_K_TEXT, "Biggest", "the biggest contributor to what a rule measured, null when none" },
	{ "biggest_class", HS_K_TEXT, "Biggest object", "class of the biggest object a thread retains" },
	{ "biggest_retained", HS_K_BYTES, "Biggest retained", "retained bytes of that object" },
	{ "children", HS_K_LIST, "Children", "rows below this one in a tree (same fields)" },
	{ "class", HS_K_TEXT, "Class", "a class name, as Java prints it (arrays as int[], java.lang.String[])" },
	{ "class_loader", HS_K_TEXT, "Class loader", "a class loader: its class and id, or <bootstrap>" },
	{ "classes", HS_K_LIST, "Classes", "one row per class" },
	{ "classes_total", HS_K_COUNT, "Classes", "number of classes with instances" },
	{ "command", HS_K_TEXT, "Command", "the command that made the document" },
	{ "count", HS_K_COUNT, "Count", "number of objects" },
	{ "delta_instances", HS_K_DELTA, "Δ instances", "instances now minus instances in the baseline" },
	{ "delta_reachable_bytes", HS_K_DELTA, "Δ reachable", "reachable bytes now minus in the baseline" },
	{ "delta_reachable_objects", HS_K_DELTA, "Δ reachable objects", "reachable objects now minus in the baseline" },
	{ "delta_retained", HS_K_DELTA, "Δ retained", "retained bytes now minus in the baseline" },
	{ "delta_shallow", HS_K_DELTA, "Δ shallow", "shallow bytes now minus in the baseline" },
	{ "delta_threads", HS_K_DELTA, "Δ threads", "live threads now minus in the baseline" },
	{ "depth", HS_K_INT, "Depth", "depth of a row in a tree (CSV), 0 for the top rows" },
	{ "dump", HS_K_TEXT, "Dump", "the heap dump analysed (file name as given)" },
	{ "holder", HS_K_TEXT, "Held by", "what holds a suspect's memory (an object, a class's static field, a thread)" },
	{ "id", HS_K_ID, "Id", "an object id as the dump gives it, hexadecimal" },
	{ "index", HS_K_TEXT, "Index", "the index file of the dump" },
	{ "index_bytes", HS_K_BYTES, "Index size", "size of the index file in bytes" },
	{ "index_pct", HS_K_PCT, "Index %", "size of the index file as a percentage of the dump file's" },
	{ "instances", HS_K_COUNT, "Instances", "number of instances (for arrays: of arrays)" },
	{ "instances_total", HS_K_COUNT, "Instances", "number of objects in the dump" },
	{ "kind", HS_K_TEXT, "Kind", "what a leak suspect is: object, class, threads or thread-count" },
	{ "label", HS_K_TEXT, "Details", "what identifies an object: a String's value, a collection's size, a thread's name, a class's static field" },
	{ "limit", HS_K_INT, "Limit", "a rule's limit in bytes or a count; null when it is a percentage" },
	{ "limit_pct", HS_K_PCT, "Limit %", "a rule's limit as a percentage; null when it is bytes or a count" },
	{ "loaders", HS_K_LIST, "Class loaders", "one row per class loader" },
	{ "measured", HS_K_INT, "Measured", "what a rule measured, bytes or a count (a growth may be negative); null when a percentage or nothing" },
	{ "measured_pct", HS_K_PCT, "Measured %", "what a rule measured as a percentage; null when bytes, a count or nothing" },
	{ "members", HS_K_COUNT, "Members", "number of threads or objects a suspect groups" },
	{ "message", HS_K_TEXT, "Message", "what a rule's result says, as the text report and the JUnit report give it" },
	{ "name", HS_K_TEXT, "Name", "a name (a thread's, a class loader's, a package's)" },
	{ "new_instances", HS_K_COUNT, "New instances", "instances in the newer dump" },
	{ "new_reachable_bytes", HS_K_BYTES, "New reachable", "reachable bytes in the newer dump" },
	{ "new_reachable_objects", HS_K_COUNT, "New reachable objects", "reachable objects in the newer dump" },
	{ "new_retained", HS_K_BYTES, "New retained", "retained bytes in the newer dump" },
	{ "new_shallow", HS_K_BYTES, "New shallow", "shallow bytes in the newer dump" },
	{ "new_threads", HS_K_COUNT, "New threads", "live threads in the newer dump (of the row's name pattern, in a row)" },
	{ "objects", HS_K_LIST, "Objects", "one row per object" },
	{ "ok", HS_K_BOOL, "OK", "whether every rule holds (in a row: whether this one holds)" },
	{ "origin", HS_K_TEXT, "Origin", "where a rule comes from: FILE:LINE or the option that gave it" },
	{ "output", HS_K_TEXT, "Output", "the file written (file name as given)" },
	{ "package", HS_K_TEXT, "Package", "a Java package (<default> for the unnamed one)" },
	{ "packages", HS_K_LIST, "Packages", "one row per package" },
	{ "reachable_bytes", HS_K_BYTES, "Reachable", "shallow bytes of the objects a GC root reaches" },
	{ "reachable_objects", HS_K_COUNT, "Reachable objects", "number of objects a GC root reaches" },
	{ "retained", HS_K_BYTES, "Retained", "retained bytes: what would be freed with the object(s), each object counted once" },
	{ "retained_objects", HS_K_COUNT, "Objects", "number of objects in the retained set" },
	{ "retained_pct", HS_K_PCT, "Retained %", "retained bytes as a percentage of the reachable bytes" },
	{ "rule", HS_K_TEXT, "Rule", "a rule as written" },
	{ "rules", HS_K_LIST, "Rules", "one row per rule" },
	{ "schema", HS_K_INT, "Schema", "version of the document's shape (changes when a field is renamed or removed)" },
	{ "shallow", HS_K_BYTES, "Shallow", "shallow bytes: the object's own size in the JVM's layout" },
	{ "shallow_total", HS_K_BYTES, "Shallow", "shallow bytes of all objects" },
	{ "status", HS_K_TEXT, "Status", "a row's state: a suspect new or grown (diff); a rule held, violated, error or skipped (check); an index up-to-date or written (index)" },
	{ "suspects", HS_K_LIST, "Suspects", "one row per leak suspect" },
	{ "suspects_total", HS_K_COUNT, "Suspects", "number of leak suspects" },
	{ "thread", HS_K_TEXT, "Thread", "a thread's name" },
	{ "thread_pattern", HS_K_TEXT, "Thread names", "thread names with their runs of digits as *: http-nio-8080-exec-*" },
	{ "thread_patterns", HS_K_LIST, "Thread names", "one row per thread name pattern" },
	{ "threads", HS_K_LIST, "Threads", "one row per thread" },
	{ "threads_total", HS_K_COUNT, "Threads", "number of live threads" },
	{ "through", HS_K_TEXT, "Through", "the field or ThreadLocal a suspect's memory is reached through" },
	{ "truncated_at", HS_K_INT, "Cut short at", "offset at which the dump is cut short; null when it is whole" },
	{ "unreachable_bytes", HS_K_BYTES, "Unreachable", "shallow bytes of the objects no GC root reaches (garbage)" },
	{ "unreachable_objects", HS_K_COUNT, "Unreachable objects", "number of objects no GC root reaches" },
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
