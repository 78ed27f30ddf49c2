using static TorchSharp.torch;

namespace LossLab.Evaluation;

/// <summary>
/// Calibration metrics as pure functions over predicted class probabilities P (N, C), rows summing to 1, and integer labels
/// (N). The confidence of a sample is max_c P[i, c] and its prediction the arg-max. Arrays of confidences and correctness
/// flags are accepted too (for binary or top-label calibration computed elsewhere).
/// <list type="bullet">
/// <item>ECE (Naeini, Cooper, Hauskrecht, AAAI 2015; Guo, Pleiss, Sun, Weinberger, ICML 2017, arXiv:1706.04599):
/// Σ_b (n_b/N)·|acc_b − conf_b| over B bins of confidence, equal-width or equal-mass (<see cref="BinningScheme"/>).</item>
/// <item>NLL: −(1/N) Σ_i ln P[i, y_i] (+∞ if a true class has probability 0).</item>
/// <item>Brier score (Brier, 1950), multi-class form: (1/N) Σ_i Σ_c (P[i, c] − 1[c = y_i])², in [0, 2].</item>
/// </list>
/// </summary>
public static class Calibration
{
    /// <summary>Tolerance on each probability row's sum.</summary>
    public const double RowSumTolerance = 1e-3;

    /// <summary>The expected calibration error of <paramref name="probabilities"/> (N, C) against <paramref name="labels"/> (N).</summary>
    /// <param name="probabilities">Class probabilities (apply softmax to logits first).</param>
    /// <param name="labels">True classes.</param>
    /// <param name="bins">B ≥ 1 (15 as in Guo et al.).</param>
    /// <param name="scheme">Equal-width or equal-mass bins.</param>
    public static double ExpectedCalibrationError(Tensor probabilities, Tensor labels, int bins = 15, BinningScheme scheme = BinningScheme.EqualWidth) =>
        ReliabilityDiagram(probabilities, labels, bins, scheme).ExpectedCalibrationError;

    /// <summary>The ECE of top-label <paramref name="confidences"/> in [0, 1] with flags saying whether each prediction was right.</summary>
    public static double ExpectedCalibrationError(ReadOnlySpan<double> confidences, ReadOnlySpan<bool> correct, int bins = 15, BinningScheme scheme = BinningScheme.EqualWidth) =>
        ReliabilityDiagram(confidences, correct, bins, scheme).ExpectedCalibrationError;

