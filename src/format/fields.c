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
	{ "accumulates", HS_K_LIST, "Made of", "what accumulates below a finding's accumulation point: the biggest classes by shallow bytes" },
	{ "accumulation", HS_K_OBJECT, "Accumulation point", "where a finding's bytes accumulate: the object, its class and retained bytes" },
	{ "base_instances", HS_K_COUNT, "Base instances", "instances in the baseline" },
	{ "base_retained", HS_K_BYTES, "Base retained", "retained bytes in the baseline" },
	{ "base_shallow", HS_K_BYTES, "Base shallow", "shallow bytes in the baseline" },
	{ "biggest_class", HS_K_TEXT, "Biggest object", "class of the biggest object a thread retains" },
	{ "biggest_retained", HS_K_BYTES, "Biggest retained", "retained bytes of that object" },
	{ "children", HS_K_LIST, "Children", "rows below this one in a tree (same fields)" },
	{ "class", HS_K_TEXT, "Class", "a class name, as Java prints it (arrays as int[], java.lang.String[])" },
	{ "class_example", HS_K_TEXT, "Example class", "the most common class name among the classes kept alive" },
	{ "class_loader", HS_K_TEXT, "Class loader", "a class loader: its class and id, or <bootstrap>" },
	{ "class_loaders", HS_K_OBJECT, "Class loaders", "class loaders a finding keeps alive: their number, class, names, classes" },
	{ "class_object", HS_K_TEXT, "Class object", "for a java.lang.Class object, the class it stands for (its static fields); else null" },
	{ "classes", HS_K_LIST, "Classes", "one row per class" },
	{ "classes_total", HS_K_COUNT, "Classes", "number of classes with instances" },
	{ "command", HS_K_TEXT, "Command", "the command that made the document" },
	{ "count", HS_K_COUNT, "Count", "number of objects (of threads, in a group of threads)" },
	{ "daemon", HS_K_BOOL, "Daemon", "whether a thread is a daemon thread" },
	{ "delta_instances", HS_K_DELTA, "Δ instances", "instances now minus instances in the baseline" },
	{ "delta_retained", HS_K_DELTA, "Δ retained", "retained bytes now minus in the baseline" },
	{ "delta_shallow", HS_K_DELTA, "Δ shallow", "shallow bytes now minus in the baseline" },
	{ "depth", HS_K_INT, "Depth", "depth of a row in a tree (CSV), 0 for the top rows" },
	{ "dump", HS_K_TEXT, "Dump", "the heap dump analysed (file name as given)" },
	{ "each", HS_K_OBJECT, "Each", "what each thread of a finding holds: smallest, median, biggest, average" },
	{ "elements", HS_K_LIST, "Elements", "the elements held at an accumulation point, by class" },
	{ "elements_total", HS_K_COUNT, "Elements", "number of elements held at an accumulation point" },
	{ "entries", HS_K_COUNT, "Entries", "number of entries of a collection" },
	{ "entries_average", HS_K_COUNT, "Entries (average)", "average entries of the collections the threads hold, rounded" },
	{ "entries_max", HS_K_COUNT, "Entries (max)", "most entries of the collections the threads hold" },
	{ "entries_median", HS_K_COUNT, "Entries (median)", "median entries (the lower middle value)" },
	{ "entries_min", HS_K_COUNT, "Entries (min)", "fewest entries of the collections the threads hold" },
	{ "finding", HS_K_INT, "Finding", "number of the finding (1-based, as in text) the threads are counted in, null if none" },
	{ "frame", HS_K_TEXT, "Frame", "a stack frame as Java prints it: class.method(File.java:line)" },
	{ "frames", HS_K_TEXT, "Top frames (caller first)", "the top stack frames threads share, caller first, joined by ' -> '" },
	{ "groups", HS_K_LIST, "Groups", "one row per group of threads (by name pattern or by top frames)" },
	{ "holder", HS_K_TEXT, "Held by", "who holds a finding, in words: the nearest static field, thread or GC root" },
	{ "holding", HS_K_COUNT, "Holding", "number of threads holding the structure named by holds" },
	{ "holds", HS_K_TEXT, "Holds", "the most common class of what each thread of a group holds" },
	{ "id", HS_K_ID, "Id", "an object id as the dump gives it, hexadecimal" },
	{ "in_findings", HS_K_COUNT, "In findings", "threads of a group counted in other findings already" },
	{ "instances", HS_K_COUNT, "Instances", "number of instances (for arrays: of arrays)" },
	{ "instances_total", HS_K_COUNT, "Instances", "number of objects in the dump" },
	{ "kind", HS_K_TEXT, "Kind", "kind of finding: object, class, threads, thread-count, pile-up" },
	{ "label", HS_K_TEXT, "Details", "what identifies an object: a String's value, a collection's size, a thread's name, a class's static field" },
	{ "loader", HS_K_TEXT, "Class loader", "a class loader's name, for a path step that is one" },
	{ "loaders", HS_K_LIST, "Class loaders", "one row per class loader" },
	{ "locals", HS_K_LIST, "Locals", "the local variables of a frame (Java frame GC roots)" },
	{ "max_threads", HS_K_COUNT, "Max threads", "more live threads than this are a finding" },
	{ "meet", HS_K_COUNT, "Meet", "instances whose paths from the GC roots pass through the accumulation point" },
	{ "members", HS_K_COUNT, "Members", "objects or threads in a finding" },
	{ "name", HS_K_TEXT, "Name", "a name (a thread's, a class loader's, a package's)" },
	{ "names", HS_K_TEXT, "Names", "the names of class loaders, as a pattern" },
	{ "native_stack_estimate", HS_K_BYTES, "Native stacks", "estimated bytes of the threads' stacks outside the heap (threads x stack_size_assumed)" },
	{ "new_instances", HS_K_COUNT, "New instances", "instances in the newer dump" },
	{ "new_retained", HS_K_BYTES, "New retained", "retained bytes in the newer dump" },
	{ "new_shallow", HS_K_BYTES, "New shallow", "shallow bytes in the newer dump" },
	{ "objects", HS_K_LIST, "Objects", "one row per object" },
	{ "of_class", HS_K_COUNT, "Of class", "how many of them are of that class" },
	{ "of_example", HS_K_COUNT, "Of example", "classes named class_example" },
	{ "owner", HS_K_TEXT, "Owner", "who owns the object threads wait on, in words" },
	{ "package", HS_K_TEXT, "Package", "a Java package (<default> for the unnamed one)" },
	{ "packages", HS_K_LIST, "Packages", "one row per package" },
	{ "path", HS_K_LIST, "Path", "steps from a GC root to an object, root first" },
	{ "pattern", HS_K_TEXT, "Name pattern", "a thread name pattern: digit runs that differ among the names as *" },
	{ "reachable_bytes", HS_K_BYTES, "Reachable", "shallow bytes of the objects a GC root reaches" },
	{ "reachable_objects", HS_K_COUNT, "Reachable objects", "number of objects a GC root reaches" },
	{ "retained", HS_K_BYTES, "Retained", "retained bytes: what would be freed with the object(s), each object counted once" },
	{ "retained_average", HS_K_BYTES, "Retained (average)", "average retained bytes of what each thread holds, rounded" },
	{ "retained_max", HS_K_BYTES, "Retained (max)", "biggest retained bytes of what a thread holds" },
	{ "retained_median", HS_K_BYTES, "Retained (median)", "median retained bytes (the lower middle value)" },
	{ "retained_min", HS_K_BYTES, "Retained (min)", "smallest retained bytes of what a thread holds" },
	{ "retained_objects", HS_K_COUNT, "Objects", "number of objects in the retained set" },
	{ "retained_pct", HS_K_PCT, "Retained %", "retained bytes as a percentage of the reachable bytes" },
	{ "retained_with_other_findings", HS_K_BYTES, "Retained (all)", "retained bytes of all live threads, other findings' bytes included" },
	{ "root", HS_K_TEXT, "GC root", "the GC root kind of a path's first step (null for the other steps)" },
	{ "schema", HS_K_INT, "Schema", "version of the document's shape (changes when a field is renamed or removed)" },
	{ "shallow", HS_K_BYTES, "Shallow", "shallow bytes: the object's own size in the JVM's layout" },
	{ "shallow_total", HS_K_BYTES, "Shallow", "shallow bytes of all objects" },
	{ "stack", HS_K_LIST, "Stack", "a thread's stack frames, top first (empty without a stack trace)" },
	{ "stack_size_assumed", HS_K_BYTES, "Stack size", "the stack size assumed per thread (the default of a 64-bit Linux JVM)" },
	{ "suspects", HS_K_LIST, "Suspects", "one entry per finding, biggest first" },
	{ "thread", HS_K_TEXT, "Thread", "a thread's name" },
	{ "thread_pattern", HS_K_TEXT, "Threads", "name pattern of the threads of a finding" },
	{ "thread_root", HS_K_BOOL, "Thread root", "whether the dump has a thread root for the thread (else: a Thread object the roots reach)" },
	{ "threads", HS_K_LIST, "Threads", "one row per thread" },
	{ "threads_total", HS_K_COUNT, "Threads", "number of live threads (with a thread root, or a Thread object the roots reach)" },
	{ "threshold_pct", HS_K_PCT, "Threshold", "what retains more than this percentage of the reachable heap is a finding" },
	{ "through", HS_K_TEXT, "Through", "what the threads of a finding hold it through (a ThreadLocal)" },
	{ "unreachable_bytes", HS_K_BYTES, "Unreachable", "shallow bytes of the objects no GC root reaches (garbage)" },
	{ "unreachable_objects", HS_K_COUNT, "Unreachable objects", "number of objects no GC root reaches" },
	{ "via", HS_K_TEXT, "Via", "how the previous step of a path references this one (a field, an array index); null for the first" },
	{ "wait", HS_K_TEXT, "Wait", "what threads wait in: park, monitor or socket (null: no wait)" },
	{ "waits_on", HS_K_OBJECT, "Waits on", "the one object threads wait on (id, class, owner), or null" },
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
