package dev.gpuemu.cli;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.MachineReport;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.driver.BusType;
import dev.gpuemu.kernel.log.LogLevel;
import dev.gpuemu.machine.time.ClockMode;
import dev.gpuemu.workload.Script;
import dev.gpuemu.workload.Workload;
import dev.gpuemu.workload.WorkloadResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// One run of a machine for `boot` and `run`: build the machine the options describe, boot it
/// (printing the kernel log as it happens), run a workload if there is one, take the inventory
/// (devices, drivers, DRM nodes), shut down, and collect the [SessionReport].
///
/// ## Lifecycle
/// Single use: [#run] once.
final class MachineSession {
    private final MachineOptions options;
    private final boolean verbose;
    private final PrintWriter log;
    private final boolean progress;
    private boolean used;

    /// @param log where kernel log records and workload `print` lines go as they happen (a
    ///            sink that discards them when the caller wants only the JSON report)
    /// @param progress whether to show the progress line (see [Progress#wanted])
    MachineSession(MachineOptions options, boolean verbose, PrintWriter log, boolean progress) {
        this.options = options;
        this.verbose = verbose;
        this.log = log;
        this.progress = progress;
    }

    /// Boots, runs `workload` when present (its file name is `workloadName`), shuts down.
    SessionReport run(Optional<Script> workload, Optional<String> workloadName) throws KernelException {
        if (used) {
            throw new IllegalStateException("a session runs once");
        }
        used = true;
        long wallStart = System.nanoTime();
        Machine machine = options.build();
        machine.kernel().log().addListener(e -> {
            if (verbose || e.level() != LogLevel.DEBUG) {
                log.println(e.format());
            }
        });
        List<SessionReport.DeviceRow> devices = new ArrayList<>();
        List<String> drmNodes;
        long simBooted;
        WorkloadResult result = null;
        try (Progress line = Progress.start(machine.clock(), progress)) {
            try {
                machine.boot();
                simBooted = machine.clock().nowNs();
                if (workload.isPresent()) {
                    result = Workload.run(machine, workload.get(), machine.seed(), log::println);
                }
                for (BusType<?> bus : machine.kernel().driverCore().buses()) {
                    for (BusDevice d : bus.devices()) {
                        Optional<String> drv = d.driverName();
                        devices.add(new SessionReport.DeviceRow(d.name(), bus.name(), drv.orElse(null), drv.isPresent()));
                    }
                }
                drmNodes = machine.kernel().devfs().list(LsdevCommand.DRM_DIR);
            } finally {
                machine.close();
            }
        }
        log.flush();
        long wallNs = System.nanoTime() - wallStart;
        MachineReport r = machine.report();
        return new SessionReport(options.image().name(), machine.seed(),
                machine.clock().mode() == ClockMode.PACED ? "paced" : "fast", devices, drmNodes,
                workloadName.orElse(null), result, r, simBooted, machine.clock().nowNs(), wallNs);
    }
}
