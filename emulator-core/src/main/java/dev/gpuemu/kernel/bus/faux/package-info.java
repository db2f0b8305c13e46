/// **Kernel world: the faux bus**: devices with no hardware behind them, each bound to its own built-in driver.
package dev.gpuemu.kernel.bus.faux;
