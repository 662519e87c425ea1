package dev.switchboard.server.cluster.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.cluster.backend.Directory;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import static dev.switchboard.server.cluster.redis.Values.bytes;
import static dev.switchboard.server.cluster.redis.Values.text;

/**
 * The rooms' directory in Redis: a hash per room (user id to {@link Values#member}), and per node a set of its
 * memberships, changed together by a script.
 */
final class RedisDirectory implements Directory {
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisAsyncCommands<String, byte[]> redis;

    RedisDirectory(StatefulRedisConnection<String, byte[]> connection) {
        this.connection = connection;
        this.redis = connection.async();
    }

    @Override
    public CompletionStage<Optional<List<RemotePeer>>> join(String roomId, RemotePeer member, int maxMembers) {
        return Scripts.JOIN.<List<Object>>runLoading(
                redis, new String[] {Keys.room(roomId), Keys.memberships(member.nodeId())},
                bytes(member.userId()), Values.member(member.nodeId(), member.sessionId(), member.profile()),
                bytes(maxMembers),
                bytes(Keys.membership(roomId, member.userId(), member.sessionId())))
                .thenApply(reply -> Optional.ofNullable(reply).map(Values::peers));
    }

    @Override
    public CompletionStage<Optional<List<RemotePeer>>> leave(String roomId, RemotePeer member) {
        return Scripts.LEAVE.<List<Object>>runLoading(
                redis, new String[] {Keys.room(roomId), Keys.memberships(member.nodeId())},
                bytes(member.userId()), bytes(Keys.location(member.nodeId(), member.sessionId())),
                bytes(Keys.membership(roomId, member.userId(), member.sessionId())))
                .thenApply(reply -> Optional.ofNullable(reply).map(Values::peers));
    }

    @Override
    public List<RemotePeer> members(String roomId) {
        return Values.peers(connection.sync().hgetall(Keys.room(roomId)));
    }

    @Override
    public List<Membership> memberships(String nodeId) {
        List<Membership> found = new ArrayList<>();
        for (byte[] entry : connection.sync().smembers(Keys.memberships(nodeId))) {
            String[] parts = text(entry).split("\n", 3);
            found.add(new Membership(parts[0], new RemotePeer(parts[1], parts[2], nodeId)));
        }
        return found;
    }
}
