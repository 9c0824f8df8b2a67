package com.example.payments;

import java.util.concurrent.locks.LockSupport;

/** A producer's network loop: waits for work that never comes. */
public class Sender implements Runnable {
	final RecordAccumulator accumulator;
	volatile boolean running = true;

	Sender(RecordAccumulator accumulator) {
		this.accumulator = accumulator;
	}

	@Override
	public void run() {
		while (running)
			LockSupport.park(this);
	}
}
