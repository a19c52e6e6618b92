/**
 * The archive read back for Prometheus remote read.
 */
package io.github.promkinesis.read;