    /// <summary>The reliability-diagram data (per-bin confidence, accuracy and count) and the ECE they give.</summary>
    public static ReliabilityDiagramData ReliabilityDiagram(Tensor probabilities, Tensor labels, int bins = 15, BinningScheme scheme = BinningScheme.EqualWidth)
    {
        var (p, y, n, c) = Read(probabilities, labels);
        var confidences = new double[n];
        var correct = new bool[n];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int k = 1; k < c; k++) if (p[i * c + k] > p[i * c + best]) best = k;
            confidences[i] = p[i * c + best];
            correct[i] = best == y[i];
        }
        return ReliabilityDiagram(confidences, correct, bins, scheme);
    }

    /// <summary>The reliability-diagram data of top-label <paramref name="confidences"/> and correctness flags.</summary>
    public static ReliabilityDiagramData ReliabilityDiagram(ReadOnlySpan<double> confidences, ReadOnlySpan<bool> correct, int bins = 15, BinningScheme scheme = BinningScheme.EqualWidth)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "bins must be at least 1.");
        if (confidences.Length != correct.Length)
            throw new ArgumentException($"correct must have one flag per confidence: confidences has {confidences.Length}, correct has {correct.Length}.", nameof(correct));
        if (confidences.Length == 0) throw new ArgumentException("confidences must hold at least one sample.", nameof(confidences));
        for (int i = 0; i < confidences.Length; i++)
            if (!(confidences[i] >= 0 && confidences[i] <= 1))
                throw new ArgumentOutOfRangeException(nameof(confidences), $"confidences must lie in [0, 1]; found {confidences[i]} at index {i}.");

        int n = confidences.Length;
        var members = new List<int>[bins];
        for (int b = 0; b < bins; b++) members[b] = [];
        var lower = new double[bins];
        var upper = new double[bins];
        switch (scheme)
        {
            case BinningScheme.EqualWidth:
                for (int b = 0; b < bins; b++) { lower[b] = (double)b / bins; upper[b] = (double)(b + 1) / bins; }
                for (int i = 0; i < n; i++)
                {
                    int b = 0;
                    while (b < bins - 1 && confidences[i] > upper[b]) b++;   // (lower, upper]; 0 falls in the first bin
                    members[b].Add(i);
                }
                break;
            case BinningScheme.EqualMass:
                var c = confidences.ToArray();
                var order = Enumerable.Range(0, n).OrderBy(i => c[i]).ThenBy(i => i).ToArray();
                int start = 0;
                for (int b = 0; b < bins; b++)
                {
                    int size = n / bins + (b < n % bins ? 1 : 0);
                    for (int k = start; k < start + size; k++) members[b].Add(order[k]);
                    lower[b] = size > 0 ? c[order[start]] : double.NaN;
                    upper[b] = size > 0 ? c[order[start + size - 1]] : double.NaN;
                    start += size;
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown binning scheme.");
        }

        var result = new ReliabilityBin[bins];
        double ece = 0;
        for (int b = 0; b < bins; b++)
        {
            int count = members[b].Count;
            if (count == 0)
            {
                result[b] = new ReliabilityBin(lower[b], upper[b], double.NaN, double.NaN, 0);
                continue;
            }
            double conf = 0, acc = 0;
            foreach (int i in members[b]) { conf += confidences[i]; acc += correct[i] ? 1 : 0; }
            conf /= count;
            acc /= count;
            ece += (double)count / n * Math.Abs(acc - conf);
            result[b] = new ReliabilityBin(lower[b], upper[b], conf, acc, count);
        }
        return new ReliabilityDiagramData(result, scheme, ece);
    }

    /// <summary>Negative log-likelihood −(1/N) Σ_i ln P[i, y_i] (natural log; +∞ when a true class has probability 0).</summary>
    public static double NegativeLogLikelihood(Tensor probabilities, Tensor labels)
    {
        var (p, y, n, c) = Read(probabilities, labels);
        double sum = 0;
        for (int i = 0; i < n; i++) sum -= Math.Log(p[i * c + y[i]]);
        return sum / n;
    }

    /// <summary>Multi-class Brier score (1/N) Σ_i Σ_c (P[i, c] − 1[c = y_i])² (Brier, 1950), in [0, 2].</summary>
    public static double BrierScore(Tensor probabilities, Tensor labels)
    {
        var (p, y, n, c) = Read(probabilities, labels);
        double sum = 0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < c; k++)
            {
                double d = p[i * c + k] - (k == y[i] ? 1.0 : 0.0);
                sum += d * d;
            }
        return sum / n;
    }

    static (double[] P, long[] Y, int N, int C) Read(Tensor probabilities, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        Guard.LogitsAndTargets(probabilities, labels, nameof(probabilities), nameof(labels));
        int n = (int)probabilities.shape[0], c = (int)probabilities.shape[1];
        if (n == 0) throw new ArgumentException("probabilities must hold at least one sample.", nameof(probabilities));
        double[] p;
        using (var cpu = probabilities.to_type(ScalarType.Float64).cpu()) p = cpu.data<double>().ToArray();
        long[] y;
        using (var cpu = labels.to_type(ScalarType.Int64).cpu()) y = cpu.data<long>().ToArray();
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int k = 0; k < c; k++)
            {
                double v = p[i * c + k];
                if (!(v >= 0 && v <= 1))
                    throw new ArgumentOutOfRangeException(nameof(probabilities), $"probabilities must lie in [0, 1]; row {i} holds {v}. Apply softmax to logits first.");
                sum += v;
            }
            if (Math.Abs(sum - 1) > RowSumTolerance)
                throw new ArgumentException($"probabilities must sum to 1 in each row; row {i} sums to {sum:G6}. Apply softmax to logits first.", nameof(probabilities));
        }
        return (p, y, n, c);
    }
}
