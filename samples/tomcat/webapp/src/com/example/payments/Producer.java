package com.example.payments;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A messaging client with the incident's bug: each send() starts a new
 * network thread ("kafka-producer-network-thread | producer-N") instead
 * of reusing one, and the thread never ends.  Each keeps its record
 * buffer (a byte[] in a ProducerBatch of its Sender's RecordAccumulator)
 * and parks with the Sender as its blocker.
 */
public class Producer {
	static final AtomicInteger STARTED = new AtomicInteger();
	static final int BATCH_BYTES = 2048;

	public static void send(String payload) {
		int n = STARTED.incrementAndGet();
		RecordAccumulator acc = new RecordAccumulator();
		ProducerBatch batch = new ProducerBatch(BATCH_BYTES);
		byte[] p = payload.getBytes();
		System.arraycopy(p, 0, batch.buffer, 0, Math.min(p.length, BATCH_BYTES));
		acc.batches.add(batch);
		Thread t = new Thread(new Sender(acc), "kafka-producer-network-thread | producer-" + n);
		t.setDaemon(true);
		t.start();
	}
}
