package dev.switchboard.server.cluster.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.switchboard.server.cluster.RemotePeer;

/**
 * Values as Redis holds them: UTF-8 strings and decimal numbers, and room members as {@link Keys#location}s.
 */
final class Values {
    private Values() {
    }

    static byte[] bytes(long number) {
        return Long.toString(number).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static RemotePeer peer(String userId, String location) {
        int bar = location.indexOf('|');
        return new RemotePeer(userId, location.substring(bar + 1), location.substring(0, bar));
    }

    static List<RemotePeer> peers(Map<String, byte[]> hash) {
        List<RemotePeer> peers = new ArrayList<>();
        hash.forEach((user, location) -> peers.add(peer(user, text(location))));
        return peers;
    }

    /** A room hash as HGETALL inside a script returns it: [user, location, ...]. */
    static List<RemotePeer> peers(List<Object> hashReply) {
        List<RemotePeer> peers = new ArrayList<>();
        for (int i = 0; i + 1 < hashReply.size(); i += 2) {
            peers.add(peer(text((byte[]) hashReply.get(i)), text((byte[]) hashReply.get(i + 1))));
        }
        return peers;
    }
}
