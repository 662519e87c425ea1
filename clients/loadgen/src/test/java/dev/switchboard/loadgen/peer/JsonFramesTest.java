package dev.switchboard.loadgen.peer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonFramesTest {
    private static Map<String, String> read(String json, String... wanted) throws Exception {
        return JsonFrames.read(Unpooled.copiedBuffer(json, StandardCharsets.UTF_8), Set.of(wanted));
    }

    @Test
    void keepsTopLevelFieldsAndTheNestedValuesAsked() throws Exception {
        Map<String, String> message = read("{\"sequence\":\"7\",\"offer\":{\"roomId\":\"r\",\"sdp\":\"v=0\\r\\n\","
                                           + "\"nested\":{\"sdp\":\"no\"}},\"x\":[1,{\"sdp\":\"no\"}]}", "offer.sdp");
        assertEquals("7", message.get("sequence"));
        assertEquals("v=0\r\n", message.get("offer.sdp"));
        assertTrue(message.containsKey("offer"));
        assertTrue(message.containsKey("x"));
        assertFalse(message.containsKey("offer.roomId"));
        assertFalse(message.containsKey("offer.nested.sdp"));
    }

    @Test
    void namesArrayElementsByTheirIndex() throws Exception {
        Map<String, String> event = read("[\"offer\",{\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"}},3]", "0",
                                         "1.sdp.sdp");
        assertEquals("offer", event.get("0"));
        assertEquals("v=0", event.get("1.sdp.sdp"));
    }

    @Test
    void readsAckValues() throws Exception {
        Map<String, String> ack = read("{\"sequence\":\"9\",\"ack\":{\"sequence\":\"4\",\"success\":true}}",
                                       "ack.success", "ack.sequence");
        assertEquals("true", ack.get("ack.success"));
        assertEquals("4", ack.get("ack.sequence"));
    }
}
