package com.example.orders.cache;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rendered responses by order id, least recently used first.  It keeps at
 * most maxEntries; 0 means no limit, which is the bug the CI example
 * plants with --leak (samples/ci/README.md).
 */
public final class ResponseCache {
    /** One cached response. */
    public static final class Entry {
        final String orderId;
        final byte[] body;
        final long createdAt;

        Entry(String orderId, byte[] body, long createdAt) {
            this.orderId = orderId;
            this.body = body;
            this.createdAt = createdAt;
        }
    }

    private final int maxEntries;
    private final Map<String, Entry> entries;

    public ResponseCache(int maxEntries) {
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return ResponseCache.this.maxEntries > 0 && size() > ResponseCache.this.maxEntries;
            }
        };
    }

    public synchronized void put(String orderId, byte[] body) {
        entries.put(orderId, new Entry(orderId, body, System.currentTimeMillis()));
    }

    public synchronized byte[] get(String orderId) {
        Entry e = entries.get(orderId);
        return e == null ? null : e.body;
    }

    public synchronized int size() {
        return entries.size();
    }
}
