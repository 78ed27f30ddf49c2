namespace LossLab.Scaling;

/// <summary>
/// How far predicted losses L̂ᵢ lie from observed losses Lᵢ: mean and largest |L̂ᵢ/Lᵢ − 1|, the root mean square log
/// error √mean (log L̂ᵢ − log Lᵢ)², and R² = 1 − Σ(Lᵢ − L̂ᵢ)²/Σ(Lᵢ − L̄)² on the losses themselves. On a fit's own points it
/// is the goodness of fit; on held-out points, the prediction error. A non-finite prediction makes every statistic NaN
/// (no point is silently skipped).
/// </summary>
public sealed class PredictionError
{
    /// <summary>The error of <paramref name="predicted"/> against <paramref name="observed"/>, point by point.</summary>
    /// <exception cref="ArgumentException">The lists differ in length, are empty, or an observed loss is not positive and finite.</exception>
    public PredictionError(IReadOnlyList<double> predicted, IReadOnlyList<double> observed)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(observed);
        if (predicted.Count != observed.Count)
            throw new ArgumentException($"predicted has {predicted.Count} values, observed {observed.Count}: one prediction per observation.", nameof(predicted));
        if (observed.Count == 0) throw new ArgumentException("observed is empty.", nameof(observed));
        for (int i = 0; i < observed.Count; i++)
            if (!(observed[i] > 0) || !double.IsFinite(observed[i]))
                throw new ArgumentOutOfRangeException(nameof(observed), observed[i], $"observed[{i}] must be a positive, finite loss.");
        Predicted = [.. predicted];
        Observed = [.. observed];
        var relative = predicted.Zip(observed, (p, o) => Math.Abs(p / o - 1)).ToArray();
        RelativeErrors = relative;
        MeanAbsoluteRelativeError = relative.Average();
        MaxAbsoluteRelativeError = relative.Any(double.IsNaN) ? double.NaN : relative.Max();
        RootMeanSquareLogError = Math.Sqrt(predicted.Zip(observed, (p, o) => Math.Pow(Math.Log(p) - Math.Log(o), 2)).Average());
        double mean = observed.Average();
        double residual = predicted.Zip(observed, (p, o) => (o - p) * (o - p)).Sum();
        double total = observed.Sum(o => (o - mean) * (o - mean));
        RSquared = 1 - residual / total;
    }

    /// <summary>The error of <paramref name="predict"/> (raw inputs → loss) on <paramref name="points"/>.</summary>
    public static PredictionError Of(LawPoints points, Func<double[], double> predict)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(predict);
        return new PredictionError(Enumerable.Range(0, points.Count).Select(i => predict(points.Input(i).ToArray())).ToArray(), points.Losses);
    }

    /// <summary>Predicted losses L̂ᵢ.</summary>
    public IReadOnlyList<double> Predicted { get; }

    /// <summary>Observed losses Lᵢ.</summary>
    public IReadOnlyList<double> Observed { get; }

    /// <summary>The number of points.</summary>
    public int Count => Observed.Count;

    /// <summary>|L̂ᵢ/Lᵢ − 1| of each point, in order (the last: the error at a curve's final point).</summary>
    public IReadOnlyList<double> RelativeErrors { get; }

    /// <summary>mean |L̂ᵢ/Lᵢ − 1|.</summary>
    public double MeanAbsoluteRelativeError { get; }

    /// <summary>max |L̂ᵢ/Lᵢ − 1|.</summary>
    public double MaxAbsoluteRelativeError { get; }

    /// <summary>√mean (log L̂ᵢ − log Lᵢ)².</summary>
    public double RootMeanSquareLogError { get; }

    /// <summary>R² = 1 − Σ(Lᵢ − L̂ᵢ)²/Σ(Lᵢ − L̄)² (−∞ or NaN when every observed loss is equal).</summary>
    public double RSquared { get; }
}
