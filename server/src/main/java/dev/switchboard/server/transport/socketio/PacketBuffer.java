package dev.switchboard.server.transport.socketio;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.switchboard.server.transport.GrowingBuffer;

/**
 * Engine.IO packets a connection's writer has encoded and not yet sent, as UTF-8 in one array with their
 * boundaries: a batch goes to the socket as text frames in one write, with no string in between. Confined to the
 * writer; shrinks back after a large batch.
 */
final class PacketBuffer extends GrowingBuffer {
    private int[] ends = new int[16];
    private int packets;

    /** The packet under way is complete: what was written since the last one is a packet. */
    void endPacket() {
        if (packets == ends.length) {
            ends = Arrays.copyOf(ends, packets * 2);
        }
        ends[packets++] = length;
    }

    /**
     * Writes a whole packet given as text.
     *
     * @param packet the packet
     */
    void packet(String packet) {
        byte[] utf8 = packet.getBytes(StandardCharsets.UTF_8);
        write(utf8, 0, utf8.length);
        endPacket();
    }

    boolean isEmpty() {
        return packets == 0;
    }

    int packets() {
        return packets;
    }

    /** @return where packet {@code index} starts in {@link #array()} */
    int start(int index) {
        return index == 0 ? 0 : ends[index - 1];
    }

    /** @return where packet {@code index} ends in {@link #array()} */
    int end(int index) {
        return ends[index];
    }

    /** @return the packets as text (for a poll's queue, where a packet waits for the client's next request) */
    List<String> texts() {
        List<String> texts = new ArrayList<>(packets);
        for (int i = 0; i < packets; i++) {
            texts.add(new String(bytes, start(i), end(i) - start(i), StandardCharsets.UTF_8));
        }
        return texts;
    }

    /** Forgets what was sent; lets go of a large array. */
    void clear() {
        reset();
        packets = 0;
    }
}
