package io.github.promkinesis.kinesis;

/** Some records of a request were not accepted by Kinesis in time: the request is answered 5xx and resent. */
public class DeliveryFailedException extends RuntimeException {
    public DeliveryFailedException(String message) {
        super(message);
    }
}
