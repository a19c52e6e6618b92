/** Parquet files read without Hadoop: Firehose's for restore, compact's for restore and serve-archive. */
package io.github.promkinesis.parquet;
