using MathNet.Numerics.Distributions;

namespace LossLab.Experiments;

/// <summary>
/// Paired statistics of two methods run with the same seeds: per-seed differences dᵢ = aᵢ − bᵢ, their mean d̄ and sample
/// standard deviation s, wins/losses/ties, a Student-t interval d̄ ± t_{1−α/2, n−1}·s/√n, and the exact two-sided sign
/// test (ties dropped): p = min(1, 2·Σ_{k ≤ min(W, L)} C(W + L, k)·2^{−(W + L)}).
/// </summary>
public sealed record PairedComparison
{
    /// <summary>Compares <paramref name="valuesA"/> with <paramref name="valuesB"/> seed by seed; a win is aᵢ &gt; bᵢ when
    /// <paramref name="higherIsBetter"/> (accuracy) and aᵢ &lt; bᵢ otherwise (loss, error).</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public PairedComparison(IReadOnlyList<double> valuesA, IReadOnlyList<double> valuesB, bool higherIsBetter = true,
        string a = "a", string b = "b", string metric = "value", IReadOnlyList<int>? seeds = null)
    {
        ArgumentNullException.ThrowIfNull(valuesA);
        ArgumentNullException.ThrowIfNull(valuesB);
        if (valuesA.Count != valuesB.Count)
            throw new ArgumentException($"valuesB must pair with valuesA: {valuesA.Count} values against {valuesB.Count}.", nameof(valuesB));
        if (valuesA.Count == 0) throw new ArgumentException("valuesA must hold at least one pair.", nameof(valuesA));
        if (seeds is not null && seeds.Count != valuesA.Count)
            throw new ArgumentException($"seeds must have one entry per pair: {seeds.Count} seeds for {valuesA.Count} pairs.", nameof(seeds));
        A = a; B = b; Metric = metric; HigherIsBetter = higherIsBetter;
        ValuesA = valuesA.ToArray();
        ValuesB = valuesB.ToArray();
        Seeds = seeds?.ToArray() ?? Enumerable.Range(0, valuesA.Count).ToArray();
        Differences = ValuesA.Zip(ValuesB, (x, y) => x - y).ToArray();
        foreach (double d in Differences)
        {
            if (d == 0) Ties++;
            else if (d > 0 == higherIsBetter) Wins++;
            else Losses++;
        }
    }

    /// <summary>The first method's name.</summary>
    public string A { get; }
    /// <summary>The second method's name.</summary>
    public string B { get; }
    /// <summary>The metric compared.</summary>
    public string Metric { get; }
    /// <summary>Whether a larger metric is better (decides what counts as a win).</summary>
    public bool HigherIsBetter { get; }
    /// <summary>The seeds of the pairs, in order.</summary>
    public IReadOnlyList<int> Seeds { get; }
    /// <summary>A's value per seed.</summary>
    public IReadOnlyList<double> ValuesA { get; }
    /// <summary>B's value per seed.</summary>
    public IReadOnlyList<double> ValuesB { get; }
    /// <summary>dᵢ = aᵢ − bᵢ per seed.</summary>
    public IReadOnlyList<double> Differences { get; }

    /// <summary>The number of pairs n.</summary>
    public int Count => Differences.Count;
    /// <summary>Seeds where A is better than B.</summary>
    public int Wins { get; }
    /// <summary>Seeds where B is better than A.</summary>
    public int Losses { get; }
    /// <summary>Seeds where they are equal.</summary>
    public int Ties { get; }
    /// <summary>The mean of A.</summary>
    public double MeanA => ValuesA.Average();
    /// <summary>The mean of B.</summary>
    public double MeanB => ValuesB.Average();
    /// <summary>d̄, the mean difference A − B.</summary>
    public double MeanDifference => Differences.Average();

    /// <summary>s, the sample standard deviation of the differences (NaN for one pair).</summary>
    public double StdDifference
    {
        get
        {
            if (Count < 2) return double.NaN;
            double mean = MeanDifference;
            return Math.Sqrt(Differences.Sum(d => (d - mean) * (d - mean)) / (Count - 1));
        }
    }

    /// <summary>s/√n (NaN for one pair).</summary>
    public double StandardError => StdDifference / Math.Sqrt(Count);

    /// <summary>The two-sided Student-t confidence interval of the mean difference at <paramref name="confidence"/>
    /// (NaN bounds for one pair).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidence"/> is not in (0, 1).</exception>
    public (double Low, double High) TInterval(double confidence = 0.95)
    {
        if (!(confidence > 0 && confidence < 1))
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must lie in (0, 1).");
        if (Count < 2) return (double.NaN, double.NaN);
        double t = StudentT.InvCDF(0, 1, Count - 1, 0.5 + confidence / 2);
        double half = t * StandardError;
        return (MeanDifference - half, MeanDifference + half);
    }

    /// <summary>The exact two-sided sign-test p-value of wins against losses (1 when every pair ties).</summary>
    public double SignTestPValue
    {
        get
        {
            int n = Wins + Losses, k = Math.Min(Wins, Losses);
            if (n == 0) return 1;
            double tail = 0, term = Math.Pow(0.5, n);   // C(n, 0)·2⁻ⁿ
            for (int i = 0; i <= k; i++)
            {
                tail += term;
                term *= (double)(n - i) / (i + 1);
            }
            return Math.Min(1, 2 * tail);
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"{A} − {B} on {Metric}: mean {MeanDifference:G4} over {Count} seeds, {Wins} wins, {Losses} losses, {Ties} ties");
}
