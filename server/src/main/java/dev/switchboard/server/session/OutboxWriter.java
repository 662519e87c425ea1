package dev.switchboard.server.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.server.transport.PeerLink;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * The one virtual thread that writes an {@link Outbox}'s messages to its link: it takes everything queued at once
 * and writes it with one flush, parks when there is nothing, and ends with the close the queue ends with, a broken
 * link, or the outbox's abort. It holds no lock while it writes; only it waits on the peer's socket.
 */
final class OutboxWriter implements Runnable {
    private static final System.Logger LOG = System.getLogger("switchboard.session");

    private final Outbox outbox;
    private final PeerLink link;

    OutboxWriter(Outbox outbox, PeerLink link) {
        this.outbox = outbox;
        this.link = link;
    }

    @Override
    public void run() {
        List<Object> batch = new ArrayList<>();
        try {
            while (true) {
                if (outbox.terminated()) {
                    return;         // aborted: the link is being torn down
                }
                if (!outbox.takeBatch(batch)) {
                    LockSupport.park(outbox);
                    continue;
                }
                outbox.writing(true);
                CloseCause close = write(batch);
                outbox.writing(false);
                if (close != null) {
                    link.close(close);
                    return;
                }
            }
        } catch (Exception e) {
            if (!outbox.terminated()) {
                LOG.log(DEBUG, "Write failed on a " + link.transport() + " connection; treating it as closed", e);
                outbox.abort(CloseCause.NORMAL);
            }
        } finally {
            outbox.writerStopped();
        }
    }

    /**
     * Writes a batch with one flush at its end.
     *
     * @return the close cause that ended the batch, or null
     */
    private CloseCause write(List<Object> batch) throws Exception {
        int messages = 0;
        long bytes = 0;
        CloseCause close = null;
        for (Object item : batch) {
            if (item instanceof ServerMessage message) {
                link.write(message);
                messages++;
                bytes += message.getSerializedSize();
            } else if (item == Outbox.KEEPALIVE) {
                link.keepalive();
            } else {
                close = (CloseCause) item;
            }
        }
        link.flush();
        outbox.written(messages, bytes);
        return close;
    }
}
