/// **Kernel world: the common clock and regulator frameworks** (`drivers/clk`, `drivers/regulator`)
/// reduced to what device drivers use: `devm_clk_get` / `devm_clk_get_optional` with
/// `clk_prepare_enable` / `clk_disable_unprepare` / `clk_get_rate`, and `devm_regulator_get` with
/// `regulator_enable` / `regulator_disable`. Clocks and supplies come from the device's firmware
/// node (`clocks` with fixed rates, `*-supply`); [dev.gpuemu.kernel.clk.ClkCore] keeps the
/// kernel-wide enable counts so tests and reports can see what is left on.
package dev.gpuemu.kernel.clk;
