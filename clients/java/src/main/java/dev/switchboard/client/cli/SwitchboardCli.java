package dev.switchboard.client.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.google.protobuf.Message;
import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.SignalingListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.GetIceServersRequest;
import dev.switchboard.signaling.v1.GetIceServersResponse;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.IceServiceGrpc;
import dev.switchboard.signaling.v1.PeerJoined;
import dev.switchboard.signaling.v1.ServerMessage;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import org.curioswitch.common.protobuf.json.MessageMarshaller;

/**
 * {@code switchboard-cli}: watch a room and poke at signaling from a terminal, over the Java SDK. Prints one line
 * per event: its name and its proto3 JSON.
 */
public final class SwitchboardCli {
    private static final long TIMEOUT_SECONDS = 15;
    private static final String USAGE = """
            usage: switchboard-cli [--server host:port] [--user id] [--token jwt] <command>
              watch <room>                                 join the room, print every event until interrupted
              send-offer <room> <peer> <sdp-file|->        join, send an SDP offer, print the ack, leave
              send-answer <room> <peer> <sdp-file|->       join, send an SDP answer, print the ack, leave
              send-candidate <room> <peer> <candidate> [sdp-mid] [mline-index]
              ice-servers                                  print the ICE servers for --user (IceService)
            defaults: --server 127.0.0.1:8080 --user switchboard-cli""";

    private final PrintStream out;
    private final InputStream in;
    private static final MessageMarshaller JSON = MessageMarshaller.builder()
            .register(ServerMessage.getDefaultInstance())
            .register(GetIceServersResponse.getDefaultInstance())
            .omittingInsignificantWhitespace(true)
            .build();
    private static final JsonFactory JSON_FACTORY = new JsonFactory();

    SwitchboardCli(PrintStream out, InputStream in) {
        this.out = out;
        this.in = in;
    }

    /**
     * @param args see the usage
     */
    public static void main(String[] args) {
        System.exit(new SwitchboardCli(System.out, System.in).run(args, new CompletableFuture<>()));
    }

