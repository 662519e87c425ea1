package dev.switchboard.server.session;

import io.helidon.config.Config;

/**
 * Per-session bounds ({@code session.*}).
 *
 * @param outboundQueueLimit messages that may wait to be written to one connection before it is disconnected as
 *                           a slow consumer
 * @param outboundQueueBytes encoded bytes that may wait to be written to one connection before it is disconnected
 *                           as a slow consumer
 */
public record SessionSettings(int outboundQueueLimit, long outboundQueueBytes) {
    /**
     * @param outboundQueueLimit see the record
     * @param outboundQueueBytes see the record
     */
    public SessionSettings {
        if (outboundQueueLimit < 1) {
            throw new IllegalArgumentException("session.outbound-queue-limit must be at least 1");
        }
        if (outboundQueueBytes < 1024) {
            throw new IllegalArgumentException("session.outbound-queue-bytes must be at least 1024");
        }
    }

    /**
     * Binds the {@code session} section.
     *
     * @param config root configuration
     * @return the settings
     */
    public static SessionSettings from(Config config) {
        return new SessionSettings(config.get("session.outbound-queue-limit").asInt().get(),
                                   config.get("session.outbound-queue-bytes").asLong().get());
    }
}
