package com.example.payments;

import java.util.ArrayDeque;
import java.util.Deque;

/** The records waiting to be sent. */
public class RecordAccumulator {
	final Deque<ProducerBatch> batches = new ArrayDeque<>();
}
