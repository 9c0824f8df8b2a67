package com.example.payments;

import com.zaxxer.hikari.HikariPoolMXBean;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * /stats (not traced): what the webapp knows of its own state, the truth
 * the tests check heapscan against: each worker's trace map size, the
 * producer threads started, and the pool's waiting and active counts.
 */
public class StatsServlet extends HttpServlet {
	@Override
	protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
		res.setContentType("text/plain");
		PrintWriter w = res.getWriter();
		for (Map.Entry<String, Integer> e : new TreeMap<>(TraceFilter.COUNTS).entrySet())
			w.println("trace-map\t" + e.getKey() + "\t" + e.getValue());
		w.println("producer-threads\t" + Producer.STARTED.get());
		HikariPoolMXBean p = Db.POOL.getHikariPoolMXBean();
		w.println("pool-size\t" + Db.POOL_SIZE);
		w.println("pool-active\t" + p.getActiveConnections());
		w.println("pool-waiting\t" + p.getThreadsAwaitingConnection());
		w.println("traced-requests\t" + TraceFilter.SEQ.get());
	}
}
