package dev.switchboard.loadgen.peer;

/**
 * Signal bodies of realistic size that carry their send time: a ~1 KiB SDP offer (audio + data channel, the
 * size browsers produce) with an {@code a=x-sent:} line, and an ICE candidate whose foundation is the time.
 */
public final class Payloads {
    private static final String SENT = "a=x-sent:";
    private static final String SDP_HEAD = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0 1",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS stream",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:bnch",
            "a=ice-pwd:benchmarkbenchmarkbenchmark",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
            "a=setup:actpass",
            "a=mid:0",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "a=sendrecv",
            "a=msid:stream track-audio",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=rtcp-fb:111 transport-cc",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=rtpmap:63 red/48000/2",
            "a=rtpmap:9 G722/8000",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=ssrc:3735928559 cname:benchmark",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:bnch",
            "a=ice-pwd:benchmarkbenchmarkbenchmark",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
            "a=setup:actpass",
            "a=mid:1",
            "a=sctp-port:5000",
            "a=max-message-size:262144",
            "");

    /** Stamps count from here, so they are never negative (System.nanoTime() may be). */
    private static final long ORIGIN = System.nanoTime();

    private Payloads() {
    }

    /** Now, as a stamp: nanoseconds since this process's loadgen started. Comparable across its peers only. */
    public static long now() {
        return System.nanoTime() - ORIGIN;
    }

    /** An SDP of about 1 KiB stamped with {@code stamp}. */
    public static String sdp(long stamp) {
        return SDP_HEAD + SENT + stamp + "\r\n";
    }

    /** The stamp of an SDP made by {@link #sdp(long)}; -1 if it has none. */
    public static long stampOfSdp(String sdp) {
        int start = sdp.lastIndexOf(SENT);
        if (start < 0) {
            return -1;
        }
        start += SENT.length();
        int end = sdp.indexOf('\r', start);
        return Long.parseLong(sdp, start, end < 0 ? sdp.length() : end, 10);
    }

    /** A host candidate whose foundation is {@code stamp}. */
    public static String candidate(long stamp) {
        return "candidate:" + stamp + " 1 udp 2122260223 127.0.0.1 50000 typ host generation 0 ufrag bnch";
    }

    /** The stamp of a candidate made by {@link #candidate(long)}. */
    public static long stampOfCandidate(String candidate) {
        int start = candidate.indexOf(':') + 1;
        return Long.parseLong(candidate, start, candidate.indexOf(' ', start), 10);
    }

    /** The body of a signal of this kind. */
    public static String body(SignalKind kind, long stamp) {
        return kind == SignalKind.CANDIDATE ? candidate(stamp) : sdp(stamp);
    }

    /** The stamp of a signal body of this kind. */
    public static long stampOf(SignalKind kind, String body) {
        return kind == SignalKind.CANDIDATE ? stampOfCandidate(body) : stampOfSdp(body);
    }
}
