package dev.switchboard.loadgen;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.switchboard.loadgen.server.ClusterDeployment;
import dev.switchboard.loadgen.server.Deployment;
import dev.switchboard.loadgen.server.EchoServer;
import dev.switchboard.loadgen.server.ServerProcess;

/** A server the benchmark measures, and the protocol the load generator speaks to it. */
enum Target {
    SWITCHBOARD_WS_JSON("switchboard-ws-json", "Switchboard, WebSocket JSON", Server.SWITCHBOARD),
    SWITCHBOARD_WS_BINARY("switchboard-ws-binary", "Switchboard, WebSocket protobuf", Server.SWITCHBOARD),
    SWITCHBOARD_GRPC("switchboard-grpc", "Switchboard, gRPC stream", Server.SWITCHBOARD),
    SWITCHBOARD_SOCKETIO("switchboard-socketio", "Switchboard, Socket.IO (the old gateway's events, numbered and "
            + "acked)", Server.SWITCHBOARD),
    SWITCHBOARD_CLUSTER("switchboard-cluster", "Switchboard cluster: 2 nodes + Redis, WebSocket protobuf, each pair "
            + "split across the nodes", Server.SWITCHBOARD_CLUSTER),
    PEERJS("peerjs", "PeerJS server 1.0.2", Server.PEERJS),
    SOCKETIO("socketio", "Socket.IO 4.8 relay", Server.SOCKETIO),
    FLOOR("floor", "Relay floor: Helidon 4.2.6 + Switchboard's WebSocket stack, forwarding frames to the pair",
          Server.FLOOR),
    ECHO("echo", "Helidon WebSocket echo (limit)", Server.ECHO);

    final String id;
    final String label;
    final Server server;

    Target(String id, String label, Server server) {
        this.id = id;
        this.label = label;
        this.server = server;
    }

    static Target byId(String id) {
        for (Target target : values()) {
            if (target.id.equals(id)) {
                return target;
            }
        }
        throw new IllegalArgumentException("unknown target " + id + "; known: " + List.of(values()));
    }

    boolean isSwitchboard() {
        return server == Server.SWITCHBOARD || server == Server.SWITCHBOARD_CLUSTER;
    }

    @Override
    public String toString() {
        return id;
    }

    /**
     * How each server is started: as its users start it, on a free loopback port. Switchboard's per-session rate
     * limit (50 messages/s by default, for people) is lifted: each simulated peer sends thousands per second.
     */
    enum Server {
        SWITCHBOARD,
        SWITCHBOARD_CLUSTER,
        PEERJS,
        SOCKETIO,
        FLOOR,
        ECHO;

        /**
         * @param profile record a JFR profile of a JVM server to {@code <runName>.jfr} next to its log
         */
        /** Starts what the target runs on: one server, or a cluster of them. */
        Deployment deploy(Path repository, Path logs, String runName, boolean profile)
                throws IOException, InterruptedException {
            if (this == SWITCHBOARD_CLUSTER) {
                return ClusterDeployment.start(concat(java(profile, logs, runName), jvmOptions(repository), "-jar",
                                                      repository.resolve(
                        "server/target/switchboard-server.jar").toString()), repository, SWITCHBOARD_ENV, logs,
                                               runName);
            }
            return start(repository, logs, runName, profile);
        }

        /**
         * The JVM options Switchboard runs with, as its users get them (the README's run command and the container
         * image read the same file); {@code --server-jvm-options=file} tries others.
         */
        static Path switchboardJvmOptions = Path.of("server/jvm.options");

        private static List<String> java(boolean profile, Path logs, String runName) {
            List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                                                                .toString()));
            if (profile) {
                java.add("-XX:StartFlightRecording=settings=profile,jdk.ExecutionSample#period=2ms,filename="
                         + logs.resolve(runName + ".jfr").toAbsolutePath());
            }
            return java;
        }

        ServerProcess start(Path repository, Path logs, String runName, boolean profile)
                throws IOException, InterruptedException {
            List<String> java = java(profile, logs, runName);
            Path anchors = repository.resolve("clients/loadgen/anchors");
            Path log = logs.resolve(runName + ".log");
            return switch (this) {
                case SWITCHBOARD -> ServerProcess.start("switchboard", concat(
                        java, jvmOptions(repository), "-jar",
                        repository.resolve("server/target/switchboard-server.jar").toString()),
                        repository, SWITCHBOARD_ENV, log);
                case FLOOR -> ServerProcess.start("floor", concat(
                        java, "-cp", repository.resolve("server/target/switchboard-server.jar") + File.pathSeparator
                                     + repository.resolve("clients/loadgen/target/classes"),
                        "dev.switchboard.server.transport.websocket.RelayFloor"), repository, Map.of(), log);
                case ECHO -> ServerProcess.start("echo", concat(
                        java, "-cp", System.getProperty("java.class.path"), EchoServer.class.getName()),
                        repository, Map.of(), log);
                case SWITCHBOARD_CLUSTER -> throw new IllegalStateException("a cluster is deployed, not started");
                case PEERJS -> ServerProcess.start("peerjs", List.of("node", "peerjs-server.js"), anchors,
                                                   Map.of("PORT", "0"), log);
                case SOCKETIO -> ServerProcess.start("socketio", List.of("node", "socketio-relay.js"), anchors,
                                                     Map.of("PORT", "0"), log);
            };
        }

        private static final Map<String, String> SWITCHBOARD_ENV = Map.of("SERVER_PORT", "0",
                                                                           "LIMITS_RATE", "1000000000",
                                                                           "LIMITS_BURST", "1000000000");

        private static String jvmOptions(Path repository) {
            return "@" + repository.resolve(switchboardJvmOptions);
        }

        private static List<String> concat(List<String> command, String... more) {
            List<String> all = new ArrayList<>(command);
            all.addAll(List.of(more));
            return all;
        }
    }
}
