package com.example.payments;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A framework-style request tracer with the incident's bug: every request
 * under /api/ adds a small trace HashMap to its worker thread's context,
 * a ThreadLocal HashMap that is never reset.  Each worker thread ends with
 * as many entries as it served requests.
 *
 * COUNTS records each worker's map size after every request (the truth for
 * the tests: /stats prints it).
 */
public class TraceFilter implements Filter {
	static final ThreadLocal<Map<String, Object>> CONTEXT = ThreadLocal.withInitial(HashMap::new);
	static final Map<String, Integer> COUNTS = new ConcurrentHashMap<>();
	static final AtomicLong SEQ = new AtomicLong();
	private static final String[] USERS = { "alice", "bob", "carol", "dave", "erin" };

	@Override
	public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
			throws IOException, ServletException {
		long n = SEQ.incrementAndGet();
		Map<String, String> trace = new HashMap<>();
		trace.put("traceId", "t-" + n);
		trace.put("uri", ((HttpServletRequest) req).getRequestURI());
		trace.put("user", USERS[(int) (n % USERS.length)]);
		Map<String, Object> ctx = CONTEXT.get();
		ctx.put("req-" + n, trace);
		COUNTS.put(Thread.currentThread().getName(), ctx.size());
		req.setAttribute("seq", n);
		chain.doFilter(req, res);
	}
}
