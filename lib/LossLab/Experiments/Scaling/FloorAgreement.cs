using LossLab.Scaling;

namespace LossLab.Experiments.Scaling;

/// <summary>
/// Whether fitted irreducible losses E (one per seed) can be compared with a known floor H, such as the exact entropy rate
/// H∞ of a Markov language (Henighan et al. 2020, arXiv:2010.14701, read E as the entropy of the data), at a relative
/// tolerance τ. The comparison is judged only when the seeds pin E down: at least <see cref="MinimumSeeds"/> finite fits,
/// none with E underflowed to 0 (no floor visible in the runs), and a 95 % t interval of the mean E whose half-width is at
/// most τ·H. An interval wider than the band cannot tell agreement from disagreement (an interval such as (0, 1.2) contains
/// any floor), so it is reported as not judgeable rather than passed on containment; when judgeable, the agreement is
/// |mean E / H − 1| ≤ τ (see <see cref="Claims.Agreement"/>), so an E below the floor, which no model can reach, fails.
/// </summary>
/// <param name="Values">The per-seed E.</param>
/// <param name="Reference">The floor H.</param>
/// <param name="Tolerance">The relative tolerance τ.</param>
/// <param name="Mean">The mean E with its 95 % t interval over seeds (null with fewer than two values or a non-finite one).</param>
/// <param name="Unjudgeable">Why the comparison cannot be judged; null when it can.</param>
public sealed record FloorAgreement(IReadOnlyList<double> Values, double Reference, double Tolerance, ClaimStatistics.Interval? Mean, string? Unjudgeable)
{
    /// <summary>The fewest seeds a judgement needs.</summary>
    public const int MinimumSeeds = 3;

    /// <summary>True when the seeds pin E down to within the tolerance band.</summary>
    public bool CanJudge => Unjudgeable is null;

    /// <summary>The interval's half-width (NaN without an interval).</summary>
    public double HalfWidth => Mean is { } m ? (m.Upper - m.Lower) / 2 : double.NaN;

    /// <summary>Decides whether <paramref name="values"/> can be compared with <paramref name="reference"/> at relative
    /// tolerance <paramref name="tolerance"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The reference is not positive and finite, or the tolerance not in (0, 1).</exception>
    public static FloorAgreement Of(IReadOnlyList<double> values, double reference, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(reference > 0) || !double.IsFinite(reference))
            throw new ArgumentOutOfRangeException(nameof(reference), reference, "the floor must be positive and finite.");
        if (!(tolerance > 0 && tolerance < 1))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "the relative tolerance must lie in (0, 1).");
        var list = values.ToArray();
        var mean = list.Length >= 2 && list.All(double.IsFinite) ? ClaimStatistics.Mean(list) : null;
        string band = $"±{tolerance * reference:G4} ({tolerance:P0} of {reference:G6})";
        string? reason =
            list.Length < MinimumSeeds ? $"{list.Length} fit(s): at least {MinimumSeeds} seeds are needed"
            : !list.All(double.IsFinite) ? "a fitted E is not finite"
            : list.Any(e => !(e > ChinchillaEstimate.MinimumE)) ? "a fit put E at 0 (no floor visible in its runs)"
            : (mean!.Upper - mean.Lower) / 2 > tolerance * reference
                ? $"the 95 % t interval of E over {list.Length} seeds, ({mean.Lower:G4}, {mean.Upper:G4}), has half-width {(mean.Upper - mean.Lower) / 2:G4}, wider than the band {band}"
            : null;
        return new FloorAgreement(list, reference, tolerance, mean, reason);
    }
}
