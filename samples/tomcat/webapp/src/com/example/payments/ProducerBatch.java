package com.example.payments;

/** A batch of records: its buffer. */
public class ProducerBatch {
	final byte[] buffer;

	ProducerBatch(int size) {
		buffer = new byte[size];
	}
}
