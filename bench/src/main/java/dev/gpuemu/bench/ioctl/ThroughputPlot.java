package dev.gpuemu.bench.ioctl;

import dev.gpuemu.kernel.drm.GuardStrategy;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/// The PNG of `--plot`: throughput (ops/s) of a null ioctl against the thread count, one line per
/// guard, drawn with Java2D (headless).
public final class ThroughputPlot {
    static final int W = 800;
    static final int H = 500;
    private static final int LEFT = 90;
    private static final int RIGHT = 160;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Map<GuardStrategy, Color> COLORS = Map.of(GuardStrategy.SRCU, new Color(0x1f77b4),
            GuardStrategy.RWLOCK, new Color(0xd62728), GuardStrategy.NONE, new Color(0x7f7f7f));

    private ThroughputPlot() {
    }

    /// The null ioctl the plot shows: `get_cap` when it ran, else `version`; empty when neither ran.
    static java.util.Optional<IoctlKind> plotted(IoctlBenchReport r) {
        for (IoctlKind k : List.of(IoctlKind.GET_CAP, IoctlKind.VERSION)) {
            for (IoctlBenchReport.GuardRuns g : r.guards()) {
                if (g.runs().stream().anyMatch(p -> p.kind() == k && p.ran())) {
                    return java.util.Optional.of(k);
                }
            }
        }
        return java.util.Optional.empty();
    }

    /// Renders the plot.
    ///
    /// @throws IllegalArgumentException when no null ioctl ran (nothing to plot)
    public static BufferedImage render(IoctlBenchReport r) {
        IoctlKind kind = plotted(r).orElseThrow(() -> new IllegalArgumentException(
                "--plot needs a null ioctl (version or get_cap) in the mix"));
        TreeSet<Integer> threads = new TreeSet<>();
        double max = 0;
        for (IoctlBenchReport.GuardRuns g : r.guards()) {
            for (PhaseResult p : g.runs()) {
                if (p.kind() == kind && p.ran()) {
                    threads.add(p.threads());
                    max = Math.max(max, p.opsPerSec());
                }
            }
        }
        double yMax = niceCeil(max * 1.1);
        int tMin = threads.first();
        int tMax = Math.max(threads.last(), tMin + 1);
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            int pw = W - LEFT - RIGHT;
            int ph = H - TOP - BOTTOM;
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString("gpuemu bench ioctl: " + kind.mixName() + " throughput, " + r.image() + " " + r.node(), LEFT, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawRect(LEFT, TOP, pw, ph);
            for (int i = 0; i <= 5; i++) {
                double v = yMax * i / 5;
                int y = TOP + ph - (int) Math.round(ph * v / yMax);
                g.setColor(new Color(0xe0e0e0));
                g.drawLine(LEFT + 1, y, LEFT + pw - 1, y);
                g.setColor(Color.BLACK);
                String s = si(v);
                g.drawString(s, LEFT - 8 - g.getFontMetrics().stringWidth(s), y + 4);
            }
            for (int t : threads) {
                int x = xOf(t, tMin, tMax, pw);
                g.drawLine(x, TOP + ph, x, TOP + ph + 5);
                String s = Integer.toString(t);
                g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, TOP + ph + 20);
            }
            g.drawString("threads", LEFT + pw / 2 - 20, H - 15);
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString("ops/s (all threads)", -(TOP + ph / 2 + 50), 22);
            g.setTransform(saved);
            int legendY = TOP + 10;
            for (IoctlBenchReport.GuardRuns gr : r.guards()) {
                Color c = COLORS.getOrDefault(gr.guard(), Color.BLACK);
                g.setColor(c);
                g.setStroke(new BasicStroke(2.5f));
                int px = -1;
                int py = -1;
                for (int t : threads) {
                    var p = gr.find(kind, t);
                    if (p.isEmpty()) {
                        continue;
                    }
                    int x = xOf(t, tMin, tMax, pw);
                    int y = TOP + ph - (int) Math.round(ph * p.get().opsPerSec() / yMax);
                    g.fillOval(x - 4, y - 4, 8, 8);
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    }
                    px = x;
                    py = y;
                }
                g.drawLine(W - RIGHT + 15, legendY, W - RIGHT + 40, legendY);
                g.setColor(Color.BLACK);
                g.drawString(gr.guard().name().toLowerCase() + (gr.guard() == GuardStrategy.NONE ? " (unsafe)" : ""),
                        W - RIGHT + 47, legendY + 4);
                legendY += 20;
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static int xOf(int t, int tMin, int tMax, int pw) {
        int pad = 30;
        return LEFT + pad + (int) Math.round((double) (t - tMin) / (tMax - tMin) * (pw - 2 * pad));
    }

    /// `1.5M`, `400k`, `950`.
    static String si(double v) {
        if (v >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (v >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format("%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static double niceCeil(double v) {
        if (v <= 0) {
            return 1;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= v) {
                return m * mag;
            }
        }
        return 10 * mag;
    }

    /// Writes the PNG (headless Java2D).
    public static void write(IoctlBenchReport r, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (!ImageIO.write(render(r), "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }
}
