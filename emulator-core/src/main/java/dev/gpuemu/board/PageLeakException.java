package dev.gpuemu.board;

/// A machine shut down with pages still out of its page pool while leak checking was on
/// (`-Dgpuemu.failOnLeak=true`, set by the test suites). The machine is fully released; the
/// report names each leaked allocation or pin with its owner.
public final class PageLeakException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient MachineReport report;

    PageLeakException(MachineReport report) {
        super(report.leakedPages() + " page(s) leaked at machine shutdown: " + String.join("; ", report.leaks()));
        this.report = report;
    }

    public MachineReport report() {
        return report;
    }
}
