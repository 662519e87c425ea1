package dev.switchboard.server.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * What the test's own JVM (the one an in-process {@link TestServer} runs in) holds: live instances of a class
 * after a full collection, and threads by name, virtual ones included. For tests that a server lets go of what
 * an ended connection or stream held.
 */
public final class Heap {
    private Heap() {
    }

    /**
     * @param className a fully qualified class name
     * @return its live instances, counted by the JVM's class histogram after a full GC
     */
    public static long instances(String className) {
        try {
            String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Matcher row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(className) + "\\s*$",
                                          Pattern.MULTILINE).matcher(histogram);
            return row.find() ? Long.parseLong(row.group(1)) : 0;
        } catch (JMException e) {
            throw new IllegalStateException("no class histogram", e);
        }
    }

    /**
     * @param namePrefix the start of thread names
     * @return how many threads, platform and virtual, have such a name now
     */
    public static long threads(String namePrefix) throws IOException {
        Path dump = Files.createTempFile("threads", ".json");
        Files.delete(dump);
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            Matcher name = Pattern.compile("\"name\":\\s*\"" + Pattern.quote(namePrefix)).matcher(Files.readString(dump));
            long count = 0;
            while (name.find()) {
                count++;
            }
            return count;
        } finally {
            Files.deleteIfExists(dump);
        }
    }
}
