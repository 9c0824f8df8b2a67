package com.example.payments;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The connection pool: far too small (2) for the requests that hold it. */
public class Db {
	static final int POOL_SIZE = 2;
	static final HikariDataSource POOL;

	static {
		HikariConfig c = new HikariConfig();
		c.setPoolName("payments-db");
		c.setDriverClassName("org.h2.Driver");
		c.setJdbcUrl("jdbc:h2:mem:payments;DB_CLOSE_DELAY=-1");
		c.setUsername("sa");
		c.setPassword("");
		c.setMaximumPoolSize(POOL_SIZE);
		c.setMinimumIdle(POOL_SIZE);
		c.setConnectionTimeout(600_000);
		POOL = new HikariDataSource(c);
	}
}
