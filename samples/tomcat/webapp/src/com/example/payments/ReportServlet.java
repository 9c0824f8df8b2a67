package com.example.payments;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** /api/report?holdMs=N: a slow report that holds a pooled connection for N ms. */
public class ReportServlet extends HttpServlet {
	@Override
	protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
		long hold = Long.parseLong(req.getParameter("holdMs") == null ? "0" : req.getParameter("holdMs"));
		try (Connection c = Db.POOL.getConnection(); Statement s = c.createStatement();
				ResultSet r = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES")) {
			r.next();
			Thread.sleep(hold);
			res.setContentType("text/plain");
			res.getWriter().println("tables " + r.getLong(1));
		} catch (SQLException | InterruptedException e) {
			throw new IOException(e);
		}
	}
}
