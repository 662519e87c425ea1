package dev.switchboard.server.cluster.redis;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.server.cluster.RemotePeer;

/**
 * Values as Redis holds them: UTF-8 strings and decimal numbers, and room members as {@link #member} values.
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

    /**
     * A member as its room's hash holds it: its {@link Keys#location}, then, when it has a profile, a newline and
     * the profile as a URL query ({@code name=Ada&avatar=...}). The scripts match a member by its location alone.
     */
    static byte[] member(String nodeId, String sessionId, Map<String, String> profile) {
        StringBuilder value = new StringBuilder(Keys.location(nodeId, sessionId));
        char separator = '\n';
        for (Map.Entry<String, String> field : profile.entrySet()) {
            value.append(separator).append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return bytes(value.toString());
    }

    static RemotePeer peer(String userId, String value) {
        int newline = value.indexOf('\n');
        String location = newline < 0 ? value : value.substring(0, newline);
        Map<String, String> profile = new LinkedHashMap<>();
        if (newline >= 0) {
            for (String field : value.substring(newline + 1).split("&")) {
                int equals = field.indexOf('=');
                profile.put(URLDecoder.decode(field.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(field.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        int bar = location.indexOf('|');
        return new RemotePeer(userId, location.substring(bar + 1), location.substring(0, bar), profile);
    }

    static List<RemotePeer> peers(Map<String, byte[]> hash) {
        List<RemotePeer> peers = new ArrayList<>();
        hash.forEach((user, value) -> peers.add(peer(user, text(value))));
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
