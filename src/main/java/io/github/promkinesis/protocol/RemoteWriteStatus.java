package io.github.promkinesis.protocol;

/** What a status code tells a remote-write sender, Prometheus or the restore: 5xx and 429 resend, other 4xx drop. */
public final class RemoteWriteStatus {

    private RemoteWriteStatus() {
    }

    public static boolean resend(int status) {
        return status >= 500 || status == 429;
    }
}
