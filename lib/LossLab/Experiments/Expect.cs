using System.Globalization;

namespace LossLab.Experiments;

/// <summary>
/// What an effect claim expects of its statistic: a direction and a threshold the whole interval must clear, in the unit
/// the claim is read in. One object writes both the claim's "expected" text and its test (<see cref="Claims"/> takes it
/// instead of loose threshold, direction and text arguments), so the two cannot drift apart.
/// </summary>
/// <example><code>
/// var gain = Expect.Above(3).InPoints();                       // a paired gain above +3 points of accuracy
/// claims.Paired("ldam-drw-beats-ce", paper, text, runs.Paired("LDAM-DRW", "CE", r => r.BalancedAccuracy, "balanced accuracy"), gain);
/// claims.RankCorrelation("falls-with-tau", paper, text, taus, values, "Spearman ρ of uniformity on τ", Expect.Below(0));
/// </code></example>
public sealed record Expect
{
    Expect(string direction, double threshold)
    {
        if (!double.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be finite.");
        Direction = direction;
        Threshold = threshold;
    }

    /// <summary>"&gt;" (the statistic exceeds the threshold) or "&lt;" (it stays below).</summary>
    public string Direction { get; }

    /// <summary>The threshold, in the claim's unit (after <see cref="ScaleBy"/>).</summary>
    public double Threshold { get; }

    /// <summary>The factor applied to per-seed differences before the test (100 reads fractions as points).</summary>
    public double ScaleBy { get; private init; } = 1;

    /// <summary>The unit written after numbers (e.g. " points"); empty for none.</summary>
    public string Unit { get; private init; } = "";

    /// <summary>The interval of the mean (or median) over seeds.</summary>
    public IntervalMethod Method { get; private init; } = IntervalMethod.StudentT;

    /// <summary>The smallest scale at which the claim is judged (below it the claim is not-run).</summary>
    public RunScale Needs { get; private init; } = RunScale.Default;

    /// <summary>The whole interval lies above <paramref name="threshold"/>.</summary>
    public static Expect Above(double threshold = 0) => new(">", threshold);

    /// <summary>The whole interval lies below <paramref name="threshold"/>.</summary>
    public static Expect Below(double threshold = 0) => new("<", threshold);

    /// <summary>Fractions read as percentage points: differences are multiplied by 100 and the threshold is in points.</summary>
    public Expect InPoints() => this with { ScaleBy = 100, Unit = " points" };

    /// <summary>Differences multiplied by <paramref name="factor"/> and written with <paramref name="unit"/> (verbatim after the
    /// number: start it with a space, e.g. " %").</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is not positive and finite.</exception>
    public Expect In(string unit, double factor = 1)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (!(factor > 0) || !double.IsFinite(factor))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "the factor must be positive and finite (100 for points).");
        return this with { ScaleBy = factor, Unit = unit };
    }

    /// <summary>The same expectation with another interval (bootstrap, or the sign test's interval of the median).</summary>
    public Expect Using(IntervalMethod method) => this with { Method = method };

    /// <summary>The same expectation, judged only at <paramref name="scale"/> or above.</summary>
    public Expect Needing(RunScale scale) => this with { Needs = scale };

    /// <summary>The claim's "expected" text for <paramref name="statistic"/>.</summary>
    public string Text(string statistic) => $"{Direction} {Format(Threshold)}{Unit}, the whole 95 % interval of the {statistic}";

    /// <inheritdoc/>
    public override string ToString() => $"{Direction} {Format(Threshold)}{Unit}";

    internal static string Format(double v) => double.IsNaN(v) ? "NaN"
        : v.ToString(Math.Abs(v) >= 100 || v == Math.Round(v) ? "0.##" : Math.Abs(v) >= 1 ? "0.###" : "0.####", CultureInfo.InvariantCulture);
}