    /**
     * Runs one command.
     *
     * @param args  the command line
     * @param until {@code watch} runs until this completes (or the process is interrupted)
     * @return the exit code: 0 done, 1 refused or failed, 2 bad usage
     */
    int run(String[] args, CompletableFuture<Void> until) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE);
            return 0;
        }
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        String server = "127.0.0.1:8080";
        String user = "switchboard-cli";
        String token = "";
        while (!rest.isEmpty() && rest.peekFirst().startsWith("--")) {
            String option = rest.removeFirst();
            if (rest.isEmpty()) {
                return usage(option + " needs a value");
            }
            switch (option) {
                case "--server" -> server = rest.removeFirst();
                case "--user" -> user = rest.removeFirst();
                case "--token" -> token = rest.removeFirst();
                default -> {
                    return usage("unknown option " + option);
                }
            }
        }
        if (rest.isEmpty()) {
            return usage("no command");
        }
        int colon = server.lastIndexOf(':');
        if (colon < 0) {
            return usage("--server must be host:port");
        }
        String host = server.substring(0, colon);
        int port = Integer.parseInt(server.substring(colon + 1));
        String command = rest.removeFirst();
        List<String> operands = List.copyOf(rest);
        try {
            return switch (command) {
                case "watch" -> operands.size() == 1 ? watch(host, port, user, token, operands.get(0), until)
                        : usage("watch <room>");
                case "send-offer", "send-answer" -> operands.size() == 3
                        ? sendSdp(host, port, user, token, command.equals("send-offer"), operands)
                        : usage(command + " <room> <peer> <sdp-file|->");
                case "send-candidate" -> operands.size() >= 3 && operands.size() <= 5
                        ? sendCandidate(host, port, user, token, operands)
                        : usage("send-candidate <room> <peer> <candidate> [sdp-mid] [mline-index]");
                case "ice-servers" -> operands.isEmpty() ? iceServers(host, port, user, token) : usage("ice-servers");
                default -> usage("unknown command " + command);
            };
        } catch (Exception e) {
            out.println("failed " + e.getMessage());
            return 1;
        }
    }

    private int watch(String host, int port, String user, String token, String room, CompletableFuture<Void> until)
            throws Exception {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        // Ctrl-C: stop watching and let the session say bye before the JVM exits
        Thread onInterrupt = new Thread(() -> {
            until.complete(null);
            closed.completeOnTimeout(null, 3, TimeUnit.SECONDS).join();
        });
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try (SwitchboardClient client = connect(host, port, user, token, printingListener())) {
            client.join(room).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            until.join();
            return 0;
        } finally {
            closed.complete(null);
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what stopped us
            }
        }
    }

    private int sendSdp(String host, int port, String user, String token, boolean offer, List<String> operands)
            throws Exception {
        String sdp = operands.get(2).equals("-") ? new String(in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(operands.get(2)));
        try (SwitchboardClient client = connect(host, port, user, token, new SignalingListener() {
        })) {
            client.join(operands.get(0)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            CompletableFuture<Ack> ack = offer ? client.sendOffer(operands.get(0), operands.get(1), sdp)
                    : client.sendAnswer(operands.get(0), operands.get(1), sdp);
            return printAck(ack);
        }
    }

    private int sendCandidate(String host, int port, String user, String token, List<String> operands)
            throws Exception {
        IceCandidate.Builder candidate = IceCandidate.newBuilder().setCandidate(operands.get(2));
        if (operands.size() > 3) {
            candidate.setSdpMid(operands.get(3));
        }
        if (operands.size() > 4) {
            candidate.setSdpMlineIndex(Integer.parseInt(operands.get(4)));
        }
        try (SwitchboardClient client = connect(host, port, user, token, new SignalingListener() {
        })) {
            client.join(operands.get(0)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return printAck(client.sendIceCandidate(operands.get(0), operands.get(1), candidate.build()));
        }
    }

    private int iceServers(String host, int port, String user, String token) throws IOException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            Metadata headers = new Metadata();
            if (!token.isEmpty()) {
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            }
            print("ice_servers", IceServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .getIceServers(GetIceServersRequest.newBuilder().setUserId(user).build()));
            return 0;
        } finally {
            channel.shutdownNow();
        }
    }

    private int printAck(CompletableFuture<Ack> pending) throws Exception {
        Ack ack = pending.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        print("ack", ack);
        return ack.getSuccess() ? 0 : 1;
    }

    private static SwitchboardClient connect(String host, int port, String user, String token,
                                             SignalingListener listener) throws Exception {
        SwitchboardClient client = SwitchboardClient.builder()
                .target(host, port)
                .userId(user)
                .token(() -> token)
                .listener(listener)
                .build();
        try {
            client.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return client;
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    private SignalingListener printingListener() {
        return new SignalingListener() {
            @Override
            public void onMessage(Message message) {
                print(eventName(message), message);
            }

            @Override
            public void onConnectionChanged(ConnectionEvent event, String detail) {
                out.println("connection " + event + " " + detail);
            }
        };
    }

    /** The message's name as its field in {@code ServerMessage} spells it: {@code PeerJoined} prints as peer_joined. */
    private static String eventName(Message message) {
        return message.getDescriptorForType().getName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private void print(String event, Message message) {
        try {
            out.println(event + " " + readable(JSON.writeValueAsString(message)));
        } catch (IOException e) {
            out.println(event + " " + message);
        }
    }

    /**
     * The same JSON without the HTML-safe escapes proto3 JSON printers use ({@code \u003d} for every '=' of an
     * SDP): re-encoded token by token with Jackson, which escapes only what JSON requires.
     */
    private static String readable(String json) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonParser parser = JSON_FACTORY.createParser(json);
             JsonGenerator generator = JSON_FACTORY.createGenerator(text)) {
            parser.nextToken();
            generator.copyCurrentStructure(parser);
        }
        return text.toString();
    }

    private int usage(String problem) {
        out.println(problem);
        out.println(USAGE);
        return 2;
    }
}
