package com.example.payments;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** /api/pay: a quick payment; every SEND_EVERY-th one also notifies through the Producer. */
public class PayServlet extends HttpServlet {
	static final int SEND_EVERY = 8;

	@Override
	protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
		long n = (Long) req.getAttribute("seq");
		if (n % SEND_EVERY == 0)
			Producer.send("payment " + n + " accepted");
		res.setContentType("text/plain");
		res.getWriter().println("ok");
	}
}
