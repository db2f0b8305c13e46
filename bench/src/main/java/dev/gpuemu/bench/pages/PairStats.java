package dev.gpuemu.bench.pages;

import java.util.Arrays;

/// Median and interquartile range of per-round ratios. Quantiles interpolate linearly between
/// the two nearest order statistics (the "type 7" definition of R and NumPy's default).
///
/// @param median  the 0.5 quantile
/// @param p25     the 0.25 quantile
/// @param p75     the 0.75 quantile
/// @param n       how many values
record PairStats(double median, double p25, double p75, int n) {

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
        return new PairStats(quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75), v.length);
    }

    /// The `q` quantile of sorted `v`.
    static double quantile(double[] v, double q) {
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }
}
