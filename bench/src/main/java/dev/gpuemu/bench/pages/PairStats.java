package dev.gpuemu.bench.pages;

import java.util.Arrays;

/// Median and interquartile range of per-round ratios, and a distribution-free 95 % confidence
/// interval of the median. Quantiles interpolate linearly between the two nearest order
/// statistics (the "type 7" definition of R and NumPy's default). The interval is the pair of
/// order statistics `x(l), x(u)` (1-based) with `l = floor(n/2 - 0.98 sqrt(n))` and
/// `u = ceil(1 + n/2 + 0.98 sqrt(n))`, clamped to `1..n`: the normal approximation of the
/// binomial count of values below the median. The IQR says how much rounds scatter; the
/// interval says how well the median is known, which is what decides a threshold.
///
/// @param median  the 0.5 quantile
/// @param p25     the 0.25 quantile
/// @param p75     the 0.75 quantile
/// @param ciLow   lower end of the median's 95 % confidence interval
/// @param ciHigh  upper end of the median's 95 % confidence interval
/// @param n       how many values
record PairStats(double median, double p25, double p75, double ciLow, double ciHigh, int n) {

    /// Statistics of `values` (not modified).
    ///
    /// @throws IllegalArgumentException when `values` is empty or holds a NaN
    static PairStats of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        if (Double.isNaN(v[v.length - 1])) {
            throw new IllegalArgumentException("NaN among the values");
        }
        int n = v.length;
        int lo = Math.max(1, (int) Math.floor(n / 2.0 - 0.98 * Math.sqrt(n)));
        int hi = Math.min(n, (int) Math.ceil(1 + n / 2.0 + 0.98 * Math.sqrt(n)));
        return new PairStats(quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75), v[lo - 1], v[hi - 1], n);
    }

    /// The `q` quantile of sorted `v`.
    static double quantile(double[] v, double q) {
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }
}
