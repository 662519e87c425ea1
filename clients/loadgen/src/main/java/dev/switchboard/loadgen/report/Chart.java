package dev.switchboard.loadgen.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * The benchmark's chart, drawn with Java2D (headless): saturated relay throughput per server on the left,
 * relay latency percentiles at half of each server's maximum rate on the right (log scale).
 */
final class Chart {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 520;
    private static final int TOP = 70;
    private static final int BAR_HEIGHT = 44;
    private static final int BAR_GAP = 22;
    private static final int LABEL_WIDTH = 250;
    private static final Color SWITCHBOARD = new Color(0x2B6CB0);
    private static final Color OTHERS = new Color(0x9AA5B1);
    private static final Color[] PERCENTILES = {new Color(0x90CDF4), new Color(0x3182CE), new Color(0x1A365D)};

    private Chart() {
    }

    static void draw(List<TargetResult> results, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            throughput(g, results, 20, 620);
            latency(g, results, 650, 1180);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void throughput(Graphics2D g, List<TargetResult> results, int left, int right) {
        title(g, "Saturated relay, ~1 KiB offers (signals/s)", left);
        double max = results.stream().mapToDouble(r -> r.saturated().throughput()).max().orElse(1);
        int barsLeft = left + LABEL_WIDTH;
        int barsWidth = right - barsLeft - 70;
        for (int i = 0; i < results.size(); i++) {
            TargetResult result = results.get(i);
            int y = TOP + i * (BAR_HEIGHT + BAR_GAP);
            label(g, result.label(), left, y);
            int width = (int) Math.round(barsWidth * result.saturated().throughput() / max);
            g.setColor(result.target().startsWith("switchboard") ? SWITCHBOARD : OTHERS);
            g.fillRect(barsLeft, y, Math.max(width, 1), BAR_HEIGHT);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(String.format("%,.0f", result.saturated().throughput()), barsLeft + width + 6,
                         y + BAR_HEIGHT / 2 + 5);
        }
    }

    private static void latency(Graphics2D g, List<TargetResult> results, int left, int right) {
        title(g, "Latency at half the maximum rate (ms, log scale)", left);
        double floor = 0.05;
        double ceiling = Math.max(10, results.stream().mapToDouble(r -> r.paced().latency().p999()).max().orElse(10));
        double decades = Math.log10(ceiling / floor);
        int width = right - left;
        int axisY = TOP + results.size() * (BAR_HEIGHT + BAR_GAP);
        g.setStroke(new BasicStroke(1));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double tick = 0.1; tick <= ceiling * 1.0001; tick *= 10) {
            int x = left + (int) (width * Math.log10(tick / floor) / decades);
            g.setColor(new Color(0xE2E8F0));
            g.drawLine(x, TOP - 8, x, axisY);
            g.setColor(Color.DARK_GRAY);
            g.drawString(tick < 1 ? String.format("%.1f", tick) : String.format("%.0f", tick), x - 8, axisY + 16);
        }
        String[] names = {"p50", "p99", "p99.9"};
        for (int i = 0; i < results.size(); i++) {
            Percentiles latency = results.get(i).paced().latency();
            double[] values = {latency.p50(), latency.p99(), latency.p999()};
            int y = TOP + i * (BAR_HEIGHT + BAR_GAP);
            int thickness = BAR_HEIGHT / 3;
            for (int p = 0; p < values.length; p++) {
                double value = Math.max(values[p], floor);
                int length = (int) (width * Math.log10(value / floor) / decades);
                g.setColor(PERCENTILES[p]);
                g.fillRect(left, y + p * thickness, Math.max(length, 1), thickness - 2);
            }
        }
        int legendX = left;
        for (int p = 0; p < names.length; p++) {
            g.setColor(PERCENTILES[p]);
            g.fillRect(legendX, axisY + 28, 14, 14);
            g.setColor(Color.DARK_GRAY);
            g.drawString(names[p], legendX + 20, axisY + 40);
            legendX += 90;
        }
    }

    private static void title(Graphics2D g, String title, int left) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 36);
    }

    private static void label(Graphics2D g, String label, int left, int y) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString(label, left, y + BAR_HEIGHT / 2 + 5);
    }
}
